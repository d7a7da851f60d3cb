//! The Rust side of `bench/ffi_bench.sh`: `kmswatch_core::pattern::FilterPattern::matches`
//! over the lines of a file, as `bench/ffi_bench.c` times `kmswatch_pattern_matches`.
//!
//! ```text
//! cargo bench -p kmswatch-ffi --bench pattern_baseline -- FILE [RUNS]
//! ```
//!
//! Prints one line per variant: the median seconds of RUNS passes over all
//! lines, events/s, MB/s and the number of matches.

use kmswatch_core::pattern::FilterPattern;
use std::time::Instant;

const CIS: &str = "{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || \
                   ($.eventName = ScheduleKeyDeletion)) }";

fn main() {
    // `cargo bench` adds `--bench`; positional arguments are ours.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let Some(path) = args.first() else {
        eprintln!("usage: pattern_baseline FILE [RUNS]");
        std::process::exit(2);
    };
    let runs: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(5);
    let data = std::fs::read(path).unwrap_or_else(|e| {
        eprintln!("cannot read {path}: {e}");
        std::process::exit(2);
    });
    let lines: Vec<&[u8]> = data
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    let bytes: usize = lines.iter().map(|l| l.len()).sum();
    let pattern = FilterPattern::parse(CIS).expect("the CIS pattern parses");

    // Lines checked for UTF-8 once, as a Rust caller holding `&str` has them.
    let texts: Vec<&str> = lines
        .iter()
        .map(|l| std::str::from_utf8(l).expect("generated lines are UTF-8"))
        .collect();
    report("rust_api_str", runs, texts.len(), bytes, || {
        texts.iter().filter(|t| pattern.matches(t)).count()
    });
    // Bytes checked for UTF-8 on every call, as `kmswatch_pattern_matches` does.
    report("rust_api_utf8_check", runs, lines.len(), bytes, || {
        lines
            .iter()
            .filter(|l| std::str::from_utf8(l).is_ok_and(|t| pattern.matches(t)))
            .count()
    });
}

fn report(label: &str, runs: usize, events: usize, bytes: usize, mut pass: impl FnMut() -> usize) {
    let mut seconds = Vec::with_capacity(runs);
    let mut matched = 0;
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        matched = std::hint::black_box(pass());
        seconds.push(start.elapsed().as_secs_f64());
    }
    seconds.sort_by(f64::total_cmp);
    let median = seconds[seconds.len() / 2];
    println!(
        "{label:24} {median:9.3} {:12.0} {:8.0} {matched}",
        events as f64 / median,
        bytes as f64 / median / 1e6
    );
}

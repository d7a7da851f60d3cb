//! The Rust side of `bench/ffi_bench.sh`: the same work as `bench/ffi_bench.c`
//! through `kmswatch_decisions` directly.
//!
//! ```text
//! cargo bench -p kmswatch-ffi --bench core_baseline -- LINES.jsonl RUNS FACTS.json CALLS
//! ```
//!
//! Prints `FilterPattern::matches` over every line of LINES (median seconds of
//! RUNS passes, events/s, MB/s, matches), and the median microseconds of
//! `Facts::from_json` + `report` + `Report::to_json` on FACTS.

use kmswatch_decisions::check::{report, Facts};
use kmswatch_decisions::pattern::FilterPattern;
use std::time::Instant;

const CIS: &str = "{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || \
                   ($.eventName = ScheduleKeyDeletion)) }";

fn main() {
    // `cargo bench` adds `--bench`; positional arguments are ours.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let [lines_path, runs, facts_path, calls] = args.as_slice() else {
        eprintln!("usage: core_baseline LINES.jsonl RUNS FACTS.json CALLS");
        std::process::exit(2);
    };
    let runs: usize = runs.parse().expect("RUNS is a number");
    let calls: usize = calls.parse().expect("CALLS is a number");
    let data = std::fs::read(lines_path).expect("LINES is readable");
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
    throughput("rust_matches_str", runs, texts.len(), bytes, || {
        texts.iter().filter(|t| pattern.matches(t)).count()
    });
    // Bytes checked for UTF-8 on every call: with std, and with simdutf8 as
    // `kmswatch_pattern_matches` does (the same work as the C call).
    throughput("rust_std_utf8_matches", runs, lines.len(), bytes, || {
        lines
            .iter()
            .filter(|l| std::str::from_utf8(l).is_ok_and(|t| pattern.matches(t)))
            .count()
    });
    throughput("rust_simdutf8_matches", runs, lines.len(), bytes, || {
        lines
            .iter()
            .filter(|l| simdutf8::compat::from_utf8(l).is_ok_and(|t| pattern.matches(t)))
            .count()
    });

    let facts_json = std::fs::read_to_string(facts_path).expect("FACTS is readable");
    let mut micros: Vec<f64> = (0..calls.max(1))
        .map(|_| {
            let start = Instant::now();
            let facts = Facts::from_json(&facts_json).expect("FACTS is a facts document");
            std::hint::black_box(report(&facts).to_json());
            start.elapsed().as_secs_f64() * 1e6
        })
        .collect();
    micros.sort_by(f64::total_cmp);
    println!(
        "rust_evaluate {} calls: median {:.1} us, p90 {:.1} us",
        micros.len(),
        micros[micros.len() / 2],
        micros[micros.len() * 9 / 10]
    );
}

fn throughput(
    label: &str,
    runs: usize,
    events: usize,
    bytes: usize,
    mut pass: impl FnMut() -> usize,
) {
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
        "{label:26} {median:9.3} {:12.0} {:8.0} {matched}",
        events as f64 / median,
        bytes as f64 / median / 1e6
    );
}

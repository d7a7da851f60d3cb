//! `kmswatch pattern test`: the events of log files (or standard input) that a
//! filter pattern matches, on every core.

use crate::exit;
use crate::format_arg::Format;
use crate::match_output::Printer;
use crate::pattern_parse::parse_or_report;
use clap::Args;
use kmswatch_core::log_search::{Search, SearchError, MAX_EVENT_BYTES};
use std::io::{self, BufWriter};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `kmswatch pattern test`.
#[derive(Debug, Args)]
pub struct TestArgs {
    /// The filter pattern, e.g. '{ $.eventName = DisableKey }'.
    pub pattern: String,
    /// Inputs: JSON lines (one event per line), JSON events one after another
    /// (pretty-printed, as the console shows them), JSON arrays of events, or
    /// CloudTrail archive files ({"Records":[…]}, one event per record), any
    /// of them gzip-compressed; standard input when absent or '-'.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Read every file under the directories among FILE, sorted by name.
    #[arg(long, short = 'r')]
    pub recursive: bool,
    /// Output format: table prints each matching event on its own line
    /// (`text` is the same); json prints one object per match and a
    /// `kmswatch.pattern-test/v1` summary (one JSON object per line).
    #[arg(long, value_enum, default_value_t = Format::TABLE)]
    pub format: Format,
    /// Threads that scan [default: all cores].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,
}

/// Runs `pattern test`: exit code 0 if any event matched, 1 if none did, 2
/// for an invalid pattern or an input that could not be read.
pub fn test(args: &TestArgs) -> ExitCode {
    let json = args.format == Format::JSON;
    let Some(pattern) = parse_or_report(&args.pattern, json) else {
        return ExitCode::from(exit::EXIT_USAGE);
    };
    // Text output needs neither line numbers nor the JSON check.
    let mut search = Search::new(pattern)
        .inputs(args.files.iter().cloned())
        .recursive(args.recursive)
        .details(json);
    if let Some(threads) = args.threads {
        search = search.threads(usize::from(threads));
    }
    let stdout = io::stdout().lock();
    let mut printer = Printer::new(BufWriter::with_capacity(1 << 16, stdout), json);
    let summary = match search.run(|found| printer.found(found)) {
        Ok(summary) => summary,
        // A closed stdout (`| head`) is not an error; whether anything matched decides.
        Err(SearchError::Stopped) => return ExitCode::from(if printer.saw_match { 0 } else { 1 }),
        Err(e) => return exit::usage(&e.to_string(), json),
    };
    if printer.finish(&summary).is_err() {
        return ExitCode::from(if printer.saw_match { 0 } else { 1 });
    }
    if summary.oversized > 0 {
        eprintln!(
            "kmswatch: {} event(s) longer than {MAX_EVENT_BYTES} bytes, the largest CloudWatch Logs event, were not matched",
            summary.oversized
        );
    }
    if !summary.errors.is_empty() {
        ExitCode::from(exit::EXIT_USAGE)
    } else if summary.matched > 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

//! `kmswatch pattern test`: the events of log files (or standard input) that a
//! filter pattern matches, on every core.

use crate::account::AccountArgs;
use crate::archive_args::ArchiveArgs;
use crate::exit;
use crate::format_arg::Format;
use crate::match_output::Printer;
use crate::pattern_parse::parse_or_report;
use crate::search_progress::SearchBar;
use clap::Args;
use kmswatch_core::log_search::{is_s3_url, Progress, Search, SearchError, MAX_EVENT_BYTES};
use kmswatch_core::session;
use std::io::{self, BufWriter};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

/// Arguments of `kmswatch pattern test`.
#[derive(Debug, Args)]
pub struct TestArgs {
    /// The filter pattern, e.g. '{ $.eventName = DisableKey }'.
    pub pattern: String,
    /// Inputs: JSON lines (one event per line), JSON events one after another
    /// (pretty-printed, as the console shows them), JSON arrays of events, or
    /// CloudTrail archive files ({"Records":[…]}, one event per record), any
    /// of them gzip-compressed; standard input when absent or '-'. One
    /// s3://bucket/prefix/ reads the CloudTrail archive in S3 under it.
    #[arg(value_name = "FILE|s3://BUCKET/PREFIX/")]
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
    #[command(flatten)]
    pub archive: ArchiveArgs,
    /// Read these regions' objects of an archive only (comma-separated).
    #[arg(long, value_name = "REGION,...", value_delimiter = ',')]
    pub regions: Option<Vec<String>>,
    #[command(flatten)]
    pub account: AccountArgs,
}

/// Runs `pattern test`: exit code 0 if any event matched, 1 if none did, 2
/// for an invalid pattern or flag or an input that could not be read, 3 when
/// an S3 archive cannot be listed.
pub fn test(args: &TestArgs) -> ExitCode {
    let json = args.format == Format::JSON;
    let Some(pattern) = parse_or_report(&args.pattern, json) else {
        return ExitCode::from(exit::EXIT_USAGE);
    };
    let filter = match args.archive.filter(args.regions.clone()) {
        Ok(filter) => filter,
        Err(why) => return exit::usage(&why, json),
    };
    let (urls, files): (Vec<&PathBuf>, Vec<&PathBuf>) = args
        .files
        .iter()
        .partition(|f| f.to_str().is_some_and(is_s3_url));
    if urls.len() > 1 {
        return exit::usage("name one s3:// archive at a time", json);
    }
    if let Some(flag) = args.account.unused_by_archives() {
        return exit::usage(&format!("{flag} does not apply to pattern test"), json);
    }
    // Text output needs neither line numbers nor the JSON check.
    let mut search = Search::new(pattern)
        .inputs(files.into_iter().cloned())
        .recursive(args.recursive)
        .details(json)
        .filter(filter.clone());
    let mut bar = None;
    if let Some(url) = urls.first().and_then(|u| u.to_str()) {
        let listed = session::with_s3_archive(search, url, &args.account.options(), &filter);
        let (with_objects, objects) = match listed {
            Ok(listed) => listed,
            Err(failure) => return exit::fail(&failure, json),
        };
        let progress = Arc::new(Progress::default());
        bar = Some(SearchBar::start(Arc::clone(&progress), objects as u64));
        search = with_objects.progress(progress);
    }
    if let Some(threads) = args.threads {
        search = search.threads(usize::from(threads));
    }
    let stdout = io::stdout().lock();
    let mut printer = Printer::new(BufWriter::with_capacity(1 << 16, stdout), json);
    let result = search.run(|found| printer.found(found));
    if let Some(bar) = bar {
        bar.finish();
    }
    let summary = match result {
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

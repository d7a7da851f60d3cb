//! `kmswatch history --archive s3://…|PATH`: the history of a CloudTrail
//! archive, every account and region in it, any period; and `--print-sql`,
//! the query that answers the same on an engine.

use crate::archive_args::HistoryArchiveArgs;
use crate::exit;
use crate::format_arg::Format;
use crate::keys_cmd::{history_table, print, HistoryArgs};
use crate::stdout;
use kmswatch_core::keys::{watched_pattern, ArchivePeriod};
use kmswatch_core::log_search::{is_s3_url, Day};
use kmswatch_core::pattern_sql::{compile, Dialect, SqlOptions};
use kmswatch_core::session::{self, SystemClock};
use std::process::ExitCode;
use std::time::SystemTime;

/// Runs `history --archive` or `history --print-sql`; exit codes as `history`.
pub fn run(args: &HistoryArgs) -> ExitCode {
    let json = args.format == Format::JSON;
    let archive = &args.archive;
    if let Some(flag) = args.account.unused_by_archives() {
        let why = format!("{flag} does not apply to history --archive or --print-sql");
        return exit::usage(&why, json);
    }
    if args.days == 0 {
        return exit::usage("--days 0: choose at least 1 day", json);
    }
    let filter = match archive.period.filter(args.regions.regions.clone()) {
        Ok(filter) => filter,
        Err(why) => return exit::usage(&why, json),
    };
    let period = match ArchivePeriod::new(filter.since, filter.until, args.days, SystemTime::now())
    {
        Ok(period) => period,
        Err(why) => return exit::usage(&why, json),
    };
    if archive.print_sql {
        return print_sql(archive, &period, json);
    }
    let Some(url) = archive.archive.as_deref() else {
        return exit::usage("--archive is missing", json);
    };
    let options = args.account.options();
    match session::archive_history_document(url, &options, filter, &period, &SystemClock) {
        Ok(document) => {
            print(json, &document.to_json(), || history_table(&document));
            ExitCode::from(document.history.status.exit_code())
        }
        Err(failure) => exit::fail(&failure, json),
    }
}

/// The watched calls of the period as one query of `--dialect`.
fn print_sql(args: &HistoryArchiveArgs, period: &ArchivePeriod, json: bool) -> ExitCode {
    let day = |d: Option<Day>| d.map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}"));
    let window = period.narrow(Default::default());
    let dialect: Dialect = args.dialect.0;
    // The engines that read objects read the archive itself.
    let source = args
        .archive
        .as_deref()
        .filter(|_| dialect.reads_objects())
        .map(objects_glob);
    let compiled = watched_pattern()
        .map_err(|e| e.to_string())
        .and_then(|pattern| {
            let options = SqlOptions::parse(
                None,
                day(window.since).as_deref(),
                day(window.until).as_deref(),
                source.as_deref(),
            )
            .map_err(|e| e.to_string())?;
            compile(&pattern, dialect, &options).map_err(|e| e.to_string())
        });
    match compiled {
        Ok(query) if json => stdout::line(&query.to_json()),
        Ok(query) => stdout::line(&query.sql),
        Err(why) => return exit::usage(&why, json),
    }
    ExitCode::SUCCESS
}

/// Every gzip object under the archive, as DuckDB and Spark name them.
fn objects_glob(archive: &str) -> String {
    let base = archive.trim_end_matches('/');
    if is_s3_url(archive) || std::path::Path::new(archive).is_dir() {
        format!("{base}/**/*.json.gz")
    } else {
        archive.to_owned()
    }
}

//! `kmswatch history --archive s3://…|PATH`: the history of a CloudTrail
//! archive, every account and region in it, any period; and `--print-sql`,
//! the query that answers the same on an engine.

use crate::archive_args::HistoryArchiveArgs;
use crate::exit;
use crate::format_arg::Format;
use crate::keys_cmd::{history_table, print, HistoryArgs};
use crate::stdout;
use kmswatch_core::keys::ArchivePeriod;
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
    match session::history_query(period, args.dialect.0, args.archive.as_deref()) {
        Ok(query) if json => stdout::line(&query.to_json()),
        Ok(query) => stdout::line(&query.sql),
        Err(failure) => return exit::fail(&failure, json),
    }
    ExitCode::SUCCESS
}

//! `--since`, `--until`, `--accounts`: which days and accounts of a
//! CloudTrail archive are read (`pattern test`, `history --archive`; each
//! command has its own `--regions`), and the flags of `history` that read an
//! archive or print its query.

use crate::account::account_id;
use crate::pattern_sql::DialectArg;
use clap::Args;
use kmswatch_core::log_search::{parse_day, ArchiveFilter, Day};

/// The archive's days, accounts and regions.
#[derive(Args, Debug, Clone, Default)]
pub struct ArchiveArgs {
    /// Read the archive's objects from this UTC day on (YYYY-MM-DD), by the
    /// day in their key (`AWSLogs/…/CloudTrail/REGION/YYYY/MM/DD/`).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = day)]
    pub since: Option<Day>,
    /// Read the archive's objects up to this UTC day, included.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = day)]
    pub until: Option<Day>,
    /// Read these accounts' objects only (comma-separated 12-digit ids).
    #[arg(long, value_name = "ID,...", value_delimiter = ',', value_parser = account_id)]
    pub accounts: Option<Vec<String>>,
}

impl ArchiveArgs {
    /// The filter, with `regions` (`--regions`), or why the flags
    /// contradict each other.
    pub fn filter(&self, regions: Option<Vec<String>>) -> Result<ArchiveFilter, String> {
        if let (Some(since), Some(until)) = (self.since, self.until) {
            if until < since {
                return Err("--until is before --since".to_owned());
            }
        }
        Ok(ArchiveFilter {
            since: self.since,
            until: self.until,
            accounts: self.accounts.clone(),
            regions,
        })
    }
}

fn day(text: &str) -> Result<Day, String> {
    parse_day(text).ok_or_else(|| format!("{text:?} is not a day (expected YYYY-MM-DD)"))
}

/// The flags of `history` that read an archive instead of the event history.
#[derive(Args, Debug)]
pub struct HistoryArchiveArgs {
    /// Answer from this CloudTrail archive (s3://BUCKET/PREFIX/, or a
    /// directory or file of its objects) instead of the event history:
    /// every account and region in it, any period.
    #[arg(long, value_name = "s3://BUCKET/PREFIX/|PATH")]
    pub(crate) archive: Option<String>,
    #[command(flatten)]
    pub(crate) period: ArchiveArgs,
    /// Print the SQL query that answers the same on an engine (--dialect)
    /// instead of reading anything.
    #[arg(long)]
    pub(crate) print_sql: bool,
    /// The engine of --print-sql.
    #[arg(long, value_enum, default_value = "athena", requires = "print_sql")]
    pub(crate) dialect: DialectArg,
}

impl HistoryArchiveArgs {
    /// Whether the command reads an archive or prints SQL.
    pub fn asked(&self) -> bool {
        self.archive.is_some() || self.print_sql
    }

    /// Flags of an archive given without --archive or --print-sql: refused,
    /// so that they are never ignored.
    pub fn misplaced(&self) -> Option<&'static str> {
        let period = &self.period;
        let named = [
            (period.since.is_some(), "--since"),
            (period.until.is_some(), "--until"),
            (period.accounts.is_some(), "--accounts"),
        ];
        named
            .into_iter()
            .find(|(given, _)| *given && !self.asked())
            .map(|(_, flag)| flag)
    }
}

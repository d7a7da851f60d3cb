//! `--since`, `--until`, `--accounts`: which days and accounts of a
//! CloudTrail archive are read (`pattern test`, `history --archive`; each
//! command has its own `--regions`).

use crate::pattern_cmd::account_id;
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

//! What happened beyond the event history's 90 days: the `DisableKey` and
//! `ScheduleKeyDeletion` calls of a CloudTrail archive (in S3 or copied to
//! disk), every account and region in it, any period — the same
//! `kmswatch.history/v1` document as [`super::history`].

use super::documents::HistoryDocument;
use super::history::{from_record, verdict, History, KeyEvent, MONITORING_AT_THE_TIME, NOTE};
use super::time;
use crate::log_search::{
    day_text, parse_day, place_of, ArchiveFilter, Day, Found, Search, SearchError,
};
use crate::pattern::FilterPattern;
use std::collections::BTreeSet;
use std::time::{Duration, SystemTime};

/// The filter pattern of the calls `history` reports: what `history
/// --archive` searches and `history --print-sql` writes as SQL.
pub const WATCHED_PATTERN: &str = "{ ($.eventSource = \"kms.amazonaws.com\") && \
     (($.eventName = \"DisableKey\") || ($.eventName = \"ScheduleKeyDeletion\")) }";

/// [`WATCHED_PATTERN`], parsed.
pub fn watched_pattern() -> Result<FilterPattern, SearchError> {
    Ok(FilterPattern::parse(WATCHED_PATTERN)?)
}

/// The period of an archive's history, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArchivePeriod {
    /// Its start.
    pub start: SystemTime,
    /// Its end.
    pub end: SystemTime,
}

impl ArchivePeriod {
    /// From `since` (its first second; else `days` before the end) to
    /// `until` (its last second; else `now`).
    ///
    /// ```
    /// use kmswatch_decisions::keys::ArchivePeriod;
    /// let now = humantime::parse_rfc3339("2026-03-01T12:00:00Z").unwrap();
    /// let period = ArchivePeriod::new(Some((2023, 1, 1)), Some((2023, 12, 31)), 90, now).unwrap();
    /// assert_eq!(period.days(), 365);
    /// assert_eq!(ArchivePeriod::new(None, None, 400, now).unwrap().days(), 400);
    /// assert!(ArchivePeriod::new(Some((2024, 1, 2)), Some((2024, 1, 1)), 90, now).is_err());
    /// ```
    pub fn new(
        since: Option<Day>,
        until: Option<Day>,
        days: u32,
        now: SystemTime,
    ) -> Result<Self, String> {
        let at = |day: Day, clock: &str| {
            time::parse(&format!("{}T{clock}Z", day_text(day)))
                .ok_or_else(|| format!("{} is not a day of the calendar", day_text(day)))
        };
        let end = match until {
            Some(day) => at(day, "23:59:59")?,
            None => now,
        };
        let start = match since {
            Some(day) => at(day, "00:00:00")?,
            None => time::days_before(end, days),
        };
        if end < start {
            return Err("--until is before --since".to_owned());
        }
        Ok(ArchivePeriod { start, end })
    }

    /// Whole days it spans, rounded up.
    pub fn days(&self) -> u32 {
        let seconds = self
            .end
            .duration_since(self.start)
            .unwrap_or(Duration::ZERO);
        u32::try_from(seconds.as_secs().div_ceil(86_400)).unwrap_or(u32::MAX)
    }

    /// `filter` narrowed to the days of the period, so that objects of other
    /// days are not even listed.
    pub fn narrow(&self, filter: ArchiveFilter) -> ArchiveFilter {
        let day = |at: SystemTime| parse_day(time::format(at).get(..10).unwrap_or_default());
        ArchiveFilter {
            since: day(self.start),
            until: day(self.end),
            ..filter
        }
    }
}

/// Runs `search` (a [`Search`] for [`watched_pattern`] over the archive
/// named `archive`) and makes the history of `period`: the calls whose
/// `eventTime` falls in it, the accounts and regions read (by the archive's
/// key layout, and by the records found), and the objects that could not be
/// read (`archive_errors`: then ERROR unless a call succeeded, as a failed
/// lookup is).
pub fn archive_history(
    search: &Search,
    archive: &str,
    period: &ArchivePeriod,
) -> Result<HistoryDocument, SearchError> {
    let mut accounts = BTreeSet::new();
    let mut regions = BTreeSet::new();
    let inputs = search.inputs_to_read()?;
    for name in inputs.iter().filter_map(|input| input.name()) {
        if let Some((account, region)) = place_of(&name) {
            accounts.insert(account.to_owned());
            regions.insert(region.to_owned());
        }
    }
    let mut events: Vec<KeyEvent> = Vec::new();
    let summary = search.run(|found| {
        if let Found::Match(m) = found {
            let record: serde_json::Value = serde_json::from_slice(m.event).unwrap_or_default();
            let event = from_record("", &record);
            let at = time::parse(&event.event_time);
            if at.is_some_and(|at| at >= period.start && at <= period.end) {
                if let Some(account) = record.get("recipientAccountId").and_then(|a| a.as_str()) {
                    accounts.insert(account.to_owned());
                }
                if !event.region.is_empty() {
                    regions.insert(event.region.clone());
                }
                events.push(event);
            }
        }
        Ok(())
    })?;
    let days = period.days();
    // No object read is no evidence: the history of a period the archive
    // holds nothing of (or a wrong prefix) is unknown, never "no calls".
    let incomplete = if inputs.is_empty() {
        Some(
            "the archive holds no CloudTrail object of the period, accounts and regions asked"
                .to_owned(),
        )
    } else {
        (!summary.errors.is_empty()).then(|| {
            format!(
                "{} object(s) of the archive could not be read",
                summary.errors.len()
            )
        })
    };
    let (start_time, end_time) = (time::format(period.start), time::format(period.end));
    let text = format!("from {start_time} to {end_time}");
    let (status, summary_text) = verdict(&mut events, &text, regions.len(), incomplete.as_deref());
    let history = History {
        status,
        summary: summary_text,
        days,
        start_time,
        end_time,
        regions: regions.into_iter().collect(),
        regions_skipped: Vec::new(),
        events,
        monitoring_at_the_time: MONITORING_AT_THE_TIME.to_owned(),
        note: NOTE.to_owned(),
        errors: Vec::new(),
        archive: Some(archive.to_owned()),
        archive_errors: summary.errors,
    };
    let account_id = accounts.into_iter().collect::<Vec<_>>().join(",");
    Ok(HistoryDocument::new(account_id, history))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_watched_pattern_parses() {
        assert!(watched_pattern().is_ok());
    }
}

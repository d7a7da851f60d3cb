//! The key layout CloudTrail delivers to S3 —
//! `AWSLogs/[o-xxxx/]<account>/CloudTrail/<region>/YYYY/MM/DD/<file>.json.gz` —
//! and [`ArchiveFilter`], which keeps the objects (or local files laid out the
//! same way) of some days, accounts and regions, and tells a lister which
//! prefixes it need not list at all.

/// The segment every CloudTrail key starts its layout with.
const AWS_LOGS: &str = "AWSLogs/";

/// A UTC day, `(year, month, day)`: ordered as days are.
pub type Day = (u16, u8, u8);

/// Parses `YYYY-MM-DD`, a day of the calendar (as `--since` of `pattern
/// sql` reads it: [`crate::pattern_sql::Day::parse`]).
///
/// ```
/// use kmswatch_decisions::log_search::parse_day;
/// assert_eq!(parse_day("2024-02-29"), Some((2024, 2, 29)));
/// assert_eq!(parse_day("2024-13-01"), None);
/// assert_eq!(parse_day("2025-02-29"), None);
/// ```
pub fn parse_day(text: &str) -> Option<Day> {
    let day = crate::pattern_sql::Day::parse(text).ok()?;
    let text = day.as_str();
    Some((
        text[0..4].parse().ok()?,
        text[5..7].parse().ok()?,
        text[8..10].parse().ok()?,
    ))
}

/// `YYYY-MM-DD`.
pub fn day_text((y, m, d): Day) -> String {
    format!("{y:04}-{m:02}-{d:02}")
}

/// The account and region of an object (or file) by the archive's key
/// layout, when it follows it.
///
/// ```
/// use kmswatch_decisions::log_search::place_of;
/// let key = "s3://b/x/AWSLogs/o-abc/111122223333/CloudTrail/eu-west-1/2024/01/01/f.json.gz";
/// assert_eq!(place_of(key), Some(("111122223333", "eu-west-1")));
/// assert_eq!(place_of("events.json"), None);
/// assert_eq!(place_of("AWSLogs/111122223333/CloudTrail-Digest/eu-west-1/x"), None);
/// ```
pub fn place_of(key: &str) -> Option<(&str, &str)> {
    let segments = layout_segments(key)?;
    match segments.as_slice() {
        [account, "CloudTrail", region, ..] => Some((account, region)),
        _ => None,
    }
}

/// Which objects of an archive are read: the days `since..=until` (UTC,
/// both included), the accounts and the regions asked (`None`: all).
///
/// Keys (or paths) that hold `AWSLogs/` are judged by their layout: those of
/// another day, account or region are left out, and so is anything under
/// `AWSLogs/` that is not a trail's log file (digest files, Insights
/// events). Keys without `AWSLogs/` follow no known layout and are read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArchiveFilter {
    /// The first day read.
    pub since: Option<Day>,
    /// The last day read.
    pub until: Option<Day>,
    /// The accounts read (12-digit ids).
    pub accounts: Option<Vec<String>>,
    /// The regions read.
    pub regions: Option<Vec<String>>,
}

/// The segments of a key after `AWSLogs/`, the organization id left out:
/// account, `CloudTrail`, region, year, month, day, file. `None` when the key
/// has no `AWSLogs/`.
fn layout_segments(key: &str) -> Option<Vec<&str>> {
    let at = key.find(AWS_LOGS)?;
    if at > 0 && !key[..at].ends_with('/') {
        return None;
    }
    let mut segments: Vec<&str> = key[at + AWS_LOGS.len()..].split('/').collect();
    if segments.first().is_some_and(|s| s.starts_with("o-")) {
        segments.remove(0);
    }
    Some(segments)
}

impl ArchiveFilter {
    /// Whether the filter keeps everything.
    pub fn is_empty(&self) -> bool {
        *self == ArchiveFilter::default()
    }

    /// Whether the object (or file) at `key` is read.
    ///
    /// ```
    /// use kmswatch_decisions::log_search::ArchiveFilter;
    /// let filter = ArchiveFilter { since: Some((2024, 3, 1)), ..Default::default() };
    /// let key = "AWSLogs/o-abc/111122223333/CloudTrail/eu-west-1/2024/03/02/x.json.gz";
    /// assert!(filter.admits(key));
    /// assert!(!filter.admits(&key.replace("/03/02/", "/02/29/")));
    /// assert!(!filter.admits("AWSLogs/111122223333/CloudTrail-Digest/eu-west-1/2024/03/02/d.json.gz"));
    /// assert!(filter.admits("exported/events.json"));
    /// ```
    pub fn admits(&self, key: &str) -> bool {
        match layout_segments(key) {
            None => true,
            Some(segments) => segments.len() == 7 && self.may_hold(&segments[..6]),
        }
    }

    /// Whether keys under `prefix` (a "folder" ending in `/`) may be read:
    /// `false` lets a lister skip it.
    pub fn may_contain(&self, prefix: &str) -> bool {
        match layout_segments(prefix) {
            None => true,
            Some(mut segments) => {
                // The empty segment after the last `/`.
                segments.pop();
                segments.len() <= 6 && self.may_hold(&segments)
            }
        }
    }

    /// Whether listing the "folders" under `prefix` one by one may skip
    /// some: `false` once the prefix is as deep in the layout as the
    /// deepest thing the filter asks about (then one flat listing is fewer
    /// requests).
    pub fn prunes_under(&self, prefix: &str) -> bool {
        let deepest = if self.since.is_some() || self.until.is_some() {
            6
        } else if self.regions.is_some() {
            3
        } else if self.accounts.is_some() {
            1
        } else {
            return false;
        };
        match layout_segments(prefix) {
            None => true,
            Some(segments) => segments.len().saturating_sub(1) < deepest,
        }
    }

    /// Whether the first segments of a layout (account, `CloudTrail`,
    /// region, year, month, day: as many as known) fit the filter.
    fn may_hold(&self, segments: &[&str]) -> bool {
        let listed = |list: &Option<Vec<String>>, value: &str| {
            list.as_ref().is_none_or(|l| l.iter().any(|v| v == value))
        };
        let mut date: Vec<u16> = Vec::new();
        for (i, segment) in segments.iter().enumerate() {
            let fits = match i {
                0 => listed(&self.accounts, segment),
                1 => *segment == "CloudTrail",
                2 => listed(&self.regions, segment),
                _ => match segment.parse::<u16>() {
                    Ok(n) if segment.bytes().all(|b| b.is_ascii_digit()) => {
                        date.push(n);
                        true
                    }
                    _ => false,
                },
            };
            if !fits {
                return false;
            }
        }
        self.date_may_fit(&date)
    }

    /// Whether a date known to the year, the month or the day may fall in
    /// `since..=until`.
    fn date_may_fit(&self, date: &[u16]) -> bool {
        let cut = |day: Day| -> Vec<u16> {
            [day.0, u16::from(day.1), u16::from(day.2)][..date.len()].to_vec()
        };
        let after_since = self.since.is_none_or(|s| date >= cut(s).as_slice());
        let before_until = self.until.is_none_or(|u| date <= cut(u).as_slice());
        after_since && before_until
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "logs/AWSLogs/111122223333/CloudTrail/us-east-1/2024/05/17/f.json.gz";

    #[test]
    fn everything_is_kept_without_a_filter_but_other_layouts_of_awslogs() {
        let all = ArchiveFilter::default();
        assert!(all.admits(KEY));
        assert!(all.admits("notes/readme.txt"));
        assert!(
            !all.admits("AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2024/05/17/d.json.gz")
        );
        assert!(!all.admits("AWSLogs/111122223333/CloudTrail/us-east-1/2024/05/f.json.gz"));
        assert!(all.may_contain("logs/"));
        assert!(!all.may_contain("AWSLogs/111122223333/CloudTrail-Insight/"));
    }

    #[test]
    fn days_accounts_and_regions_prune_prefixes_and_keys() {
        let filter = ArchiveFilter {
            since: Some((2024, 5, 17)),
            until: Some((2024, 6, 2)),
            accounts: Some(vec!["111122223333".into()]),
            regions: Some(vec!["us-east-1".into()]),
        };
        assert!(filter.admits(KEY));
        assert!(!filter.admits(&KEY.replace("/17/", "/16/")));
        assert!(!filter.admits(&KEY.replace("us-east-1", "eu-west-1")));
        assert!(!filter.admits(&KEY.replace("111122223333", "444455556666")));
        assert!(filter.may_contain("AWSLogs/o-a1b2c3/"));
        assert!(filter.may_contain("AWSLogs/o-a1b2c3/111122223333/CloudTrail/us-east-1/2024/"));
        assert!(filter.may_contain("AWSLogs/111122223333/CloudTrail/us-east-1/2024/06/"));
        assert!(!filter.may_contain("AWSLogs/111122223333/CloudTrail/us-east-1/2024/07/"));
        assert!(!filter.may_contain("AWSLogs/111122223333/CloudTrail/us-east-1/2023/"));
        assert!(!filter.may_contain("AWSLogs/444455556666/"));
        assert!(!filter.may_contain("AWSLogs/111122223333/CloudTrail/eu-west-1/"));
        assert!(filter.may_contain("AWSLogs/111122223333/CloudTrail/us-east-1/2024/06/02/"));
        assert!(!filter.may_contain("AWSLogs/111122223333/CloudTrail/us-east-1/2024/06/03/"));
    }

    #[test]
    fn days_parse_strictly() {
        assert_eq!(parse_day("2024-05-17"), Some((2024, 5, 17)));
        for bad in ["2024-5-17", "2024-05-32", "2024/05/17", "", "2024-05-17-1"] {
            assert_eq!(parse_day(bad), None, "{bad}");
        }
    }
}

//! Dates of KMS and CloudTrail (RFC 3339) against the injected "now".

use std::time::{Duration, SystemTime};

const DAY: u64 = 86_400;

/// Whole days from `now` until `deletion_date` (RFC 3339), rounded down: a
/// key deleted in 6 days and 23 hours has 6 days left, one deleted later today
/// 0. `None` when the date does not parse.
///
/// ```
/// use kmswatch_decisions::keys::days_left;
/// let now = humantime::parse_rfc3339("2026-03-01T12:00:00Z").unwrap();
/// assert_eq!(days_left("2026-03-08T11:00:00Z", now), Some(6));
/// assert_eq!(days_left("2026-03-08T12:00:00Z", now), Some(7));
/// assert_eq!(days_left("2026-02-01T00:00:00Z", now), Some(0));
/// assert_eq!(days_left("soon", now), None);
/// ```
pub fn days_left(deletion_date: &str, now: SystemTime) -> Option<u64> {
    let at = parse(deletion_date)?;
    let left = at.duration_since(now).unwrap_or(Duration::ZERO);
    Some(left.as_secs() / DAY)
}

/// An RFC 3339 time (`Z` or fractional seconds), or `None`.
pub(crate) fn parse(text: &str) -> Option<SystemTime> {
    humantime::parse_rfc3339_weak(text.trim_end_matches('Z'))
        .ok()
        .or_else(|| humantime::parse_rfc3339(text).ok())
}

/// `now` as RFC 3339, to the second.
pub(crate) fn format(now: SystemTime) -> String {
    humantime::format_rfc3339_seconds(now).to_string()
}

/// `now` minus `days`.
pub(crate) fn days_before(now: SystemTime, days: u32) -> SystemTime {
    now.checked_sub(Duration::from_secs(u64::from(days) * DAY))
        .unwrap_or(SystemTime::UNIX_EPOCH)
}

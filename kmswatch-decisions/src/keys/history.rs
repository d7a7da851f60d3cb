//! What happened: the `DisableKey` and `ScheduleKeyDeletion` events of
//! CloudTrail's event history (the last 90 days of management events, per
//! region), with who, when, which key and from where.

use super::regions::{Regions, SkippedRegion};
use super::time;
use crate::api_error::ApiError;
use crate::check::status::Status;
use crate::log_search::InputError;
use crate::model::TrailEvent;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::time::SystemTime;

/// The schema of `kmswatch history --format json`.
pub const HISTORY_SCHEMA: &str = "kmswatch.history/v1";

/// CloudTrail's event history reaches back this many days.
pub const MAX_HISTORY_DAYS: u32 = 90;

/// How far back `history` looks unless told.
pub const DEFAULT_HISTORY_DAYS: u32 = MAX_HISTORY_DAYS;

/// The events looked up, one `LookupEvents` attribute each.
pub const WATCHED_EVENTS: [&str; 2] = ["DisableKey", "ScheduleKeyDeletion"];

/// Whether the monitoring chain was PASS when an event happened: kmswatch
/// checks the chain as it is now, not as it was.
pub const MONITORING_AT_THE_TIME: &str = "unknown";

/// A `--days` value: 1 to [`MAX_HISTORY_DAYS`].
///
/// ```
/// assert_eq!(kmswatch_decisions::keys::check_days(30), Ok(30));
/// assert!(kmswatch_decisions::keys::check_days(91).is_err());
/// assert!(kmswatch_decisions::keys::check_days(0).is_err());
/// ```
pub fn check_days(days: u32) -> Result<u32, String> {
    if (1..=MAX_HISTORY_DAYS).contains(&days) {
        Ok(days)
    } else {
        Err(format!(
            "--days {days}: CloudTrail's event history keeps {MAX_HISTORY_DAYS} days; \
             choose 1 to {MAX_HISTORY_DAYS} (older events are only in the trail's S3 bucket \
             or CloudTrail Lake)"
        ))
    }
}

/// One `DisableKey` or `ScheduleKeyDeletion` call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct KeyEvent {
    /// When (RFC 3339).
    pub event_time: String,
    /// `DisableKey` or `ScheduleKeyDeletion`.
    pub event_name: String,
    /// The region of the call.
    pub region: String,
    /// The key, as an ARN when the record names one.
    pub key_arn: Option<String>,
    /// The key as the request named it (`requestParameters.keyId`).
    pub key_id: Option<String>,
    /// Who: `userIdentity.arn`.
    pub user_identity_arn: Option<String>,
    /// `userIdentity.type` (`IAMUser`, `AssumedRole`, `Root`, `AWSService`...).
    pub user_identity_type: Option<String>,
    /// CloudTrail's `Username`, or the service that called (`invokedBy`).
    pub username: Option<String>,
    /// From where: `sourceIPAddress`.
    pub source_ip_address: Option<String>,
    /// With what: `userAgent`.
    pub user_agent: Option<String>,
    /// `requestParameters.pendingWindowInDays` of a `ScheduleKeyDeletion`.
    pub pending_window_in_days: Option<u64>,
    /// `errorCode` when the call failed (then nothing changed).
    pub error_code: Option<String>,
    /// `eventID`.
    pub event_id: String,
    /// Always [`MONITORING_AT_THE_TIME`].
    pub monitoring_at_the_time: String,
}

impl KeyEvent {
    /// Whether the call succeeded (so the key changed).
    pub fn succeeded(&self) -> bool {
        self.error_code.is_none()
    }
}

/// The events of the regions read: the body of `kmswatch.history/v1`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct History {
    /// FAIL when a key was disabled or scheduled for deletion in the period;
    /// ERROR when a lookup failed (and nothing was found); else PASS.
    pub status: Status,
    /// One sentence.
    pub summary: String,
    /// The days looked back.
    pub days: u32,
    /// The period (RFC 3339).
    pub start_time: String,
    /// The end of the period: now.
    pub end_time: String,
    /// The regions read.
    pub regions: Vec<String>,
    /// Regions not enabled for the account, not read.
    pub regions_skipped: Vec<SkippedRegion>,
    /// The events, newest first.
    pub events: Vec<KeyEvent>,
    /// Always `unknown`: whether the monitoring chain was PASS at the time.
    pub monitoring_at_the_time: String,
    /// Says so in a sentence.
    pub note: String,
    /// The lookups that failed.
    pub errors: Vec<ApiError>,
    /// The CloudTrail archive read instead of the event history (`kmswatch
    /// history --archive`): its `s3://` URL or path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archive: Option<String>,
    /// The objects (or files) of the archive that could not be read: the
    /// events may be incomplete.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub archive_errors: Vec<InputError>,
}

/// The period a history of `days` before `now` covers: its start and end
/// (RFC 3339), as `LookupEvents` is asked for them.
pub fn lookup_period(now: SystemTime, days: u32) -> (String, String) {
    (
        time::format(time::days_before(now, days)),
        time::format(now),
    )
}

/// The history of what `LookupEvents` answered for [`WATCHED_EVENTS`] in
/// each region of `regions` over `days` (from `start_time` to `end_time`):
/// events newest first; a region that is not enabled is skipped, any other
/// failed lookup is an error (the history is then incomplete).
pub fn history_of(
    answers: Vec<(&String, Result<Vec<TrailEvent>, ApiError>)>,
    regions: &Regions,
    days: u32,
    start_time: String,
    end_time: String,
) -> History {
    let mut events = Vec::new();
    let mut errors = Vec::new();
    let mut skipped: Vec<SkippedRegion> = Vec::new();
    let mut read: Vec<String> = Vec::new();
    for (region, answer) in answers {
        match answer {
            Ok(found) => {
                events.extend(found.iter().map(|e| key_event(region, e)));
                if !read.contains(region) {
                    read.push(region.clone());
                }
            }
            Err(e) if regions.skips(&e) => {
                if !skipped.iter().any(|s| s.region == *region) {
                    skipped.push(SkippedRegion::of(region, &e));
                }
            }
            Err(e) => errors.push(e.in_region(region)),
        }
    }
    let failed: Vec<&str> = errors.iter().filter_map(|e| e.region.as_deref()).collect();
    let incomplete = (!errors.is_empty()).then(|| {
        let mut failed = failed;
        failed.sort_unstable();
        failed.dedup();
        format!("{} lookup(s) failed in {}", errors.len(), failed.join(", "))
    });
    let period = format!("in the last {days} day(s)");
    let (status, summary) = verdict(&mut events, &period, read.len(), incomplete.as_deref());
    History {
        status,
        summary,
        days,
        start_time,
        end_time,
        regions: read,
        regions_skipped: skipped,
        events,
        monitoring_at_the_time: MONITORING_AT_THE_TIME.to_owned(),
        note: NOTE.to_owned(),
        errors,
        archive: None,
        archive_errors: Vec::new(),
    }
}

/// The history's `note`.
pub(crate) const NOTE: &str = "whether the monitoring chain (trail → metric filter → alarm → \
     topic) was PASS when these events happened is unknown: kmswatch checks the chain as it is now";

/// Sorts `events` newest first and gives the status and the summary
/// (`period`: "in the last 90 day(s)"):
/// FAIL when a call succeeded, else ERROR when `incomplete` says what could
/// not be read, else PASS.
pub(crate) fn verdict(
    events: &mut [KeyEvent],
    period: &str,
    regions_read: usize,
    incomplete: Option<&str>,
) -> (Status, String) {
    events.sort_by(|a, b| {
        let at = |e: &KeyEvent| time::parse(&e.event_time);
        at(b).cmp(&at(a)).then_with(|| a.event_id.cmp(&b.event_id))
    });
    let changed = events.iter().filter(|e| e.succeeded()).count();
    let status = if changed > 0 {
        Status::Fail
    } else if incomplete.is_some() {
        Status::Error
    } else {
        Status::Pass
    };
    let failed_attempts = events.len() - changed;
    let Some(incomplete) = incomplete else {
        let mut summary = format!(
            "{changed} DisableKey / ScheduleKeyDeletion call(s) {period} in {regions_read} region(s)"
        );
        if failed_attempts > 0 {
            summary.push_str(&format!(", and {failed_attempts} that failed"));
        }
        return (status, summary);
    };
    // Regions where every lookup failed were not read: say where, not "0 regions".
    let mut summary = format!(
        "{changed} DisableKey / ScheduleKeyDeletion call(s) found {period}{}; \
         {incomplete}, so the list may be incomplete",
        if regions_read == 0 {
            String::new()
        } else {
            format!(" in {regions_read} region(s) read")
        },
    );
    if failed_attempts > 0 {
        summary.push_str(&format!(
            " ({failed_attempts} DisableKey / ScheduleKeyDeletion call(s) that failed)"
        ));
    }
    (status, summary)
}

/// The event as a [`KeyEvent`], from the CloudTrail record it carries (when
/// the record is missing or not JSON, only what `LookupEvents` said).
pub fn key_event(region: &str, event: &TrailEvent) -> KeyEvent {
    let record: Value = event
        .cloud_trail_event
        .as_deref()
        .and_then(|text| serde_json::from_str(text).ok())
        .unwrap_or(Value::Null);
    let mut parsed = from_record(region, &record);
    parsed.event_time = event.event_time.clone();
    parsed.event_name = event.event_name.clone();
    parsed.event_id = event.event_id.clone();
    if event.username.is_some() {
        parsed.username = event.username.clone();
    }
    parsed
}

/// The [`KeyEvent`] of a CloudTrail record (the `detail` of an EventBridge
/// event); `region` is used when the record has no `awsRegion`.
pub(crate) fn from_record(region: &str, record: &Value) -> KeyEvent {
    let text = |path: &[&str]| -> Option<String> {
        let mut value = record;
        for key in path {
            value = value.get(key)?;
        }
        value.as_str().map(str::to_owned)
    };
    let region = text(&["awsRegion"]).unwrap_or_else(|| region.to_owned());
    let key_id = text(&["requestParameters", "keyId"]);
    let key_arn = record
        .get("resources")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find_map(|r| r.get("ARN").and_then(Value::as_str))
        .map(str::to_owned)
        .or_else(|| key_arn_of(&region, text(&["recipientAccountId"]), key_id.as_deref()));
    KeyEvent {
        event_time: text(&["eventTime"]).unwrap_or_default(),
        event_name: text(&["eventName"]).unwrap_or_default(),
        key_arn,
        key_id,
        user_identity_arn: text(&["userIdentity", "arn"]),
        user_identity_type: text(&["userIdentity", "type"]),
        username: text(&["userIdentity", "userName"])
            .or_else(|| text(&["userIdentity", "invokedBy"])),
        source_ip_address: text(&["sourceIPAddress"]),
        user_agent: text(&["userAgent"]),
        pending_window_in_days: record
            .pointer("/requestParameters/pendingWindowInDays")
            .and_then(Value::as_u64),
        error_code: text(&["errorCode"]),
        event_id: text(&["eventID"]).unwrap_or_default(),
        monitoring_at_the_time: MONITORING_AT_THE_TIME.to_owned(),
        region,
    }
}

/// The key ARN a request's `keyId` names: itself when it is a key ARN; built
/// from the region and account when it is a key id; `None` for an alias.
fn key_arn_of(region: &str, account: Option<String>, key_id: Option<&str>) -> Option<String> {
    let key_id = key_id?;
    if key_id.starts_with("arn:") {
        return key_id.contains(":key/").then(|| key_id.to_owned());
    }
    if key_id.starts_with("alias/") {
        return None;
    }
    let partition = crate::model::partition_of_region(region);
    Some(format!(
        "arn:{partition}:kms:{region}:{}:key/{key_id}",
        account?
    ))
}

//! The event EventBridge delivers for an API call that CloudTrail recorded.

use serde_json::{json, Value};

/// The `detail-type` of events EventBridge makes from CloudTrail records.
pub const CLOUDTRAIL_API_CALL_DETAIL_TYPE: &str = "AWS API Call via CloudTrail";

/// Wraps a CloudTrail record as EventBridge delivers it to rules: `source` is
/// `aws.` plus the service of `eventSource` (`kms.amazonaws.com` → `aws.kms`),
/// `detail-type` is [`CLOUDTRAIL_API_CALL_DETAIL_TYPE`], `account`, `region` and
/// `time` come from the record, `resources` is empty and the record is `detail`.
/// `id` is the record's `eventID` (EventBridge assigns a fresh one; patterns do
/// not match on it).
///
/// ```
/// use kmswatch_decisions::event_pattern::{cloudtrail_api_call_event, Dialect, EventPattern};
/// use serde_json::json;
///
/// let event = cloudtrail_api_call_event(&json!({
///     "eventSource": "kms.amazonaws.com", "eventName": "DisableKey",
///     "awsRegion": "us-east-1", "recipientAccountId": "111122223333"
/// }));
/// let rule = EventPattern::parse(
///     r#"{"source": ["aws.kms"], "detail-type": ["AWS API Call via CloudTrail"],
///        "detail": {"eventSource": ["kms.amazonaws.com"],
///                   "eventName": ["DisableKey", "ScheduleKeyDeletion"]}}"#,
///     Dialect::EventBridge,
/// )?;
/// assert!(rule.matches(&event));
/// # Ok::<(), kmswatch_decisions::event_pattern::PatternError>(())
/// ```
pub fn cloudtrail_api_call_event(record: &Value) -> Value {
    let text = |key: &str| record.get(key).and_then(Value::as_str).unwrap_or_default();
    let service = text("eventSource")
        .strip_suffix(".amazonaws.com")
        .unwrap_or(text("eventSource"));
    let account = record
        .get("recipientAccountId")
        .or_else(|| record.pointer("/userIdentity/accountId"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    json!({
        "version": "0",
        "id": text("eventID"),
        "detail-type": CLOUDTRAIL_API_CALL_DETAIL_TYPE,
        "source": format!("aws.{service}"),
        "account": account,
        "time": text("eventTime"),
        "region": text("awsRegion"),
        "resources": [],
        "detail": record,
    })
}

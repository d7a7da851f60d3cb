//! The response to one EventBridge event: for a `DisableKey` or
//! `ScheduleKeyDeletion` call (`source` `aws.kms`, `detail-type` `AWS API
//! Call via CloudTrail`, the CloudTrail record under `detail`), the
//! `kmswatch respond` steps that undo it. Pure: it reads nothing and changes
//! nothing, so it can sit behind a Lambda function that decides what to do.

use super::history::{from_record, KeyEvent};
use super::respond::Response;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The schema of a recommendation.
pub const RECOMMENDATION_SCHEMA: &str = "kmswatch.recommendation/v1";

/// One step of the response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RecommendedAction {
    /// The action.
    pub action: Response,
    /// The key.
    pub key_arn: String,
    /// The command that takes it.
    pub command: String,
}

/// What to do about an event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Recommendation {
    /// Always [`RECOMMENDATION_SCHEMA`].
    pub schema: String,
    /// The call the event reports (`null` when the event is not one).
    pub event: Option<KeyEvent>,
    /// The steps, in order (none when there is nothing to undo).
    pub actions: Vec<RecommendedAction>,
    /// Why these steps, or why none.
    pub reason: String,
}

/// The recommended response to an EventBridge event.
///
/// ```
/// let event = serde_json::json!({
///     "source": "aws.kms",
///     "detail-type": "AWS API Call via CloudTrail",
///     "detail": {
///         "eventSource": "kms.amazonaws.com",
///         "eventName": "DisableKey",
///         "awsRegion": "eu-west-1",
///         "recipientAccountId": "111122223333",
///         "requestParameters": {"keyId": "1234abcd-12ab-34cd-56ef-1234567890ab"}
///     }
/// });
/// let recommendation = kmswatch_decisions::keys::recommend(&event);
/// assert_eq!(recommendation.actions.len(), 1);
/// assert_eq!(
///     recommendation.actions[0].key_arn,
///     "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
/// );
/// ```
pub fn recommend(event: &Value) -> Recommendation {
    let none = |reason: String, event: Option<KeyEvent>| Recommendation {
        schema: RECOMMENDATION_SCHEMA.to_owned(),
        event,
        actions: Vec::new(),
        reason,
    };
    let source = event.get("source").and_then(Value::as_str);
    let detail_type = event.get("detail-type").and_then(Value::as_str);
    let Some(detail) = event.get("detail").filter(|d| d.is_object()) else {
        return none(
            "not an EventBridge event: it has no `detail` object".to_owned(),
            None,
        );
    };
    if source != Some("aws.kms") || detail_type != Some("AWS API Call via CloudTrail") {
        return none(
            format!(
                "not a KMS API call: source {source:?}, detail-type {detail_type:?} \
                 (expected \"aws.kms\", \"AWS API Call via CloudTrail\")"
            ),
            None,
        );
    }
    let region = event.get("region").and_then(Value::as_str).unwrap_or("");
    let key_event = from_record(region, detail);
    let steps: &[Response] = match key_event.event_name.as_str() {
        "ScheduleKeyDeletion" => &[Response::CancelDeletion, Response::Enable],
        "DisableKey" => &[Response::Enable],
        other => {
            return none(
                format!("{other} neither disables a key nor schedules its deletion"),
                Some(key_event),
            )
        }
    };
    if let Some(code) = &key_event.error_code {
        return none(
            format!("the call failed ({code}): the key did not change"),
            Some(key_event),
        );
    }
    let Some(key_arn) = key_event.key_arn.clone() else {
        return none(
            "the record names no key ARN (an alias without `resources`): find the key with \
             `kmswatch keys`"
                .to_owned(),
            Some(key_event),
        );
    };
    let actions = steps
        .iter()
        .map(|&action| RecommendedAction {
            action,
            command: format!("kmswatch respond {action} {key_arn} --apply"),
            key_arn: key_arn.clone(),
        })
        .collect();
    let who = key_event
        .user_identity_arn
        .as_deref()
        .unwrap_or("an unknown principal");
    let reason = match key_event.event_name.as_str() {
        "ScheduleKeyDeletion" => format!(
            "{who} scheduled the deletion of {key_arn}: cancel it (the key is then Disabled), \
             then enable the key, unless the deletion was intended"
        ),
        _ => format!("{who} disabled {key_arn}: enable it, unless that was intended"),
    };
    Recommendation {
        schema: RECOMMENDATION_SCHEMA.to_owned(),
        event: Some(key_event),
        actions,
        reason,
    }
}

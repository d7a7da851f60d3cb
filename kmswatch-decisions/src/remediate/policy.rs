//! SNS topic policies: may CloudWatch alarms publish, and adding the statement
//! that lets them — merged into the policy, never replacing it.
//!
//! AWS's own remediation overwrites the whole topic policy; a topic that other
//! services publish to would go silent. kmswatch parses the policy, keeps every
//! statement and appends one with its own `Sid`.

use super::error::RemediateError;
use crate::access_policy::Decision;
use crate::check::rules::topic_access::publish_decision;
use serde_json::{json, Map, Value};

/// The `Sid` of the statement kmswatch adds.
pub const STATEMENT_SID: &str = "kmswatchAllowCloudWatchAlarmsToPublish";

/// The statement that lets CloudWatch alarms of `account_id` publish to `topic_arn`.
pub fn cloudwatch_publish_statement(topic_arn: &str, account_id: &str) -> Value {
    service_publish_statement(
        STATEMENT_SID,
        "cloudwatch.amazonaws.com",
        topic_arn,
        account_id,
    )
}

/// The `Sid` of the statement that lets EventBridge publish (`--via eventbridge`).
pub const EVENTS_STATEMENT_SID: &str = "kmswatchAllowEventBridgeToPublish";

/// The statement that lets EventBridge rules of `account_id` publish to `topic_arn`.
pub fn events_publish_statement(topic_arn: &str, account_id: &str) -> Value {
    service_publish_statement(
        EVENTS_STATEMENT_SID,
        "events.amazonaws.com",
        topic_arn,
        account_id,
    )
}

/// `service` may publish to `topic_arn` on behalf of `account_id` only.
fn service_publish_statement(sid: &str, service: &str, topic_arn: &str, account_id: &str) -> Value {
    json!({
        "Sid": sid,
        "Effect": "Allow",
        "Principal": { "Service": service },
        "Action": "sns:Publish",
        "Resource": topic_arn,
        "Condition": { "StringEquals": { "aws:SourceAccount": account_id } }
    })
}

/// The policy of a topic kmswatch creates, before its statement is merged
/// in: the one SNS gives a new topic (the owner account may manage it and
/// publish; EventBridge's requests do not carry its `AWS:SourceOwner`
/// condition), written with the current policy language version.
pub fn new_topic_policy(topic_arn: &str, account_id: &str) -> String {
    let mut doc: Value = serde_json::from_str(&crate::access_policy::sns_default_policy(
        topic_arn, account_id,
    ))
    .expect("the default policy is JSON");
    doc["Version"] = json!("2012-10-17");
    doc.to_string()
}

/// `policy` with the EventBridge statement appended (or refreshed); every
/// other statement and key is kept.
///
/// # Errors
///
/// As [`merge_statement`].
pub fn merge_events_statement(
    policy: Option<&str>,
    topic_arn: &str,
    account_id: &str,
) -> Result<String, RemediateError> {
    merge(
        policy,
        topic_arn,
        events_publish_statement(topic_arn, account_id),
        EVENTS_STATEMENT_SID,
    )
}

/// The `Sid` of the statement kmswatch adds in `merged` (the last one), for
/// describing a merge.
pub fn added_sid(merged: &str) -> String {
    serde_json::from_str::<Value>(merged)
        .ok()
        .and_then(|doc| {
            doc.get("Statement")
                .and_then(Value::as_array)
                .and_then(|list| list.last())
                .and_then(|s| s.get("Sid"))
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
        .unwrap_or_else(|| STATEMENT_SID.to_owned())
}

/// Whether `policy` lets CloudWatch alarms of `account_id` publish to
/// `topic_arn` (the check's rule for topic policies). `None` (no policy attribute) is the
/// SNS default policy, which does. A policy that cannot be read, or whose
/// Allow has conditions kmswatch cannot evaluate, does not.
///
/// ```
/// use kmswatch_decisions::remediate::policy::allows_cloudwatch_publish;
/// let topic = "arn:aws:sns:us-east-1:111122223333:t";
/// let default = r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},
///   "Action":["SNS:Publish","SNS:Subscribe"],"Resource":"arn:aws:sns:us-east-1:111122223333:t",
///   "Condition":{"StringEquals":{"AWS:SourceOwner":"111122223333"}}}]}"#;
/// assert!(allows_cloudwatch_publish(Some(default), topic, "111122223333"));
/// assert!(!allows_cloudwatch_publish(Some(r#"{"Statement":[]}"#), topic, "111122223333"));
/// ```
pub fn allows_cloudwatch_publish(policy: Option<&str>, topic_arn: &str, account_id: &str) -> bool {
    let Some(policy) = policy else { return true };
    matches!(
        publish_decision(policy, topic_arn, account_id, None),
        Ok(Decision::Allowed)
    )
}

/// `policy` with the kmswatch statement appended (or refreshed, when a statement
/// with [`STATEMENT_SID`] is already there); every other statement and key is kept.
///
/// # Errors
///
/// [`RemediateError::Conflict`] when the policy is not a JSON object: kmswatch
/// does not replace what it cannot read.
pub fn merge_statement(
    policy: Option<&str>,
    topic_arn: &str,
    account_id: &str,
) -> Result<String, RemediateError> {
    merge(
        policy,
        topic_arn,
        cloudwatch_publish_statement(topic_arn, account_id),
        STATEMENT_SID,
    )
}

fn merge(
    policy: Option<&str>,
    topic_arn: &str,
    ours: Value,
    sid: &str,
) -> Result<String, RemediateError> {
    let mut doc = match policy {
        None => json!({ "Version": "2012-10-17", "Statement": [] }),
        Some(text) => serde_json::from_str::<Value>(text)
            .ok()
            .filter(Value::is_object)
            .ok_or_else(|| RemediateError::Conflict {
                resource: format!("the access policy of topic {topic_arn}"),
                differences: vec!["it is not a JSON policy document".to_owned()],
            })?,
    };
    let object: &mut Map<String, Value> = doc.as_object_mut().expect("checked to be an object");
    let mut list = match object.remove("Statement") {
        None => Vec::new(),
        Some(Value::Array(list)) => list,
        Some(single) => vec![single],
    };
    list.retain(|s| s.get("Sid").and_then(Value::as_str) != Some(sid));
    list.push(ours);
    object.insert("Statement".to_owned(), Value::Array(list));
    Ok(serde_json::to_string(&doc).expect("a JSON value serializes"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOPIC: &str = "arn:aws:sns:us-east-1:111122223333:alerts";
    const ACCOUNT: &str = "111122223333";

    #[test]
    fn merge_keeps_every_statement() {
        let foreign = r#"{"Version":"2012-10-17","Id":"x","Statement":{"Sid":"EventBridge","Effect":"Allow","Principal":{"Service":"events.amazonaws.com"},"Action":"sns:Publish","Resource":"*"}}"#;
        assert!(!allows_cloudwatch_publish(Some(foreign), TOPIC, ACCOUNT));
        let merged = merge_statement(Some(foreign), TOPIC, ACCOUNT).unwrap();
        let doc: Value = serde_json::from_str(&merged).unwrap();
        assert_eq!(doc["Id"], "x");
        let sids: Vec<&str> = doc["Statement"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["Sid"].as_str().unwrap())
            .collect();
        assert_eq!(sids, ["EventBridge", STATEMENT_SID]);
        assert!(allows_cloudwatch_publish(Some(&merged), TOPIC, ACCOUNT));
        // Merging twice refreshes kmswatch's statement instead of stacking it.
        let again = merge_statement(Some(&merged), TOPIC, ACCOUNT).unwrap();
        assert_eq!(again, merged);
    }

    #[test]
    fn unreadable_policy_is_not_replaced() {
        assert!(matches!(
            merge_statement(Some("not json"), TOPIC, ACCOUNT),
            Err(RemediateError::Conflict { .. })
        ));
    }

    #[test]
    fn conditions() {
        let other_owner = r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sns:Publish","Condition":{"StringEquals":{"AWS:SourceOwner":"999999999999"}}}]}"#;
        assert!(!allows_cloudwatch_publish(
            Some(other_owner),
            TOPIC,
            ACCOUNT
        ));
        let vpc_only = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"sns:*","Condition":{"StringEquals":{"aws:SourceVpce":"vpce-1"}}}]}"#;
        assert!(!allows_cloudwatch_publish(Some(vpc_only), TOPIC, ACCOUNT));
        let service = format!(
            r#"{{"Statement":[{{"Effect":"Allow","Principal":{{"Service":["cloudwatch.amazonaws.com"]}},"Action":"sns:Publish","Condition":{{"ArnLike":{{"aws:SourceArn":"arn:aws:cloudwatch:us-east-1:{ACCOUNT}:alarm:*"}}}}}}]}}"#
        );
        // Which alarm publishes is not known here: the Allow does not count, and
        // merging adds kmswatch's statement beside it.
        assert!(!allows_cloudwatch_publish(Some(&service), TOPIC, ACCOUNT));
        let account_wide = service.replace(
            &format!(
                r#""ArnLike":{{"aws:SourceArn":"arn:aws:cloudwatch:us-east-1:{ACCOUNT}:alarm:*"}}"#
            ),
            &format!(r#""StringEquals":{{"aws:SourceAccount":"{ACCOUNT}"}}"#),
        );
        assert!(allows_cloudwatch_publish(
            Some(&account_wide),
            TOPIC,
            ACCOUNT
        ));
        assert!(allows_cloudwatch_publish(None, TOPIC, ACCOUNT));
    }
}

//! The event pattern engine against documented examples and pinned decisions.
//!
//! `tests/data/event_pattern_vectors.json` holds (pattern, event, expected) rows
//! from the EventBridge User Guide (content filtering, comparison operators,
//! arrays, null values), the Event Ruler README, the SNS Developer Guide
//! (subscription filter policies) and this engine's documented decisions;
//! `tests/data/event_pattern_invalid.json` holds patterns that must be rejected,
//! with the JSON path and code of the error.

use kmswatch_core::corpus;
use kmswatch_core::event_pattern::{
    cloudtrail_api_call_event, message_attributes_from_notification, message_attributes_view,
    Dialect, ErrorKind, EventPattern, FilterPolicyScope, Limit, PatternError, MAX_NESTING_DEPTH,
    SNS_MAX_POLICY_BYTES,
};
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Deserialize)]
struct Vector {
    source: String,
    dialect: String,
    pattern: Value,
    /// The event; absent for SNS attribute vectors (`null` is an event too).
    #[serde(default)]
    event: Value,
    /// SNS `MessageAttributes` as a notification carries them.
    attributes: Option<Value>,
    matches: bool,
}

#[derive(Deserialize)]
struct Invalid {
    source: String,
    dialect: String,
    pattern: String,
    path: String,
    code: String,
    message_contains: String,
}

fn load<T: for<'de> Deserialize<'de>>(name: &str) -> Vec<T> {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn dialect(name: &str) -> Dialect {
    match name {
        "eventbridge" => Dialect::EventBridge,
        "sns-attributes" => Dialect::SnsFilterPolicy(FilterPolicyScope::MessageAttributes),
        "sns-body" => Dialect::SnsFilterPolicy(FilterPolicyScope::MessageBody),
        other => panic!("unknown dialect {other:?} in test data"),
    }
}

#[test]
fn documented_and_decision_vectors() {
    let vectors: Vec<Vector> = load("event_pattern_vectors.json");
    assert!(vectors.len() > 250, "vectors went missing");
    let mut failures = Vec::new();
    for v in &vectors {
        let d = dialect(&v.dialect);
        let text = v.pattern.to_string();
        let pattern = match EventPattern::parse(&text, d) {
            Ok(p) => p,
            Err(e) => {
                failures.push(format!("[{}] {text} does not parse: {e}", v.source));
                continue;
            }
        };
        match EventPattern::from_value(&v.pattern, d) {
            Ok(same) if same == pattern => {}
            other => failures.push(format!(
                "[{}] from_value differs from parse: {other:?}",
                v.source
            )),
        }
        let event = match &v.attributes {
            Some(attributes) => message_attributes_from_notification(attributes),
            None => v.event.clone(),
        };
        if pattern.matches(&event) != v.matches {
            failures.push(format!(
                "[{}] {text} on {event}: expected {}",
                v.source, v.matches
            ));
        }
        if pattern.matches_json(&event.to_string()) != v.matches {
            failures.push(format!(
                "[{}] {text} on the text of {event}: expected {}",
                v.source, v.matches
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} vectors failed:\n{}",
        failures.len(),
        vectors.len(),
        failures.join("\n")
    );
}

#[test]
fn invalid_patterns_are_rejected_with_path_and_code() {
    let invalid: Vec<Invalid> = load("event_pattern_invalid.json");
    assert!(invalid.len() > 40, "invalid patterns went missing");
    let mut failures = Vec::new();
    for case in &invalid {
        match EventPattern::parse(&case.pattern, dialect(&case.dialect)) {
            Ok(p) => failures.push(format!(
                "[{}] {:?} parsed: {p:?}",
                case.source, case.pattern
            )),
            Err(e) => {
                let message = e.to_string();
                if e.path.to_string() != case.path
                    || e.kind.code() != case.code
                    || !message.contains(&case.message_contains)
                    || !message.starts_with(&format!("{}: ", case.path))
                {
                    failures.push(format!(
                        "[{}] {:?}: got {} ({}), expected path {} code {} containing {:?}",
                        case.source,
                        case.pattern,
                        message,
                        e.kind.code(),
                        case.path,
                        case.code,
                        case.message_contains
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        invalid.len(),
        failures.join("\n")
    );
}

fn eventbridge(text: &str) -> EventPattern {
    EventPattern::parse(text, Dialect::EventBridge).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn sns(text: &str, scope: FilterPolicyScope) -> Result<EventPattern, PatternError> {
    EventPattern::parse(text, Dialect::SnsFilterPolicy(scope))
}

#[test]
fn unknown_and_unsupported_operators_call_for_manual_review() {
    let unknown = EventPattern::parse(
        r#"{"detail": {"eventName": [{"prefixx": "Disable"}]}}"#,
        Dialect::EventBridge,
    )
    .unwrap_err();
    assert_eq!(
        unknown.to_string(),
        r#"$.detail.eventName[0]: unknown operator "prefixx""#
    );
    assert_eq!(unknown.kind, ErrorKind::UnknownOperator("prefixx".into()));
    assert!(unknown.needs_manual_review());

    let unsupported = sns(
        r#"{"a": [{"wildcard": "x*"}]}"#,
        FilterPolicyScope::MessageBody,
    )
    .unwrap_err();
    assert!(unsupported.needs_manual_review());
    // The same operator is fine on EventBridge.
    assert!(eventbridge(r#"{"a": [{"wildcard": "x*"}]}"#).matches(&json!({"a": "xyz"})));

    let invalid = EventPattern::parse(r#"{"a": [{"numeric": [">", "1"]}]}"#, Dialect::EventBridge)
        .unwrap_err();
    assert!(!invalid.needs_manual_review());
}

#[test]
fn decision_10_duplicate_keys_last_one_counts() {
    let p = eventbridge(r#"{"a": ["x"], "a": ["y"]}"#);
    assert!(p.matches(&json!({"a": "y"})));
    assert!(!p.matches(&json!({"a": "x"})));
}

#[test]
fn decision_12_text_that_is_not_json_matches_no_pattern() {
    let p = sns(
        r#"{"a": [{"exists": false}]}"#,
        FilterPolicyScope::MessageBody,
    )
    .unwrap();
    assert!(p.matches_json("{}"));
    assert!(!p.matches_json("Alarm kms is in ALARM"));
    assert!(!p.matches_json(""));
    let empty = sns("{}", FilterPolicyScope::MessageBody).unwrap();
    assert!(empty.matches_json("plain text"));
    assert!(empty.root().is_empty());
}

#[test]
fn decision_14_sns_limits_count_alternatives_and_depth() {
    // AWS's example: four values three levels down, three values two levels down.
    let doc = sns(
        r#"{"key_a": {"key_b": {"key_c": ["value_one", "value_two", "value_three", "value_four"]}},
            "key_d": {"key_e": ["value_one", "value_two", "value_three"]}}"#,
        FilterPolicyScope::MessageBody,
    )
    .unwrap();
    assert_eq!(doc.combinations(), 72);
    // AWS's flat example: 3 × 1 × 2.
    let flat = sns(
        r#"{"key_a": ["value_one", "value_two", "value_three"], "key_b": ["value_one"],
            "key_c": ["value_one", "value_two"]}"#,
        FilterPolicyScope::MessageAttributes,
    )
    .unwrap();
    assert_eq!(flat.combinations(), 6);
    // Keys per alternative: 3 + max(2, 2) = 5 is within the limit although seven
    // distinct keys appear; a key repeated inside `$or` is counted once.
    let alternatives = r#"{"a": [1], "b": [1], "c": [1],
        "$or": [{"d": [1], "e": [1]}, {"f": [1], "g": [1], "a": [2]}]}"#;
    assert!(sns(alternatives, FilterPolicyScope::MessageAttributes).is_ok());
    // Nested keys under a top-level key do not count in the MessageBody scope.
    let nested = r#"{"finding": {"a": [1], "b": [1], "c": [1], "d": [1], "e": [1], "f": [1]}}"#;
    assert!(sns(nested, FilterPolicyScope::MessageBody).is_ok());
    // EventBridge has none of these limits.
    assert!(EventPattern::parse(
        r#"{"a": [1], "b": [1], "c": [1], "d": [1], "e": [1], "f": [1]}"#,
        Dialect::EventBridge
    )
    .is_ok());
}

#[test]
fn decision_14_sns_size_limit_applies_to_text_and_values() {
    let big = "x".repeat(SNS_MAX_POLICY_BYTES);
    let policy = json!({ "a": [big] });
    let text = policy.to_string();
    for result in [
        sns(&text, FilterPolicyScope::MessageBody),
        EventPattern::from_value(
            &policy,
            Dialect::SnsFilterPolicy(FilterPolicyScope::MessageBody),
        ),
    ] {
        let err = result.unwrap_err();
        assert!(
            matches!(
                err.kind,
                ErrorKind::LimitExceeded(Limit::Size { bytes, max }) if bytes == text.len() && max == SNS_MAX_POLICY_BYTES
            ),
            "{err}"
        );
    }
    assert!(EventPattern::from_value(&policy, Dialect::EventBridge).is_ok());
}

#[test]
fn patterns_nested_too_deep_are_rejected_not_overflowed() {
    let mut deep = json!(["x"]);
    for _ in 0..MAX_NESTING_DEPTH + 10 {
        deep = json!({ "a": deep });
    }
    let err = EventPattern::from_value(&deep, Dialect::EventBridge).unwrap_err();
    assert_eq!(err.kind, ErrorKind::TooDeep(MAX_NESTING_DEPTH));
    assert_eq!(err.path.steps().len(), MAX_NESTING_DEPTH);

    let mut ok = json!(["x"]);
    let mut event = json!("x");
    for _ in 0..MAX_NESTING_DEPTH {
        ok = json!({ "a": ok });
        event = json!({ "a": event });
    }
    assert!(EventPattern::from_value(&ok, Dialect::EventBridge)
        .unwrap()
        .matches(&event));
}

#[test]
fn deeply_nested_pattern_values_are_rejected_without_recursing_through_them() {
    let mut value = json!(["x"]);
    for _ in 0..100_000 {
        let mut object = serde_json::Map::new();
        object.insert("a".to_owned(), value);
        value = Value::Object(object);
    }
    for dialect in [
        Dialect::EventBridge,
        Dialect::SnsFilterPolicy(FilterPolicyScope::MessageBody),
    ] {
        let err = EventPattern::from_value(&value, dialect).unwrap_err();
        assert_eq!(err.kind, ErrorKind::TooDeep(MAX_NESTING_DEPTH));
    }
    // Dropping a 100,000-deep value recurses; leak it instead of testing serde_json.
    std::mem::forget(value);
}

#[test]
fn deeply_nested_event_arrays_do_not_overflow() {
    let mut value = json!("x");
    for _ in 0..100_000 {
        value = Value::Array(vec![value]);
    }
    // Not `json!`, which would serialize (recursively) the 100,000-deep value.
    let mut object = serde_json::Map::new();
    object.insert("a".to_owned(), value);
    let event = Value::Object(object);
    assert!(eventbridge(r#"{"a": ["x"]}"#).matches(&event));
    assert!(!eventbridge(r#"{"a": [{"exists": false}]}"#).matches(&event));
    // Dropping a 100,000-deep value recurses; leak it instead of testing serde_json.
    std::mem::forget(event);
}

/// The EventBridge rules people write for CIS 4.7 catch every target record of
/// the bundled corpus as EventBridge delivers it, and the near misses do not.
#[test]
fn kms_rules_on_cloudtrail_events_as_eventbridge_delivers_them() {
    let rules = [
        r#"{"source": ["aws.kms"], "detail-type": ["AWS API Call via CloudTrail"],
            "detail": {"eventSource": ["kms.amazonaws.com"],
                       "eventName": ["DisableKey", "ScheduleKeyDeletion"]}}"#,
        r#"{"source": ["aws.kms"], "detail": {"eventName": [{"prefix": "DisableKey"}, "ScheduleKeyDeletion"],
            "eventName": [{"anything-but": {"suffix": "Rotation"}}]}}"#,
        r#"{"source": [{"prefix": "aws."}], "detail": {"$or": [
            {"eventName": [{"equals-ignore-case": "disablekey"}]},
            {"eventName": [{"wildcard": "Schedule*Deletion"}]}]}}"#,
    ];
    let misses = [
        r#"{"source": ["kms.amazonaws.com"], "detail": {"eventName": ["DisableKey", "ScheduleKeyDeletion"]}}"#,
        r#"{"source": ["aws.kms"], "eventName": ["DisableKey", "ScheduleKeyDeletion"]}"#,
        r#"{"source": ["aws.kms"], "detail-type": ["AWS API Call via CloudTrail"],
            "detail": {"eventName": [{"anything-but": ["DisableKey", "ScheduleKeyDeletion"]}]}}"#,
    ];
    let targets: Vec<_> = corpus::targets().collect();
    assert!(targets.len() >= 4);
    for target in &targets {
        let record: Value = serde_json::from_str(&target.line).unwrap();
        let event = cloudtrail_api_call_event(&record);
        assert_eq!(event["source"], "aws.kms", "{}", target.id);
        assert_eq!(event["detail"], record);
        for rule in rules {
            assert!(
                eventbridge(rule).matches(&event),
                "{} misses {rule}",
                target.id
            );
        }
        for rule in misses {
            assert!(
                !eventbridge(rule).matches(&event),
                "{} matches {rule}",
                target.id
            );
        }
    }
}

#[test]
fn attribute_views_follow_sns_data_types() {
    let view = message_attributes_view([
        ("s", "String", "a"),
        ("custom", "String.label", "b"),
        ("n", "Number", "210.75"),
        ("ni", "Number.int", "12"),
        ("arr", "String.Array", r#"["x", 1, true, null]"#),
        ("bin", "Binary", "AAEC"),
    ]);
    assert_eq!(
        view,
        json!({"s": "a", "custom": "b", "n": 210.75, "ni": 12, "arr": ["x", 1, true, null]})
    );
    let from_notification = message_attributes_from_notification(&json!({
        "s": {"Type": "String", "Value": "a"},
        "broken": {"Type": "String"},
        "n": {"Type": "Number", "Value": "1"}
    }));
    assert_eq!(from_notification, json!({"s": "a", "n": 1}));
    assert_eq!(
        message_attributes_from_notification(&json!(null)),
        json!({})
    );
}

#[test]
fn scopes_parse_from_their_sns_names() {
    assert_eq!(
        "MessageBody".parse::<FilterPolicyScope>(),
        Ok(FilterPolicyScope::MessageBody)
    );
    assert_eq!(
        "MessageAttributes".parse::<FilterPolicyScope>(),
        Ok(FilterPolicyScope::MessageAttributes)
    );
    assert!("messagebody".parse::<FilterPolicyScope>().is_err());
    assert_eq!(
        FilterPolicyScope::default(),
        FilterPolicyScope::MessageAttributes
    );
}

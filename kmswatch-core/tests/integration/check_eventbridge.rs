//! EventBridge as monitoring (`monitored_by`), on the in-memory backend
//! (gather + evaluate): which rules count, which targets reach a human, and
//! that the CIS verdict stays what the CIS text asks unless it is accepted.

use crate::common;

use common::*;
use kmswatch_core::api::{ApiError, ApiErrorKind, TopicsApi};
use kmswatch_core::check::{self, Monitor, MonitorKind, Report, Status};
use kmswatch_core::layer::Faults;
use kmswatch_core::memory::MemoryBackend;
use kmswatch_core::model::RuleTarget;
use kmswatch_core::operation::Operation;
use std::collections::BTreeMap;
use std::sync::Arc;

const RULE: &str = r#"{"source": ["aws.kms"], "detail-type": ["AWS API Call via CloudTrail"], "detail": {"eventSource": ["kms.amazonaws.com"], "eventName": ["DisableKey", "ScheduleKeyDeletion"]}}"#;
const EVENTS_TOPIC: &str = "kms-events";

fn events_topic_arn(region: &str) -> String {
    format!("arn:aws:sns:{region}:{ACCOUNT}:{EVENTS_TOPIC}")
}

/// A topic policy that lets the account and EventBridge publish.
fn events_policy(topic_arn: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"Owner","Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{ACCOUNT}:root"}},"Action":"SNS:Publish","Resource":"{topic_arn}"}},{{"Sid":"Events","Effect":"Allow","Principal":{{"Service":"events.amazonaws.com"}},"Action":"sns:Publish","Resource":"{topic_arn}"}}]}}"#
    )
}

fn sns(region: &str) -> Vec<RuleTarget> {
    vec![RuleTarget {
        id: "alert".into(),
        arn: events_topic_arn(region),
        transforms_input: false,
    }]
}

/// The default event bus of `region` as a rule's target (forwarding).
fn bus(region: &str) -> Vec<RuleTarget> {
    vec![RuleTarget {
        id: "bus".into(),
        arn: format!("arn:aws:events:{region}:{ACCOUNT}:event-bus/default"),
        transforms_input: false,
    }]
}

/// An account whose CIS chain fails (a logging trail and its log group, no
/// metric filter), with an SNS topic EventBridge may publish to (`policy`:
/// whether its policy lets EventBridge publish) and a confirmed subscriber.
async fn without_filters(region: &str, policy: bool) -> Arc<MemoryBackend> {
    let world = Arc::new(MemoryBackend::new(ACCOUNT, REGION));
    world.put_trail(trail(), Some(status(true)), Some(all_management()));
    world.create_log_group(REGION, GROUP);
    let topic = world
        .create_topic(region, EVENTS_TOPIC, &BTreeMap::new())
        .await
        .unwrap();
    if policy {
        world
            .set_topic_policy(&topic, &events_policy(&topic))
            .await
            .unwrap();
    }
    world
        .subscribe(
            &topic,
            "sqs",
            &format!("arn:aws:sqs:{region}:{ACCOUNT}:oncall"),
        )
        .await
        .unwrap();
    world
}

async fn monitors_of(world: &Arc<MemoryBackend>) -> (Report, Vec<Monitor>) {
    let report = run(world).await;
    let monitors = report.monitored_by.clone();
    (report, monitors)
}

fn codes_of(m: &Monitor) -> Vec<String> {
    m.gaps
        .iter()
        .chain(m.targets.iter().flat_map(|t| &t.gaps))
        .map(|g| g.code.as_string())
        .collect()
}

#[tokio::test]
async fn a_rule_with_a_topic_target_monitors_the_region_but_the_cis_verdict_stays() {
    let world = without_filters(REGION, true).await;
    world.put_event_rule(REGION, "kms-keys", "ENABLED", RULE, sns(REGION));
    let (report, monitors) = monitors_of(&world).await;
    assert_eq!(report.status, Status::Fail, "the CIS chain still fails");
    assert_eq!(monitors.len(), 1, "{monitors:#?}");
    let m = &monitors[0];
    assert_eq!(m.kind, MonitorKind::Eventbridge);
    assert_eq!(m.region, REGION);
    assert_eq!(m.rule.as_deref(), Some("kms-keys"));
    assert_eq!(m.catches, ["DisableKey", "ScheduleKeyDeletion"]);
    assert_eq!(m.status, Status::Pass, "{:?}", codes_of(m));
    assert_eq!(m.targets[0].kind, "sns");
    assert_eq!(m.targets[0].confirmed_subscriptions, Some(1));
    let json = report.to_json();
    assert!(json.contains("\"monitored_by\""), "{json}");
}

#[tokio::test]
async fn a_compliant_account_reads_no_rule() {
    let world = compliant().await;
    world.put_event_rule(REGION, "kms-keys", "ENABLED", RULE, sns(REGION));
    let report = run(&world).await;
    assert_eq!(report.status, Status::Pass);
    assert!(report.monitored_by.is_empty());
    assert!(!report.to_json().contains("monitored_by"));
}

#[tokio::test]
async fn no_rule_is_a_failing_monitor() {
    let world = without_filters(REGION, true).await;
    world.put_event_rule(
        REGION,
        "ec2",
        "ENABLED",
        r#"{"source": ["aws.ec2"]}"#,
        sns(REGION),
    );
    let (_, monitors) = monitors_of(&world).await;
    assert_eq!(monitors[0].status, Status::Fail);
    assert_eq!(monitors[0].rule, None);
    assert_eq!(codes_of(&monitors[0]), ["EVENTBRIDGE_NO_RULE"]);
}

#[tokio::test]
async fn a_rule_that_misses_an_event_or_is_disabled_fails() {
    for (state, pattern, wanted) in [
        (
            "ENABLED",
            r#"{"source": ["aws.kms"], "detail": {"eventName": ["DisableKey"]}}"#,
            "does not match ScheduleKeyDeletion",
        ),
        ("DISABLED", RULE, "the rule is DISABLED"),
    ] {
        let world = without_filters(REGION, true).await;
        world.put_event_rule(REGION, "kms-keys", state, pattern, sns(REGION));
        let (_, monitors) = monitors_of(&world).await;
        let m = &monitors[0];
        assert_eq!(m.status, Status::Fail, "{state} {pattern}");
        assert!(
            m.gaps
                .iter()
                .any(|g| g.code.as_string() == "EVENTBRIDGE_RULE_INCOMPLETE"
                    && g.message.contains(wanted)),
            "{:#?}",
            m.gaps
        );
    }
}

#[tokio::test]
async fn a_pattern_on_another_source_or_detail_type_catches_nothing() {
    let world = without_filters(REGION, true).await;
    world.put_event_rule(
        REGION,
        "kms-console",
        "ENABLED",
        r#"{"source": ["aws.kms"], "detail-type": ["AWS Console Sign In via CloudTrail"]}"#,
        sns(REGION),
    );
    let (_, monitors) = monitors_of(&world).await;
    assert_eq!(codes_of(&monitors[0]), ["EVENTBRIDGE_NO_RULE"]);
}

#[tokio::test]
async fn a_topic_eventbridge_may_not_publish_to_fails() {
    let world = without_filters(REGION, false).await;
    world.put_event_rule(REGION, "kms-keys", "ENABLED", RULE, sns(REGION));
    let (_, monitors) = monitors_of(&world).await;
    assert_eq!(monitors[0].status, Status::Fail);
    assert_eq!(
        codes_of(&monitors[0]),
        ["EVENTBRIDGE_TOPIC_NOT_PUBLISHABLE"]
    );
}

#[tokio::test]
async fn a_lambda_target_is_manual_and_names_the_target() {
    let world = without_filters(REGION, true).await;
    let lambda = format!("arn:aws:lambda:{REGION}:{ACCOUNT}:function:page-oncall");
    world.put_event_rule(
        REGION,
        "kms-keys",
        "ENABLED",
        RULE,
        vec![RuleTarget {
            id: "fn".into(),
            arn: lambda.clone(),
            transforms_input: false,
        }],
    );
    let (_, monitors) = monitors_of(&world).await;
    let m = &monitors[0];
    assert_eq!(m.status, Status::Manual);
    assert_eq!(m.targets[0].kind, "lambda");
    assert!(m.targets[0].gaps[0].message.contains(&lambda));
}

#[tokio::test]
async fn a_rule_without_targets_fails() {
    let world = without_filters(REGION, true).await;
    world.put_event_rule(REGION, "kms-keys", "ENABLED", RULE, Vec::new());
    let (_, monitors) = monitors_of(&world).await;
    assert_eq!(codes_of(&monitors[0]), ["EVENTBRIDGE_NO_TARGET"]);
}

#[tokio::test]
async fn an_unknown_operator_is_manual() {
    let world = without_filters(REGION, true).await;
    world.put_event_rule(
        REGION,
        "kms-keys",
        "ENABLED",
        r#"{"source": ["aws.kms"], "detail": {"eventName": [{"sounds-like": "DisableKey"}]}}"#,
        sns(REGION),
    );
    let (_, monitors) = monitors_of(&world).await;
    assert_eq!(monitors[0].status, Status::Manual, "{monitors:#?}");
    assert!(codes_of(&monitors[0]).contains(&"EVENTBRIDGE_PATTERN_UNVERIFIED".to_owned()));
}

#[tokio::test]
async fn a_rule_forwarding_to_a_region_with_a_working_rule_monitors() {
    let world = without_filters("eu-west-1", true).await;
    world.put_event_rule(REGION, "forward-kms", "ENABLED", RULE, bus("eu-west-1"));
    world.put_event_rule("eu-west-1", "kms-keys", "ENABLED", RULE, sns("eu-west-1"));
    let (_, monitors) = monitors_of(&world).await;
    let home = monitors.iter().find(|m| m.region == REGION).unwrap();
    assert_eq!(home.status, Status::Pass, "{monitors:#?}");
    assert_eq!(home.targets[0].kind, "events");
    // Without the rule over there, the forwarding reaches no one.
    let world = without_filters("eu-west-1", true).await;
    world.put_event_rule(REGION, "forward-kms", "ENABLED", RULE, bus("eu-west-1"));
    let (_, monitors) = monitors_of(&world).await;
    let home = monitors.iter().find(|m| m.region == REGION).unwrap();
    assert_eq!(home.status, Status::Fail, "{monitors:#?}");
}

#[tokio::test]
async fn a_trail_that_stopped_logging_fails_the_monitor() {
    let world = without_filters(REGION, true).await;
    world.put_trail(trail(), Some(status(false)), Some(all_management()));
    world.put_event_rule(REGION, "kms-keys", "ENABLED", RULE, sns(REGION));
    let (_, monitors) = monitors_of(&world).await;
    assert_eq!(monitors[0].status, Status::Fail);
    assert!(codes_of(&monitors[0]).contains(&"EVENTBRIDGE_NO_TRAIL".to_owned()));
}

#[tokio::test]
async fn rules_that_cannot_be_listed_are_an_error_that_leaves_the_verdict() {
    let world = without_filters(REGION, true).await;
    world.put_event_rule(REGION, "kms-keys", "ENABLED", RULE, sns(REGION));
    let before = run(&world).await.status;
    let services = world.services().layer(Faults::new().fail(ApiError::new(
        Operation::ListRules,
        ApiErrorKind::AccessDenied,
        "AccessDeniedException",
        "not allowed",
    )));
    let report = check::check(&services, REGION).await.unwrap().1;
    assert_eq!(report.status, before);
    let m = &report.monitored_by[0];
    assert_eq!(m.status, Status::Error);
    assert_eq!(codes_of(m), ["EVENTBRIDGE_UNKNOWN"]);
}

#[tokio::test]
async fn accepting_eventbridge_needs_the_regions_of_the_keys() {
    let world = without_filters(REGION, true).await;
    world.put_event_rule(REGION, "kms-keys", "ENABLED", RULE, sns(REGION));
    let (facts, report) = check::check(&world.services(), REGION).await.unwrap();
    assert_eq!(report.monitored_by[0].status, Status::Pass);
    let accepted = check::accept(report, &facts, &[MonitorKind::Eventbridge]);
    // The keys' regions are not in the facts: a passing rule in one region
    // proves nothing about keys elsewhere.
    assert_eq!(accepted.status, Status::Fail);
    assert_eq!(accepted.accepted_by, None);
    assert!(accepted
        .warnings
        .iter()
        .any(|g| g.code.as_string() == "EVENTBRIDGE_KEY_REGIONS_UNKNOWN"));
}

#[tokio::test]
async fn a_snapshot_gives_the_same_monitors() {
    let world = without_filters(REGION, true).await;
    world.put_event_rule(REGION, "kms-keys", "ENABLED", RULE, sns(REGION));
    world.put_event_rule(
        REGION,
        "ec2",
        "ENABLED",
        r#"{"source": ["aws.ec2"]}"#,
        sns(REGION),
    );
    let (facts, report) = check::check(&world.services(), REGION).await.unwrap();
    let again = check::report(&facts);
    assert_eq!(again.monitored_by, report.monitored_by);
    // The unrelated rule's targets were not read.
    let rules = facts.event_rules[0].rules.as_ref().unwrap();
    let ec2 = rules.iter().find(|r| r.rule.name == "ec2").unwrap();
    assert_eq!(ec2.targets, None);
    let text = facts.to_json();
    let reloaded = kmswatch_core::check::Facts::from_json(&text).unwrap();
    assert_eq!(check::report(&reloaded).monitored_by, report.monitored_by);
}

#[tokio::test]
async fn a_rule_scoped_to_the_checked_account_catches_its_own_events_only() {
    for (account, caught) in [(ACCOUNT, true), ("777788889999", false)] {
        let world = without_filters(REGION, true).await;
        let scoped = format!(
            r#"{{"source": ["aws.kms"], "account": ["{account}"], "detail": {{"eventSource": ["kms.amazonaws.com"], "eventName": ["DisableKey", "ScheduleKeyDeletion"]}}}}"#
        );
        world.put_event_rule(REGION, "kms-keys", "ENABLED", &scoped, sns(REGION));
        let (_, monitors) = monitors_of(&world).await;
        let passing = monitors.iter().any(|m| m.status == Status::Pass);
        assert_eq!(passing, caught, "{account}: {monitors:#?}");
    }
}

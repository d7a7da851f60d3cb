//! Composite alarms: a metric alarm whose own actions reach no one still
//! notifies through a composite alarm whose rule follows it and whose SNS
//! actions deliver. On the in-memory backend (gather + evaluate).

use crate::common;

use common::*;
use kmswatch_core::api::{AlarmsApi, ApiError, ApiErrorKind, COMPOSITE_ALARMS};
use kmswatch_core::check::{check, Status};
use kmswatch_core::layer::Faults;
use kmswatch_core::memory::MemoryBackend;
use kmswatch_core::model::CompositeAlarm;
use kmswatch_core::operation::Operation;
use std::sync::Arc;

const ALARM: &str = "kms-alarm";

fn composite(rule: &str) -> CompositeAlarm {
    CompositeAlarm {
        alarm_name: "kms-composite".into(),
        alarm_arn: format!("arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:kms-composite"),
        actions_enabled: Some(true),
        alarm_actions: vec![topic_arn()],
        alarm_rule: rule.into(),
        actions_suppressor: None,
        alarm_description: None,
        state_value: Some("OK".into()),
        state_updated_timestamp: None,
    }
}

/// The compliant account, its alarm without actions, and `composites`.
async fn with_composites(composites: Vec<CompositeAlarm>) -> Arc<MemoryBackend> {
    let world = compliant().await;
    let mut silent = alarm(ALARM, "KMSKeyDisableOrDelete", &topic_arn());
    silent.alarm_actions.clear();
    world.put_metric_alarm(REGION, &silent).await.unwrap();
    let mut facts = world.to_facts();
    facts.alarms[0].composite_alarms = Some(composites);
    Arc::new(MemoryBackend::from_facts(facts))
}

#[tokio::test]
async fn a_composite_alarm_that_follows_the_alarm_notifies_in_its_stead() {
    let report = run(&with_composites(vec![]).await).await;
    assert_eq!(report.status, Status::Fail);
    assert!(has(&report, "ALARM_NO_ACTIONS"));

    for rule in [
        format!("ALARM({ALARM})"),
        format!("ALARM(\"arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:{ALARM}\")"),
        format!("NOT OK({ALARM}) AND NOT INSUFFICIENT_DATA({ALARM})"),
    ] {
        let report = run(&with_composites(vec![composite(&rule)]).await).await;
        assert_eq!(report.status, Status::Pass, "{rule}: {:?}", codes(&report));
        assert!(has(&report, "ALARM_NOTIFIES_THROUGH_COMPOSITE"));
        let alarm = &report.chains[0].metric_filters[0].alarms[0];
        assert_eq!(alarm.topics[0].topic_arn, topic_arn());
    }
}

#[tokio::test]
async fn a_composite_that_does_not_follow_the_alarm_or_cannot_notify_does_not_count() {
    let mut disabled = composite(&format!("ALARM({ALARM})"));
    disabled.actions_enabled = Some(false);
    let mut topicless = composite(&format!("ALARM({ALARM})"));
    topicless.alarm_actions = vec![format!("arn:aws:sns:{REGION}:{ACCOUNT}:deleted")];
    for c in [
        composite(&format!("ALARM({ALARM}) AND NOT ALARM(maintenance)")),
        composite("ALARM(some-other-alarm)"),
        composite(&format!("OK({ALARM})")),
        disabled,
        topicless,
    ] {
        let rule = c.alarm_rule.clone();
        let report = run(&with_composites(vec![c]).await).await;
        assert_eq!(report.status, Status::Fail, "{rule}: {:?}", codes(&report));
        assert!(!has(&report, "ALARM_NOTIFIES_THROUGH_COMPOSITE"));
    }
}

#[tokio::test]
async fn weaknesses_of_a_composite_path_are_warnings() {
    let mut suppressed = composite(&format!("ALARM({ALARM})"));
    suppressed.actions_suppressor = Some("maintenance-window".into());
    let report = run(&with_composites(vec![suppressed]).await).await;
    assert_eq!(report.status, Status::Pass);
    assert!(has(&report, "COMPOSITE_ALARM_ACTIONS_SUPPRESSIBLE"));

    let either = composite(&format!("ALARM({ALARM}) OR ALARM(other)"));
    let report = run(&with_composites(vec![either]).await).await;
    assert_eq!(report.status, Status::Pass);
    assert!(has(&report, "COMPOSITE_ALARM_MAY_STAY_IN_ALARM"));
}

#[tokio::test]
async fn composites_that_cannot_be_read_or_decided_are_never_a_pass() {
    let unreadable = composite(&format!("ALARM({ALARM}) AND AT_LEAST(1, ALARM, (a, b))"));
    let report = run(&with_composites(vec![unreadable]).await).await;
    assert_eq!(report.status, Status::Manual, "{:?}", codes(&report));
    assert!(has(&report, "COMPOSITE_ALARM_RULE_UNVERIFIED"));

    let world = with_composites(vec![composite(&format!("ALARM({ALARM})"))]).await;
    let faults = Faults::new().fail(
        ApiError::new(
            Operation::DescribeAlarms,
            ApiErrorKind::AccessDenied,
            "AccessDenied",
            "not authorized",
        )
        .about(COMPOSITE_ALARMS),
    );
    let (_, report) = check(&world.services().layer(faults), REGION)
        .await
        .unwrap();
    assert_eq!(report.status, Status::Error, "{:?}", codes(&report));
    assert!(has(&report, "COMPOSITE_ALARMS_UNKNOWN"));
}

#[tokio::test]
async fn composites_are_read_only_where_an_alarm_reaches_no_one() {
    let (facts, report) = check(&compliant().await.services(), REGION).await.unwrap();
    assert_eq!(report.status, Status::Pass);
    assert_eq!(facts.alarms[0].composite_alarms, None);

    let world = with_composites(vec![composite(&format!("ALARM({ALARM})"))]).await;
    let (facts, report) = check(&world.services(), REGION).await.unwrap();
    assert_eq!(report.status, Status::Pass);
    assert_eq!(
        facts.alarms[0].composite_alarms.as_ref().map(Vec::len),
        Some(1)
    );
    // The composite's topic and its subscriber were read for its notification.
    let topic = facts.topic(&topic_arn()).unwrap();
    assert_eq!(topic.subscription_attributes.len(), 1);
}

//! A check's cost does not grow with the account's unrelated alarms: alarms
//! are read by metric (`DescribeAlarmsForMetric`), and a region's alarms are
//! listed only where none found completes the chain (metric-math alarms
//! cannot be found by metric). On the in-memory backend (gather + evaluate),
//! whose answer by metric is computed from its alarms.

use crate::common;

use common::*;
use kmswatch_core::api::{metric_resource, AlarmsApi, ApiError, ApiErrorKind, LogsApi};
use kmswatch_core::check::{evaluate, gather, report, Facts, Report, Status};
use kmswatch_core::layer::Faults;
use kmswatch_core::memory::MemoryBackend;
use kmswatch_core::model::{Alarm, CompositeAlarm, Metric};
use kmswatch_core::operation::Operation;
use std::collections::BTreeMap;
use std::sync::Arc;

const METRIC: &str = "KMSKeyDisableOrDelete";

fn metric(name: &str) -> Metric {
    Metric {
        namespace: "CISBenchmark".into(),
        metric_name: name.into(),
        dimensions: BTreeMap::new(),
    }
}

/// A fault that marks a call as made: a check that passes with it made none.
fn called(operation: Operation) -> ApiError {
    ApiError::new(
        operation,
        ApiErrorKind::Other,
        "Called",
        format!("{operation} was called"),
    )
}

async fn check_with(world: &Arc<MemoryBackend>, faults: Faults) -> (Facts, Report) {
    let services = world.services().layer(faults);
    kmswatch_core::check::check(&services, REGION)
        .await
        .unwrap()
}

/// `count` alarms on metrics no filter publishes, notifying another topic.
async fn add_unrelated_alarms(world: &MemoryBackend, count: usize) {
    let other = format!("arn:aws:sns:{REGION}:{ACCOUNT}:unrelated");
    for i in 0..count {
        let alarm = alarm(&format!("app-{i:04}"), &format!("Latency{i}"), &other);
        world.put_metric_alarm(REGION, &alarm).await.unwrap();
    }
}

/// A metric-math alarm on the filter's metric: `FILL(m1, 0)` of its Sum.
fn math_alarm(name: &str, topic: &str) -> Alarm {
    Alarm {
        metric: None,
        statistic: None,
        period: None,
        metrics: filled_sum(metric(METRIC)),
        ..alarm(name, METRIC, topic)
    }
}

/// The compliant account with its one alarm replaced by `alarm`.
async fn with_only(alarm: Alarm) -> Arc<MemoryBackend> {
    let world = compliant().await;
    let mut facts = world.to_facts();
    facts.alarms[0].alarms = Some(Vec::new());
    let world = Arc::new(MemoryBackend::from_facts(facts));
    world.put_metric_alarm(REGION, &alarm).await.unwrap();
    world
}

#[tokio::test]
async fn a_compliant_account_costs_the_same_with_thousands_of_unrelated_alarms() {
    for count in [0, 3_000] {
        let world = compliant().await;
        add_unrelated_alarms(&world, count).await;
        let faults = Faults::new().fail(called(Operation::DescribeAlarms));
        let (facts, report) = check_with(&world, faults).await;
        assert_eq!(report.status, Status::Pass, "{count}: {:?}", codes(&report));
        assert!(facts.errors.is_empty(), "{count}: {:?}", facts.errors);
        assert_eq!(report.api_calls, Some(9), "{count} unrelated alarms");
        let read = &facts.alarms[0];
        assert_eq!(read.by_metric.as_deref(), Some(&[metric(METRIC)][..]));
        let names: Vec<_> = read
            .alarms
            .iter()
            .flatten()
            .map(|a| &a.alarm_name)
            .collect();
        assert_eq!(names, ["kms-alarm"], "only the alarm on the metric is kept");
    }
}

#[tokio::test]
async fn a_non_compliant_account_pays_the_listing_once() {
    for count in [0, 250] {
        let world = compliant().await;
        let mut silent = alarm("kms-alarm", METRIC, &topic_arn());
        silent.alarm_actions.clear();
        world.put_metric_alarm(REGION, &silent).await.unwrap();
        add_unrelated_alarms(&world, count).await;
        let (facts, report) = check_with(&world, Faults::new()).await;
        assert_eq!(report.status, Status::Fail);
        assert!(codes(&report).contains(&"ALARM_NO_ACTIONS".to_owned()));
        // STS, trails (3), filters, by metric, composites, the listing, and
        // EventBridge's ListRules (the chain fails).
        assert_eq!(report.api_calls, Some(9), "{count} unrelated alarms");
        assert!(facts.alarms[0].is_full_listing());
        assert_eq!(
            facts.alarms[0].alarms.as_ref().map(Vec::len),
            Some(count + 1)
        );
    }
}

#[tokio::test]
async fn no_alarm_at_all_is_missing_once_listed_never_unknown() {
    let world = compliant().await;
    let mut facts = world.to_facts();
    facts.alarms[0].alarms = Some(Vec::new());
    let world = Arc::new(MemoryBackend::from_facts(facts));
    let (facts, report) = check_with(&world, Faults::new()).await;
    assert_eq!(report.status, Status::Fail);
    let codes = codes(&report);
    assert!(codes.contains(&"ALARM_MISSING".to_owned()), "{codes:?}");
    assert!(!codes.contains(&"ALARMS_UNKNOWN".to_owned()), "{codes:?}");
    assert!(facts.alarms[0].is_full_listing());
}

#[tokio::test]
async fn a_metric_math_alarm_is_found_by_the_listing() {
    let world = with_only(math_alarm("kms-math", &topic_arn())).await;
    add_unrelated_alarms(&world, 120).await;
    let (facts, report) = check_with(&world, Faults::new()).await;
    assert_eq!(report.status, Status::Pass, "{:?}", codes(&report));
    let alarm = &report.chains[0].metric_filters[0].alarms[0];
    assert_eq!(
        alarm.alarm_arn,
        format!("arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:kms-math")
    );
    assert!(facts.alarms[0].is_full_listing());
    // The unrelated alarms' topic is never read.
    assert!(facts
        .topic(&format!("arn:aws:sns:{REGION}:{ACCOUNT}:unrelated"))
        .is_none());
}

#[tokio::test]
async fn a_composite_alarm_completes_the_chain_without_a_listing() {
    let mut silent = alarm("kms-alarm", METRIC, &topic_arn());
    silent.alarm_actions.clear();
    let world = with_only(silent).await;
    let mut facts = world.to_facts();
    facts.alarms[0].composite_alarms = Some(vec![CompositeAlarm {
        alarm_name: "kms-composite".into(),
        alarm_arn: format!("arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:kms-composite"),
        actions_enabled: Some(true),
        alarm_actions: vec![topic_arn()],
        alarm_rule: "ALARM(kms-alarm)".into(),
        actions_suppressor: None,
        alarm_description: None,
        state_value: Some("OK".into()),
        state_updated_timestamp: None,
    }]);
    let world = Arc::new(MemoryBackend::from_facts(facts));
    let (facts, report) = check_with(&world, Faults::new()).await;
    assert_eq!(report.status, Status::Pass, "{:?}", codes(&report));
    // STS, trails (3), filters, by metric, composites, the topic (3).
    assert_eq!(report.api_calls, Some(10));
    assert!(codes(&report).contains(&"ALARM_NOTIFIES_THROUGH_COMPOSITE".to_owned()));
    assert!(facts.alarms[0].composite_alarms.is_some());
    assert!(
        facts.alarms[0].by_metric.is_some(),
        "no listing of metric alarms"
    );
}

#[tokio::test]
async fn credentials_without_describe_alarms_for_metric_fall_back_to_the_listing() {
    let world = compliant().await;
    let denied = ApiError::new(
        Operation::DescribeAlarmsForMetric,
        ApiErrorKind::AccessDenied,
        "AccessDenied",
        "not authorized",
    );
    let (facts, report) = check_with(&world, Faults::new().fail(denied)).await;
    assert_eq!(report.status, Status::Pass, "{:?}", codes(&report));
    assert!(facts.alarms[0].is_full_listing());
    assert_eq!(
        facts.errors.len(),
        1,
        "the refusal is kept: {:?}",
        facts.errors
    );
    // The verdict stands; the report says what the refusal costs.
    assert_eq!(codes(&report), ["ALARMS_READ_BY_LISTING"]);
    assert_eq!(report.warnings[0].resource.as_deref(), Some(REGION));
}

#[tokio::test]
async fn a_failed_listing_leaves_the_alarms_unknown_never_missing() {
    let mut silent = alarm("kms-alarm", METRIC, &topic_arn());
    silent.alarm_actions.clear();
    let world = with_only(silent).await;
    let denied = ApiError::new(
        Operation::DescribeAlarms,
        ApiErrorKind::AccessDenied,
        "AccessDenied",
        "not authorized",
    )
    .in_region(REGION);
    let (facts, report) = check_with(&world, Faults::new().fail(denied)).await;
    assert_eq!(report.status, Status::Error, "{:?}", codes(&report));
    assert!(codes(&report).contains(&"ALARMS_UNKNOWN".to_owned()));
    assert!(facts.alarms[0].by_metric.is_some());
}

#[tokio::test]
async fn a_snapshot_read_by_metric_gives_the_same_verdict_again() {
    for world in [
        compliant().await,
        with_only(math_alarm("kms-math", &topic_arn())).await,
    ] {
        add_unrelated_alarms(&world, 60).await;
        let (facts, first) = check_with(&world, Faults::new()).await;
        let loaded = Facts::from_json(&facts.to_json()).unwrap();
        assert_eq!(loaded, facts);
        assert_eq!(report(&loaded).status, first.status);
        // Gathering from the snapshot again reads the same, and no more.
        let snapshot = Arc::new(MemoryBackend::from_facts(loaded.clone()));
        let again = gather(&snapshot.services(), REGION).await.unwrap();
        assert_eq!(again.alarms, loaded.alarms);
        assert!(again.errors.is_empty(), "{:?}", again.errors);
    }
}

#[tokio::test]
async fn metrics_not_read_by_metric_are_unknown_never_missing() {
    let world = compliant().await;
    let (mut facts, _) = check_with(&world, Faults::new()).await;
    // A snapshot whose region was read for another metric only.
    facts.alarms[0].by_metric = Some(vec![metric("Other")]);
    facts.alarms[0].alarms = Some(Vec::new());
    let assessment = evaluate(&facts);
    assert_eq!(assessment.status, Status::Error);
    let codes: Vec<_> = assessment.chains[0].filters[0]
        .gaps
        .iter()
        .map(|g| g.code.as_string())
        .collect();
    assert_eq!(codes, ["ALARMS_UNKNOWN"]);
    // And the backend loaded from it refuses to make up either answer.
    let backend = MemoryBackend::from_facts(facts);
    let err = backend.describe_alarms(REGION).await.unwrap_err();
    assert_eq!(err.code, "AlarmsNotRecorded");
    let err = backend
        .describe_alarms_for_metric(REGION, &metric(METRIC))
        .await
        .unwrap_err();
    assert_eq!(
        err.resource.as_deref(),
        Some(metric_resource(&metric(METRIC)).as_str())
    );
    assert!(backend
        .describe_alarms_for_metric(REGION, &metric("Other"))
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn snapshots_without_the_field_are_full_listings() {
    let world = compliant().await;
    let mut facts = world.to_facts();
    facts.alarms[0].by_metric = None;
    let text = facts.to_json();
    assert!(!text.contains("by_metric"));
    let loaded = Facts::from_json(&text).unwrap();
    assert!(loaded.alarms[0].is_full_listing());
    assert!(loaded.alarms[0].read_alarms_on(&metric("AnyMetric")));
    let backend = MemoryBackend::from_facts(loaded);
    assert_eq!(backend.describe_alarms(REGION).await.unwrap().len(), 1);
}

#[tokio::test]
async fn the_memory_answer_by_metric_is_exactly_the_metric_alarms_on_it() {
    let world = compliant().await;
    let topic = topic_arn();
    let mut dimensioned = alarm("kms-dimension", METRIC, &topic);
    if let Some(m) = dimensioned.metric.as_mut() {
        m.dimensions.insert("EventName".into(), "DisableKey".into());
    }
    for a in [
        dimensioned,
        math_alarm("kms-math", &topic),
        alarm("other", "Other", &topic),
    ] {
        world.put_metric_alarm(REGION, &a).await.unwrap();
    }
    let names = |alarms: Vec<Alarm>| alarms.into_iter().map(|a| a.alarm_name).collect::<Vec<_>>();
    let found = world
        .describe_alarms_for_metric(REGION, &metric(METRIC))
        .await
        .unwrap();
    assert_eq!(names(found), ["kms-alarm"]);
    let elsewhere = world
        .describe_alarms_for_metric("eu-west-1", &metric(METRIC))
        .await
        .unwrap();
    assert!(elsewhere.is_empty());
    assert_eq!(world.describe_alarms(REGION).await.unwrap().len(), 4);
}

#[tokio::test]
async fn a_chain_that_misses_an_event_is_listed_so_that_remediation_can_plan_from_the_snapshot() {
    let world = compliant().await;
    let only_disable = "{ ($.eventSource = kms.amazonaws.com) && ($.eventName = DisableKey) }";
    world
        .put_metric_filter(REGION, &filter("kms", only_disable, METRIC))
        .await
        .unwrap();
    let (facts, report) = check_with(&world, Faults::new()).await;
    assert_eq!(report.status, Status::Fail);
    assert!(codes(&report).contains(&"PATTERN_MISSES:ScheduleKeyDeletion".to_owned()));
    assert!(facts.alarms[0].is_full_listing());
    let snapshot = Facts::from_json(&facts.to_json()).unwrap();
    let plan = kmswatch_core::remediate::plan(&snapshot, &Default::default());
    assert!(plan.is_ok(), "{plan:?}");
}

//! The rules on the metric a filter publishes and on the alarm that watches
//! it: a positive metric value, the same metric, settings that fire on one
//! event (threshold, datapoints, actions), metric math, and an alarm that has
//! been in ALARM for days.

use crate::common;

use common::*;
use kmswatch_core::api::{AlarmsApi, LogsApi};
use kmswatch_core::check::{report, Facts, Status};

#[tokio::test]
async fn metric_value_must_be_a_positive_number() {
    for value in ["$.requestParameters.pendingWindowInDays", "0", "-1"] {
        let world = compliant().await;
        let mut f = filter("kms", CIS, "KMSKeyDisableOrDelete");
        f.metric_transformations[0].metric_value = value.into();
        world.put_metric_filter(REGION, &f).await.unwrap();
        let report = run(&world).await;
        assert_eq!(report.status, Status::Fail, "{value}");
        assert!(has(&report, "FILTER_METRIC_VALUE_NOT_POSITIVE"), "{value}");
    }
}

#[tokio::test]
async fn alarm_must_watch_the_same_metric() {
    let world = compliant().await;
    let mut other_namespace = alarm("kms-alarm", "KMSKeyDisableOrDelete", &topic_arn());
    other_namespace.metric.as_mut().unwrap().namespace = "LogMetrics".into();
    world
        .put_metric_alarm(REGION, &other_namespace)
        .await
        .unwrap();
    let report = run(&world).await;
    assert_eq!(report.status, Status::Fail);
    assert!(has(&report, "ALARM_MISSING"));
}

#[tokio::test]
async fn alarm_settings() {
    type Tweak = fn(&mut kmswatch_core::model::Alarm);
    let cases: [(&str, Tweak); 5] = [
        ("ALARM_ACTIONS_DISABLED", |a| {
            a.actions_enabled = Some(false)
        }),
        ("ALARM_NO_ACTIONS", |a| a.alarm_actions.clear()),
        ("ALARM_ALWAYS_IN_ALARM", |a| a.threshold = Some(0.0)),
        ("ALARM_NEEDS_SEVERAL_DATAPOINTS", |a| {
            a.evaluation_periods = 3;
            a.datapoints_to_alarm = Some(3);
        }),
        ("ALARM_DOES_NOT_FIRE_ON_ONE_EVENT", |a| {
            a.threshold = Some(5.0)
        }),
    ];
    for (code, tweak) in cases {
        let world = compliant().await;
        let mut a = alarm("kms-alarm", "KMSKeyDisableOrDelete", &topic_arn());
        tweak(&mut a);
        world.put_metric_alarm(REGION, &a).await.unwrap();
        let report = run(&world).await;
        assert_eq!(report.status, Status::Fail, "{code}");
        assert!(has(&report, code), "{code}: {:?}", codes(&report));
    }
}

#[tokio::test]
async fn greater_than_zero_and_metric_math_fill_pass() {
    let world = compliant().await;
    let mut a = alarm("kms-alarm", "KMSKeyDisableOrDelete", &topic_arn());
    a.threshold = Some(0.0);
    a.comparison_operator = "GreaterThanThreshold".into();
    world.put_metric_alarm(REGION, &a).await.unwrap();
    assert_eq!(run(&world).await.status, Status::Pass);

    let mut math = alarm("kms-alarm", "KMSKeyDisableOrDelete", &topic_arn());
    let metric = math.metric.take().unwrap();
    math.statistic = None;
    math.period = None;
    math.metrics = filled_sum(metric);
    world.put_metric_alarm(REGION, &math).await.unwrap();
    let report = run(&world).await;
    assert_eq!(report.status, Status::Pass, "{:?}", codes(&report));
}

#[test]
fn an_alarm_in_alarm_for_days_says_so() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let mut facts = Facts::load(&dir.join("broken-threshold-zero.json")).unwrap();
    facts.captured_at = Some("2026-11-30T12:00:00Z".into());
    let alarms = facts.alarms[0].alarms.as_mut().unwrap();
    alarms[0].state_value = Some("ALARM".into());
    alarms[0].state_updated_timestamp = Some("2026-11-27T08:00:00Z".into());
    let report = report(&facts);
    let text = serde_json::to_string(&report).unwrap();
    assert!(
        text.contains("it has been in ALARM since 2026-11-27T08:00:00Z (3 days before the facts were captured)"),
        "{text}"
    );
    // Less than a day: nothing more is said.
    let alarms = facts.alarms[0].alarms.as_mut().unwrap();
    alarms[0].state_updated_timestamp = Some("2026-11-30T01:00:00Z".into());
    assert!(
        !serde_json::to_string(&kmswatch_core::check::report(&facts))
            .unwrap()
            .contains("has been in ALARM since")
    );
}

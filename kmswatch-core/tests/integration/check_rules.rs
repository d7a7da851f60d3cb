//! Every rule of the check, each with a passing and a failing case, on the
//! in-memory backend (gather + evaluate).

use crate::common;

use common::*;
use kmswatch_core::api::{AlarmsApi, ApiError, ApiErrorKind, LogsApi, TopicsApi};
use kmswatch_core::check::{report, Facts, Status};
use kmswatch_core::layer::Faults;
use kmswatch_core::memory::MemoryBackend;
use kmswatch_core::model::{
    AdvancedEventSelector, EventSelectors, FieldSelector, MetricDataQuery, MetricFilter,
    MetricStat, ReadWriteType,
};
use kmswatch_core::operation::Operation;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Gathers through `faults` and evaluates.
async fn run_with(world: &Arc<MemoryBackend>, faults: Faults) -> kmswatch_core::check::Report {
    let services = world.services().layer(faults);
    kmswatch_core::check::check(&services, REGION)
        .await
        .unwrap()
        .1
}

fn has(report: &kmswatch_core::check::Report, code: &str) -> bool {
    codes(report).iter().any(|c| c == code)
}

#[tokio::test]
async fn compliant_account_passes_in_nine_calls() {
    let report = run(&compliant().await).await;
    assert_eq!(report.status, Status::Pass, "{:?}", codes(&report));
    assert!(codes(&report).is_empty());
    assert!(report.cis_pattern.exact);
    assert_eq!(report.api_calls, Some(9));
    let chain = &report.chains[0];
    assert_eq!(
        chain.metric_filters[0].catches,
        ["DisableKey", "ScheduleKeyDeletion"]
    );
    assert!(chain.resource_arns().contains(&topic_arn().as_str()));
}

#[tokio::test]
async fn no_trail_fails() {
    let world = Arc::new(MemoryBackend::new(ACCOUNT, REGION));
    let report = run(&world).await;
    assert_eq!(report.status, Status::Fail);
    assert!(has(&report, "NO_TRAIL"));
}

#[tokio::test]
async fn single_region_trail_fails() {
    let world = compliant().await;
    let mut t = trail();
    t.is_multi_region_trail = false;
    world.put_trail(t, Some(status(true)), Some(all_management()));
    let report = run(&world).await;
    assert_eq!(report.status, Status::Fail);
    assert!(has(&report, "TRAIL_NOT_MULTI_REGION"));
}

#[tokio::test]
async fn trail_not_logging_fails() {
    let world = compliant().await;
    world.put_trail(trail(), Some(status(false)), Some(all_management()));
    let report = run(&world).await;
    assert_eq!(report.status, Status::Fail);
    assert_eq!(codes(&report), ["TRAIL_NOT_LOGGING"]);
}

#[tokio::test]
async fn selectors_must_record_kms_writes() {
    let world = compliant().await;
    let mut read_only = all_management();
    read_only.event_selectors[0].read_write_type = ReadWriteType::ReadOnly;
    world.put_trail(trail(), Some(status(true)), Some(read_only));
    assert!(has(&run(&world).await, "TRAIL_MANAGEMENT_READ_ONLY"));

    let mut exclude = all_management();
    exclude.event_selectors[0].exclude_management_event_sources = vec!["kms.amazonaws.com".into()];
    world.put_trail(trail(), Some(status(true)), Some(exclude));
    assert_eq!(run(&world).await.status, Status::Fail);

    let mut write_only = all_management();
    write_only.event_selectors[0].read_write_type = ReadWriteType::WriteOnly;
    world.put_trail(trail(), Some(status(true)), Some(write_only));
    assert_eq!(run(&world).await.status, Status::Pass);

    let advanced = EventSelectors {
        event_selectors: vec![],
        advanced_event_selectors: vec![AdvancedEventSelector {
            name: Some("management".into()),
            field_selectors: vec![FieldSelector {
                field: "eventCategory".into(),
                equals: vec!["Management".into()],
                ..FieldSelector::default()
            }],
        }],
    };
    world.put_trail(trail(), Some(status(true)), Some(advanced));
    assert_eq!(run(&world).await.status, Status::Pass);
}

#[tokio::test]
async fn log_group_in_another_account_is_manual() {
    let world = compliant().await;
    let mut t = trail();
    t.cloud_watch_logs_log_group_arn = Some(format!(
        "arn:aws:logs:{REGION}:999988887777:log-group:{GROUP}:*"
    ));
    world.put_trail(t, Some(status(true)), Some(all_management()));
    let report = run(&world).await;
    assert_eq!(report.status, Status::Manual);
    assert_eq!(codes(&report), ["LOG_GROUP_OTHER_ACCOUNT"]);
}

#[tokio::test]
async fn log_group_is_resolved_by_region_not_name() {
    // The same-named log group with the filter is in eu-west-1; the trail writes
    // to us-east-1, where no such group exists.
    let world = Arc::new(MemoryBackend::new(ACCOUNT, REGION));
    world.put_trail(trail(), Some(status(true)), Some(all_management()));
    world.create_log_group("eu-west-1", GROUP);
    world
        .put_metric_filter("eu-west-1", &filter("kms", CIS, "M"))
        .await
        .unwrap();
    let report = run(&world).await;
    assert_eq!(report.status, Status::Fail);
    assert_eq!(codes(&report), ["LOG_GROUP_NOT_FOUND"]);
}

#[tokio::test]
async fn pattern_must_catch_both_events() {
    let world = compliant().await;
    let only_disable = "{ ($.eventSource = kms.amazonaws.com) && ($.eventName = DisableKey) }";
    world
        .put_metric_filter(
            REGION,
            &filter("kms", only_disable, "KMSKeyDisableOrDelete"),
        )
        .await
        .unwrap();
    let report = run(&world).await;
    assert_eq!(report.status, Status::Fail);
    assert_eq!(codes(&report), ["PATTERN_MISSES:ScheduleKeyDeletion"]);

    // Looks right to a regex, matches nothing.
    let never = "{ ($.eventSource = kms.amazonaws.com) && ($.eventName = DisableKey && $.eventName = ScheduleKeyDeletion) }";
    world
        .put_metric_filter(REGION, &filter("kms", never, "KMSKeyDisableOrDelete"))
        .await
        .unwrap();
    let report = run(&world).await;
    assert!(has(&report, "PATTERN_MISSES:DisableKey"));
    assert!(has(&report, "PATTERN_MISSES:ScheduleKeyDeletion"));

    // A differently spelled equivalent passes, but is not the CIS text.
    let wildcard = "{ $.eventSource = \"kms.amazonaws.com\" && ($.eventName = \"DisableKey\" || $.eventName = \"ScheduleKeyDeletion\") }";
    world
        .put_metric_filter(REGION, &filter("kms", wildcard, "KMSKeyDisableOrDelete"))
        .await
        .unwrap();
    let report = run(&world).await;
    assert_eq!(report.status, Status::Pass, "{:?}", codes(&report));
    assert!(!report.cis_pattern.exact);
}

#[tokio::test]
async fn a_filter_on_transformed_logs_is_unknown_not_a_catch() {
    // The CIS pattern, read on what a log transformer makes of the records:
    // what it matches is unknown, so the chain is MANUAL, never PASS.
    let world = compliant().await;
    let transformed = MetricFilter {
        apply_on_transformed_logs: Some(true),
        ..filter("kms", CIS, "KMSKeyDisableOrDelete")
    };
    world.put_metric_filter(REGION, &transformed).await.unwrap();
    let report = run(&world).await;
    assert_eq!(report.status, Status::Manual, "{:?}", codes(&report));
    assert_eq!(
        codes(&report),
        [
            "NOT_ALARMED:DisableKey",
            "NOT_ALARMED:ScheduleKeyDeletion",
            "FILTER_ON_TRANSFORMED_LOGS"
        ]
    );

    // The same filter on the records as CloudTrail delivers them passes.
    let raw = MetricFilter {
        apply_on_transformed_logs: None,
        ..transformed
    };
    world.put_metric_filter(REGION, &raw).await.unwrap();
    assert_eq!(run(&world).await.status, Status::Pass);
}

#[tokio::test]
async fn coverage_may_be_split_across_alarmed_filters() {
    let world = compliant().await;
    let topic = topic_arn();
    let disable = "{ $.eventSource = kms.amazonaws.com && $.eventName = DisableKey }";
    let schedule = "{ $.eventSource = kms.amazonaws.com && $.eventName = ScheduleKeyDeletion }";
    world
        .put_metric_filter(REGION, &filter("kms", disable, "KMSKeyDisableOrDelete"))
        .await
        .unwrap();
    world
        .put_metric_filter(REGION, &filter("kms-schedule", schedule, "KMSSchedule"))
        .await
        .unwrap();
    // The second filter has no alarm yet.
    let report = run(&world).await;
    assert_eq!(report.status, Status::Fail);
    assert!(has(&report, "ALARM_MISSING"));
    assert!(has(&report, "NOT_ALARMED:ScheduleKeyDeletion"));
    assert!(!has(&report, "NOT_ALARMED:DisableKey"));
    world
        .put_metric_alarm(REGION, &alarm("kms-schedule", "KMSSchedule", &topic))
        .await
        .unwrap();
    let report = run(&world).await;
    assert_eq!(report.status, Status::Pass, "{:?}", codes(&report));
}

#[tokio::test]
async fn a_metric_that_routine_traffic_reaches_keeps_its_alarm_in_alarm() {
    // The whole KMS event source: every Decrypt by S3 counts, so Sum >= 1 always holds.
    let world = compliant().await;
    let wide = "{ $.eventSource = kms.amazonaws.com }";
    world
        .put_metric_filter(REGION, &filter("kms", wide, "KMSKeyDisableOrDelete"))
        .await
        .unwrap();
    let report = run(&world).await;
    assert_eq!(report.status, Status::Fail, "{:?}", codes(&report));
    assert!(has(&report, "ALARM_ALWAYS_IN_ALARM"));
    let link = &report.chains[0].metric_filters[0];
    assert!(link
        .routine_matches
        .iter()
        .any(|id| id == "routine-decrypt-by-s3"));

    // Another filter publishing to the same metric makes it noisy too.
    let world = compliant().await;
    let sts = "{ $.eventSource = sts.amazonaws.com }";
    world
        .put_metric_filter(REGION, &filter("sts", sts, "KMSKeyDisableOrDelete"))
        .await
        .unwrap();
    let report = run(&world).await;
    assert_eq!(report.status, Status::Fail, "{:?}", codes(&report));
    let gap = report.chains[0].metric_filters[0].alarms[0]
        .gaps
        .iter()
        .find(|g| g.code.as_string() == "ALARM_ALWAYS_IN_ALARM")
        .expect("the alarm's gap");
    assert!(gap.message.contains("sts") && gap.message.contains("AssumeRole"));

    // Rare look-alikes on the same metric do not.
    let world = compliant().await;
    let rotation = "{ $.eventName = DisableKeyRotation }";
    world
        .put_metric_filter(
            REGION,
            &filter("rotation", rotation, "KMSKeyDisableOrDelete"),
        )
        .await
        .unwrap();
    assert_eq!(run(&world).await.status, Status::Pass);
}

#[test]
fn a_delivery_error_with_no_recent_delivery_breaks_the_trail() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/compliant.json");
    let with = |last: Option<&str>, captured: Option<&str>| {
        let mut facts = Facts::load(std::path::Path::new(path)).unwrap();
        facts.captured_at = captured.map(str::to_owned);
        let status = facts.trails[0].status.as_mut().unwrap();
        status.latest_cloud_watch_logs_delivery_error = Some("AccessDenied".into());
        status.latest_cloud_watch_logs_delivery_time = last.map(str::to_owned);
        report(&facts)
    };
    let now = Some("2026-11-28T09:00:00Z");
    // The delivery role was deleted three days ago.
    let stale = with(Some("2026-11-25T08:00:00Z"), now);
    assert_eq!(stale.status, Status::Fail, "{:?}", codes(&stale));
    assert!(has(&stale, "TRAIL_CLOUDWATCH_DELIVERY_BROKEN"));
    // Never delivered.
    let never = with(None, now);
    assert!(has(&never, "TRAIL_CLOUDWATCH_DELIVERY_BROKEN"));
    // A recent error beside recent deliveries stays a warning.
    let recent = with(Some("2026-11-28T08:30:00.5Z"), now);
    assert_eq!(recent.status, Status::Pass, "{:?}", codes(&recent));
    assert_eq!(
        recent.warnings[0].code.as_string(),
        "TRAIL_CLOUDWATCH_DELIVERY_ERROR"
    );
    // Without the capture time the last delivery cannot be dated: unknown.
    let undated = with(Some("2026-11-28T08:30:00Z"), None);
    assert_eq!(undated.status, Status::Error, "{:?}", codes(&undated));
    assert!(has(&undated, "TRAIL_CLOUDWATCH_DELIVERY_UNVERIFIED"));
}

#[test]
fn unknown_topic_attributes_are_never_read_as_good_news() {
    // GetTopicAttributes denied: the policy and the encryption key are unknown,
    // even though the subscriptions could be listed.
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/compliant.json");
    let mut facts = Facts::load(std::path::Path::new(path)).unwrap();
    let topic = &mut facts.topics[0];
    topic.attributes = None;
    topic.exists = None;
    let arn = topic.topic_arn.clone();
    facts.errors.push(
        ApiError::new(
            Operation::GetTopicAttributes,
            ApiErrorKind::AccessDenied,
            "AuthorizationError",
            "not authorized",
        )
        .about(&arn),
    );
    let report = report(&facts);
    assert_eq!(report.status, Status::Error, "{:?}", codes(&report));
    assert!(has(&report, "TOPIC_UNKNOWN"));
}

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
    math.metrics = vec![
        MetricDataQuery {
            id: "m1".into(),
            expression: None,
            metric_stat: Some(MetricStat {
                metric,
                period: 300,
                stat: "Sum".into(),
                unit: None,
            }),
            return_data: Some(false),
            account_id: None,
        },
        MetricDataQuery {
            id: "e1".into(),
            expression: Some("FILL(m1, 0)".into()),
            metric_stat: None,
            return_data: Some(true),
            account_id: None,
        },
    ];
    world.put_metric_alarm(REGION, &math).await.unwrap();
    let report = run(&world).await;
    assert_eq!(report.status, Status::Pass, "{:?}", codes(&report));
}

#[tokio::test]
async fn topic_must_exist_and_have_a_confirmed_subscriber() {
    let world = compliant().await;
    let missing = format!("arn:aws:sns:{REGION}:{ACCOUNT}:deleted-topic");
    world
        .put_metric_alarm(
            REGION,
            &alarm("kms-alarm", "KMSKeyDisableOrDelete", &missing),
        )
        .await
        .unwrap();
    let report = run(&world).await;
    assert_eq!(report.status, Status::Fail);
    assert!(has(&report, "TOPIC_NOT_FOUND"));

    let world = compliant().await;
    let pending = world
        .create_topic(REGION, "pending", &BTreeMap::new())
        .await
        .unwrap();
    world
        .subscribe(&pending, "email", "secops@example.com")
        .await
        .unwrap();
    world
        .put_metric_alarm(
            REGION,
            &alarm("kms-alarm", "KMSKeyDisableOrDelete", &pending),
        )
        .await
        .unwrap();
    let report = run(&world).await;
    assert_eq!(report.status, Status::Fail);
    assert!(has(&report, "TOPIC_NO_CONFIRMED_SUBSCRIPTION"));
    world.confirm_subscriptions(&pending);
    assert_eq!(run(&world).await.status, Status::Pass);
}

#[tokio::test]
async fn failed_calls_give_error_never_pass() {
    let world = compliant().await;
    let denied = |operation| {
        ApiError::new(
            operation,
            ApiErrorKind::AccessDenied,
            "AccessDenied",
            "not authorized",
        )
        .in_region(REGION)
    };
    let faults = Faults::new()
        .fail(denied(Operation::DescribeAlarmsForMetric))
        .fail(denied(Operation::DescribeAlarms));
    let report = run_with(&world, faults).await;
    assert_eq!(report.status, Status::Error);
    assert!(has(&report, "ALARMS_UNKNOWN"));

    let world = compliant().await;
    let faults = Faults::new().fail(
        ApiError::new(
            Operation::DescribeTrails,
            ApiErrorKind::Throttling,
            "ThrottlingException",
            "slow down",
        )
        .in_region(REGION),
    );
    let report = run_with(&world, faults).await;
    assert_eq!(report.status, Status::Error);
    assert!(has(&report, "TRAILS_UNKNOWN"));
}

#[tokio::test]
async fn a_complete_chain_wins_over_errors_elsewhere() {
    let world = compliant().await;
    let mut broken = trail();
    broken.name = "other".into();
    broken.trail_arn = format!("arn:aws:cloudtrail:{REGION}:{ACCOUNT}:trail/other");
    world.put_trail(broken.clone(), None, Some(all_management()));
    let faults = Faults::new().fail(
        ApiError::new(
            Operation::GetTrailStatus,
            ApiErrorKind::Throttling,
            "ThrottlingException",
            "slow down",
        )
        .about(&broken.trail_arn),
    );
    let report = run_with(&world, faults).await;
    assert_eq!(report.status, Status::Pass);
    assert_eq!(report.chains.len(), 2);
    assert!(report.chains.iter().any(|c| c.status == Status::Error));
}

#[tokio::test]
async fn missing_facts_in_a_snapshot_are_errors() {
    let world = compliant().await;
    let mut facts = world.to_facts();
    facts.trails[0].status = None;
    let report = report(&facts);
    assert_eq!(report.status, Status::Error);
    assert!(has(&report, "TRAIL_STATUS_UNKNOWN"));
}

#[tokio::test]
async fn snapshot_round_trips_through_the_memory_backend() {
    let world = compliant().await;
    let (facts, _) = kmswatch_core::check::check(&world.services(), REGION)
        .await
        .unwrap();
    let reloaded = Facts::from_json(&facts.to_json()).unwrap();
    assert_eq!(reloaded, facts);
    let replay = Arc::new(MemoryBackend::from_facts(reloaded));
    let (again, report) = kmswatch_core::check::check(&replay.services(), REGION)
        .await
        .unwrap();
    assert_eq!(again, facts);
    assert_eq!(report.status, Status::Pass);
}

#[test]
fn malformed_snapshots_are_rejected_with_a_reason() {
    let err =
        Facts::from_json("{\"schema\": \"kmswatch.facts/v1\", \"account_id\": 5}").unwrap_err();
    assert!(err.to_string().contains("malformed snapshot"), "{err}");
    // Where in the document: the key path; a file also gets its line.
    assert!(err.to_string().contains("at account_id"), "{err}");
    let file = std::env::temp_dir().join(format!("kmswatch-malformed-{}.json", std::process::id()));
    std::fs::write(
        &file,
        "{\"schema\": \"kmswatch.facts/v1\",\n \"account_id\": 5}",
    )
    .unwrap();
    let err = Facts::load(&file).unwrap_err();
    assert!(err.to_string().contains("line 2"), "{err}");
    let _ = std::fs::remove_file(&file);
    let err = Facts::from_json(
        r#"{"schema": "kmswatch.facts/v9", "account_id": "111122223333", "region": "us-east-1"}"#,
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("unsupported snapshot schema"),
        "{err}"
    );
    let err = Facts::from_json(
        r#"{"schema": "kmswatch.facts/v1", "account_id": "abc", "region": "us-east-1"}"#,
    )
    .unwrap_err();
    assert!(err.to_string().contains("account_id"), "{err}");
}

#[test]
fn bundled_examples_give_their_documented_verdicts() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples");
    let expected = [
        ("compliant.json", Status::Pass, None),
        (
            "broken-never-matching-pattern.json",
            Status::Fail,
            Some("PATTERN_MISSES:DisableKey"),
        ),
        (
            "broken-pattern-misses-schedule.json",
            Status::Fail,
            Some("PATTERN_MISSES:ScheduleKeyDeletion"),
        ),
        (
            // The CIS verdict stays FAIL; EventBridge monitors (monitored_by).
            "broken-pattern-misses-schedule-eventbridge.json",
            Status::Fail,
            Some("PATTERN_MISSES:ScheduleKeyDeletion"),
        ),
        (
            "broken-alarm-no-actions.json",
            Status::Fail,
            Some("ALARM_NO_ACTIONS"),
        ),
        (
            "broken-trail-not-logging.json",
            Status::Fail,
            Some("TRAIL_NOT_LOGGING"),
        ),
        (
            "broken-subscription-pending.json",
            Status::Fail,
            Some("TOPIC_NO_CONFIRMED_SUBSCRIPTION"),
        ),
        (
            "broken-threshold-zero.json",
            Status::Fail,
            Some("ALARM_ALWAYS_IN_ALARM"),
        ),
        (
            "broken-single-region-trail.json",
            Status::Fail,
            Some("TRAIL_NOT_MULTI_REGION"),
        ),
        (
            "broken-pattern-matches-routine-traffic.json",
            Status::Fail,
            Some("ALARM_ALWAYS_IN_ALARM"),
        ),
        (
            "manual-organization-trail.json",
            Status::Manual,
            Some("LOG_GROUP_OTHER_ACCOUNT"),
        ),
        ("compliant-organization-member.json", Status::Pass, None),
        ("compliant-organization-management.json", Status::Pass, None),
        (
            "broken-organization-filter-scoped.json",
            Status::Fail,
            Some("PATTERN_MISSES:DisableKey"),
        ),
        (
            "broken-subscription-filter-drops-alarms.json",
            Status::Fail,
            Some("SUBSCRIPTION_FILTER_DROPS_ALARMS"),
        ),
        (
            "broken-alarm-unit-mismatch.json",
            Status::Fail,
            Some("ALARM_UNIT_MISMATCH"),
        ),
        (
            "broken-alarm-metric-other-account.json",
            Status::Fail,
            Some("ALARM_METRIC_OTHER_ACCOUNT"),
        ),
        (
            "broken-topic-other-region.json",
            Status::Fail,
            Some("TOPIC_IN_OTHER_REGION"),
        ),
        (
            "error-access-denied.json",
            Status::Error,
            Some("ALARMS_UNKNOWN"),
        ),
        (
            "broken-topic-aws-managed-key.json",
            Status::Fail,
            Some("TOPIC_ENCRYPTED_WITH_AWS_MANAGED_KEY"),
        ),
        (
            "broken-topic-key-disabled.json",
            Status::Fail,
            Some("TOPIC_KEY_NOT_ENABLED"),
        ),
        (
            "broken-topic-key-policy-lacks-cloudwatch.json",
            Status::Fail,
            Some("TOPIC_KEY_NOT_USABLE_BY_CLOUDWATCH"),
        ),
        (
            "broken-topic-policy-denies-publish.json",
            Status::Fail,
            Some("TOPIC_POLICY_DENIES_CLOUDWATCH"),
        ),
    ];
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if name.ends_with(".json") {
            seen += 1;
            assert!(
                expected.iter().any(|(n, _, _)| *n == name),
                "{name} has no expectation"
            );
        }
    }
    assert_eq!(seen, expected.len());
    for (name, status, code) in expected {
        let facts = Facts::load(std::path::Path::new(&format!("{dir}/{name}"))).unwrap();
        let report = report(&facts);
        assert_eq!(report.status, status, "{name}: {:?}", codes(&report));
        if let Some(code) = code {
            assert!(has(&report, code), "{name}: {:?}", codes(&report));
        }
    }
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
    assert!(!serde_json::to_string(&report_of(&facts))
        .unwrap()
        .contains("has been in ALARM since"));
}

fn report_of(facts: &Facts) -> kmswatch_core::check::Report {
    report(facts)
}

/// An organization trail's log group belongs to another account: its filters
/// were never seen, so nothing is said about their text.
#[test]
fn filters_never_read_are_not_said_to_lack_the_cis_text() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../examples/manual-organization-trail.json"
    );
    let report = report_of(&Facts::load(path.as_ref()).unwrap());
    assert_eq!(report.status, Status::Manual);
    assert!(!report.cis_pattern.exact);
    let message = &report.cis_pattern.message;
    assert!(message.contains("were not read"), "{message}");
    assert!(message.contains("is unknown"), "{message}");
    assert!(!message.contains("no metric filter has"), "{message}");
    // Filters that were read and lack the text are still said to lack it.
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../examples/broken-pattern-misses-schedule.json"
    );
    let read = report_of(&Facts::load(path.as_ref()).unwrap());
    assert!(read
        .cis_pattern
        .message
        .starts_with("no metric filter has the exact CIS pattern text"));
}

/// A filter scoped to the account it monitors is judged on that account's
/// events: the corpus is read as the checked account's trail logs it.
#[test]
fn a_filter_scoped_to_the_checked_account_passes_and_to_another_fails() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/compliant.json");
    let text = std::fs::read_to_string(path)
        .unwrap()
        .replace("111122223333", "444455556666");
    let scoped = |account: &str| {
        let mut facts = Facts::from_json(&text).unwrap();
        assert_eq!(facts.account_id, "444455556666");
        let filters = facts.log_groups[0].metric_filters.as_mut().unwrap();
        filters[0].filter_pattern = format!(
            "{{ ($.recipientAccountId = \"{account}\") && ($.eventSource = kms.amazonaws.com) && \
             (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }}"
        );
        report(&facts)
    };
    let own = scoped("444455556666");
    assert_eq!(own.status, Status::Pass, "{}", own.summary);
    let other = scoped("111122223333");
    assert_eq!(other.status, Status::Fail, "{}", other.summary);
    let text = serde_json::to_string(&other).unwrap();
    assert!(text.contains("PATTERN_MISSES"), "{text}");
}

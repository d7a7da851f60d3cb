//! Every rule of the check, each with a passing and a failing case, on the
//! in-memory backend (gather + evaluate).

use crate::common;

use common::*;
use kmswatch_core::api::{AlarmsApi, ApiError, ApiErrorKind, LogsApi, TopicsApi};
use kmswatch_core::check::{report, Facts, Status};
use kmswatch_core::layer::Faults;
use kmswatch_core::memory::MemoryBackend;
use kmswatch_core::model::{
    AdvancedEventSelector, EventSelectors, FieldSelector, MetricFilter, ReadWriteType,
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

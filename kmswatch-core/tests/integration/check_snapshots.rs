//! Snapshots as the check reads them: what a snapshot lacks is an error,
//! a snapshot round-trips through the in-memory backend, a malformed one is
//! refused with where and why, and every bundled example gives the verdict
//! its documentation states.

use crate::common;

use common::*;
use kmswatch_core::check::{report, Facts, Status};
use kmswatch_core::memory::MemoryBackend;
use std::sync::Arc;

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

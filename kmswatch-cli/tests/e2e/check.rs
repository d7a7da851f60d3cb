//! End to end: accounts built with the real AWS SDK on moto server, checked by
//! the `kmswatch` binary exactly as a user runs it (environment variables as in
//! the AWS CLI, `--format json`, exit codes).

use kmswatch_tests::scenario::{account, gap_codes, Account, Breakage};
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_kmswatch");

#[tokio::test]
async fn compliant_account_passes() {
    let acct = account(BIN, Breakage::default()).await;
    let (code, report) = acct.check_json(&[]);
    assert_eq!(report["status"], "PASS", "{report:#}");
    assert_eq!(code, 0);
    assert_eq!(report["schema"], "kmswatch.report/v1");
    assert_eq!(report["account_id"], acct.id.as_str());
    assert_eq!(report["cis_pattern"]["exact"], true);
    // GetCallerIdentity, DescribeTrails, GetTrailStatus, GetEventSelectors,
    // DescribeMetricFilters, DescribeAlarms, GetTopicAttributes, ListSubscriptionsByTopic,
    // GetSubscriptionAttributes.
    assert_eq!(report["api_calls"], 9);
    let chain = &report["chains"][0];
    assert_eq!(chain["status"], "PASS");
    assert!(chain["trail_arn"].as_str().unwrap().contains(&acct.id));
}

#[tokio::test]
async fn each_broken_link_fails_with_its_gap() {
    let cases = [
        (
            Breakage {
                not_logging: true,
                ..Default::default()
            },
            "TRAIL_NOT_LOGGING",
        ),
        (
            Breakage {
                single_region: true,
                ..Default::default()
            },
            "TRAIL_NOT_MULTI_REGION",
        ),
        (
            Breakage {
                pattern_misses_schedule: true,
                ..Default::default()
            },
            "PATTERN_MISSES:ScheduleKeyDeletion",
        ),
        (
            Breakage {
                alarm_without_actions: true,
                ..Default::default()
            },
            "ALARM_NO_ACTIONS",
        ),
        (
            Breakage {
                topic_without_subscriber: true,
                ..Default::default()
            },
            "TOPIC_NO_CONFIRMED_SUBSCRIPTION",
        ),
        (
            Breakage {
                threshold_zero: true,
                ..Default::default()
            },
            "ALARM_ALWAYS_IN_ALARM",
        ),
    ];
    for (broken, expected) in cases {
        let acct = account(BIN, broken).await;
        let (code, report) = acct.check_json(&[]);
        assert_eq!(report["status"], "FAIL", "{expected}: {report:#}");
        assert_eq!(code, 1, "{expected}");
        assert!(
            gap_codes(&report).iter().any(|c| c == expected),
            "{expected}: {:?}",
            gap_codes(&report)
        );
    }
}

#[tokio::test]
async fn snapshot_then_offline_check_gives_the_same_verdict() {
    let acct = account(
        BIN,
        Breakage {
            alarm_without_actions: true,
            ..Default::default()
        },
    )
    .await;
    let dir = std::env::temp_dir().join(format!("kmswatch-e2e-{}", acct.id));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("snapshot.json");
    let out = acct.kmswatch(&["snapshot", "--out", file.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (live_code, mut live) = acct.check_json(&[]);
    let (offline_code, mut offline) = acct.check_json(&["--snapshot", file.to_str().unwrap()]);
    assert_eq!(live_code, offline_code);
    assert_eq!(
        offline["api_calls"],
        Value::Null,
        "no request for a snapshot"
    );
    assert!(offline["captured_at"].is_string());
    // Where and when each report comes from differs; what it says does not.
    for key in ["api_calls", "generated_at", "captured_at"] {
        for report in [&mut live, &mut offline] {
            if let Some(map) = report.as_object_mut() {
                map.remove(key);
            }
        }
    }
    assert_eq!(live, offline);
}

#[test]
fn input_errors_exit_2_with_a_message() {
    let acct = Account::offline(BIN);
    let out = acct.kmswatch(&["check", "--region", "mars-central"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not an AWS region name"));

    let out = acct.kmswatch(&["check", "--snapshot", "/nonexistent/snapshot.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read snapshot"));

    let bad = std::env::temp_dir().join("kmswatch-malformed.json");
    std::fs::write(&bad, "{\"schema\": \"kmswatch.facts/v1\", ").unwrap();
    let out = acct.kmswatch(&["check", "--snapshot", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("malformed snapshot"));

    let out = acct.kmswatch(&["check", "--format", "yaml"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn unreachable_endpoint_is_an_error_not_a_verdict() {
    // Nothing listens on port 9 of loopback.
    let acct = Account::offline(BIN);
    let out = acct.kmswatch(&["check", "--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // No verdict: the one document on standard output is the error document.
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["schema"], "kmswatch.error/v1");
    assert_eq!(doc["status"], "ERROR");
    assert_eq!(doc["error"]["operation"], "GetCallerIdentity");
    assert!(!String::from_utf8_lossy(&out.stderr).is_empty());
}

#[test]
fn bundled_snapshot_quickstart_works_offline() {
    let acct = Account::offline(BIN);
    let examples = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples");
    let out = acct.kmswatch(&["check", "--snapshot", &format!("{examples}/compliant.json")]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("PASS"));
    let out = acct.kmswatch(&[
        "check",
        "--snapshot",
        &format!("{examples}/broken-alarm-no-actions.json"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("ALARM_NO_ACTIONS"));
}

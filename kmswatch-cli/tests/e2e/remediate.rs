//! End to end: `kmswatch remediate --apply` on accounts built with the real AWS
//! SDK on moto server, then `kmswatch check`, as a user runs them.

use kmswatch_tests::scenario::{account, gap_codes, Breakage};
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_kmswatch");

fn json(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): stdout {} stderr {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

#[tokio::test]
async fn remediate_apply_turns_broken_accounts_into_pass_and_a_second_run_changes_nothing() {
    let cases = [
        Breakage {
            pattern_misses_schedule: true,
            ..Default::default()
        },
        Breakage {
            threshold_zero: true,
            ..Default::default()
        },
        Breakage {
            alarm_without_actions: true,
            ..Default::default()
        },
        Breakage {
            topic_without_subscriber: true,
            ..Default::default()
        },
    ];
    for broken in cases {
        let acct = account(BIN, broken).await;
        let queue = format!("sqs:arn:aws:sqs:us-east-1:{}:secops-alerts", acct.id);
        let (code, before) = acct.check_json(&[]);
        assert_eq!(code, 1, "{broken:?}: {before:#}");

        // Dry run: a plan, nothing written.
        let out = acct.kmswatch(&["remediate", "--subscribe", &queue, "--format", "json"]);
        let plan = json(&out);
        assert_eq!(plan["schema"], "kmswatch.plan/v1");
        assert_eq!(plan["applied"], false);
        assert_eq!(plan["predicted_status"], "PASS", "{broken:?}: {plan:#}");
        assert!(!plan["actions"].as_array().unwrap().is_empty());
        assert_eq!(
            acct.check_json(&[]).0,
            1,
            "{broken:?}: the dry run wrote something"
        );

        let out = acct.kmswatch(&[
            "remediate",
            "--subscribe",
            &queue,
            "--apply",
            "--format",
            "json",
        ]);
        let applied = json(&out);
        assert_eq!(out.status.code(), Some(0), "{broken:?}: {applied:#}");
        assert_eq!(applied["applied"], true);
        assert_eq!(applied["status_after"], "PASS");
        let (code, after) = acct.check_json(&[]);
        assert_eq!(code, 0, "{broken:?}: {after:#}");

        let out = acct.kmswatch(&[
            "remediate",
            "--subscribe",
            &queue,
            "--apply",
            "--format",
            "json",
        ]);
        let again = json(&out);
        assert_eq!(out.status.code(), Some(0));
        assert_eq!(
            again["actions"].as_array().map(Vec::len),
            Some(0),
            "{broken:?}: {again:#}"
        );
        let (_, after_again) = acct.check_json(&[]);
        assert_eq!(after_again["chains"], after["chains"], "{broken:?}");
    }
}

#[tokio::test]
async fn remediate_stops_when_the_trail_prerequisite_is_missing() {
    let acct = account(
        BIN,
        Breakage {
            not_logging: true,
            ..Default::default()
        },
    )
    .await;
    let out = acct.kmswatch(&["remediate", "--email", "secops@example.com", "--apply"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("TRAIL_NOT_LOGGING"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Nothing was created: the verdict and its gaps are unchanged.
    let (code, report) = acct.check_json(&[]);
    assert_eq!(code, 1);
    assert_eq!(gap_codes(&report), ["TRAIL_NOT_LOGGING"]);
}

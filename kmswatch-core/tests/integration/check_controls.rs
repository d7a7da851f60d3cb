//! A verdict per CIS monitoring control (`--control`) on the in-memory
//! backend: one gather for every control, the worst verdict for the report,
//! and the KMS report unchanged when only the KMS control is asked.

use crate::common;

use common::*;
use kmswatch_core::api::{AlarmsApi, LogsApi};
use kmswatch_core::check::{self, judge, Report, Status};
use kmswatch_core::controls::{self, Control};
use kmswatch_core::memory::MemoryBackend;
use std::sync::Arc;

/// The metric a control's filter publishes in these tests.
fn metric(control: &Control) -> String {
    format!("CIS-{}", control.cis)
}

/// Adds a filter with `pattern` for `control` and an alarm on its metric to
/// the compliant account's topic.
async fn add_chain(world: &Arc<MemoryBackend>, control: &Control, pattern: &str) {
    let name = metric(control);
    world
        .put_metric_filter(REGION, &filter(&name, pattern, &name))
        .await
        .unwrap();
    world
        .put_metric_alarm(REGION, &alarm(&name, &name, &topic_arn()))
        .await
        .unwrap();
}

/// The compliant account with every other control's CIS chain too.
async fn all_fifteen() -> Arc<MemoryBackend> {
    let world = compliant().await;
    for c in controls::ALL.iter().filter(|c| !c.is_kms()) {
        add_chain(&world, c, c.cis_pattern).await;
    }
    world
}

fn verdict<'r>(report: &'r Report, id: &str) -> &'r check::ControlVerdict {
    report
        .controls
        .iter()
        .find(|c| c.control == id)
        .unwrap_or_else(|| panic!("no verdict for {id}"))
}

fn gap_codes(report: &Report, id: &str) -> Vec<String> {
    verdict(report, id)
        .gaps
        .iter()
        .map(|g| g.code.to_string())
        .collect()
}

#[tokio::test]
async fn every_control_passes_with_its_cis_chain() {
    let (_, report) = check_controls(&all_fifteen().await, controls::ALL).await;
    assert_eq!(report.controls.len(), 15);
    for c in &report.controls {
        assert_eq!(c.status, Status::Pass, "{}: {:?}", c.control, c.gaps);
        let own = format!(":CIS-{}", c.control);
        assert!(
            c.control == "4.7" || c.metric_filters.iter().any(|f| f.ends_with(&own)),
            "{}: {:?}",
            c.control,
            c.metric_filters
        );
    }
    assert_eq!(report.status, Status::Pass);
    let root = verdict(&report, "4.3");
    assert_eq!(root.security_hub.as_deref(), Some("CloudWatch.1"));
    assert_eq!(root.cis_versions["v1.2.0"], "3.3");
    assert_eq!(root.cis_versions["v6.0.0"], "5.3");
    assert!(verdict(&report, "4.15").security_hub.is_none());
}

#[tokio::test]
async fn only_the_kms_control_is_todays_report() {
    let world = all_fifteen().await;
    let (facts, today) = check::check(&world.services(), REGION).await.unwrap();
    let judged = judge(today.clone(), &facts, &[&controls::KMS]);
    assert_eq!(judged.to_json(), today.to_json());
    assert!(!judged.to_json().contains("\"controls\""));
}

#[tokio::test]
async fn without_other_chains_every_other_control_fails_and_the_report_with_them() {
    let (_, report) = check_controls(&compliant().await, controls::ALL).await;
    assert_eq!(report.status, Status::Fail);
    assert_eq!(verdict(&report, "4.7").status, Status::Pass);
    for c in report.controls.iter().filter(|c| c.control != "4.7") {
        assert_eq!(c.status, Status::Fail, "{}", c.control);
        assert_eq!(gap_codes(&report, &c.control), ["CONTROL_PATTERN_MISSES"]);
    }
    assert!(
        report.summary.starts_with("1 of 15 controls"),
        "{}",
        report.summary
    );
}

#[tokio::test]
async fn three_broken_chains_fail_and_the_others_pass() {
    let world = compliant().await;
    let broken = ["4.6", "4.10", "4.15"];
    for c in controls::ALL.iter().filter(|c| !c.is_kms()) {
        if !broken.contains(&c.cis) {
            add_chain(&world, c, c.cis_pattern).await;
        }
    }
    // The typo published in templates: it can never match.
    let failures = controls::find("4.6").unwrap();
    add_chain(
        &world,
        failures,
        "{ ($.eventName = ConsoleLogin) && ($.errorMessage = \"Failedauthentication\") }",
    )
    .await;
    // A CIS filter whose alarm has no action.
    let groups = controls::find("4.10").unwrap();
    add_chain(&world, groups, groups.cis_pattern).await;
    let mut silent = alarm(&metric(groups), &metric(groups), &topic_arn());
    silent.alarm_actions.clear();
    world.put_metric_alarm(REGION, &silent).await.unwrap();
    // The Organizations filter whose eventSource binds its first name only:
    // IoT's routine AttachPolicy keeps its metric above zero.
    let organizations = controls::find("4.15").unwrap();
    let names = organizations.target_event_names();
    let rest: Vec<String> = names[1..]
        .iter()
        .map(|n| format!("($.eventName = \"{n}\")"))
        .collect();
    let defective = format!(
        "{{ ($.eventSource = organizations.amazonaws.com) && ($.eventName = \"{}\") || {} }}",
        names[0],
        rest.join(" || ")
    );
    add_chain(&world, organizations, &defective).await;

    let (_, report) = check_controls(&world, controls::ALL).await;
    assert_eq!(report.status, Status::Fail);
    for c in &report.controls {
        let expected = if broken.contains(&c.control.as_str()) {
            Status::Fail
        } else {
            Status::Pass
        };
        assert_eq!(c.status, expected, "{}: {:?}", c.control, c.gaps);
    }
    assert_eq!(gap_codes(&report, "4.6"), ["CONTROL_PATTERN_MISSES"]);
    assert!(gap_codes(&report, "4.10").contains(&"ALARM_NO_ACTIONS".to_owned()));
    assert!(gap_codes(&report, "4.15").contains(&"ALARM_ALWAYS_IN_ALARM".to_owned()));
    assert!(
        report.summary.contains("4.6, 4.10, 4.15"),
        "{}",
        report.summary
    );
}

#[tokio::test]
async fn a_pattern_scoped_to_one_region_fails_its_control() {
    let world = compliant().await;
    let root = controls::find("4.3").unwrap();
    let scoped = "{ $.userIdentity.type = \"Root\" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != \"AwsServiceEvent\" && $.awsRegion = \"us-east-1\" }";
    add_chain(&world, root, scoped).await;
    let (_, report) = check_controls(&world, &[root]).await;
    assert_eq!(verdict(&report, "4.3").status, Status::Fail);
    assert_eq!(gap_codes(&report, "4.3"), ["CONTROL_PATTERN_MISSES"]);
    // Only 4.3 was asked: the report's status is its own.
    assert_eq!(report.status, Status::Fail);
    assert_eq!(report.controls.len(), 1);
}

#[tokio::test]
async fn an_over_broad_pattern_is_stuck_in_alarm() {
    let world = compliant().await;
    let trails = controls::find("4.5").unwrap();
    add_chain(
        &world,
        trails,
        "{ $.eventSource = cloudtrail.amazonaws.com }",
    )
    .await;
    let (_, report) = check_controls(&world, &[trails]).await;
    assert_eq!(verdict(&report, "4.5").status, Status::Fail);
    assert!(gap_codes(&report, "4.5").contains(&"ALARM_ALWAYS_IN_ALARM".to_owned()));
}

#[tokio::test]
async fn alarms_not_read_for_a_control_leave_it_unknown_not_failed() {
    let world = all_fifteen().await;
    // Gathered for the KMS control only, like a snapshot taken without --control.
    let (facts, report) = check::check(&world.services(), REGION).await.unwrap();
    // No KMS target matches the security group filter: its alarms were not read.
    let groups = controls::find("4.10").unwrap();
    let judged = judge(report, &facts, &[groups]);
    let status = verdict(&judged, "4.10").status;
    assert!(
        matches!(status, Status::Error | Status::Manual),
        "{status:?}: {:?}",
        verdict(&judged, "4.10").gaps
    );
}

#[tokio::test]
async fn one_gather_serves_every_control() {
    let world = all_fifteen().await;
    let (_, one) = check_controls(&world, &[&controls::KMS]).await;
    let (_, all) = check_controls(&world, controls::ALL).await;
    let (one, all) = (one.api_calls.unwrap(), all.api_calls.unwrap());
    // The same trails, log groups, topics and subscriptions: only the alarms
    // of the fourteen other metrics are read besides.
    assert!(
        all <= one + 14,
        "{one} calls for one control, {all} for fifteen"
    );
}

#[tokio::test]
async fn every_format_has_a_finding_per_control() {
    use kmswatch_core::output::{render, Context, Format};
    let world = compliant().await;
    let asked = controls::parse_selection(["4.3", "4.7", "4.15"]).unwrap();
    let (_, report) = check_controls(&world, &asked).await;
    let ctx = Context::at("2026-03-01T12:00:00Z");
    let reports = [report];

    let asff: serde_json::Value =
        serde_json::from_str(&render(Format::Asff, &reports, &ctx).unwrap()).unwrap();
    let ids: Vec<&str> = asff
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["Compliance"]["SecurityControlId"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["CloudWatch.1", "CloudWatch.7", "CIS.4.15"]);
    let statuses: Vec<&str> = asff
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["Compliance"]["Status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["FAILED", "PASSED", "FAILED"]);
    assert!(asff[0]["Compliance"]["RelatedRequirements"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r == "CIS AWS Foundations Benchmark v6.0.0/5.3"));

    let ocsf: serde_json::Value =
        serde_json::from_str(&render(Format::Ocsf, &reports, &ctx).unwrap()).unwrap();
    let controls_named: Vec<&str> = ocsf
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["compliance"]["control"].as_str().unwrap())
        .collect();
    // Five CIS versions each, and Security Hub's id where it has one.
    assert_eq!(controls_named.len(), 6 + 6 + 5);
    assert!(controls_named.contains(&"CloudWatch.1") && controls_named.contains(&"5.15"));

    let sarif: serde_json::Value =
        serde_json::from_str(&render(Format::Sarif, &reports, &ctx).unwrap()).unwrap();
    let rules: Vec<&str> = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(
        rules.contains(&"CIS.4.15/CONTROL_PATTERN_MISSES"),
        "{rules:?}"
    );
    assert!(
        rules.iter().any(|r| r.starts_with("CloudWatch.1/")),
        "{rules:?}"
    );

    let junit = render(Format::Junit, &reports, &ctx).unwrap();
    for suite in [
        "kmswatch CloudWatch.1",
        "kmswatch CloudWatch.7",
        "kmswatch CIS.4.15",
    ] {
        assert!(
            junit.contains(&format!("<testsuite name=\"{suite}\"")),
            "{junit}"
        );
    }
    assert!(junit.contains("<testsuites name=\"kmswatch\" tests=\"3\" failures=\"2\""));
}

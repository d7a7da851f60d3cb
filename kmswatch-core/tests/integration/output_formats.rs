//! The documents of `kmswatch_core::output` on the bundled examples: pinned
//! whole (golden files under `tests/golden/output/`, bless an intended change
//! with `KMSWATCH_BLESS=1`), and held to what each format promises.
//! `tests/python/test_formats.py` validates the same documents against the
//! OCSF, SARIF and JUnit schemas and botocore's Security Hub model.

use kmswatch_core::check::{report, Facts, Report, Status};
use kmswatch_core::output::ocsf::OcsfVersion;
use kmswatch_core::output::{self, render, Context, Format, CONTROLS};
use kmswatch_core::security_hub::{self, MemoryFindings, BATCH_SIZE};
use serde_json::Value;
use std::path::Path;

const PINNED: [&str; 4] = [
    "compliant",
    "broken-topic-other-region",
    "error-access-denied",
    "manual-organization-trail",
];

fn example(name: &str) -> Report {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples")
        .join(format!("{name}.json"));
    report(&Facts::load(&path).expect("bundled example loads"))
}

fn ctx() -> Context {
    Context {
        kmswatch_version: "0.0.0-test".to_owned(),
        generated_at: "2026-03-01T12:00:00Z".to_owned(),
        ocsf_version: OcsfVersion::DEFAULT,
    }
}

fn json(format: Format, reports: &[Report], ctx: &Context) -> Value {
    serde_json::from_str(&render(format, reports, ctx).unwrap()).unwrap()
}

fn suffix(format: Format) -> &'static str {
    match format {
        Format::Ocsf => "ocsf.json",
        Format::Asff => "asff.json",
        Format::Sarif => "sarif",
        Format::Junit => "junit.xml",
        Format::Ndjson => "ndjson",
    }
}

#[test]
fn documents_of_the_bundled_examples_are_unchanged() {
    let bless = std::env::var_os("KMSWATCH_BLESS").is_some();
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/output");
    let mut changed = Vec::new();
    for name in PINNED {
        let reports = [example(name)];
        for format in Format::ALL {
            let text = render(format, &reports, &ctx()).unwrap().replace(
                &format!("\"kmswatch_version\":\"{}\"", kmswatch_core::VERSION),
                "\"kmswatch_version\":\"*\"",
            );
            let file = golden.join(format!("{name}.{}", suffix(format)));
            if bless {
                std::fs::write(&file, &text).unwrap();
            } else if std::fs::read_to_string(&file).ok().as_deref() != Some(text.as_str()) {
                changed.push(file.display().to_string());
            }
        }
    }
    assert!(
        changed.is_empty(),
        "documents changed (KMSWATCH_BLESS=1 if intended): {changed:?}"
    );
}

#[test]
fn ocsf_has_one_finding_per_account_and_control_with_stable_ids() {
    let mut other_account = example("broken-topic-other-region");
    other_account.account_id = "444455556666".to_owned();
    let reports = [example("compliant"), other_account];
    let findings = json(Format::Ocsf, &reports, &ctx());
    let findings = findings.as_array().unwrap();
    assert_eq!(findings.len(), reports.len() * CONTROLS.len());
    let later = Context::at("2027-01-01T00:00:00Z");
    let again = json(Format::Ocsf, &reports, &later);
    for (f, g) in findings.iter().zip(again.as_array().unwrap()) {
        assert_eq!(f["class_uid"], 2003);
        assert_eq!(f["type_uid"], 200301);
        assert_eq!(f["metadata"]["version"], "1.6.0", "Security Hub's version");
        assert_eq!(f["metadata"]["profiles"][0], "cloud");
        assert_eq!(f["finding_info"]["uid"], g["finding_info"]["uid"]);
        assert_ne!(f["time"], g["time"]);
        assert_eq!(f["time"], 1_772_366_400_000u64);
    }
    let mut uids: Vec<&str> = findings
        .iter()
        .map(|f| f["finding_info"]["uid"].as_str().unwrap())
        .collect();
    uids.sort_unstable();
    uids.dedup();
    assert_eq!(uids.len(), findings.len(), "finding uids are unique");
    let failing = &findings[CONTROLS.len()];
    assert_eq!(failing["status_code"], "FAIL");
    assert_eq!(failing["compliance"]["status_id"], 3);
    assert_eq!(
        failing["unmapped"]["kmswatch"]["gap_codes"][0],
        "TOPIC_IN_OTHER_REGION"
    );
    assert!(failing["remediation"]["desc"]
        .as_str()
        .unwrap()
        .contains("notify an SNS topic in the alarm's own region"));
    let resources: Vec<&str> = failing["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        resources,
        [
            "AWS::CloudTrail::Trail",
            "AWS::Logs::LogGroup",
            "AWS::Logs::MetricFilter",
            "AWS::CloudWatch::Alarm",
            "AWS::SNS::Topic"
        ]
    );
    let passing = &findings[0];
    assert_eq!(passing["compliance"]["status_id"], 1);
    assert!(passing.get("remediation").is_none());
}

#[test]
fn ocsf_is_written_in_the_version_asked_for() {
    let reports = [example("compliant")];
    for version in OcsfVersion::ALL {
        assert_eq!(OcsfVersion::from_name(version.as_str()).unwrap(), version);
        let findings = json(Format::Ocsf, &reports, &ctx().with_ocsf_version(version));
        for f in findings.as_array().unwrap() {
            assert_eq!(f["metadata"]["version"], version.as_str());
        }
    }
    assert_eq!(OcsfVersion::DEFAULT.as_str(), "1.6.0");
    assert_eq!(
        Context::at("2026-03-01T12:00:00Z").ocsf_version,
        OcsfVersion::DEFAULT
    );
    for bad in ["1.3.0", "2.0.0", "latest", ""] {
        let err = OcsfVersion::from_name(bad).unwrap_err().to_string();
        assert!(err.contains("1.4.0, 1.5.0, 1.6.0, 1.7.0, 1.8.0"), "{err}");
    }
}

#[test]
fn every_cis_version_that_keeps_the_control_is_named() {
    let reports = [example("compliant")];
    let cis = [
        ("v1.4.0", "4.7"),
        ("v3.0.0", "4.7"),
        ("v5.0.0", "4.7"),
        ("v6.0.0", "5.7"),
        ("v7.0.0", "5.7"),
    ];
    let wanted: Vec<String> = cis
        .iter()
        .map(|(v, c)| format!("CIS AWS Foundations Benchmark {v}/{c}"))
        .collect();
    let ocsf = json(Format::Ocsf, &reports, &ctx());
    let named: Vec<String> = ocsf
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            f["compliance"]["requirements"][0]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    for w in &wanted {
        assert!(named.contains(w), "OCSF lacks {w}: {named:?}");
    }
    let asff = json(Format::Asff, &reports, &ctx());
    assert_eq!(
        asff[0]["Compliance"]["RelatedRequirements"],
        serde_json::json!(wanted)
    );
    let sarif = render(Format::Sarif, &[example("broken-threshold-zero")], &ctx()).unwrap();
    for w in &wanted {
        assert!(sarif.contains(w.as_str()), "SARIF lacks {w}");
    }
}

#[test]
fn unknown_verdicts_are_warnings_in_ocsf_and_distinct_in_asff() {
    for (name, status, asff) in [
        ("error-access-denied", "ERROR", "NOT_AVAILABLE"),
        ("manual-organization-trail", "MANUAL", "WARNING"),
        ("compliant", "PASS", "PASSED"),
        ("broken-trail-not-logging", "FAIL", "FAILED"),
    ] {
        let reports = [example(name)];
        assert_eq!(reports[0].status.as_str(), status, "{name}");
        let ocsf = json(Format::Ocsf, &reports, &ctx());
        let expected = match reports[0].status {
            Status::Pass => 1,
            Status::Fail => 3,
            Status::Error | Status::Manual => 2,
        };
        assert_eq!(ocsf[0]["compliance"]["status_id"], expected, "{name}");
        assert_eq!(ocsf[0]["status_code"], status, "{name}");
        let findings = json(Format::Asff, &reports, &ctx());
        assert_eq!(findings[0]["Compliance"]["Status"], asff, "{name}");
    }
}

#[test]
fn asff_findings_import_into_the_accounts_default_product() {
    let report = example("broken-topic-other-region");
    let findings = json(Format::Asff, std::slice::from_ref(&report), &ctx());
    let f = &findings[0];
    assert_eq!(f["SchemaVersion"], "2018-10-08");
    assert_eq!(
        f["ProductArn"],
        "arn:aws:securityhub:us-east-1:111122223333:product/111122223333/default"
    );
    assert_eq!(f["Id"], "kmswatch/aws/111122223333/us-east-1/CloudWatch.7");
    assert_eq!(f["Compliance"]["SecurityControlId"], "CloudWatch.7");
    assert_eq!(
        f["Compliance"]["RelatedRequirements"],
        serde_json::json!([
            "CIS AWS Foundations Benchmark v1.4.0/4.7",
            "CIS AWS Foundations Benchmark v3.0.0/4.7",
            "CIS AWS Foundations Benchmark v5.0.0/4.7",
            "CIS AWS Foundations Benchmark v6.0.0/5.7",
            "CIS AWS Foundations Benchmark v7.0.0/5.7"
        ])
    );
    assert_eq!(
        f["ProductFields"]["kmswatch/GapCodes"],
        "TOPIC_IN_OTHER_REGION,NOT_ALARMED:DisableKey,NOT_ALARMED:ScheduleKeyDeletion"
    );
    assert_eq!(
        f["Resources"][4]["Id"],
        "arn:aws:sns:eu-west-1:111122223333:security-alerts"
    );
    assert_eq!(f["Resources"][4]["Region"], "eu-west-1");
    assert!(
        f["Remediation"]["Recommendation"]["Text"]
            .as_str()
            .unwrap()
            .len()
            <= 512
    );

    // The partition comes from the account's ARNs.
    let mut china = report.clone();
    for chain in &mut china.chains {
        chain.trail_arn = chain.trail_arn.replacen("arn:aws:", "arn:aws-cn:", 1);
    }
    china.region = "cn-north-1".to_owned();
    let f = &json(Format::Asff, &[china], &ctx())[0];
    assert_eq!(
        f["ProductArn"],
        "arn:aws-cn:securityhub:cn-north-1:111122223333:product/111122223333/default"
    );
    assert_eq!(f["Resources"][0]["Partition"], "aws-cn");
}

#[test]
fn sarif_has_a_rule_per_gap_code_and_a_result_per_failing_chain() {
    let reports = [
        example("compliant"),
        example("broken-topic-other-region"),
        example("error-access-denied"),
    ];
    let log = json(Format::Sarif, &reports, &ctx());
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    let failing_chains: usize = reports
        .iter()
        .map(|r| {
            let chains = r.chains.iter().filter(|c| c.status != Status::Pass).count();
            let account = usize::from(r.gaps.iter().any(|g| g.is_blocking()));
            chains + account
        })
        .sum();
    assert_eq!(results.len(), failing_chains);
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    for result in results {
        let rule = result["ruleId"].as_str().unwrap();
        assert!(ids.contains(&rule), "{rule} has a rule");
        for code in result["properties"]["gapCodes"].as_array().unwrap() {
            assert!(ids.contains(&code.as_str().unwrap()), "{code} has a rule");
        }
        assert!(!result["locations"][0]["logicalLocations"]
            .as_array()
            .unwrap()
            .is_empty());
    }
    let topic_rule = rules
        .iter()
        .find(|r| r["id"] == "TOPIC_IN_OTHER_REGION")
        .unwrap();
    assert_eq!(
        topic_rule["help"]["text"],
        "notify an SNS topic in the alarm's own region"
    );
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), ids.len(), "one rule per code");
    assert_eq!(results[0]["kind"], "fail");
    assert_eq!(results[0]["level"], "error");
    assert_eq!(results[0]["ruleId"], "TOPIC_IN_OTHER_REGION");
    assert_eq!(results.last().unwrap()["kind"], "open");
    assert_eq!(results.last().unwrap()["level"], "none");
}

#[test]
fn junit_has_one_test_case_per_account_failures_and_errors_apart() {
    let reports = [
        example("compliant"),
        example("broken-topic-other-region"),
        example("error-access-denied"),
        example("manual-organization-trail"),
    ];
    let xml = render(Format::Junit, &reports, &ctx()).unwrap();
    assert_eq!(xml.matches("<testcase ").count(), 4);
    assert_eq!(xml.matches("<failure ").count(), 1);
    assert_eq!(xml.matches("<error ").count(), 2);
    assert!(xml.contains("<error type=\"MANUAL\""));
    assert!(xml.contains("<error type=\"ERROR\""));
    assert!(xml.contains("tests=\"4\" failures=\"1\" errors=\"2\""));
    assert!(xml.contains("classname=\"CloudWatch.7\" name=\"111122223333/us-east-1\""));
    assert!(xml.contains("message=\"FAIL: not monitored"));
    assert!(xml.contains("TOPIC_IN_OTHER_REGION"));
}

#[test]
fn ndjson_is_one_report_per_line() {
    let reports = [example("compliant"), example("broken-trail-not-logging")];
    let text = render(Format::Ndjson, &reports, &ctx()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2);
    for (line, report) in lines.iter().zip(&reports) {
        let parsed: Report = serde_json::from_str(line).unwrap();
        assert_eq!(&parsed, report);
    }
    assert!(text.ends_with('\n'));
}

#[test]
fn format_names_round_trip_and_bad_ones_are_errors() {
    for format in Format::ALL {
        assert_eq!(Format::from_name(format.as_str()).unwrap(), format);
    }
    let err = Format::from_name("xml").unwrap_err();
    assert!(err.to_string().contains("ocsf, asff, sarif, junit, ndjson"));
    let bad = Context::at("yesterday");
    assert!(render(Format::Ocsf, &[example("compliant")], &bad).is_err());
    let mut out = Vec::new();
    output::write(Format::Junit, &[], &ctx(), &mut out).unwrap();
    assert!(String::from_utf8(out).unwrap().contains("tests=\"0\""));
}

#[tokio::test]
async fn security_hub_import_sends_batches_of_100_and_names_refused_findings() {
    let template = output::asff::findings(&[example("compliant")], &ctx()).remove(0);
    let mut findings = Vec::new();
    for i in 0..250 {
        let mut f = template.clone();
        f.id = format!("finding-{i}");
        f.region = if i % 5 == 0 { "eu-west-1" } else { "us-east-1" }.to_owned();
        findings.push(f);
    }
    let hub = MemoryFindings::new();
    hub.refuse("finding-7");
    let summary = security_hub::import(&hub, &findings).await;
    assert_eq!(summary.imported, 249);
    assert_eq!(summary.failed.len(), 1);
    assert_eq!(summary.failed[0].id, "finding-7");
    assert!(!summary.all_imported());
    // Regions in order of first appearance: 50 in eu-west-1, then 200 in
    // us-east-1 (100 + 100).
    assert_eq!(hub.batches(), vec![50, BATCH_SIZE, BATCH_SIZE]);
    assert_eq!(hub.findings().len(), 249);

    // Importing again updates the same findings (stable ids).
    let again = MemoryFindings::new();
    let _ = security_hub::import(&again, &findings).await;
    let _ = security_hub::import(&again, &findings).await;
    assert_eq!(again.findings().len(), 250);

    let denied = MemoryFindings::new();
    denied.deny_calls();
    let summary = security_hub::import(&denied, &findings[..3]).await;
    assert_eq!(summary.imported, 0);
    assert_eq!(summary.failed.len(), 3);
    assert_eq!(summary.failed[0].code, "AccessDeniedException");
}

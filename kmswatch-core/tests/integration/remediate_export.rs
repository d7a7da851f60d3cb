//! The Terraform and CloudFormation exports of every plan the examples give:
//! the CloudFormation template passes `cfn-lint`, the Terraform parses with
//! python-hcl2 (pip install -r tests/python-requirements.txt). A missing tool
//! fails the test; it is never skipped.

use kmswatch_core::check::facts::RegionEventRules;
use kmswatch_core::check::{Facts, KeyRegionFacts, RegionKeyFacts};
use kmswatch_core::remediate::{export, plan, Plan, RemediateOptions, Subscriber, Via};
use std::path::{Path, PathBuf};
use std::process::Command;

const HINT: &str = "pip install -r tests/python-requirements.txt";

fn plans() -> Vec<(String, Plan)> {
    let option_sets = [
        ("default", RemediateOptions::default()),
        (
            "email-adopt",
            RemediateOptions {
                subscriber: Some(Subscriber::email("secops+kms@example.com").unwrap()),
                adopt: true,
                tags: [("team".to_owned(), "security \"core\"".to_owned())].into(),
                ..RemediateOptions::default()
            },
        ),
        (
            "sqs",
            RemediateOptions {
                subscriber: Some(
                    Subscriber::parse("sqs:arn:aws:sqs:us-east-1:111122223333:alerts").unwrap(),
                ),
                ..RemediateOptions::default()
            },
        ),
    ];
    let mut out = Vec::new();
    for path in crate::common::example_paths() {
        let facts = Facts::load(&path).unwrap();
        for (label, options) in &option_sets {
            if let Ok(plan) = plan(&facts, options) {
                let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
                out.push((format!("{stem}-{label}"), plan));
            }
        }
    }
    out.push(("kms-key".to_owned(), encrypted_topic_plan()));
    out.push(("controls".to_owned(), every_control_plan()));
    out.push(("two-regions".to_owned(), two_region_plan()));
    out.push(("eventbridge".to_owned(), eventbridge_plan()));
    assert!(
        out.len() >= 10,
        "expected plans from the examples, got {}",
        out.len()
    );
    out
}

/// A plan for every CIS control (`--control cis`): a filter and an alarm
/// per control besides the KMS one, one topic.
fn every_control_plan() -> Plan {
    let facts = Facts::load("../examples/compliant.json".as_ref()).unwrap();
    let options = RemediateOptions {
        subscriber: Some(Subscriber::email("secops@example.com").unwrap()),
        controls: vec!["cis".to_owned()],
        ..RemediateOptions::default()
    };
    plan(&facts, &options).unwrap()
}

/// A plan whose new topic is encrypted with `--kms-key`: the key of
/// broken-topic-key-disabled, enabled, on an account without an alarm.
fn encrypted_topic_plan() -> Plan {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let mut facts = Facts::load(&dir.join("broken-topic-key-disabled.json")).unwrap();
    facts.keys[0].key.as_mut().unwrap().key_state = Some("Enabled".into());
    facts.alarms[0].alarms = Some(Vec::new());
    let options = RemediateOptions {
        subscriber: Some(Subscriber::email("secops@example.com").unwrap()),
        kms_key: Some(facts.keys[0].key_id.clone()),
        ..RemediateOptions::default()
    };
    plan(&facts, &options).unwrap()
}

/// A plan that writes in two regions: a second metric filter in eu-west-1
/// beside the plan's own.
fn two_region_plan() -> Plan {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let facts = Facts::load(&dir.join("broken-pattern-misses-schedule.json")).unwrap();
    let mut plan = plan(&facts, &RemediateOptions::default()).unwrap();
    let mut extra = plan
        .actions
        .iter()
        .find(|a| matches!(a, kmswatch_core::remediate::Action::PutMetricFilter { .. }))
        .cloned()
        .expect("the plan writes a metric filter");
    if let kmswatch_core::remediate::Action::PutMetricFilter { region, filter, .. } = &mut extra {
        *region = "eu-west-1".to_owned();
        filter.filter_name = "kmswatch-eu".to_owned();
    }
    plan.actions.push(extra);
    plan
}

/// A `--via eventbridge` plan: a rule, a topic and its policy in two
/// regions that hold customer managed keys.
fn eventbridge_plan() -> Plan {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let mut facts = Facts::load(&dir.join("broken-pattern-misses-schedule.json")).unwrap();
    let region = |name: &str| RegionKeyFacts {
        region: name.to_owned(),
        customer_managed_keys: Some(vec![format!(
            "arn:aws:kms:{name}:{}:key/k",
            facts.account_id
        )]),
    };
    facts.key_regions = Some(KeyRegionFacts {
        regions: vec![region("us-east-1"), region("eu-west-1")],
        skipped: Vec::new(),
    });
    // Both regions' rules were read: none.
    for name in ["us-east-1", "eu-west-1"] {
        facts.event_rules.push(RegionEventRules {
            region: name.to_owned(),
            rules: Some(Vec::new()),
        });
    }
    let options = RemediateOptions {
        via: Via::Eventbridge,
        subscriber: Some(Subscriber::email("secops@example.com").unwrap()),
        ..RemediateOptions::default()
    };
    let plan = plan(&facts, &options).unwrap();
    assert_eq!(plan.via, Via::Eventbridge);
    plan
}

#[test]
fn exports_declare_the_region_their_resources_belong_to() {
    let plan = two_region_plan();
    let hcl = export::terraform(&plan);
    assert!(
        hcl.contains("provider \"aws\" {\n  region = \"us-east-1\"\n}"),
        "{hcl}"
    );
    assert!(
        hcl.contains("  alias  = \"eu_west_1\"\n  region = \"eu-west-1\""),
        "{hcl}"
    );
    let uses: Vec<&str> = hcl
        .lines()
        .filter(|l| l.trim_start().starts_with("provider ") && l.contains("= aws."))
        .collect();
    assert_eq!(
        uses.len(),
        1,
        "only the eu-west-1 resource names a provider: {hcl}"
    );
    assert!(uses[0].trim_end().ends_with("= aws.eu_west_1"), "{hcl}");
    let yaml = export::cloudformation(&plan);
    let templates: Vec<&str> = yaml.split("\n---\n").collect();
    assert_eq!(templates.len(), 2, "{yaml}");
    assert!(templates[0].contains("!Equals [!Ref \"AWS::Region\", \"us-east-1\"]"));
    assert!(templates[1].contains("!Equals [!Ref \"AWS::Region\", \"eu-west-1\"]"));
    assert!(templates[1].contains("\"kmswatch-eu\"") && !templates[0].contains("\"kmswatch-eu\""));
}

fn scratch() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kmswatch-export-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn cloudformation_exports_pass_cfn_lint() {
    let dir = scratch();
    let mut files = Vec::new();
    for (name, plan) in plans() {
        // One file per template: a plan over several regions has one each.
        for (i, template) in export::cloudformation(&plan).split("\n---\n").enumerate() {
            let path = dir.join(format!("{name}-{i}.yaml"));
            std::fs::write(&path, template).unwrap();
            files.push(path);
        }
    }
    let output = Command::new("cfn-lint")
        .args(&files)
        .output()
        .unwrap_or_else(|e| panic!("cannot run cfn-lint ({e}): {HINT}"));
    assert!(
        output.status.success(),
        "cfn-lint failed:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn terraform_exports_parse_as_hcl() {
    let dir = scratch();
    let mut files = Vec::new();
    for (name, plan) in plans() {
        let path = dir.join(format!("{name}.tf"));
        let hcl = export::terraform(&plan);
        for action in &plan.actions {
            let kind = match action {
                kmswatch_core::remediate::Action::CreateTopic { .. } => "aws_sns_topic",
                kmswatch_core::remediate::Action::MergeTopicPolicy { .. } => "aws_sns_topic_policy",
                kmswatch_core::remediate::Action::Subscribe { .. } => "aws_sns_topic_subscription",
                kmswatch_core::remediate::Action::PutMetricFilter { .. } => {
                    "aws_cloudwatch_log_metric_filter"
                }
                kmswatch_core::remediate::Action::PutMetricAlarm { .. } => {
                    "aws_cloudwatch_metric_alarm"
                }
                kmswatch_core::remediate::Action::PutEventRule { .. } => {
                    "aws_cloudwatch_event_rule"
                }
                kmswatch_core::remediate::Action::PutEventTargets { .. } => {
                    "aws_cloudwatch_event_target"
                }
            };
            assert!(
                hcl.contains(&format!("resource \"{kind}\"")),
                "{name}: no {kind}"
            );
        }
        std::fs::write(&path, hcl).unwrap();
        files.push(path);
    }
    // Parse every file and print, per file, the pattern of each metric filter, so
    // that escaping is checked too (the pattern must come back verbatim).
    let script = r#"
import json, sys
try:
    import hcl2
except ImportError as e:
    sys.exit(f"python-hcl2 is missing: {e}")
out = {}
for path in sys.argv[1:]:
    with open(path) as f:
        doc = hcl2.load(f)
    patterns = []
    # Depending on its version, python-hcl2 keeps the quotes of labels.
    for block in doc.get("resource", []):
        for kind, resources in block.items():
            if kind.strip('"') == "aws_cloudwatch_log_metric_filter":
                patterns.extend(["filter", body["pattern"]] for body in resources.values())
            if kind.strip('"') == "aws_cloudwatch_event_rule":
                patterns.extend(["rule", body["event_pattern"]] for body in resources.values())
    out[path] = patterns
print(json.dumps(out))
"#;
    let output = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(&files)
        .output()
        .unwrap_or_else(|e| panic!("cannot run python3 ({e}): {HINT}"));
    assert!(
        output.status.success(),
        "python-hcl2 could not parse the exports ({HINT}):\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let parsed: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let (mut filters, mut rules) = (0, 0);
    for patterns in parsed.as_object().unwrap().values() {
        for p in patterns.as_array().unwrap() {
            // python-hcl2 keeps the quotes of string literals (and, depending
            // on its version, their escapes).
            let text = p[1].as_str().unwrap();
            let text = text
                .strip_prefix('"')
                .and_then(|t| t.strip_suffix('"'))
                .unwrap_or(text);
            if p[0] == "rule" {
                let unescaped = text.replace("\\\"", "\"");
                let value: serde_json::Value =
                    serde_json::from_str(&unescaped).unwrap_or_else(|e| panic!("{e}: {text}"));
                assert_eq!(
                    value,
                    serde_json::from_str::<serde_json::Value>(
                        kmswatch_core::remediate::eventbridge::EVENT_PATTERN
                    )
                    .unwrap()
                );
                rules += 1;
            } else {
                // The KMS control's pattern, or another control's
                // (`--control`), whose quotes python-hcl2 may keep escaped.
                let unescaped = text.replace("\\\"", "\"");
                assert!(
                    text == kmswatch_core::check::CIS_PATTERN
                        || kmswatch_core::controls::ALL
                            .iter()
                            .any(|c| c.cis_pattern == unescaped),
                    "{text}"
                );
                filters += 1;
            }
        }
    }
    assert!(filters > 0, "no metric filter among the exports");
    assert_eq!(rules, 2, "the EventBridge plan's two rules");
}

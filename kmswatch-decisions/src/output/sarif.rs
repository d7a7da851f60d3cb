//! SARIF 2.1.0: one run, one rule per gap code that occurs, one result per
//! chain that does not pass (and one for an account whose gaps belong to no
//! chain); locations are logical (ARNs), since the findings are about cloud
//! resources, not files. A control other than KMS that a report judges
//! (`controls`) has its own rules (`<control id>/<gap code>`) and one result
//! per account where it does not pass.

use super::account::{self, Resource};
use super::controls::{related_requirements_of, DOCUMENTATION_URL};
use super::subjects::{control_id, subjects};
use super::Context;
use crate::check::report::Chain;
use crate::check::{Gap, Report, Status};
use crate::controls::Control;
use serde_json::{json, Value};

const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The SARIF log of `reports`.
pub fn log(reports: &[Report], ctx: &Context) -> Value {
    let subjects = subjects(reports);
    let mut rules: Vec<(String, &'static Control, &Gap)> = Vec::new();
    let mut results = Vec::new();
    for subject in &subjects {
        let report: &Report = &subject.report;
        let control = subject.control;
        let account_gaps: Vec<&Gap> = report.gaps.iter().filter(|g| g.is_blocking()).collect();
        let failing: Vec<&Chain> = report
            .chains
            .iter()
            .filter(|c| c.status != Status::Pass)
            .collect();
        if !account_gaps.is_empty() || (report.status != Status::Pass && failing.is_empty()) {
            let location = account::account_resource(report);
            results.push(result(
                report,
                control,
                report.status,
                &account_gaps,
                &[location],
            ));
            note_rules(&mut rules, control, &account_gaps);
        }
        for chain in failing {
            let gaps: Vec<&Gap> = account::chain_gaps(chain)
                .into_iter()
                .filter(|g| g.is_blocking())
                .collect();
            results.push(result(
                report,
                control,
                chain.status,
                &gaps,
                &account::chain_resources(chain),
            ));
            note_rules(&mut rules, control, &gaps);
        }
    }
    json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "kmswatch",
                    "version": ctx.kmswatch_version,
                    "semanticVersion": ctx.kmswatch_version,
                    "informationUri": "https://github.com/kmswatch/kmswatch",
                    "rules": rules.iter().map(|(id, control, gap)| rule(id, control, gap)).collect::<Vec<_>>(),
                }
            },
            "invocations": [{
                "executionSuccessful": true,
                "endTimeUtc": ctx.generated_at,
            }],
            "results": results,
        }],
    })
}

/// The rule id of a gap code for a control: the code itself for the KMS
/// control, as earlier versions wrote it; `<control id>/<code>` for another.
fn rule_id(control: &Control, gap: &Gap) -> String {
    if control.is_kms() {
        gap.code.as_string()
    } else {
        format!("{}/{}", control_id(control), gap.code)
    }
}

/// The first gap of each code names its rule; its fix is the rule's help.
fn note_rules<'a>(
    rules: &mut Vec<(String, &'static Control, &'a Gap)>,
    control: &'static Control,
    gaps: &[&'a Gap],
) {
    for gap in gaps {
        let id = rule_id(control, gap);
        if !rules.iter().any(|(known, _, _)| *known == id) {
            rules.push((id, control, gap));
        }
    }
}

fn rule(id: &str, control: &Control, gap: &Gap) -> Value {
    // The short tags first, as earlier versions wrote them; then every CIS
    // version's control by name.
    let mut tags = vec![
        "security".to_owned(),
        format!("CIS AWS Foundations {}", control.cis),
        control_id(control),
    ];
    tags.extend(related_requirements_of(control));
    json!({
        "id": id,
        "name": id,
        "shortDescription": { "text": id },
        "fullDescription": { "text": gap.message },
        "help": { "text": gap.fix },
        "helpUri": DOCUMENTATION_URL,
        "defaultConfiguration": { "level": level(gap.severity.status()) },
        "properties": { "tags": tags },
    })
}

/// SARIF's `kind` and `level`: a FAIL is a failure (`error`); an ERROR is a
/// question kmswatch could not settle (`open`), a MANUAL one for a person
/// (`review`); SARIF gives those the level `none`.
fn kind(status: Status) -> &'static str {
    match status {
        Status::Pass => "pass",
        Status::Fail => "fail",
        Status::Error => "open",
        Status::Manual => "review",
    }
}

fn level(status: Status) -> &'static str {
    if status == Status::Fail {
        "error"
    } else {
        "none"
    }
}

fn result(
    report: &Report,
    control: &Control,
    status: Status,
    gaps: &[&Gap],
    resources: &[Resource],
) -> Value {
    let codes = account::distinct_codes(gaps.iter().copied());
    let lines: Vec<String> = gaps
        .iter()
        .map(|g| format!("{}: {}", g.code, g.message))
        .collect();
    let text = if lines.is_empty() {
        format!(
            "{} {}: {}",
            report.account_id, report.region, report.summary
        )
    } else {
        format!(
            "{} {}: {}",
            report.account_id,
            report.region,
            lines.join("; ")
        )
    };
    let mut value = json!({
        "kind": kind(status),
        "level": level(status),
        "message": { "text": text },
        "locations": [{
            "logicalLocations": resources
                .iter()
                .map(|r| json!({
                    "fullyQualifiedName": r.id,
                    "name": r.name.clone().unwrap_or_else(|| r.id.clone()),
                    "kind": r.kind.cloudformation_type(),
                }))
                .collect::<Vec<_>>(),
        }],
        "partialFingerprints": {
            "kmswatch/v1": fingerprint(report, control, resources),
        },
        "properties": {
            "accountId": report.account_id,
            "region": report.region,
            "status": status.as_str(),
            "gapCodes": codes,
        },
    });
    if let Some(first) = gaps.first() {
        value["ruleId"] = json!(rule_id(control, first));
    }
    if !control.is_kms() {
        value["properties"]["control"] = json!(control.cis);
        value["properties"]["securityControlId"] = json!(control_id(control));
    }
    value
}

/// What identifies a result from one run to the next: the account, region,
/// first resource, and the control when it is not KMS.
fn fingerprint(report: &Report, control: &Control, resources: &[Resource]) -> String {
    let first = resources.first().map(|r| r.id.as_str()).unwrap_or_default();
    if control.is_kms() {
        format!("{}/{}/{first}", report.account_id, report.region)
    } else {
        format!(
            "{}/{}/{}/{first}",
            report.account_id,
            report.region,
            control_id(control)
        )
    }
}

//! SARIF 2.1.0: one run, one rule per gap code that occurs, one result per
//! chain that does not pass (and one for an account whose gaps belong to no
//! chain); locations are logical (ARNs), since the findings are about cloud
//! resources, not files.

use super::account::{self, Resource};
use super::controls::{related_requirements, DOCUMENTATION_URL, SECURITY_CONTROL_ID};
use super::Context;
use crate::check::report::Chain;
use crate::check::{Gap, Report, Status};
use serde_json::{json, Value};

const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The SARIF log of `reports`.
pub fn log(reports: &[Report], ctx: &Context) -> Value {
    let mut rules: Vec<(String, &Gap)> = Vec::new();
    let mut results = Vec::new();
    for report in reports {
        let account_gaps: Vec<&Gap> = report.gaps.iter().filter(|g| g.is_blocking()).collect();
        let failing: Vec<&Chain> = report
            .chains
            .iter()
            .filter(|c| c.status != Status::Pass)
            .collect();
        if !account_gaps.is_empty() || (report.status != Status::Pass && failing.is_empty()) {
            let location = account::account_resource(report);
            results.push(result(report, report.status, &account_gaps, &[location]));
            note_rules(&mut rules, &account_gaps);
        }
        for chain in failing {
            let gaps: Vec<&Gap> = account::chain_gaps(chain)
                .into_iter()
                .filter(|g| g.is_blocking())
                .collect();
            results.push(result(
                report,
                chain.status,
                &gaps,
                &account::chain_resources(chain),
            ));
            note_rules(&mut rules, &gaps);
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
                    "rules": rules.iter().map(|(id, gap)| rule(id, gap)).collect::<Vec<_>>(),
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

/// The first gap of each code names its rule; its fix is the rule's help.
fn note_rules<'a>(rules: &mut Vec<(String, &'a Gap)>, gaps: &[&'a Gap]) {
    for gap in gaps {
        let id = gap.code.as_string();
        if !rules.iter().any(|(known, _)| *known == id) {
            rules.push((id, gap));
        }
    }
}

fn rule(id: &str, gap: &Gap) -> Value {
    // The short tags first, as earlier versions wrote them; then every CIS
    // version's control by name.
    let mut tags = vec![
        "security".to_owned(),
        "CIS AWS Foundations 4.7".to_owned(),
        SECURITY_CONTROL_ID.to_owned(),
    ];
    tags.extend(related_requirements());
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

fn result(report: &Report, status: Status, gaps: &[&Gap], resources: &[Resource]) -> Value {
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
            "kmswatch/v1": format!("{}/{}/{}", report.account_id, report.region, resources.first().map(|r| r.id.as_str()).unwrap_or_default()),
        },
        "properties": {
            "accountId": report.account_id,
            "region": report.region,
            "status": status.as_str(),
            "gapCodes": codes,
        },
    });
    if let Some(first) = codes.first() {
        value["ruleId"] = json!(first);
    }
    value
}

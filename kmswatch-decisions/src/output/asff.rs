//! AWS Security Finding Format: one finding per account for Security Hub
//! control CloudWatch.7 (CIS 4.7 / 5.7 as related requirements), and one per
//! other control a report judges (`controls`, each with its own
//! `SecurityControlId`), importable with `BatchImportFindings`
//! (`kmswatch_core::security_hub::import`).

use super::account::{self, Resource};
use super::controls::{related_requirements_of, DOCUMENTATION_URL, SECURITY_CONTROL_ID};
use super::subjects::{control_id, security_hub_title, subjects, Subject};
use super::Context;
use crate::check::{Report, Status};
use crate::security_hub::{
    AsffCompliance, AsffFinding, AsffRecommendation, AsffRemediation, AsffResource, AsffSeverity,
    AsffWorkflow, ASFF_SCHEMA_VERSION,
};
use std::collections::BTreeMap;

/// The findings of `reports`, one per report and control it judges.
pub fn findings(reports: &[Report], ctx: &Context) -> Vec<AsffFinding> {
    subjects(reports).iter().map(|s| finding(s, ctx)).collect()
}

/// The account's default Security Hub product, which accepts its own findings.
pub fn product_arn(partition: &str, region: &str, account_id: &str) -> String {
    format!("arn:{partition}:securityhub:{region}:{account_id}:product/{account_id}/default")
}

/// The stable finding `Id` of an account and region.
pub fn finding_id(partition: &str, account_id: &str, region: &str) -> String {
    control_finding_id(partition, account_id, region, SECURITY_CONTROL_ID)
}

fn control_finding_id(partition: &str, account_id: &str, region: &str, control: &str) -> String {
    format!("kmswatch/{partition}/{account_id}/{region}/{control}")
}

/// `Compliance.Status`: MANUAL ran but cannot see everything (WARNING); ERROR
/// could not run a needed call (NOT_AVAILABLE).
fn compliance_status(status: Status) -> &'static str {
    match status {
        Status::Pass => "PASSED",
        Status::Fail => "FAILED",
        Status::Manual => "WARNING",
        Status::Error => "NOT_AVAILABLE",
    }
}

fn resource(r: &Resource, partition: &str, default_region: &str) -> AsffResource {
    AsffResource {
        r#type: r.kind.asff_type().to_owned(),
        id: r.id.clone(),
        partition: ["aws", "aws-cn", "aws-us-gov"]
            .contains(&partition)
            .then(|| partition.to_owned()),
        region: r
            .region
            .clone()
            .unwrap_or_else(|| default_region.to_owned()),
    }
}

fn finding(subject: &Subject<'_>, ctx: &Context) -> AsffFinding {
    let report: &Report = &subject.report;
    let control = subject.control;
    let id = control_id(control);
    let partition = account::partition_of(report);
    let blocking = account::blocking_gaps(report);
    let codes = account::distinct_codes(blocking.iter().copied());
    let fixes = account::distinct_fixes(blocking.iter().copied());
    let recommendation = if fixes.is_empty() && control.is_kms() {
        "No action needed: a KMS key disable or scheduled deletion reaches a confirmed subscriber."
            .to_owned()
    } else if fixes.is_empty() {
        format!(
            "No action needed: {} reach a confirmed subscriber.",
            control.name
        )
    } else {
        fixes.join("; ")
    };
    let mut product_fields = BTreeMap::new();
    product_fields.insert(
        "kmswatch/Status".to_owned(),
        report.status.as_str().to_owned(),
    );
    product_fields.insert("kmswatch/Version".to_owned(), ctx.kmswatch_version.clone());
    if !codes.is_empty() {
        product_fields.insert(
            "kmswatch/GapCodes".to_owned(),
            account::truncate(&codes.join(","), 1024),
        );
    }
    let warnings = account::distinct_codes(&report.warnings);
    if !warnings.is_empty() {
        product_fields.insert(
            "kmswatch/Warnings".to_owned(),
            account::truncate(&warnings.join(","), 1024),
        );
    }
    AsffFinding {
        schema_version: ASFF_SCHEMA_VERSION.to_owned(),
        id: control_finding_id(&partition, &report.account_id, &report.region, &id),
        product_arn: product_arn(&partition, &report.region, &report.account_id),
        generator_id: format!("kmswatch/{id}"),
        aws_account_id: report.account_id.clone(),
        types: vec![
            "Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations Benchmark"
                .to_owned(),
        ],
        created_at: ctx.generated_at.clone(),
        updated_at: ctx.generated_at.clone(),
        severity: AsffSeverity {
            label: if report.status == Status::Fail { "LOW" } else { "INFORMATIONAL" }.to_owned(),
            original: report.status.as_str().to_owned(),
        },
        title: format!("{id} {}", security_hub_title(control)),
        description: account::truncate(&report.summary, 1024),
        product_name: "kmswatch".to_owned(),
        company_name: "kmswatch".to_owned(),
        region: report.region.clone(),
        resources: account::resources(report)
            .iter()
            .map(|r| resource(r, &partition, &report.region))
            .collect(),
        compliance: AsffCompliance {
            status: compliance_status(report.status).to_owned(),
            related_requirements: related_requirements_of(control),
            security_control_id: id.clone(),
        },
        remediation: AsffRemediation {
            recommendation: AsffRecommendation {
                text: account::truncate(&recommendation, 512),
                url: DOCUMENTATION_URL.to_owned(),
            },
        },
        product_fields,
        workflow: AsffWorkflow {
            status: if report.status == Status::Pass { "RESOLVED" } else { "NEW" }.to_owned(),
        },
        record_state: "ACTIVE".to_owned(),
    }
}

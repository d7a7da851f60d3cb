//! OCSF 1.5.0 Compliance Findings (class 2003), one per account and control
//! ([`super::CONTROLS`]): what Prowler, Security Lake and OCSF-native SIEMs read.

use super::account::{self, Resource};
use super::controls::{Control, CONTROLS, DOCUMENTATION_URL};
use super::{Context, OutputError};
use crate::check::{Report, Status};
use serde_json::{json, Value};

/// The OCSF schema version the findings declare (`metadata.version`).
pub const OCSF_VERSION: &str = "1.5.0";
/// The OCSF profiles the findings use (`metadata.profiles`).
pub const OCSF_PROFILES: [&str; 1] = ["cloud"];

const CLASS_UID: u64 = 2003;
const CATEGORY_UID: u64 = 2;
const ACTIVITY_CREATE: u64 = 1;

/// The findings of `reports`, as a JSON array.
pub fn findings(reports: &[Report], ctx: &Context) -> Result<Value, OutputError> {
    let time = ctx.epoch_millis()?;
    let mut list = Vec::new();
    for report in reports {
        for control in &CONTROLS {
            list.push(finding(report, control, ctx, time));
        }
    }
    Ok(Value::Array(list))
}

/// The stable `finding_info.uid` of a control's finding for an account and region.
pub fn finding_uid(partition: &str, account_id: &str, region: &str, control: &Control) -> String {
    format!("kmswatch:{partition}:{account_id}:{region}:{}", control.key)
}

/// `compliance.status_id` and `status`: OCSF's Warning is "did not yield a
/// result due to missing information", which is what ERROR and MANUAL mean.
fn compliance_status(status: Status) -> (u64, &'static str) {
    match status {
        Status::Pass => (1, "Pass"),
        Status::Fail => (3, "Fail"),
        Status::Error | Status::Manual => (2, "Warning"),
    }
}

/// `severity_id` and `severity`: a failure weighs as Security Hub weighs
/// CloudWatch.7 (Low); anything else informs.
fn severity(status: Status) -> (u64, &'static str) {
    match status {
        Status::Fail => (2, "Low"),
        _ => (1, "Informational"),
    }
}

/// `status_id` and `status` of the finding itself: a pass is resolved.
fn finding_status(status: Status) -> (u64, &'static str) {
    match status {
        Status::Pass => (4, "Resolved"),
        _ => (1, "New"),
    }
}

fn resource(r: &Resource, partition: &str) -> Value {
    let mut v = json!({
        "uid": r.id,
        "type": r.kind.cloudformation_type(),
        "cloud_partition": partition,
    });
    if let Some(name) = &r.name {
        v["name"] = json!(name);
    }
    if let Some(region) = &r.region {
        v["region"] = json!(region);
    }
    v
}

fn finding(report: &Report, control: &Control, ctx: &Context, time: u64) -> Value {
    let partition = account::partition_of(report);
    let blocking = account::blocking_gaps(report);
    let (compliance_id, compliance_name) = compliance_status(report.status);
    let (severity_id, severity_name) = severity(report.status);
    let (status_id, status_name) = finding_status(report.status);
    let uid = finding_uid(&partition, &report.account_id, &report.region, control);
    let mut finding = json!({
        "class_uid": CLASS_UID,
        "class_name": "Compliance Finding",
        "category_uid": CATEGORY_UID,
        "category_name": "Findings",
        "activity_id": ACTIVITY_CREATE,
        "activity_name": "Create",
        "type_uid": CLASS_UID * 100 + ACTIVITY_CREATE,
        "type_name": "Compliance Finding: Create",
        "time": time,
        "severity_id": severity_id,
        "severity": severity_name,
        "status_id": status_id,
        "status": status_name,
        "status_code": report.status.as_str(),
        "status_detail": report.summary,
        "message": report.summary,
        "metadata": {
            "version": OCSF_VERSION,
            "profiles": OCSF_PROFILES,
            "product": {
                "name": "kmswatch",
                "vendor_name": "kmswatch",
                "uid": "kmswatch",
                "version": ctx.kmswatch_version,
                "url_string": "https://github.com/kmswatch/kmswatch",
            },
            "log_name": "kmswatch",
            "event_code": control.key,
        },
        "finding_info": {
            "uid": uid,
            "title": control.title,
            "desc": report.summary,
            "types": ["Software and Configuration Checks/Industry and Regulatory Standards"],
            "created_time": time,
            "modified_time": time,
        },
        "compliance": {
            "standards": [control.standard],
            "control": control.control,
            "requirements": [format!("{}/{}", control.standard, control.control)],
            "status_id": compliance_id,
            "status": compliance_name,
            "status_code": report.status.as_str(),
            "status_detail": report.summary,
        },
        "cloud": {
            "provider": "AWS",
            "region": report.region,
            "cloud_partition": partition,
            "account": {
                "uid": report.account_id,
                "type_id": 10,
                "type": "AWS Account",
            },
        },
        "resources": account::resources(report)
            .iter()
            .map(|r| resource(r, &partition))
            .collect::<Vec<_>>(),
        "unmapped": {
            "kmswatch": {
                "status": report.status.as_str(),
                "gap_codes": account::distinct_codes(blocking.iter().copied()),
                "warnings": account::distinct_codes(&report.warnings),
                "cis_pattern_exact": report.cis_pattern.exact,
            }
        },
    });
    let fixes = account::distinct_fixes(blocking.iter().copied());
    if !fixes.is_empty() {
        finding["remediation"] = json!({
            "desc": fixes.join("; "),
            "references": [DOCUMENTATION_URL],
        });
    }
    finding
}

//! OCSF Compliance Findings (class 2003), one per account and control
//! ([`super::CONTROLS`], and those of every other CIS monitoring control a
//! report judges): what Security Hub, Prowler, Security Lake and
//! OCSF-native SIEMs read. The schema version is [`OcsfVersion`]: 1.6.0, the
//! one Security Hub reads, unless the caller asks for another.

use super::account::{self, Resource};
use super::controls::{requirements, Control, Requirement, DOCUMENTATION_URL};
use super::subjects::subjects;
use super::{Context, OutputError};
use crate::check::{Report, Status};
use serde_json::{json, Value};

/// The OCSF schema version the findings declare (`metadata.version`) by
/// default: [`OcsfVersion::DEFAULT`].
pub const OCSF_VERSION: &str = "1.6.0";

/// An OCSF schema version the findings may be written in: those whose
/// Compliance Finding class (with the `cloud` profile) holds every field
/// kmswatch writes — 1.4.0 added `resources` and `cloud.cloud_partition`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OcsfVersion {
    /// 1.4.0.
    V1_4_0,
    /// 1.5.0 (kmswatch's default before 1.6.0).
    V1_5_0,
    /// 1.6.0, the version AWS Security Hub reads: the default.
    V1_6_0,
    /// 1.7.0.
    V1_7_0,
    /// 1.8.0.
    V1_8_0,
}

impl OcsfVersion {
    /// Every version, oldest first.
    pub const ALL: [OcsfVersion; 5] = [
        OcsfVersion::V1_4_0,
        OcsfVersion::V1_5_0,
        OcsfVersion::V1_6_0,
        OcsfVersion::V1_7_0,
        OcsfVersion::V1_8_0,
    ];

    /// The version written unless another is asked for (Security Hub's).
    pub const DEFAULT: OcsfVersion = OcsfVersion::V1_6_0;

    /// The version as `metadata.version` and `--ocsf-version` spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            OcsfVersion::V1_4_0 => "1.4.0",
            OcsfVersion::V1_5_0 => "1.5.0",
            OcsfVersion::V1_6_0 => "1.6.0",
            OcsfVersion::V1_7_0 => "1.7.0",
            OcsfVersion::V1_8_0 => "1.8.0",
        }
    }

    /// The version spelled `name` (`1.6.0`; `1.6` too).
    ///
    /// ```
    /// use kmswatch_decisions::output::ocsf::OcsfVersion;
    /// assert_eq!(OcsfVersion::from_name("1.7").unwrap(), OcsfVersion::V1_7_0);
    /// assert!(OcsfVersion::from_name("1.0.0").is_err());
    /// ```
    pub fn from_name(name: &str) -> Result<Self, OutputError> {
        let full = if name.matches('.').count() == 1 {
            format!("{name}.0")
        } else {
            name.to_owned()
        };
        Self::ALL
            .into_iter()
            .find(|v| v.as_str() == full)
            .ok_or_else(|| OutputError::UnknownOcsfVersion(name.to_owned()))
    }
}

impl Default for OcsfVersion {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl std::fmt::Display for OcsfVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
/// The OCSF profiles the findings use (`metadata.profiles`).
pub const OCSF_PROFILES: [&str; 1] = ["cloud"];

const CLASS_UID: u64 = 2003;
const CATEGORY_UID: u64 = 2;
const ACTIVITY_CREATE: u64 = 1;

/// The findings of `reports`, as a JSON array.
pub fn findings(reports: &[Report], ctx: &Context) -> Result<Value, OutputError> {
    let time = ctx.epoch_millis()?;
    let mut list = Vec::new();
    for subject in subjects(reports) {
        for control in requirements(subject.control) {
            list.push(finding(&subject.report, &control, ctx, time));
        }
    }
    Ok(Value::Array(list))
}

/// The stable `finding_info.uid` of a control's finding for an account and region.
pub fn finding_uid(partition: &str, account_id: &str, region: &str, control: &Control) -> String {
    uid_of(partition, account_id, region, control.key)
}

fn uid_of(partition: &str, account_id: &str, region: &str, key: &str) -> String {
    format!("kmswatch:{partition}:{account_id}:{region}:{key}")
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

fn finding(report: &Report, control: &Requirement, ctx: &Context, time: u64) -> Value {
    let partition = account::partition_of(report);
    let blocking = account::blocking_gaps(report);
    let (compliance_id, compliance_name) = compliance_status(report.status);
    let (severity_id, severity_name) = severity(report.status);
    let (status_id, status_name) = finding_status(report.status);
    let uid = uid_of(&partition, &report.account_id, &report.region, &control.key);
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
            "version": ctx.ocsf_version.as_str(),
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

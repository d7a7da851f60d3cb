//! An AWS Security Finding Format (ASFF) finding: the members kmswatch fills,
//! named as `BatchImportFindings` and the ASFF JSON name them.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The ASFF schema version every finding declares.
pub const ASFF_SCHEMA_VERSION: &str = "2018-10-08";

/// The most findings one `BatchImportFindings` call takes.
pub const BATCH_SIZE: usize = 100;

/// One ASFF finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AsffFinding {
    /// Always [`ASFF_SCHEMA_VERSION`].
    pub schema_version: String,
    /// Stable across runs: the same account, region and control give the same id,
    /// so Security Hub updates the finding instead of adding one.
    pub id: String,
    /// The account's default product: `arn:<partition>:securityhub:<region>:<account>:product/<account>/default`.
    pub product_arn: String,
    /// The check that made the finding.
    pub generator_id: String,
    /// The account the finding is about.
    pub aws_account_id: String,
    /// ASFF finding types (`namespace/category/classifier`).
    pub types: Vec<String>,
    /// When the finding was first made (RFC 3339).
    pub created_at: String,
    /// When it was last made (RFC 3339).
    pub updated_at: String,
    /// How much it weighs.
    pub severity: AsffSeverity,
    /// At most 256 characters.
    pub title: String,
    /// At most 1024 characters.
    pub description: String,
    /// The product's name.
    pub product_name: String,
    /// The product's company.
    pub company_name: String,
    /// The region of the check.
    pub region: String,
    /// What the finding is about (at least one).
    pub resources: Vec<AsffResource>,
    /// The verdict against the control.
    pub compliance: AsffCompliance,
    /// What to do.
    pub remediation: AsffRemediation,
    /// The gap codes and kmswatch's own verdict (string values only).
    pub product_fields: BTreeMap<String, String>,
    /// `NEW` for a finding to look at, `RESOLVED` for a pass.
    pub workflow: AsffWorkflow,
    /// Always `ACTIVE`.
    pub record_state: String,
}

/// `Severity`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AsffSeverity {
    /// `INFORMATIONAL`, `LOW`, `MEDIUM`, `HIGH` or `CRITICAL`.
    pub label: String,
    /// kmswatch's verdict: `PASS`, `FAIL`, `ERROR` or `MANUAL`.
    pub original: String,
}

/// One of `Resources`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AsffResource {
    /// `AwsCloudTrailTrail`, `AwsSnsTopic`, `AwsCloudWatchAlarm`, `AwsAccount` or `Other`.
    pub r#type: String,
    /// The ARN (or, for the account, `AWS::::Account:<id>`).
    pub id: String,
    /// `aws`, `aws-cn` or `aws-us-gov`: the partitions ASFF names (none elsewhere).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition: Option<String>,
    /// The resource's region.
    pub region: String,
}

/// `Compliance`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AsffCompliance {
    /// `PASSED`, `FAILED`, `WARNING` (MANUAL: the check ran but cannot see
    /// everything) or `NOT_AVAILABLE` (ERROR: a call failed).
    pub status: String,
    /// The CIS requirements (`CIS AWS Foundations Benchmark v1.4.0/4.7`...).
    pub related_requirements: Vec<String>,
    /// `CloudWatch.7`.
    pub security_control_id: String,
}

/// `Remediation`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AsffRemediation {
    /// `Recommendation`.
    pub recommendation: AsffRecommendation,
}

/// `Remediation.Recommendation`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AsffRecommendation {
    /// At most 512 characters.
    pub text: String,
    /// Where the fix is documented.
    pub url: String,
}

/// `Workflow`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AsffWorkflow {
    /// `NEW` or `RESOLVED`.
    pub status: String,
}

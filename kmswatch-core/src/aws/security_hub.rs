//! Security Hub: `BatchImportFindings` of the ASFF findings kmswatch builds.

use super::AwsBackend;
use crate::api::ApiError;
use crate::operation::Operation;
use crate::security_hub::{AsffFinding, FailedFinding, FindingsApi};
use async_trait::async_trait;
use aws_sdk_securityhub::types::{
    AwsSecurityFinding, Compliance, ComplianceStatus, Partition, Recommendation, RecordState,
    Remediation, Resource, Severity, SeverityLabel, Workflow, WorkflowStatus,
};

#[async_trait]
impl FindingsApi for AwsBackend {
    /// One `BatchImportFindings` request.
    async fn batch_import_findings(
        &self,
        region: &str,
        findings: &[AsffFinding],
    ) -> Result<Vec<FailedFinding>, ApiError> {
        let (client, call) = self.call(
            &self.securityhub,
            Operation::BatchImportFindings,
            region,
            None,
        )?;
        let output = client
            .batch_import_findings()
            .set_findings(Some(findings.iter().map(to_sdk).collect()))
            .send()
            .await
            .map_err(|e| call.sdk_error(e))?;
        Ok(output
            .failed_findings
            .unwrap_or_default()
            .into_iter()
            .map(|f| FailedFinding {
                id: f.id.unwrap_or_default(),
                code: f.error_code.unwrap_or_default(),
                message: f.error_message.unwrap_or_default(),
            })
            .collect())
    }
}

/// The SDK's shape of a finding: the same members, typed.
fn to_sdk(f: &AsffFinding) -> AwsSecurityFinding {
    let mut builder = AwsSecurityFinding::builder()
        .schema_version(&f.schema_version)
        .id(&f.id)
        .product_arn(&f.product_arn)
        .generator_id(&f.generator_id)
        .aws_account_id(&f.aws_account_id)
        .set_types(Some(f.types.clone()))
        .created_at(&f.created_at)
        .updated_at(&f.updated_at)
        .severity(
            Severity::builder()
                .label(SeverityLabel::from(f.severity.label.as_str()))
                .original(&f.severity.original)
                .build(),
        )
        .title(&f.title)
        .description(&f.description)
        .product_name(&f.product_name)
        .company_name(&f.company_name)
        .region(&f.region)
        .compliance(
            Compliance::builder()
                .status(ComplianceStatus::from(f.compliance.status.as_str()))
                .set_related_requirements(Some(f.compliance.related_requirements.clone()))
                .security_control_id(&f.compliance.security_control_id)
                .build(),
        )
        .remediation(
            Remediation::builder()
                .recommendation(
                    Recommendation::builder()
                        .text(&f.remediation.recommendation.text)
                        .url(&f.remediation.recommendation.url)
                        .build(),
                )
                .build(),
        )
        .workflow(
            Workflow::builder()
                .status(WorkflowStatus::from(f.workflow.status.as_str()))
                .build(),
        )
        .record_state(RecordState::from(f.record_state.as_str()));
    for r in &f.resources {
        builder = builder.resources(
            Resource::builder()
                .r#type(&r.r#type)
                .id(&r.id)
                .set_partition(r.partition.as_deref().map(Partition::from))
                .region(&r.region)
                .build(),
        );
    }
    for (key, value) in &f.product_fields {
        builder = builder.product_fields(key, value);
    }
    builder.build()
}

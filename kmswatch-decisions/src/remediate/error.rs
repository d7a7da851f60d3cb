//! Why a remediation stops. Every variant says what to do next.

use super::executed::{ChangedSincePlan, ExecuteError};
use crate::api_error::ApiError;
use crate::check::{Gap, Status};
use crate::exit_codes::ErrorClass;

/// Why kmswatch will not (or could not) fix the account.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RemediateError {
    /// A trail-level prerequisite is missing: kmswatch never invents a trail or
    /// a log group, so a human must fix these first.
    #[error("cannot remediate: the trail prerequisites are missing:{}", list(gaps))]
    PrerequisiteMissing {
        /// What is missing, with the fix for each.
        gaps: Vec<Gap>,
    },
    /// A fact the plan depends on is unknown (a call failed or was denied).
    #[error("cannot plan: facts the plan depends on are unknown:{}", list(gaps))]
    FactsIncomplete {
        /// What is unknown, and why.
        gaps: Vec<Gap>,
    },
    /// A resource of the chosen name exists with different settings, and kmswatch
    /// does not overwrite what it did not create.
    #[error(
        "{resource} already exists with different settings ({}); kmswatch leaves it untouched. \
         Choose another name, or pass --adopt to take it over",
        differences.join("; ")
    )]
    Conflict {
        /// The resource, e.g. `alarm kmswatch-kms-key-disable-or-deletion in us-east-1`.
        resource: String,
        /// How it differs from what kmswatch would write.
        differences: Vec<String>,
    },
    /// The log group already has the 100 metric filters AWS allows.
    #[error(
        "log group {log_group} already has 100 metric filters, the AWS limit: delete an unused \
         filter or reuse one (pass --filter-name NAME of a filter kmswatch may replace, with --adopt)"
    )]
    FilterLimit {
        /// The log group name.
        log_group: String,
    },
    /// A new topic would be created with nobody to read it, and no alarm of
    /// the chain reaches a subscriber through a topic the new alarm could
    /// share (kmswatch never picks another of the account's topics itself).
    #[error(
        "the alarm needs an SNS topic with a confirmed subscriber, and kmswatch does not pick \
         one of the account's other topics on its own: pass --email ADDR, --subscribe \
         PROTOCOL:ENDPOINT or --topic-arn ARN"
    )]
    NoSubscriber,
    /// An option is not valid.
    #[error("invalid option: {0}")]
    InvalidOption(String),
    /// The plan, applied to a copy of the account, does not pass.
    #[error("the plan would not make the account pass (predicted {predicted}: {summary}); nothing was changed")]
    NotPassAfterPreview {
        /// The predicted verdict.
        predicted: Status,
        /// Why.
        summary: String,
    },
    /// An AWS call failed.
    #[error(transparent)]
    Api(#[from] ApiError),
    /// Applying stopped at a failed call; the actions before it stay applied,
    /// and a new run continues from there.
    #[error(transparent)]
    ApplyFailed(#[from] ExecuteError),
    /// Applying stopped before a write whose target changed after the plan.
    #[error(transparent)]
    ChangedSincePlan(#[from] ChangedSincePlan),
}

fn list(gaps: &[Gap]) -> String {
    gaps.iter()
        .map(|g| {
            format!(
                "\n  - {}{}: {} (fix: {})",
                g.code,
                g.resource
                    .as_deref()
                    .map(|r| format!(" [{r}]"))
                    .unwrap_or_default(),
                g.message,
                g.fix
            )
        })
        .collect()
}

impl RemediateError {
    /// Its class.
    pub fn class(&self) -> ErrorClass {
        match self {
            RemediateError::Api(_) | RemediateError::ApplyFailed(_) => ErrorClass::Aws,
            RemediateError::NoSubscriber | RemediateError::InvalidOption(_) => {
                ErrorClass::RemediationUsage
            }
            RemediateError::FactsIncomplete { .. } => ErrorClass::RemediationFactsUnknown,
            // The preview could not decide: a fact is unknown, not a refusal.
            RemediateError::NotPassAfterPreview {
                predicted: Status::Error | Status::Manual,
                ..
            } => ErrorClass::RemediationFactsUnknown,
            _ => ErrorClass::RemediationRefused,
        }
    }

    /// The exit code of `kmswatch remediate` for this error: 1 when the account
    /// cannot safely be brought to PASS as it is, 2 for usage errors, 3 when a
    /// call failed or a needed fact is unknown.
    pub fn exit_code(&self) -> u8 {
        self.class().exit_code()
    }
}

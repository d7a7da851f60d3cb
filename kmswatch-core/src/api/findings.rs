//! AWS Security Hub's `BatchImportFindings`: the one call `--send-to-security-hub`
//! makes. Batching, the in-memory backend and the finding type are in
//! `security_hub`.

use crate::api::ApiError;
use async_trait::async_trait;
use kmswatch_decisions::security_hub::AsffFinding;
use serde::{Deserialize, Serialize};

/// A finding Security Hub did not import, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FailedFinding {
    /// The finding's `Id`.
    pub id: String,
    /// Security Hub's error code (or the failed call's, when the whole batch failed).
    pub code: String,
    /// Security Hub's message.
    pub message: String,
}

/// Security Hub's `BatchImportFindings`.
#[async_trait]
pub trait FindingsApi: Send + Sync {
    /// Imports at most `BATCH_SIZE` findings into `region`; the answer lists
    /// the ones refused (an empty list: all imported). A failed call is an
    /// [`ApiError`].
    async fn batch_import_findings(
        &self,
        region: &str,
        findings: &[AsffFinding],
    ) -> Result<Vec<FailedFinding>, ApiError>;
}

//! Sending findings to AWS Security Hub: the [`FindingsApi`] trait
//! (`BatchImportFindings`, defined with the other service traits), its in-memory backend ([`MemoryFindings`]), and
//! [`import`], which sends any number of findings in batches of
//! [`BATCH_SIZE`] and says which ones Security Hub refused. The AWS SDK
//! backend is `aws::SecurityHubFindings`.
//!
//! Findings are built by [`crate::output::asff`]; this module only moves them.

mod memory;

pub use kmswatch_decisions::security_hub::*;
pub use memory::MemoryFindings;

pub use crate::api::{FailedFinding, FindingsApi};

use serde::{Deserialize, Serialize};

/// What [`import`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ImportSummary {
    /// Findings Security Hub took.
    pub imported: usize,
    /// Findings it refused, or that were in a batch whose call failed.
    pub failed: Vec<FailedFinding>,
}

impl ImportSummary {
    /// Whether every finding was imported.
    pub fn all_imported(&self) -> bool {
        self.failed.is_empty()
    }
}

/// Imports `findings`, each into its own region, in batches of at most
/// [`BATCH_SIZE`], one batch after another. A batch whose call fails counts
/// all its findings as failed; the others are still sent.
pub async fn import(api: &dyn FindingsApi, findings: &[AsffFinding]) -> ImportSummary {
    let mut regions: Vec<&str> = Vec::new();
    for f in findings {
        if !regions.contains(&f.region.as_str()) {
            regions.push(&f.region);
        }
    }
    let mut summary = ImportSummary::default();
    for region in regions {
        let in_region: Vec<AsffFinding> = findings
            .iter()
            .filter(|f| f.region == region)
            .cloned()
            .collect();
        for batch in in_region.chunks(BATCH_SIZE) {
            match api.batch_import_findings(region, batch).await {
                Ok(failed) => {
                    summary.imported += batch.len().saturating_sub(failed.len());
                    summary.failed.extend(failed);
                }
                Err(e) => summary.failed.extend(batch.iter().map(|f| FailedFinding {
                    id: f.id.clone(),
                    code: e.code.clone(),
                    message: e.to_string(),
                })),
            }
        }
    }
    summary
}

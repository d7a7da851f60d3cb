//! Security Hub in memory: keeps what it imports, refuses what it is told to.

use super::{AsffFinding, FailedFinding, FindingsApi, BATCH_SIZE};
use crate::api::{ApiError, ApiErrorKind};
use crate::operation::Operation;
use async_trait::async_trait;
use std::collections::BTreeMap;
use std::sync::Mutex;

/// An in-memory Security Hub: findings by id (a finding imported again
/// replaces the old one, as in Security Hub), the batch sizes it was sent, and
/// ids it refuses.
#[derive(Debug, Default)]
pub struct MemoryFindings {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    findings: BTreeMap<String, AsffFinding>,
    batches: Vec<usize>,
    refuse: Vec<String>,
    fail_calls: bool,
}

impl MemoryFindings {
    /// An empty Security Hub.
    pub fn new() -> Self {
        Self::default()
    }

    /// Refuses the finding with this id (`InvalidInput`), as Security Hub
    /// refuses a malformed one.
    pub fn refuse(&self, id: &str) {
        self.lock().refuse.push(id.to_owned());
    }

    /// Fails every call with `AccessDeniedException`.
    pub fn deny_calls(&self) {
        self.lock().fail_calls = true;
    }

    /// The findings imported, by id.
    pub fn findings(&self) -> Vec<AsffFinding> {
        self.lock().findings.values().cloned().collect()
    }

    /// The size of each batch received, in order.
    pub fn batches(&self) -> Vec<usize> {
        self.lock().batches.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic while holding the lock leaves plain data behind.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[async_trait]
impl FindingsApi for MemoryFindings {
    async fn batch_import_findings(
        &self,
        region: &str,
        findings: &[AsffFinding],
    ) -> Result<Vec<FailedFinding>, ApiError> {
        let mut state = self.lock();
        if state.fail_calls {
            return Err(ApiError::new(
                Operation::BatchImportFindings,
                ApiErrorKind::AccessDenied,
                "AccessDeniedException",
                "not authorized to perform securityhub:BatchImportFindings",
            )
            .in_region(region));
        }
        if findings.len() > BATCH_SIZE {
            return Err(ApiError::new(
                Operation::BatchImportFindings,
                ApiErrorKind::InvalidRequest,
                "InvalidInputException",
                format!("at most {BATCH_SIZE} findings per call"),
            )
            .in_region(region));
        }
        state.batches.push(findings.len());
        let mut failed = Vec::new();
        for f in findings {
            if state.refuse.contains(&f.id) {
                failed.push(FailedFinding {
                    id: f.id.clone(),
                    code: "InvalidInput".to_owned(),
                    message: "the finding was refused".to_owned(),
                });
            } else {
                state.findings.insert(f.id.clone(), f.clone());
            }
        }
        Ok(failed)
    }
}

//! What applying did: each executed action with AWS's answer, and the action
//! that stopped a run (kept apart from `execute` so that errors can carry them).

use crate::api_error::ApiError;
use serde::{Deserialize, Serialize};

/// One executed action and what AWS answered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Executed {
    /// The action as planned.
    pub action: String,
    /// The ARN AWS returned (topic, subscription or `pending confirmation`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<String>,
}

/// An action that failed; the ones before it completed and stay applied.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("applying stopped at {action} ({} earlier action(s) completed and stay applied): {source}", completed.len())]
pub struct ExecuteError {
    /// The actions completed before the failure, in order, with what AWS answered.
    pub completed: Vec<Executed>,
    /// The action that failed, as planned.
    pub action: String,
    /// The failed call.
    pub source: ApiError,
}

/// A write kmswatch did not make because its target changed after the plan
/// was made; the actions before it completed and stay applied.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("stopped before {action}: {reason}; nothing of it was overwritten ({} earlier action(s) completed). Check the change, then run kmswatch remediate again", completed.len())]
pub struct ChangedSincePlan {
    /// The actions completed before, in order.
    pub completed: Vec<Executed>,
    /// The action not made.
    pub action: String,
    /// What changed.
    pub reason: String,
}

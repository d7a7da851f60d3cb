//! A remediation that stopped early, and the document that says how far it got:
//! a refused plan keeps its `kmswatch.plan/v1` shape with `"refused": true` and
//! the blocking gaps; an `--apply` that failed half-way lists the actions that
//! completed (with the ARNs created) and the one that failed; anything else is
//! a `kmswatch.error/v1` document.

use super::clock::{Clock, SystemClock};
use super::document::{ErrorDetail, ErrorDocument};
use super::failure::{ErrorClass, Failure};
use crate::remediate::{RemediateError, Remediation, PLAN_SCHEMA};
use serde_json::{json, Map, Value};

/// Why a remediation stopped, with what was known at that point.
#[derive(Debug)]
pub struct Stopped {
    /// Why it stopped.
    pub failure: Failure,
    /// The account, once known.
    pub account_id: Option<String>,
    /// The region whose trails were listed.
    pub region: Option<String>,
    /// The plan and its preview, when planning got that far.
    pub remediation: Option<Remediation>,
}

impl Stopped {
    /// A stop before anything about the account was known.
    pub fn early(failure: Failure) -> Self {
        Stopped {
            failure,
            account_id: None,
            region: None,
            remediation: None,
        }
    }

    /// The exit code of `kmswatch remediate`.
    pub fn exit_code(&self) -> u8 {
        self.failure.class().exit_code()
    }

    /// The one JSON document for this stop (see the module documentation).
    pub fn to_json(&self) -> String {
        let Failure::Remediate(error) = &self.failure else {
            return ErrorDocument::of(&self.failure).to_json();
        };
        let mut document = match self.plan_document() {
            Some(document) => document,
            None => return ErrorDocument::of(&self.failure).to_json(),
        };
        let detail = ErrorDocument::of(&self.failure).error;
        match error {
            RemediateError::ApplyFailed(e) => {
                document.insert("applied".into(), Value::Bool(false));
                document.insert("status".into(), json!("ERROR"));
                document.insert("completed".into(), json!(e.completed));
                document.insert(
                    "failed".into(),
                    // `index`: the failed action's position in `actions`.
                    json!({ "index": e.completed.len(), "action": e.action, "error": detail }),
                );
            }
            RemediateError::PrerequisiteMissing { .. }
            | RemediateError::FactsIncomplete { .. }
            | RemediateError::Conflict { .. }
            | RemediateError::FilterLimit { .. }
            | RemediateError::NotPassAfterPreview { .. } => {
                let status = if detail.class == ErrorClass::RemediationRefused {
                    "FAIL"
                } else {
                    "ERROR"
                };
                document.insert("refused".into(), Value::Bool(true));
                document.insert("status".into(), json!(status));
                document.insert("blocking_gaps".into(), blocking_gaps(error));
                document.insert("refusal".into(), refusal(error, detail));
            }
            RemediateError::ChangedSincePlan(e) => {
                document.insert("applied".into(), Value::Bool(false));
                document.insert("refused".into(), Value::Bool(true));
                document.insert("status".into(), json!("FAIL"));
                document.insert("completed".into(), json!(e.completed));
                document.insert("blocking_gaps".into(), json!([]));
                document.insert(
                    "refusal".into(),
                    json!({ "code": detail.code, "message": detail.message, "action": e.action, "reason": e.reason }),
                );
            }
            RemediateError::NoSubscriber
            | RemediateError::InvalidOption(_)
            | RemediateError::Api(_) => return ErrorDocument::of(&self.failure).to_json(),
        }
        // Only strings, numbers, bools, lists and string-keyed maps.
        serde_json::to_string_pretty(&Value::Object(document)).unwrap_or_default()
    }

    /// The plan document to extend: the plan when there is one, else its
    /// skeleton (no actions); `None` when not even the account is known.
    fn plan_document(&self) -> Option<Map<String, Value>> {
        if let Some(remediation) = &self.remediation {
            if let Ok(Value::Object(map)) = serde_json::to_value(remediation) {
                return Some(map);
            }
        }
        let account_id = self.account_id.as_ref()?;
        let mut map = Map::new();
        map.insert("schema".into(), json!(PLAN_SCHEMA));
        map.insert("account_id".into(), json!(account_id));
        map.insert("region".into(), json!(self.region));
        map.insert("actions".into(), json!([]));
        map.insert("applied".into(), Value::Bool(false));
        // Every plan document says which kmswatch made it, and when.
        map.insert("kmswatch_version".into(), json!(crate::VERSION));
        map.insert("generated_at".into(), json!(SystemClock.now_rfc3339()));
        Some(map)
    }
}

/// The gaps that stand in the way, as the report shows them.
fn blocking_gaps(error: &RemediateError) -> Value {
    match error {
        RemediateError::PrerequisiteMissing { gaps } | RemediateError::FactsIncomplete { gaps } => {
            json!(gaps)
        }
        _ => json!([]),
    }
}

/// Why kmswatch refused: the code and message, and for a name conflict the
/// resource and its differences.
fn refusal(error: &RemediateError, detail: ErrorDetail) -> Value {
    let mut refusal = json!({ "code": detail.code, "message": detail.message });
    match error {
        RemediateError::Conflict {
            resource,
            differences,
        } => {
            refusal["resource"] = json!(resource);
            refusal["differences"] = json!(differences);
        }
        RemediateError::NotPassAfterPreview { predicted, .. } => {
            refusal["predicted_status"] = json!(predicted);
        }
        _ => {}
    }
    refusal
}

//! Facts that are missing: ERROR when a call failed (or the fact was never
//! gathered), MANUAL when these credentials may not see another account's
//! resource. Never read as good news.

use crate::api_error::ApiError;
use crate::check::facts::{is_visibility_error, Facts};
use crate::check::gap::{Gap, Severity};
use crate::check::gap_code::GapCode;
use crate::model::Arn;
use crate::operation::Operation;

/// A gap for a fact that is missing because `error` happened.
pub fn unknown_gap(
    facts: &Facts,
    code: GapCode,
    error: &ApiError,
    resource: Option<&str>,
    what: &str,
) -> Gap {
    let resource = resource.or(error.resource.as_deref());
    let other_account = resource
        .and_then(Arn::parse)
        .is_some_and(|a| !a.account_id.is_empty() && a.account_id != facts.account_id);
    let (severity, fix) = if other_account && is_visibility_error(error) {
        (
            Severity::Manual,
            "check it with credentials of the account that owns it".to_owned(),
        )
    } else if is_visibility_error(error) {
        (
            Severity::Error,
            format!(
                "allow these credentials {} and run the check again",
                error.operation
            ),
        )
    } else {
        (
            Severity::Error,
            "run the check again; if it persists, look into the error".to_owned(),
        )
    };
    Gap::new(code, severity, resource, format!("{what}: {error}"), fix)
}

/// A gap for a fact that is neither present nor explained by an error.
pub fn missing_gap(code: GapCode, resource: &str, what: &str) -> Gap {
    Gap::new(
        code,
        Severity::Error,
        Some(resource),
        format!("{what}: not in the facts"),
        "gather the facts again (kmswatch snapshot) so that they are complete",
    )
}

/// The gap for a missing fact about `resource` that `operation` reads.
pub fn fact_gap(
    facts: &Facts,
    code: GapCode,
    operation: Operation,
    resource: &str,
    what: &str,
) -> Gap {
    match facts.error_for(operation, Some(resource), None) {
        Some(e) => unknown_gap(facts, code, e, Some(resource), what),
        None => missing_gap(code, resource, what),
    }
}

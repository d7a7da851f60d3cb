//! Every call this crate makes into `kmswatch-core`, and the mapping of the
//! core's errors to error documents. Nothing else in the crate names a core item.

use crate::error::{ErrorCode, FfiError};
use crate::options;
use kmswatch_core::check::{self, Facts, SnapshotError};
use kmswatch_core::pattern::{FilterPattern, PatternError};
use kmswatch_core::remediate::{self, RemediateError};
use std::os::raw::c_int;

/// A compiled filter pattern; `Send + Sync`, so one may be shared by threads.
pub type CompiledPattern = FilterPattern;

/// A JSON document and the code the function returns with it.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// 0 PASS, 1 FAIL, 3 ERROR or MANUAL (for a plan: whether it reaches PASS).
    pub return_code: c_int,
    /// `kmswatch.report/v1` or `kmswatch.plan/v1`.
    pub document: String,
}

/// Evaluates a `kmswatch.facts/v1` document into a `kmswatch.report/v1` document.
pub fn evaluate(facts_json: &str) -> Result<Outcome, FfiError> {
    let facts = parse_facts(facts_json)?;
    let report = check::report(&facts);
    Ok(Outcome {
        return_code: c_int::from(report.status.exit_code()),
        document: report.to_json(),
    })
}

/// The dry run of `kmswatch remediate --snapshot --format json` on the facts:
/// 0 when the account passes as soon as the plan is applied, else 1 (a plan
/// that passes only once a subscription is confirmed included).
pub fn plan(facts_json: &str, options_json: &str) -> Result<Outcome, FfiError> {
    let facts = parse_facts(facts_json)?;
    let options = options::from_json(options_json)?
        .options()
        .map_err(remediate_error)?;
    let remediation = remediate::dry_run(&facts, &options).map_err(remediate_error)?;
    Ok(Outcome {
        return_code: c_int::from(remediation.exit_code()),
        document: remediation.to_json(),
    })
}

/// Parses a filter pattern.
pub fn compile_pattern(text: &str) -> Result<CompiledPattern, FfiError> {
    FilterPattern::parse(text).map_err(|e| pattern_error(&e))
}

/// Whether the pattern matches one raw log event.
pub fn pattern_matches(pattern: &CompiledPattern, event: &str) -> bool {
    pattern.matches(event)
}

/// The canonical form of a pattern.
pub fn canonical_pattern(pattern: &CompiledPattern) -> String {
    pattern.to_string()
}

fn parse_facts(text: &str) -> Result<Facts, FfiError> {
    Facts::from_json(text).map_err(|e| snapshot_error(&e))
}

fn snapshot_error(e: &SnapshotError) -> FfiError {
    FfiError::invalid(ErrorCode::SnapshotInvalid, e.to_string())
}

fn pattern_error(e: &PatternError) -> FfiError {
    FfiError {
        offset: Some(e.offset),
        ..FfiError::invalid(ErrorCode::PatternInvalid, e.to_string())
    }
}

fn remediate_error(e: RemediateError) -> FfiError {
    let code = match &e {
        RemediateError::PrerequisiteMissing { .. } => ErrorCode::PrerequisiteMissing,
        RemediateError::FactsIncomplete { .. } => ErrorCode::FactsIncomplete,
        RemediateError::Conflict { .. } | RemediateError::ChangedSincePlan(_) => {
            ErrorCode::Conflict
        }
        RemediateError::FilterLimit { .. } => ErrorCode::FilterLimit,
        RemediateError::NoSubscriber => ErrorCode::NoSubscriber,
        RemediateError::InvalidOption(_) => ErrorCode::OptionsInvalid,
        RemediateError::NotPassAfterPreview { .. } => ErrorCode::NotPassAfterPreview,
        RemediateError::Api(_) | RemediateError::ApplyFailed(_) => ErrorCode::ApiError,
    };
    let gaps = match &e {
        RemediateError::PrerequisiteMissing { gaps } | RemediateError::FactsIncomplete { gaps } => {
            gaps.iter()
                .filter_map(|g| serde_json::to_value(g).ok())
                .collect()
        }
        _ => Vec::new(),
    };
    FfiError {
        return_code: c_int::from(e.exit_code()),
        code,
        message: e.to_string(),
        offset: None,
        gaps,
    }
}

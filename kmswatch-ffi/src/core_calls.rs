//! Every call this crate makes into `kmswatch-decisions`, and the mapping of the
//! core's errors to error documents. Nothing else in the crate names a core item.

use crate::error::{ErrorCode, FfiError};
use crate::options;
use kmswatch_decisions::check::{self, Facts, SnapshotError};
use kmswatch_decisions::controls::{self, Control};
use kmswatch_decisions::corpus::CORPUS_ACCOUNT;
use kmswatch_decisions::log_search::{Found, Search, SearchError};
use kmswatch_decisions::pattern::{Explanation, FilterPattern, PatternError};
use kmswatch_decisions::remediate::{self, RemediateError};
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

/// Evaluates a facts document for the CIS monitoring controls `ids` names
/// (comma-separated; `cis` for all; empty for the KMS control): the report
/// with its `controls`, and the worst verdict's code.
pub fn evaluate_controls(facts_json: &str, ids: &str) -> Result<Outcome, FfiError> {
    let asked = selection(ids)?;
    let facts = parse_facts(facts_json)?;
    let report = check::judge(check::report(&facts), &facts, &asked);
    Ok(Outcome {
        return_code: c_int::from(report.status.exit_code()),
        document: report.to_json(),
    })
}

/// What a compiled pattern catches of a control's corpus (`kmswatch pattern
/// explain --control ID --format json`): 0 when it catches every target
/// event, else 1.
pub fn explain_pattern(pattern: &CompiledPattern, id: &str) -> Result<Outcome, FfiError> {
    let control = match id.trim() {
        "" => &controls::KMS,
        id => controls::find(id).ok_or_else(|| unknown_control(id))?,
    };
    let explanation = Explanation::for_control(pattern, CORPUS_ACCOUNT, control);
    Ok(Outcome {
        return_code: c_int::from(!explanation.coverage.is_complete()),
        // An explanation holds only strings, bools and lists.
        document: serde_json::to_string(&explanation).unwrap_or_default(),
    })
}

fn selection(ids: &str) -> Result<Vec<&'static Control>, FfiError> {
    controls::parse_selection(ids.split(',')).map_err(|e| unknown_control(&e.id))
}

fn unknown_control(id: &str) -> FfiError {
    FfiError::invalid(
        ErrorCode::OptionsInvalid,
        controls::ControlSelectionError { id: id.to_owned() }.to_string(),
    )
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

/// The matches of `pattern` in the log file `path` and the search's summary:
/// the `kmswatch.pattern-test/v1` summary with a `matches` array; 0 when an
/// event matched, else 1.
pub fn pattern_test_file(pattern: &str, path: &str) -> Result<Outcome, FfiError> {
    let search = Search::new(compile_pattern(pattern)?).input(path);
    let mut matches = Vec::new();
    let summary = search
        .run(|found| {
            if let Found::Match(m) = found {
                matches.push(m.to_json());
            }
            Ok(())
        })
        .map_err(|e| search_error(&e))?;
    if let Some(error) = summary.errors.first() {
        return Err(FfiError::invalid(
            ErrorCode::InputUnreadable,
            format!("cannot read {}: {}", error.name(), error.message),
        ));
    }
    // The summary's own text, its closing brace replaced by the matches:
    // each match is already JSON, written once.
    let summary_json = summary.to_json();
    let mut document = String::with_capacity(
        summary_json.len() + 16 + matches.iter().map(|m| m.len() + 1).sum::<usize>(),
    );
    document.push_str(summary_json.strip_suffix('}').unwrap_or(&summary_json));
    document.push_str(",\"matches\":[");
    document.push_str(&matches.join(","));
    document.push_str("]}");
    Ok(Outcome {
        return_code: c_int::from(summary.matched == 0),
        document,
    })
}

fn search_error(e: &SearchError) -> FfiError {
    match e {
        SearchError::InvalidPattern(e) => pattern_error(e),
        SearchError::Directory(path) => FfiError::invalid(
            ErrorCode::InputUnreadable,
            format!("{} is a directory: give one file", path.display()),
        ),
        other => FfiError::invalid(ErrorCode::InputUnreadable, other.to_string()),
    }
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

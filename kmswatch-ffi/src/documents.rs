//! `kmswatch_evaluate` and `kmswatch_plan`: a facts document in, a report or
//! plan document out.

use crate::boundary::{guard, text, write_document};
use crate::core_calls::{self, Outcome};
use crate::error::FfiError;
use std::os::raw::{c_char, c_int};

/// Evaluates a `kmswatch.facts/v1` document (the snapshot format of
/// `kmswatch snapshot`), read from `facts_json[0 .. facts_len]` (UTF-8, no NUL
/// needed).
///
/// Returns `KMSWATCH_PASS` (0), `KMSWATCH_FAIL` (1), `KMSWATCH_INVALID_INPUT`
/// (2) or `KMSWATCH_ERROR` (3: ERROR or MANUAL), the exit codes of
/// `kmswatch check`. `*report_json` receives a NUL-terminated
/// `kmswatch.report/v1` document, or a `kmswatch.error/v1` document for 2;
/// the caller frees it with `kmswatch_free_string`. `*report_len` (when
/// `report_len` is not NULL) receives its length without the NUL.
///
/// When `report_json` is NULL the function returns 2 and writes nothing.
///
/// # Safety
///
/// `facts_json` must be NULL or point to `facts_len` readable bytes;
/// `report_json` and `report_len` must be NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn kmswatch_evaluate(
    facts_json: *const c_char,
    facts_len: usize,
    report_json: *mut *mut c_char,
    report_len: *mut usize,
) -> c_int {
    let outcome = guard(|| {
        require_out(report_json, "report_json")?;
        // SAFETY: forwarded caller promise.
        let facts = unsafe { text(facts_json, facts_len, "facts_json") }?;
        core_calls::evaluate(facts)
    });
    // SAFETY: forwarded caller promise.
    unsafe { answer(outcome, report_json, report_len) }
}

/// The remediation plan for a facts document, as a dry run: the
/// `kmswatch.plan/v1` document `kmswatch remediate --snapshot FILE --format json`
/// prints (actions, diff, `predicted_status`...). Nothing is written anywhere.
///
/// `options_json[0 .. options_len]` is a JSON object whose keys are the keyword
/// arguments of the Python `kmswatch.plan()`: `email`, `subscribe`
/// (`PROTOCOL:ENDPOINT`), `topic_arn`, `filter_name`, `alarm_name`,
/// `topic_name`, `metric_namespace`, `metric_name`, `tags` (an object of
/// strings), `adopt` (a boolean), `kms_key`, `via` (`metric-filter` or
/// `eventbridge`; a snapshot holds no key listing, so an `eventbridge` plan
/// from one stops with a fact it needs), `rule_name` and `control` (a list of
/// CIS control ids, or `["cis"]`: a filter and an alarm for each control that
/// does not pass, as `kmswatch remediate --control`); pass `{}` for the
/// defaults. Unknown keys are an error.
///
/// Returns 0 when the plan reaches PASS as soon as it is applied, 1 when it
/// does not (e.g. a pending subscription must be confirmed first) or
/// kmswatch will not remediate as things are (a trail prerequisite is
/// missing, a name conflict, the filter limit),
/// 2 for invalid input (including a new topic without a subscriber), 3 when a
/// fact the plan needs is unknown; the exit codes of `kmswatch remediate`.
/// For 1, 2 and 3 without a plan, `*plan_json` receives a `kmswatch.error/v1`
/// document (with the report's `gaps` when a prerequisite is missing or a fact
/// unknown). Ownership as for `kmswatch_evaluate`.
///
/// # Safety
///
/// As for `kmswatch_evaluate`; `options_json` must be NULL or point to
/// `options_len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn kmswatch_plan(
    facts_json: *const c_char,
    facts_len: usize,
    options_json: *const c_char,
    options_len: usize,
    plan_json: *mut *mut c_char,
    plan_len: *mut usize,
) -> c_int {
    let outcome = guard(|| {
        require_out(plan_json, "plan_json")?;
        // SAFETY: forwarded caller promises.
        let facts = unsafe { text(facts_json, facts_len, "facts_json") }?;
        let options = unsafe { text(options_json, options_len, "options_json") }?;
        core_calls::plan(facts, options)
    });
    // SAFETY: forwarded caller promise.
    unsafe { answer(outcome, plan_json, plan_len) }
}

/// A NULL out-parameter is an error.
pub(crate) fn require_out(out: *mut *mut c_char, argument: &str) -> Result<(), FfiError> {
    if out.is_null() {
        return Err(FfiError::null(argument));
    }
    Ok(())
}

/// Writes the document (or the error document) and returns the code.
///
/// # Safety
///
/// As for [`write_document`].
pub(crate) unsafe fn answer(
    outcome: Result<Outcome, FfiError>,
    out: *mut *mut c_char,
    out_len: *mut usize,
) -> c_int {
    let (code, document) = match outcome {
        Ok(o) => (o.return_code, o.document),
        Err(e) => (e.return_code, e.to_document()),
    };
    // SAFETY: forwarded caller promise.
    unsafe { write_document(out, out_len, document) };
    code
}

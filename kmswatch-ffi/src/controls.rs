//! The CIS monitoring controls through the C ABI: a facts document judged
//! for several controls, and a compiled pattern judged on one control's corpus.

use crate::boundary::{guard, text};
use crate::core_calls;
use crate::documents::{answer, require_out};
use crate::pattern::KmswatchPattern;
use std::os::raw::{c_char, c_int};

/// `kmswatch_evaluate` for the CIS CloudWatch monitoring controls named in
/// `controls[0 .. controls_len]` (UTF-8, comma-separated ids: `4.1` to
/// `4.15`, `3.x` of CIS v1.2.0, `5.x` of v6.0.0, `CloudWatch.1` to
/// `CloudWatch.14`, or `cis` for all fifteen; empty for the KMS control).
///
/// The report has a `controls` entry per control (none when only 4.7 is
/// named: the report is then `kmswatch_evaluate`'s) and its status is the
/// worst of theirs, which the return code follows. An unknown id returns 2
/// with a `kmswatch.error/v1` document (`OPTIONS_INVALID`). Ownership as for
/// `kmswatch_evaluate`.
///
/// # Safety
///
/// As for `kmswatch_evaluate`; `controls` must be NULL or point to
/// `controls_len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn kmswatch_evaluate_controls(
    facts_json: *const c_char,
    facts_len: usize,
    controls: *const c_char,
    controls_len: usize,
    report_json: *mut *mut c_char,
    report_len: *mut usize,
) -> c_int {
    let outcome = guard(|| {
        require_out(report_json, "report_json")?;
        // SAFETY: forwarded caller promise.
        let facts = unsafe { text(facts_json, facts_len, "facts_json") }?;
        // SAFETY: forwarded caller promise.
        let ids = unsafe { text(controls, controls_len, "controls") }?;
        core_calls::evaluate_controls(facts, ids)
    });
    // SAFETY: forwarded caller promise.
    unsafe { answer(outcome, report_json, report_len) }
}

/// What the compiled pattern `p` catches of the corpus of the control named
/// in `control[0 .. control_len]` (one id as for
/// `kmswatch_evaluate_controls`; empty for the KMS control): the
/// `kmswatch.pattern/v1` document of `kmswatch pattern explain --control ID
/// --format json`.
///
/// Returns 0 when the pattern catches every target event of the control, 1
/// when it misses one, 2 for NULL arguments or an unknown control (with a
/// `kmswatch.error/v1` document). Ownership as for `kmswatch_evaluate`.
///
/// # Safety
///
/// `p` must be NULL or a live pattern from `kmswatch_pattern_new`; `control`
/// NULL or pointing to `control_len` readable bytes; `explanation_json` and
/// `explanation_len` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn kmswatch_pattern_explain(
    p: *const KmswatchPattern,
    control: *const c_char,
    control_len: usize,
    explanation_json: *mut *mut c_char,
    explanation_len: *mut usize,
) -> c_int {
    let outcome = guard(|| {
        require_out(explanation_json, "explanation_json")?;
        // SAFETY: the caller promises `p` is NULL or live.
        let pattern = unsafe { p.as_ref() }.ok_or_else(|| crate::error::FfiError::null("p"))?;
        // SAFETY: forwarded caller promise.
        let id = unsafe { text(control, control_len, "control") }?;
        core_calls::explain_pattern(pattern.compiled(), id)
    });
    // SAFETY: forwarded caller promise.
    unsafe { answer(outcome, explanation_json, explanation_len) }
}

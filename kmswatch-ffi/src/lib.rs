//! The C ABI of kmswatch: `libkmswatch.so` / `libkmswatch.a` and
//! `include/kmswatch.h`.
//!
//! A scanner that has its own inventory of an AWS account writes it as a
//! `kmswatch.facts/v1` document and gets kmswatch's verdict
//! (`kmswatch_evaluate`), the remediation plan (`kmswatch_plan`) and the
//! CloudWatch Logs filter-pattern engine (`kmswatch_pattern_*`, and
//! `kmswatch_pattern_test_file` over a log file), without the AWS SDK.
//!
//! Rules of the boundary:
//! - inputs are `(pointer, length)` pairs of UTF-8, not NUL-terminated strings;
//!   NULL and invalid UTF-8 are reported as errors, never dereferenced;
//! - every string kmswatch returns is NUL-terminated, owned by the caller and
//!   freed with [`kmswatch_free_string`]; a pattern is freed with
//!   `kmswatch_pattern_free`;
//! - no global state: every function may be called from any number of threads
//!   at once, and one compiled pattern may be shared for matching;
//! - a panic inside kmswatch is caught at the boundary and returned as code 2
//!   (or NULL / -1) with a `PANIC` error document.
#![warn(missing_docs)]

mod boundary;
mod controls;
mod core_calls;
mod documents;
mod error;
mod log_search;
mod options;
mod pattern;
#[cfg(test)]
mod tests;

pub use controls::{kmswatch_evaluate_controls, kmswatch_pattern_explain};
pub use documents::{kmswatch_evaluate, kmswatch_plan};
pub use log_search::kmswatch_pattern_test_file;
pub use pattern::{
    kmswatch_pattern_canonical, kmswatch_pattern_free, kmswatch_pattern_matches,
    kmswatch_pattern_new, KmswatchPattern,
};

use std::ffi::CStr;
use std::os::raw::{c_char, c_int};

/// `kmswatch_evaluate`: PASS, a KMS key disable or deletion reaches a human.
/// `kmswatch_plan`: the plan reaches PASS.
pub const KMSWATCH_PASS: c_int = 0;
/// `kmswatch_evaluate`: FAIL, not monitored. `kmswatch_plan`: the plan does not
/// reach PASS, or kmswatch will not remediate as things are.
pub const KMSWATCH_FAIL: c_int = 1;
/// Invalid input (NULL, invalid UTF-8, a malformed document, bad options); the
/// output is a `kmswatch.error/v1` document.
pub const KMSWATCH_INVALID_INPUT: c_int = 2;
/// `kmswatch_evaluate`: ERROR or MANUAL, the verdict depends on facts that are
/// unknown or not visible. `kmswatch_plan`: a fact the plan needs is unknown.
pub const KMSWATCH_ERROR: c_int = 3;

const VERSION: &CStr =
    match CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes()) {
        Ok(version) => version,
        Err(_) => panic!("the package version holds no NUL"),
    };

/// The version of kmswatch, e.g. `"0.1.0"`: a static string, never freed.
#[no_mangle]
pub extern "C" fn kmswatch_version() -> *const c_char {
    VERSION.as_ptr()
}

/// Frees a string kmswatch returned (a report, plan, error document or
/// canonical pattern). NULL is ignored.
///
/// # Safety
///
/// `s` must be NULL or a string returned by kmswatch, not yet freed.
#[no_mangle]
pub unsafe extern "C" fn kmswatch_free_string(s: *mut c_char) {
    // SAFETY: forwarded caller promise.
    unsafe { boundary::free_c_string(s) }
}

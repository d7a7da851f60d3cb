//! Compiled CloudWatch Logs filter patterns behind an opaque pointer.

use crate::boundary::{guard, into_c_string, text, write_document};
use crate::core_calls::{self, CompiledPattern};
use std::os::raw::{c_char, c_int};

/// A compiled filter pattern (opaque to C as `kmswatch_pattern`).
///
/// Immutable once compiled: any number of threads may match with one pattern
/// at once. Freed with `kmswatch_pattern_free`.
pub struct KmswatchPattern {
    compiled: CompiledPattern,
}

impl KmswatchPattern {
    /// The compiled pattern.
    pub(crate) fn compiled(&self) -> &CompiledPattern {
        &self.compiled
    }
}

// Sharing one pattern between threads is part of the ABI's promise.
const _: () = {
    const fn shareable<T: Send + Sync>() {}
    shareable::<KmswatchPattern>();
};

/// Compiles the CloudWatch Logs filter pattern `pattern[0 .. len]` (UTF-8).
///
/// Returns the pattern, to free with `kmswatch_pattern_free`, and sets
/// `*error_json` to NULL. On failure returns NULL and, when `error_json` is
/// not NULL, sets `*error_json` to a `kmswatch.error/v1` document (code
/// `PATTERN_INVALID` with the byte `offset` of the problem, `INVALID_ARGUMENT`,
/// `INVALID_UTF8`) that the caller frees with `kmswatch_free_string`.
///
/// # Safety
///
/// `pattern` must be NULL or point to `len` readable bytes; `error_json` must
/// be NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn kmswatch_pattern_new(
    pattern: *const c_char,
    len: usize,
    error_json: *mut *mut c_char,
) -> *mut KmswatchPattern {
    let compiled = guard(|| {
        // SAFETY: forwarded caller promise.
        let source = unsafe { text(pattern, len, "pattern") }?;
        core_calls::compile_pattern(source)
    });
    match compiled {
        Ok(compiled) => {
            if !error_json.is_null() {
                // SAFETY: checked non-NULL; the caller promises it is writable.
                unsafe { *error_json = std::ptr::null_mut() };
            }
            Box::into_raw(Box::new(KmswatchPattern { compiled }))
        }
        Err(e) => {
            // SAFETY: forwarded caller promise.
            unsafe { write_document(error_json, std::ptr::null_mut(), e.to_document()) };
            std::ptr::null_mut()
        }
    }
}

/// Whether the compiled pattern matches one raw log event `event[0 .. len]`
/// (UTF-8; a CloudTrail record as CloudWatch Logs receives it is one compact
/// JSON line).
///
/// Returns 1 for a match, 0 for no match, -1 when `p` or `event` is NULL or
/// the event is not valid UTF-8.
///
/// # Safety
///
/// `p` must be NULL or a live pattern from `kmswatch_pattern_new`; `event`
/// NULL or pointing to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn kmswatch_pattern_matches(
    p: *const KmswatchPattern,
    event: *const c_char,
    len: usize,
) -> c_int {
    // SAFETY: the caller promises `p` is NULL or live.
    let Some(pattern) = (unsafe { p.as_ref() }) else {
        return -1;
    };
    let matched = guard(|| {
        // SAFETY: forwarded caller promise.
        let event = unsafe { text(event, len, "event") }?;
        Ok(core_calls::pattern_matches(&pattern.compiled, event))
    });
    match matched {
        Ok(true) => 1,
        Ok(false) => 0,
        Err(_) => -1,
    }
}

/// The canonical form of a compiled pattern (the form `kmswatch pattern
/// explain` prints; two spellings of one pattern have the same canonical
/// form), as a NUL-terminated string the caller frees with
/// `kmswatch_free_string`; NULL when `p` is NULL.
///
/// # Safety
///
/// `p` must be NULL or a live pattern from `kmswatch_pattern_new`.
#[no_mangle]
pub unsafe extern "C" fn kmswatch_pattern_canonical(p: *const KmswatchPattern) -> *mut c_char {
    // SAFETY: the caller promises `p` is NULL or live.
    let Some(pattern) = (unsafe { p.as_ref() }) else {
        return std::ptr::null_mut();
    };
    guard(|| Ok(core_calls::canonical_pattern(&pattern.compiled)))
        .map(into_c_string)
        .unwrap_or(std::ptr::null_mut())
}

/// Frees a pattern from `kmswatch_pattern_new`; NULL is ignored. No thread
/// may be using the pattern.
///
/// # Safety
///
/// `p` must be NULL or a pattern from `kmswatch_pattern_new` not yet freed.
#[no_mangle]
pub unsafe extern "C" fn kmswatch_pattern_free(p: *mut KmswatchPattern) {
    if !p.is_null() {
        // SAFETY: the caller promises it came from `Box::into_raw` above.
        drop(unsafe { Box::from_raw(p) });
    }
}

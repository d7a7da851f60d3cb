//! Crossing the C boundary: reading `(pointer, length)` inputs, handing out
//! strings the caller frees, and keeping panics on the Rust side.

use crate::error::{ErrorCode, FfiError};
use std::ffi::CString;
use std::os::raw::c_char;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Runs `f`, turning a panic into a [`ErrorCode::Panic`] error: unwinding into C
/// is undefined behaviour, and a defect must not take the host process down.
pub fn guard<T>(f: impl FnOnce() -> Result<T, FfiError>) -> Result<T, FfiError> {
    // Everything `f` touches is either owned by it or read-only caller input;
    // nothing is left half-updated for a later call to observe.
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|payload| {
        let detail = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown cause".to_owned());
        Err(FfiError::invalid(
            ErrorCode::Panic,
            format!("internal error in kmswatch (please report it): {detail}"),
        ))
    })
}

/// The UTF-8 text at `ptr .. ptr + len`.
///
/// # Safety
///
/// Unless NULL, `ptr` must point to `len` readable bytes that stay unchanged
/// for the lifetime `'a`.
pub unsafe fn text<'a>(
    ptr: *const c_char,
    len: usize,
    argument: &str,
) -> Result<&'a str, FfiError> {
    if ptr.is_null() {
        return Err(FfiError::null(argument));
    }
    if len > isize::MAX as usize {
        return Err(FfiError::invalid(
            ErrorCode::InvalidArgument,
            format!("the length of {argument} ({len}) is larger than any buffer"),
        ));
    }
    // SAFETY: non-NULL, and the caller promises `len` readable bytes.
    let bytes = unsafe { std::slice::from_raw_parts(ptr.cast::<u8>(), len) };
    simdutf8::compat::from_utf8(bytes).map_err(|e| {
        FfiError::invalid(
            ErrorCode::InvalidUtf8,
            format!("{argument} is not valid UTF-8 ({e})"),
        )
    })
}

/// A NUL-terminated copy of `text` that the caller owns and frees with
/// `kmswatch_free_string`.
pub fn into_c_string(text: String) -> *mut c_char {
    // JSON escapes NUL as \u0000, so documents never hold one; strip any
    // anyway rather than fail.
    let c = CString::new(text).unwrap_or_else(|e| {
        let mut bytes = e.into_vec();
        bytes.retain(|&b| b != 0);
        CString::new(bytes).unwrap_or_default()
    });
    c.into_raw()
}

/// Stores a document in the caller's out-parameters: `*out` receives the
/// string, `*out_len` (when not NULL) its length without the NUL.
///
/// # Safety
///
/// `out` must be NULL or valid for a pointer write; `out_len` NULL or valid
/// for a `size_t` write.
pub unsafe fn write_document(out: *mut *mut c_char, out_len: *mut usize, document: String) {
    if out.is_null() {
        return;
    }
    let len = document.len();
    // SAFETY: checked non-NULL; the caller promises they are writable.
    unsafe {
        *out = into_c_string(document);
        if !out_len.is_null() {
            *out_len = len;
        }
    }
}

/// Frees a string made by [`into_c_string`]; NULL is ignored.
///
/// # Safety
///
/// `s` must be NULL or a pointer [`into_c_string`] returned, not yet freed.
pub unsafe fn free_c_string(s: *mut c_char) {
    if !s.is_null() {
        // SAFETY: the caller promises it came from `CString::into_raw`.
        drop(unsafe { CString::from_raw(s) });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_error() {
        let result: Result<(), FfiError> = guard(|| panic!("boom"));
        let err = result.unwrap_err();
        assert_eq!(err.code, ErrorCode::Panic);
        assert_eq!(err.return_code, 2);
        assert!(err.message.contains("boom"), "{}", err.message);
        let formatted: Result<(), FfiError> = guard(|| panic!("code {}", 7));
        assert!(formatted.unwrap_err().message.contains("code 7"));
    }

    #[test]
    fn null_and_bad_utf8_are_errors() {
        let err = unsafe { text(std::ptr::null(), 3, "facts_json") }.unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidArgument);
        assert_eq!(err.message, "facts_json is NULL");
        let bad = [b'{', 0xff, b'}'];
        let err = unsafe { text(bad.as_ptr().cast(), bad.len(), "event") }.unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidUtf8);
    }

    #[test]
    fn length_not_nul_decides_where_input_ends() {
        let input = b"abc\0def";
        let read = unsafe { text(input.as_ptr().cast(), 5, "x") }.unwrap();
        assert_eq!(read, "abc\0d");
    }
}

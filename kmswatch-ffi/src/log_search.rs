//! `kmswatch_pattern_test_file`: the events of one log file that a filter
//! pattern matches, as one JSON document.

use crate::boundary::{guard, text};
use crate::core_calls;
use crate::documents::{answer, require_out};
use std::os::raw::{c_char, c_int};

/// The events of the log file `path[0 .. path_len]` (UTF-8) that the filter
/// pattern `pattern[0 .. pattern_len]` matches, as `kmswatch pattern test
/// FILE --format json` finds them: JSON Lines, JSON events one after another
/// (pretty-printed), JSON arrays of events, or a CloudTrail archive
/// (`{"Records":[…]}`), any of them gzip-compressed; `-` reads standard input.
///
/// `*result_json` receives the `kmswatch.pattern-test/v1` summary (`matched`,
/// `events`, `oversized`, `files`, `errors`) with a `matches` array: each
/// match the object the command prints (`file`, `line` or `record`,
/// `event`), in file order. The whole document is held in memory. Returns 0
/// when an event matched, 1 when none did, 2 for invalid input — NULL,
/// invalid UTF-8, an invalid pattern (`PATTERN_INVALID` with its `offset`),
/// or a file that cannot be read to its end or is a directory
/// (`INPUT_UNREADABLE`) — with a `kmswatch.error/v1` document instead.
/// Ownership as for `kmswatch_evaluate`; `*result_len` (when `result_len`
/// is not NULL) receives the length without the NUL.
///
/// # Safety
///
/// `pattern` and `path` must be NULL or point to `pattern_len` and
/// `path_len` readable bytes; `result_json` and `result_len` must be NULL or
/// writable.
#[no_mangle]
pub unsafe extern "C" fn kmswatch_pattern_test_file(
    pattern: *const c_char,
    pattern_len: usize,
    path: *const c_char,
    path_len: usize,
    result_json: *mut *mut c_char,
    result_len: *mut usize,
) -> c_int {
    let outcome = guard(|| {
        require_out(result_json, "result_json")?;
        // SAFETY: forwarded caller promises.
        let pattern = unsafe { text(pattern, pattern_len, "pattern") }?;
        let path = unsafe { text(path, path_len, "path") }?;
        core_calls::pattern_test_file(pattern, path)
    });
    // SAFETY: forwarded caller promise.
    unsafe { answer(outcome, result_json, result_len) }
}

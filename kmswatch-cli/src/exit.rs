//! Exit codes (documented in docs/commands.md): the one mapping from the core's
//! failure classes to them, and the one place failures are printed — a
//! sentence on standard error and, in JSON mode, a `kmswatch.error/v1`
//! document on standard output so that a pipeline always gets one object.

use crate::stdout;
use kmswatch_core::api::ApiError;
use kmswatch_core::session::{ErrorClass, ErrorDocument, Failure};
use std::process::ExitCode;
use std::sync::OnceLock;

/// ERROR and MANUAL verdicts, failed AWS calls.
pub const EXIT_ERROR: u8 = 3;

/// Usage and input errors.
pub const EXIT_USAGE: u8 = 2;

/// The exit code of a failure.
pub fn code(class: ErrorClass) -> u8 {
    class.exit_code()
}

static DEBUG: OnceLock<bool> = OnceLock::new();

/// `--debug`: failures also print their full chain of causes.
pub fn set_debug(on: bool) {
    let _ = DEBUG.set(on);
}

/// With `--debug`, the full chain of causes behind a failure, on standard error.
pub fn debug_detail(failure: &Failure) {
    if let Some(error) = failure.api_error() {
        debug_api_detail(error);
    }
}

/// With `--debug`, the full chain of causes behind a failed AWS call that a
/// report lists (its message is the one sentence), on standard error.
pub fn debug_api_detail(error: &ApiError) {
    if !DEBUG.get().copied().unwrap_or(false) {
        return;
    }
    if let Some(detail) = error.detail.as_deref() {
        eprintln!("kmswatch: debug: {detail}");
    }
}

/// Says what failed (and, with `json`, prints its error document) and exits
/// with its code.
pub fn fail(failure: &Failure, json: bool) -> ExitCode {
    eprintln!("kmswatch: {}", failure.message());
    debug_detail(failure);
    if json {
        stdout::line(&ErrorDocument::of(failure).to_json());
    }
    ExitCode::from(code(failure.class()))
}

/// A usage error found by the face itself: message on standard error and, with
/// `json`, its document; exit code 2.
pub fn usage(message: &str, json: bool) -> ExitCode {
    fail(&Failure::Usage(message.to_owned()), json)
}

/// A command line that does not parse, in JSON mode: the message is already on
/// standard error; the document goes to standard output. Exit code 2.
pub fn usage_document(message: &str) -> ExitCode {
    let failure = Failure::Usage(message.to_owned());
    stdout::line(&ErrorDocument::of(&failure).to_json());
    ExitCode::from(EXIT_USAGE)
}

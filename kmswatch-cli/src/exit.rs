//! Exit codes (documented in README.md): the one mapping from the core's
//! failure classes to them.

use kmswatch_core::session::{ErrorClass, Failure};
use std::process::ExitCode;

/// ERROR and MANUAL verdicts, failed AWS calls.
pub const EXIT_ERROR: u8 = 3;

/// The exit code of a failure.
pub fn code(class: ErrorClass) -> u8 {
    class.exit_code()
}

/// Says what failed and exits with its code.
pub fn fail(failure: &Failure) -> ExitCode {
    eprintln!("kmswatch: {failure}");
    ExitCode::from(code(failure.class()))
}

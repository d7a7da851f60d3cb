//! Standard output. A reader that stops early (`kmswatch check | head -1`)
//! closes the pipe; the command then ends quietly with exit 0 instead of
//! panicking, as `pattern test` does.

use kmswatch_core::session::ErrorClass;
use std::io::{ErrorKind, Write};

/// Writes `text` to standard output; a closed pipe ends the process with 0,
/// any other write failure with a message and exit 3.
pub fn write(text: &str) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        if e.kind() == ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("kmswatch: cannot write to standard output: {e}");
        std::process::exit(i32::from(ErrorClass::Internal.exit_code()));
    }
}

/// [`write()`] followed by a newline.
pub fn line(text: &str) {
    write(&format!("{text}\n"));
}

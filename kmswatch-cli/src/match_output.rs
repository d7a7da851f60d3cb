//! The output of `kmswatch pattern test`: matching events as they were (text),
//! or one JSON object per match and the `kmswatch.pattern-test/v1` summary
//! (NDJSON); inputs that cannot be read are said on standard error.

use kmswatch_core::log_search::{Found, Stopped, Summary};
use std::io::Write;

/// Prints what a search finds, as it finds it.
pub struct Printer<W: Write> {
    out: W,
    json: bool,
    /// Whether a match was found (even if it could not be written).
    pub saw_match: bool,
}

impl<W: Write> Printer<W> {
    /// Output to `out`, JSON objects when `json`.
    pub fn new(out: W, json: bool) -> Self {
        Printer {
            out,
            json,
            saw_match: false,
        }
    }

    /// Prints one match, or says on standard error that an input cannot be
    /// read; a closed output stops the search.
    pub fn found(&mut self, found: Found<'_>) -> Result<(), Stopped> {
        let written = match found {
            Found::Match(m) => {
                self.saw_match = true;
                if self.json {
                    m.write_json(&mut self.out)
                } else {
                    self.out.write_all(m.event)
                }
                .and_then(|()| self.out.write_all(b"\n"))
            }
            Found::Unreadable(e) => {
                eprintln!("kmswatch: cannot read {}: {}", e.name(), e.message);
                Ok(())
            }
        };
        written.map_err(|_| Stopped)
    }

    /// Writes the summary (JSON only) and flushes.
    pub fn finish(&mut self, summary: &Summary) -> Result<(), Stopped> {
        let written = if self.json {
            writeln!(self.out, "{}", summary.to_json()).and_then(|()| self.out.flush())
        } else {
            self.out.flush()
        };
        written.map_err(|_| Stopped)
    }
}

//! Streaming log events through a filter pattern with bounded memory: input is
//! read in large chunks, lines are split out only where the pattern's literal
//! prefilter says they may match, and a line longer than the largest
//! CloudWatch Logs event is skipped (and counted) without being held whole.

use kmswatch_core::pattern::FilterPattern;
use std::io::{self, Read, Write};

/// The largest log event CloudWatch Logs accepts (1 MB, in bytes of UTF-8):
/// a longer line cannot be an event a metric filter sees.
pub const MAX_EVENT_BYTES: usize = 1_048_576;

/// How much input is read at a time.
pub const CHUNK: usize = 1 << 20;

/// What [`filter_lines`] saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Filtered {
    /// Whether any line matched.
    pub matched: bool,
    /// Lines longer than [`MAX_EVENT_BYTES`], skipped unmatched.
    pub oversized: u64,
}

/// Why [`filter_lines`] stopped.
pub enum FilterError {
    /// The input could not be read.
    Read(io::Error),
    /// The output could not be written (a closed pipe); whether anything
    /// matched before.
    Write {
        /// Whether a line matched before the write failed.
        matched: bool,
    },
}

/// Writes the lines of `input` that `pattern` matches.
///
/// Input is read in large chunks and handed to the pattern's literal prefilter
/// whole ([`FilterPattern::candidate_lines`]), so lines that cannot match are
/// never copied, split out or UTF-8-checked one by one. Invalid UTF-8 is read
/// with U+FFFD in its place; the line is printed as it was. Memory stays
/// below about `MAX_EVENT_BYTES + 2 * CHUNK` whatever the input.
pub fn filter_lines(
    pattern: &FilterPattern,
    mut input: impl Read,
    mut out: impl Write,
) -> Result<Filtered, FilterError> {
    let mut filtered = Filtered {
        matched: false,
        oversized: 0,
    };
    // Inside a line too long to be an event: drop input up to its newline.
    let mut skipping = false;
    let mut buf: Vec<u8> = Vec::with_capacity(2 * CHUNK);
    loop {
        let old = buf.len();
        buf.resize(old + CHUNK, 0);
        let n = loop {
            match input.read(&mut buf[old..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(FilterError::Read(e)),
            }
        };
        buf.truncate(old + n);
        let eof = n == 0;
        if skipping {
            match memchr::memchr(b'\n', &buf) {
                Some(i) => {
                    buf.drain(..=i);
                    skipping = false;
                    filtered.oversized += 1;
                }
                None => {
                    buf.clear();
                    if eof {
                        filtered.oversized += 1;
                        break;
                    }
                    continue;
                }
            }
        }
        // Only complete lines now; the partial last line waits for more input.
        let complete = if eof {
            buf.len()
        } else {
            match memchr::memrchr(b'\n', &buf) {
                Some(i) => i + 1,
                None => {
                    if buf.len() > MAX_EVENT_BYTES {
                        skipping = true;
                        buf.clear();
                    }
                    continue;
                }
            }
        };
        for line in pattern.candidate_lines(&buf[..complete]) {
            let event = line.strip_suffix(b"\r").unwrap_or(line);
            if event.len() > MAX_EVENT_BYTES {
                filtered.oversized += 1;
                continue;
            }
            let is_match = match std::str::from_utf8(event) {
                Ok(text) => pattern.matches_without_prefilter(text),
                Err(_) => pattern.matches_without_prefilter(&String::from_utf8_lossy(event)),
            };
            if is_match {
                filtered.matched = true;
                out.write_all(event)
                    .and_then(|()| out.write_all(b"\n"))
                    .map_err(|_| FilterError::Write {
                        matched: filtered.matched,
                    })?;
            }
        }
        buf.drain(..complete);
        if eof {
            break;
        }
    }
    out.flush().map_err(|_| FilterError::Write {
        matched: filtered.matched,
    })?;
    Ok(filtered)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_filter(pattern: &str, input: &str) -> (bool, String) {
        let p = FilterPattern::parse(pattern).unwrap_or_else(|e| panic!("{e}"));
        let mut out = Vec::new();
        let filtered =
            filter_lines(&p, input.as_bytes(), &mut out).unwrap_or_else(|_| panic!("io"));
        (filtered.matched, String::from_utf8(out).unwrap_or_default())
    }

    #[test]
    fn lines_across_chunk_boundaries() {
        let line = format!(
            "{{\"eventName\":\"DisableKey\",\"pad\":\"{}\"}}",
            "x".repeat(CHUNK / 3)
        );
        let input = format!("{line}\n{line}\nnoise\n{line}\n{line}");
        let (matched, out) = run_filter("{ $.eventName = DisableKey }", &input);
        assert!(matched);
        assert_eq!(out, format!("{line}\n{line}\n{line}\n{line}\n"));
        let (_, out) = run_filter("", "a\n\nb");
        assert_eq!(out, "a\n\nb\n");
    }

    #[test]
    fn prints_matching_lines_only() {
        let input = "{\"eventName\":\"DisableKey\"}\r\nnot json\n{\"eventName\":\"Decrypt\"}\n{\"eventName\":\"DisableKey\",\"n\":1}";
        let (matched, out) = run_filter("{ $.eventName = DisableKey }", input);
        assert!(matched);
        assert_eq!(
            out,
            "{\"eventName\":\"DisableKey\"}\n{\"eventName\":\"DisableKey\",\"n\":1}\n"
        );
        let (matched, out) = run_filter("{ $.eventName = EnableKey }", input);
        assert!(!matched);
        assert!(out.is_empty());
    }

    #[test]
    fn invalid_utf8_lines_are_read_lossily() {
        let p = FilterPattern::parse("ERROR").unwrap_or_else(|e| panic!("{e}"));
        let mut out = Vec::new();
        let input: &[u8] = b"\xff ERROR\nok\n";
        assert!(filter_lines(&p, input, &mut out).is_ok_and(|f| f.matched));
        assert_eq!(out, b"\xff ERROR\n");
    }

    /// A reader of `len` bytes of `byte`, then `tail`, never holding them all.
    struct Endless {
        left: usize,
        byte: u8,
        tail: &'static [u8],
    }

    impl Read for Endless {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.left == 0 {
                let n = self.tail.len().min(buf.len());
                buf[..n].copy_from_slice(&self.tail[..n]);
                self.tail = &self.tail[n..];
                return Ok(n);
            }
            let n = self.left.min(buf.len());
            buf[..n].fill(self.byte);
            self.left -= n;
            Ok(n)
        }
    }

    #[test]
    fn lines_longer_than_an_event_are_skipped_in_bounded_memory() {
        let p = FilterPattern::parse("x").unwrap_or_else(|e| panic!("{e}"));
        // 64 MiB without a newline, then a short matching line.
        let input = Endless {
            left: 64 << 20,
            byte: b'x',
            tail: b"\nx marks it\n",
        };
        let mut out = Vec::new();
        let filtered = filter_lines(&p, input, &mut out).unwrap_or_else(|_| panic!("io"));
        assert_eq!(filtered.oversized, 1);
        assert!(filtered.matched);
        assert_eq!(out, b"x marks it\n");
        // A file that is one long line, with no newline at all.
        let input = Endless {
            left: 8 << 20,
            byte: b'x',
            tail: b"",
        };
        let filtered = filter_lines(&p, input, io::sink()).unwrap_or_else(|_| panic!("io"));
        assert_eq!((filtered.matched, filtered.oversized), (false, 1));
    }

    #[test]
    fn a_line_of_exactly_the_largest_event_still_matches() {
        let p = FilterPattern::parse("x").unwrap_or_else(|e| panic!("{e}"));
        let line = "x".repeat(MAX_EVENT_BYTES);
        let (matched, out) = run_filter_text(&p, &format!("{line}\n{line}x\n"));
        assert!(matched);
        assert_eq!(out.len(), MAX_EVENT_BYTES + 1);
    }

    fn run_filter_text(p: &FilterPattern, input: &str) -> (bool, String) {
        let mut out = Vec::new();
        let filtered = filter_lines(p, input.as_bytes(), &mut out).unwrap_or_else(|_| panic!("io"));
        (filtered.matched, String::from_utf8(out).unwrap_or_default())
    }
}

//! Streaming log events through a filter pattern with bounded memory: input is
//! read in large chunks, lines are split out only where the pattern's literal
//! prefilter says they may match, and a line longer than the largest
//! CloudWatch Logs event is skipped (and counted) without being held whole.

use crate::pattern::FilterPattern;
use std::io::{self, Read};

/// The largest log event CloudWatch Logs accepts (1 MB, in bytes of UTF-8):
/// a longer line cannot be an event a metric filter sees.
pub const MAX_EVENT_BYTES: usize = 1_048_576;

/// How much input is read at a time.
pub const CHUNK: usize = 1 << 20;

/// The reader of the matches went away (a closed pipe): stop scanning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stopped;

/// Where matching events go.
pub trait MatchSink {
    /// One matching event; `number` is its 1-based line (or record) number
    /// when the scanner counts them, else 0.
    fn matched(&mut self, number: u64, event: &[u8]) -> Result<(), Stopped>;
}

/// What a scan saw.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    /// Events read (lines or archive records); counted only when asked for.
    pub events: u64,
    /// Events that matched.
    pub matched: u64,
    /// Events longer than [`MAX_EVENT_BYTES`], skipped unmatched.
    pub oversized: u64,
}

impl Tally {
    /// Adds another tally's counts to this one.
    pub fn add(&mut self, other: Tally) {
        self.events += other.events;
        self.matched += other.matched;
        self.oversized += other.oversized;
    }
}

/// Runs a pattern over buffers of whole lines, keeping the tally and, when
/// asked, line numbers across buffers.
pub struct LineScanner<'p> {
    pattern: &'p FilterPattern,
    count_lines: bool,
    /// The counts so far; `events` is the number of lines before the next buffer.
    pub tally: Tally,
}

impl<'p> LineScanner<'p> {
    /// A scanner; `count_lines` costs one more pass over the input (a
    /// newline count) and gives matches their line numbers.
    pub fn new(pattern: &'p FilterPattern, count_lines: bool) -> Self {
        LineScanner {
            pattern,
            count_lines,
            tally: Tally::default(),
        }
    }

    /// `false` only if the event cannot match (the pattern's literal prefilter).
    pub fn may_match(&self, event: &[u8]) -> bool {
        self.pattern.may_match(event)
    }

    /// Whether the pattern matches one event (a line without its newline),
    /// the prefilter aside.
    pub fn is_match(&self, event: &[u8]) -> bool {
        match std::str::from_utf8(event) {
            Ok(text) => self.pattern.matches_without_prefilter(text),
            Err(_) => self
                .pattern
                .matches_without_prefilter(&String::from_utf8_lossy(event)),
        }
    }

    /// Scans `buf`: whole lines, each ending in a newline except perhaps the
    /// last one of the input.
    ///
    /// The buffer is handed to the pattern's literal prefilter whole
    /// ([`FilterPattern::candidate_lines`]), so lines that cannot match are
    /// never split out or UTF-8-checked one by one. Invalid UTF-8 is matched
    /// with U+FFFD in its place; the sink gets the line as it was.
    pub fn scan(&mut self, buf: &[u8], sink: &mut impl MatchSink) -> Result<(), Stopped> {
        let base = self.tally.events;
        let mut newlines = 0u64;
        let mut counted = 0usize;
        for line in self.pattern.candidate_lines(buf) {
            let number = if self.count_lines {
                // `line` is a slice of `buf`: its offset is the pointer difference.
                let offset = line.as_ptr() as usize - buf.as_ptr() as usize;
                newlines += count_newlines(&buf[counted..offset]);
                counted = offset;
                base + newlines + 1
            } else {
                0
            };
            let event = line.strip_suffix(b"\r").unwrap_or(line);
            if event.len() > MAX_EVENT_BYTES {
                self.tally.oversized += 1;
                continue;
            }
            if self.is_match(event) {
                self.tally.matched += 1;
                sink.matched(number, event)?;
            }
        }
        if self.count_lines {
            newlines += count_newlines(&buf[counted..]);
            let unterminated = buf.last().is_some_and(|&b| b != b'\n');
            self.tally.events = base + newlines + u64::from(unterminated);
        }
        Ok(())
    }

    /// Counts one line skipped for its length.
    pub fn skipped_oversized_line(&mut self) {
        self.tally.oversized += 1;
        if self.count_lines {
            self.tally.events += 1;
        }
    }
}

/// The number of newlines in `bytes`.
pub fn count_newlines(bytes: &[u8]) -> u64 {
    memchr::memchr_iter(b'\n', bytes).count() as u64
}

/// Why [`scan_reader`] stopped early.
#[derive(Debug)]
pub enum ScanError {
    /// The input could not be read.
    Read(io::Error),
    /// The sink went away.
    Stopped,
}

impl From<Stopped> for ScanError {
    fn from(_: Stopped) -> Self {
        ScanError::Stopped
    }
}

/// Scans the lines of `input` to its end, reading [`CHUNK`]s.
///
/// Memory stays below about `MAX_EVENT_BYTES + 2 * CHUNK` whatever the input.
pub fn scan_reader(
    scanner: &mut LineScanner<'_>,
    input: impl Read,
    sink: &mut impl MatchSink,
) -> Result<(), ScanError> {
    scan_reader_in(scanner, input, sink, CHUNK)
}

/// [`scan_reader`] reading up to `chunk` bytes at a time.
pub fn scan_reader_in(
    scanner: &mut LineScanner<'_>,
    mut input: impl Read,
    sink: &mut impl MatchSink,
    chunk: usize,
) -> Result<(), ScanError> {
    let chunk = chunk.max(1);
    // Inside a line too long to be an event: drop input up to its newline.
    let mut skipping = false;
    // `buf[..filled]` is input not scanned yet. The buffer is zeroed once, not
    // per read, and grows only while a line is longer than what it holds.
    let mut buf: Vec<u8> = vec![0; 2 * chunk];
    let mut filled = 0;
    loop {
        if buf.len() < filled + chunk {
            buf.resize(filled + chunk, 0);
        }
        let n = loop {
            match input.read(&mut buf[filled..filled + chunk]) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(ScanError::Read(e)),
            }
        };
        filled += n;
        let eof = n == 0;
        let mut begin = 0;
        if skipping {
            match memchr::memchr(b'\n', &buf[..filled]) {
                Some(i) => {
                    begin = i + 1;
                    skipping = false;
                    scanner.skipped_oversized_line();
                }
                None => {
                    filled = 0;
                    if eof {
                        scanner.skipped_oversized_line();
                        break;
                    }
                    continue;
                }
            }
        }
        let data = &buf[begin..filled];
        // Only complete lines now; the partial last line waits for more input.
        let complete = if eof {
            data.len()
        } else {
            match memchr::memrchr(b'\n', data) {
                Some(i) => i + 1,
                None => {
                    if data.len() > MAX_EVENT_BYTES {
                        skipping = true;
                        filled = 0;
                    } else {
                        buf.copy_within(begin..filled, 0);
                        filled -= begin;
                    }
                    continue;
                }
            }
        };
        scanner.scan(&data[..complete], sink)?;
        buf.copy_within(begin + complete..filled, 0);
        filled -= begin + complete;
        if eof {
            break;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Collects matches as `(number, event)`.
    #[derive(Default)]
    pub struct Collect(pub Vec<(u64, Vec<u8>)>);

    impl MatchSink for Collect {
        fn matched(&mut self, number: u64, event: &[u8]) -> Result<(), Stopped> {
            self.0.push((number, event.to_vec()));
            Ok(())
        }
    }

    fn parse(pattern: &str) -> FilterPattern {
        FilterPattern::parse(pattern).unwrap_or_else(|e| panic!("{e}"))
    }

    fn scan(pattern: &FilterPattern, input: impl Read, count: bool) -> (Tally, Collect) {
        let mut scanner = LineScanner::new(pattern, count);
        let mut sink = Collect::default();
        scan_reader(&mut scanner, input, &mut sink).unwrap_or_else(|e| panic!("{e:?}"));
        (scanner.tally, sink)
    }

    fn text(sink: &Collect) -> String {
        sink.0
            .iter()
            .map(|(_, e)| format!("{}\n", String::from_utf8_lossy(e)))
            .collect()
    }

    #[test]
    fn lines_across_chunk_boundaries() {
        let line = format!(
            "{{\"eventName\":\"DisableKey\",\"pad\":\"{}\"}}",
            "x".repeat(CHUNK / 3)
        );
        let input = format!("{line}\n{line}\nnoise\n{line}\n{line}");
        let p = parse("{ $.eventName = DisableKey }");
        let (tally, sink) = scan(&p, input.as_bytes(), true);
        assert_eq!(text(&sink), format!("{line}\n{line}\n{line}\n{line}\n"));
        let numbers: Vec<u64> = sink.0.iter().map(|(n, _)| *n).collect();
        assert_eq!(numbers, [1, 2, 4, 5]);
        assert_eq!((tally.events, tally.matched), (5, 4));
        let (tally, sink) = scan(&parse(""), &b"a\n\nb"[..], true);
        assert_eq!(text(&sink), "a\n\nb\n");
        assert_eq!(tally.events, 3);
    }

    #[test]
    fn prints_matching_lines_only() {
        let input = "{\"eventName\":\"DisableKey\"}\r\nnot json\n{\"eventName\":\"Decrypt\"}\n{\"eventName\":\"DisableKey\",\"n\":1}";
        let (tally, sink) = scan(
            &parse("{ $.eventName = DisableKey }"),
            input.as_bytes(),
            true,
        );
        assert_eq!(
            text(&sink),
            "{\"eventName\":\"DisableKey\"}\n{\"eventName\":\"DisableKey\",\"n\":1}\n"
        );
        assert_eq!(sink.0[1].0, 4);
        assert_eq!(tally.events, 4);
        let (tally, sink) = scan(
            &parse("{ $.eventName = EnableKey }"),
            input.as_bytes(),
            false,
        );
        assert_eq!(tally.matched, 0);
        assert!(sink.0.is_empty());
        // Without counting, lines are not counted.
        assert_eq!(tally.events, 0);
    }

    #[test]
    fn invalid_utf8_lines_are_read_lossily() {
        let (tally, sink) = scan(&parse("ERROR"), &b"\xff ERROR\nok\n"[..], false);
        assert_eq!(tally.matched, 1);
        assert_eq!(sink.0[0].1, b"\xff ERROR");
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
        let p = parse("x");
        // 64 MiB without a newline, then a short matching line.
        let input = Endless {
            left: 64 << 20,
            byte: b'x',
            tail: b"\nx marks it\n",
        };
        let (tally, sink) = scan(&p, input, true);
        assert_eq!(tally.oversized, 1);
        assert_eq!(sink.0, [(2, b"x marks it".to_vec())]);
        assert_eq!(tally.events, 2);
        // A file that is one long line, with no newline at all.
        let input = Endless {
            left: 8 << 20,
            byte: b'x',
            tail: b"",
        };
        let (tally, _) = scan(&p, input, true);
        assert_eq!((tally.matched, tally.oversized, tally.events), (0, 1, 1));
    }

    #[test]
    fn a_line_of_exactly_the_largest_event_still_matches() {
        let line = "x".repeat(MAX_EVENT_BYTES);
        let input = format!("{line}\n{line}x\n");
        let (tally, sink) = scan(&parse("x"), input.as_bytes(), false);
        assert_eq!((tally.matched, tally.oversized), (1, 1));
        assert_eq!(sink.0[0].1.len(), MAX_EVENT_BYTES);
    }

    #[test]
    fn a_stopped_sink_stops_the_scan() {
        struct Closed;
        impl MatchSink for Closed {
            fn matched(&mut self, _: u64, _: &[u8]) -> Result<(), Stopped> {
                Err(Stopped)
            }
        }
        let p = parse("x");
        let mut scanner = LineScanner::new(&p, false);
        let result = scan_reader(&mut scanner, &b"x\nx\n"[..], &mut Closed);
        assert!(matches!(result, Err(ScanError::Stopped)));
        assert_eq!(scanner.tally.matched, 1);
    }
}

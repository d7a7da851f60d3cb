//! JSON documents that are not one event per line: events pretty-printed over
//! many lines (as the console shows them), one after another, and JSON arrays
//! of events. Each event is re-serialised compactly, as CloudWatch Logs
//! carries it, before the pattern sees it; anything else is refused with the
//! line where it went wrong and what was expected, never read as zero events.

use crate::log_search::archive::{read_whole, scan_record, Compact, RecordsSeed, WholeError};
use crate::log_search::lines::{LineScanner, MatchSink, ScanError};
use serde::de::{DeserializeSeed, IgnoredAny};
use std::io::{self, Read};

/// What the refusals say a file of events may be.
const FORMS: &str = "events are read as JSON lines (one per line), as JSON objects \
     one after another (pretty-printed allowed), as JSON arrays of them, or as a \
     CloudTrail archive ({\"Records\":[…]})";

/// Whether `head`, the start of a decoded input that is not a CloudTrail
/// archive, holds JSON documents rather than lines: an array of events
/// (`[` then `{` or `]`), or an object whose first line is not the whole of
/// it but opens one. Plain text that opens with a bracket (`[ERROR] …`) is not JSON, and a
/// first line longer than `head` is read as a line.
pub fn is_documents(head: &[u8]) -> bool {
    let text = head.trim_ascii_start();
    if let Some(rest) = text.strip_prefix(b"[") {
        let rest = rest.trim_ascii_start();
        return rest.starts_with(b"{") || rest.starts_with(b"]");
    }
    if !text.starts_with(b"{") {
        return false;
    }
    let Some(end) = memchr::memchr(b'\n', text) else {
        return false;
    };
    if serde_json::from_slice::<IgnoredAny>(&text[..end]).is_ok() {
        return false;
    }
    let mut values = serde_json::Deserializer::from_slice(text).into_iter::<IgnoredAny>();
    match values.next() {
        Some(Ok(_)) => true,
        // The first line reads as the start of a JSON value: a document, to
        // be read or refused with the line where it breaks.
        Some(Err(e)) => e.is_eof() || e.line() > 1,
        None => false,
    }
}

/// Scans JSON documents (see [`is_documents`]); record numbers start at 1
/// and run across the documents and arrays of the input.
///
/// Memory holds the input (up to [`crate::log_search::archive::MAX_ARCHIVE_BYTES`]) and
/// one compact record.
pub fn scan_documents(
    scanner: &mut LineScanner<'_>,
    input: impl Read,
    sink: &mut impl MatchSink,
) -> Result<(), ScanError> {
    let text = read_whole(input).map_err(|e| match e {
        WholeError::Read(e) => ScanError::Read(e),
        WholeError::TooLarge(why) => refused(&why),
    })?;
    let mut values = serde_json::Deserializer::from_slice(&text).into_iter::<IgnoredAny>();
    let mut start = 0;
    let mut record = Vec::new();
    loop {
        match values.next() {
            None => return Ok(()),
            Some(Err(e)) => return Err(refused(&e.to_string())),
            Some(Ok(_)) => {}
        }
        let end = values.byte_offset();
        let value = text[start..end].trim_ascii_start();
        let line = 1 + memchr::memchr_iter(b'\n', &text[..end - value.len()]).count();
        start = end;
        let mut de = serde_json::Deserializer::from_slice(value);
        match value.first() {
            Some(b'[') => scan_array(scanner, sink, &mut de, line)?,
            Some(b'{') => {
                record.clear();
                Compact { out: &mut record }
                    .deserialize(&mut de)
                    .map_err(|e| refused(&e.to_string()))?;
                scan_record(scanner, sink, &record).map_err(|_| ScanError::Stopped)?;
            }
            _ => {
                return Err(refused(&format!(
                "line {line}: expected an event (a JSON object) or an array of events, found {}",
                shown(value)
            )))
            }
        }
    }
}

/// The events of one array, which begins on `line`.
fn scan_array(
    scanner: &mut LineScanner<'_>,
    sink: &mut impl MatchSink,
    de: &mut serde_json::Deserializer<serde_json::de::SliceRead<'_>>,
    line: usize,
) -> Result<(), ScanError> {
    let mut stopped = false;
    let mut element = 0usize;
    let mut not_an_event = None;
    let mut each = |record: &[u8]| {
        element += 1;
        if !record.starts_with(b"{") {
            not_an_event = Some((element, shown(record)));
            return Err(crate::log_search::lines::Stopped);
        }
        scan_record(scanner, sink, record)
    };
    let seed = RecordsSeed {
        each: &mut each,
        stopped: &mut stopped,
    };
    let result = seed.deserialize(de);
    if let Some((n, found)) = not_an_event {
        return Err(refused(&format!(
            "line {line}: element {n} of the array is not an event (a JSON object) but {found}"
        )));
    }
    match result {
        _ if stopped => Err(ScanError::Stopped),
        Ok(()) => Ok(()),
        Err(e) => Err(refused(&e.to_string())),
    }
}

/// The start of a JSON value, for a message.
fn shown(value: &[u8]) -> String {
    const MAX: usize = 40;
    let text = String::from_utf8_lossy(value);
    match text.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.into_owned(),
    }
}

fn refused(why: &str) -> ScanError {
    ScanError::Read(io::Error::new(
        io::ErrorKind::InvalidData,
        format!("not JSON events ({why}); {FORMS}"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pattern::FilterPattern;

    #[derive(Default)]
    struct Collect(Vec<(u64, String)>);

    impl MatchSink for Collect {
        fn matched(
            &mut self,
            number: u64,
            event: &[u8],
        ) -> Result<(), crate::log_search::lines::Stopped> {
            self.0
                .push((number, String::from_utf8_lossy(event).into_owned()));
            Ok(())
        }
    }

    fn scan(pattern: &str, input: &str) -> Result<(u64, Vec<(u64, String)>), String> {
        let p = FilterPattern::parse(pattern).unwrap_or_else(|e| panic!("{e}"));
        let mut scanner = LineScanner::new(&p, true);
        let mut sink = Collect::default();
        match scan_documents(&mut scanner, input.as_bytes(), &mut sink) {
            Ok(()) => Ok((scanner.tally.events, sink.0)),
            Err(ScanError::Read(e)) => Err(e.to_string()),
            Err(ScanError::Stopped) => Err("stopped".into()),
        }
    }

    const PRETTY: &str =
        "{\n  \"eventSource\": \"kms.amazonaws.com\",\n  \"eventName\": \"Decrypt\"\n}\n\
         {\n  \"eventSource\": \"kms.amazonaws.com\",\n  \"eventName\": \"DisableKey\"\n}\n";

    #[test]
    fn pretty_printed_events_and_arrays_are_told_from_lines() {
        assert!(is_documents(PRETTY.as_bytes()));
        assert!(is_documents(b"[{\"eventName\":\"DisableKey\"}]"));
        assert!(is_documents(b"[\n  {\n"));
        assert!(is_documents(b" []"));
        assert!(!is_documents(
            b"{\"eventName\":\"DisableKey\"}\n{\"a\":1}\n"
        ));
        assert!(!is_documents(b"[ERROR] 2026-01-01 disk full\n"));
        assert!(!is_documents(b"{ not json\nat all\n"));
        assert!(!is_documents(b"plain text\n"));
        assert!(is_documents(b"{\n \"a\": 1\n \"b\": 2}\n"));
        // A first line longer than the head: lines, as before.
        assert!(!is_documents(
            b"{\"eventName\":\"DisableKey\", \"x\": \"aaaa"
        ));
    }

    #[test]
    fn each_event_is_one_compact_record() {
        let (events, matched) = scan("{ $.eventName = DisableKey }", PRETTY).unwrap();
        assert_eq!(events, 2);
        assert_eq!(
            matched,
            [(
                2,
                r#"{"eventSource":"kms.amazonaws.com","eventName":"DisableKey"}"#.to_owned()
            )]
        );
        let array = format!("[{}]", PRETTY.replace("}\n{", "},{"));
        let (events, matched) = scan("{ $.eventName = DisableKey }", &array).unwrap();
        assert_eq!((events, matched.len()), (2, 1));
    }

    #[test]
    fn what_is_not_an_event_is_refused_with_its_line() {
        let broken = "{\n  \"eventName\": \"DisableKey\"\n  \"x\": 1\n}\n";
        let message = scan("x", broken).unwrap_err();
        assert!(message.contains("line 3"), "{message}");
        assert!(message.contains("expected"), "{message}");
        let message = scan("x", "[\n  {\"a\": 1},\n  \"text\"\n]").unwrap_err();
        assert!(
            message.contains("line 1: element 2 of the array is not an event"),
            "{message}"
        );
        let message = scan("x", "{\"a\": 1}\n42\n").unwrap_err();
        assert!(message.contains("line 2: expected an event"), "{message}");
    }
}

//! CloudTrail archive files (`{"Records":[…]}`, what a trail delivers to S3):
//! each record is one event. The archive is read into memory (up to
//! [`MAX_ARCHIVE_BYTES`]), its `Records` array is walked one record at a time,
//! and each record is re-serialised compactly, keys in their order, as
//! CloudWatch Logs carries it, before the pattern sees it.

use crate::log_search::lines::{LineScanner, MatchSink, ScanError, Stopped, MAX_EVENT_BYTES};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::fmt;
use std::io::{self, Read};

/// The largest archive read, decompressed (CloudTrail delivers files of a few
/// MB at most).
pub const MAX_ARCHIVE_BYTES: u64 = 512 << 20;

/// Whether `head`, the start of a decoded input, opens a CloudTrail archive:
/// `{` and then the key `"Records"` (whitespace allowed around them).
pub fn is_archive(head: &[u8]) -> bool {
    let Some(rest) = head.trim_ascii_start().strip_prefix(b"{") else {
        return false;
    };
    rest.trim_ascii_start().starts_with(b"\"Records\"")
}

/// Scans the records of a CloudTrail archive; record numbers start at 1.
///
/// Memory holds the archive and one compact record; a record whose compact
/// form is longer than [`MAX_EVENT_BYTES`] is counted as oversized. An input
/// that is not a JSON object with a `Records` array, or that is larger than
/// [`MAX_ARCHIVE_BYTES`], is a read error.
pub fn scan_archive(
    scanner: &mut LineScanner<'_>,
    input: impl Read,
    sink: &mut impl MatchSink,
) -> Result<(), ScanError> {
    let mut stopped = false;
    let text = read_whole(input).map_err(|e| match e {
        WholeError::Read(e) => ScanError::Read(e),
        WholeError::TooLarge(why) => not_an_archive(&why),
    })?;
    let mut de = serde_json::Deserializer::from_slice(&text);
    let mut each = |record: &[u8]| scan_record(scanner, sink, record);
    let seed = ArchiveSeed {
        each: &mut each,
        stopped: &mut stopped,
    };
    let result = seed.deserialize(&mut de).and_then(|found| {
        de.end()?;
        Ok(found)
    });
    match result {
        _ if stopped => Err(ScanError::Stopped),
        Ok(true) => Ok(()),
        Ok(false) => Err(not_an_archive("no \"Records\" array")),
        Err(e) if e.is_io() => Err(ScanError::Read(e.into())),
        Err(e) => Err(not_an_archive(&e.to_string())),
    }
}

/// Why [`read_whole`] failed.
pub(crate) enum WholeError {
    /// The input could not be read.
    Read(io::Error),
    /// It is larger than [`MAX_ARCHIVE_BYTES`]; why, for the message.
    TooLarge(String),
}

/// The whole input, up to [`MAX_ARCHIVE_BYTES`]: parsing from memory is
/// several times faster than from a reader.
pub(crate) fn read_whole(input: impl Read) -> Result<Vec<u8>, WholeError> {
    let mut text = Vec::new();
    input
        .take(MAX_ARCHIVE_BYTES + 1)
        .read_to_end(&mut text)
        .map_err(WholeError::Read)?;
    if text.len() as u64 > MAX_ARCHIVE_BYTES {
        return Err(WholeError::TooLarge(format!(
            "larger than {} MiB decompressed, the most kmswatch holds in memory; split it or convert it to JSON lines with `jq -c '.Records[]'` (`jq -c '.[]'` for an array)",
            MAX_ARCHIVE_BYTES >> 20
        )));
    }
    Ok(text)
}

/// One record (a compact event): counted, matched, handed to `sink` when it matches.
pub(crate) fn scan_record(
    scanner: &mut LineScanner<'_>,
    sink: &mut impl MatchSink,
    record: &[u8],
) -> Result<(), Stopped> {
    scanner.tally.events += 1;
    if record.len() > MAX_EVENT_BYTES {
        scanner.tally.oversized += 1;
        return Ok(());
    }
    if scanner.may_match(record) && scanner.is_match(record) {
        scanner.tally.matched += 1;
        let number = scanner.tally.events;
        return sink.matched(number, record);
    }
    Ok(())
}

fn not_an_archive(why: &str) -> ScanError {
    ScanError::Read(io::Error::new(
        io::ErrorKind::InvalidData,
        format!("not a CloudTrail archive ({why})"),
    ))
}

/// The archive object: finds `Records`, skips every other key. Its value is
/// whether `Records` was there.
struct ArchiveSeed<'a, F> {
    each: &'a mut F,
    stopped: &'a mut bool,
}

impl<'de, F: FnMut(&[u8]) -> Result<(), Stopped>> DeserializeSeed<'de> for ArchiveSeed<'_, F> {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, F: FnMut(&[u8]) -> Result<(), Stopped>> Visitor<'de> for ArchiveSeed<'_, F> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object with a \"Records\" array")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        let mut found = false;
        while let Some(key) = map.next_key::<String>()? {
            if key == "Records" && !found {
                found = true;
                map.next_value_seed(RecordsSeed {
                    each: &mut *self.each,
                    stopped: &mut *self.stopped,
                })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

/// The `Records` array: each element is transcoded into one compact buffer
/// and handed to `each`.
pub(crate) struct RecordsSeed<'a, F> {
    pub(crate) each: &'a mut F,
    pub(crate) stopped: &'a mut bool,
}

impl<'de, F: FnMut(&[u8]) -> Result<(), Stopped>> DeserializeSeed<'de> for RecordsSeed<'_, F> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de, F: FnMut(&[u8]) -> Result<(), Stopped>> Visitor<'de> for RecordsSeed<'_, F> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of records")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut record = Vec::new();
        loop {
            record.clear();
            if seq
                .next_element_seed(Compact { out: &mut record })?
                .is_none()
            {
                return Ok(());
            }
            if (self.each)(&record).is_err() {
                *self.stopped = true;
                return Err(de::Error::custom("the reader of the matches went away"));
            }
        }
    }
}

/// One JSON value, written compactly into `out` in its original key order.
pub(crate) struct Compact<'a> {
    pub(crate) out: &'a mut Vec<u8>,
}

impl<'de> DeserializeSeed<'de> for Compact<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        let mut serializer = serde_json::Serializer::new(&mut *self.out);
        serde_transcode::transcode(deserializer, &mut serializer).map_err(de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pattern::FilterPattern;

    #[derive(Default)]
    struct Collect(Vec<(u64, String)>);

    impl MatchSink for Collect {
        fn matched(&mut self, number: u64, event: &[u8]) -> Result<(), Stopped> {
            self.0
                .push((number, String::from_utf8_lossy(event).into_owned()));
            Ok(())
        }
    }

    fn scan(pattern: &str, input: &str) -> Result<(LineScanner<'static>, Collect), ScanError> {
        let p = Box::leak(Box::new(
            FilterPattern::parse(pattern).unwrap_or_else(|e| panic!("{e}")),
        ));
        let mut scanner = LineScanner::new(p, true);
        let mut sink = Collect::default();
        scan_archive(&mut scanner, input.as_bytes(), &mut sink)?;
        Ok((scanner, sink))
    }

    #[test]
    fn archives_are_recognised_by_their_first_key() {
        assert!(is_archive(b"{\"Records\":[]}"));
        assert!(is_archive(b" \n{\n  \"Records\" : ["));
        assert!(!is_archive(b"{\"eventName\":\"DisableKey\"}\n"));
        assert!(!is_archive(b"[{\"Records\":[]}]"));
        assert!(!is_archive(b""));
    }

    #[test]
    fn each_record_is_one_compact_event_in_key_order() {
        let input = r#"{ "Records": [
            { "eventSource": "kms.amazonaws.com", "eventName": "Decrypt" },
            { "eventSource": "kms.amazonaws.com",
              "eventName": "DisableKey", "n": [1, 2.5] }
        ], "Other": {"x": 1} }"#;
        let (scanner, sink) =
            scan("{ $.eventName = DisableKey }", input).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(
            sink.0,
            [(
                2,
                r#"{"eventSource":"kms.amazonaws.com","eventName":"DisableKey","n":[1,2.5]}"#
                    .to_owned()
            )]
        );
        assert_eq!((scanner.tally.events, scanner.tally.matched), (2, 1));
    }

    #[test]
    fn malformed_archives_are_read_errors() {
        for input in [
            r#"{"Records": [{"eventName": "DisableKey"}"#,
            r#"{"Records": 3}"#,
            r#"{"NotRecords": []}"#,
            r#"{"Records": []} trailing"#,
        ] {
            match scan("x", input) {
                Err(ScanError::Read(e)) => {
                    assert!(e.to_string().contains("not a CloudTrail archive"), "{e}");
                }
                other => panic!("{input}: {:?}", other.map(|(_, s)| s.0)),
            }
        }
    }

    #[test]
    fn a_record_longer_than_an_event_is_oversized() {
        let input = format!(
            "{{\"Records\":[{{\"a\":\"{}\"}},{{\"a\":\"x\"}}]}}",
            "x".repeat(MAX_EVENT_BYTES)
        );
        let (scanner, sink) = scan("x", &input).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(scanner.tally.oversized, 1);
        assert_eq!(sink.0, [(2, "{\"a\":\"x\"}".to_owned())]);
    }
}

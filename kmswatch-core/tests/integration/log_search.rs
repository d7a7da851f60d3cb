//! `log_search::Search` on the bundled CloudTrail files: JSON Lines and the
//! gzip-compressed archive object hold the same events.

use kmswatch_core::log_search::{Found, Input, Position, Search, SearchError, Stopped};
use std::path::{Path, PathBuf};

const KEY_EVENTS: &str = "{ $.eventName = DisableKey || $.eventName = ScheduleKeyDeletion }";

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/cloudtrail")
}

fn lines_file() -> PathBuf {
    examples().join("events.jsonl")
}

fn archive_file() -> PathBuf {
    std::fs::read_dir(examples())
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .find(|p| p.to_string_lossy().ends_with(".json.gz"))
        .unwrap_or_else(|| panic!("no archive in examples/cloudtrail"))
}

/// What a search hands over: `(input, position, event)` per match and the
/// names of unreadable inputs.
type Seen = (Vec<(Input, Position, String)>, Vec<String>);

fn search(
    search: &Search,
) -> (
    Seen,
    Result<kmswatch_core::log_search::Summary, SearchError>,
) {
    let mut matches = Vec::new();
    let mut unreadable = Vec::new();
    let result = search.run(|found| {
        match found {
            Found::Match(m) => matches.push((
                m.input.clone(),
                m.position,
                String::from_utf8_lossy(m.event).into_owned(),
            )),
            Found::Unreadable(e) => unreadable.push(e.name().to_owned()),
        }
        Ok(())
    });
    ((matches, unreadable), result)
}

#[test]
fn lines_and_the_gzip_archive_give_the_same_events_in_input_order() {
    let plan = Search::parse(KEY_EVENTS)
        .unwrap_or_else(|e| panic!("{e}"))
        .inputs([lines_file(), archive_file()]);
    for threads in [1, 3] {
        let ((matches, unreadable), summary) = search(&plan.clone().threads(threads));
        let summary = summary.unwrap_or_else(|e| panic!("{e}"));
        assert!(unreadable.is_empty());
        assert_eq!((summary.files, summary.errors.len()), (2, 0));
        assert_eq!(summary.matched, matches.len() as u64);
        let (from_lines, from_archive): (Vec<_>, Vec<_>) = matches
            .iter()
            .partition(|(input, _, _)| input == &Input::File(lines_file()));
        assert!(!from_lines.is_empty());
        // Lines first: the order of the inputs, whatever the threads.
        assert!(matches[..from_lines.len()]
            .iter()
            .all(|m| m.0 == Input::File(lines_file())));
        let numbers = |found: &[&(Input, Position, String)]| -> Vec<u64> {
            found.iter().map(|(_, p, _)| p.number()).collect()
        };
        assert_eq!(numbers(&from_lines), numbers(&from_archive));
        assert!(from_lines
            .iter()
            .all(|(_, p, _)| matches!(p, Position::Line(_))));
        assert!(from_archive
            .iter()
            .all(|(_, p, _)| matches!(p, Position::Record(_))));
        for ((_, _, line), (_, _, record)) in from_lines.iter().zip(&from_archive) {
            let line: serde_json::Value = serde_json::from_str(line).unwrap_or_default();
            let record: serde_json::Value = serde_json::from_str(record).unwrap_or_default();
            assert_eq!(line, record);
            assert!(["DisableKey", "ScheduleKeyDeletion"]
                .contains(&line["eventName"].as_str().unwrap_or("")));
        }
        // Every line and every record was read.
        let lines = std::fs::read_to_string(lines_file())
            .unwrap_or_default()
            .lines()
            .count() as u64;
        assert_eq!(summary.events, 2 * lines);
    }
}

#[test]
fn a_directory_needs_recursive_and_then_gives_its_files_sorted() {
    let plan = Search::parse(KEY_EVENTS)
        .unwrap_or_else(|e| panic!("{e}"))
        .input(examples());
    let (_, result) = search(&plan);
    assert_eq!(result, Err(SearchError::Directory(examples())));
    let ((matches, _), result) = search(&plan.recursive(true));
    assert_eq!(result.map(|s| s.files).ok(), Some(2));
    // The archive's name sorts before events.jsonl.
    assert_eq!(
        matches.first().map(|m| &m.0),
        Some(&Input::File(archive_file()))
    );
    assert_eq!(
        matches.last().map(|m| &m.0),
        Some(&Input::File(examples().join("events.jsonl")))
    );
}

#[test]
fn an_unreadable_input_is_reported_in_order_and_the_others_are_read() {
    let missing = examples().join("no-such-file.json");
    let plan = Search::parse(KEY_EVENTS)
        .unwrap_or_else(|e| panic!("{e}"))
        .inputs([missing.clone(), lines_file()]);
    let ((matches, unreadable), summary) = search(&plan);
    let summary = summary.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(unreadable, [missing.display().to_string()]);
    assert_eq!(summary.errors.len(), 1);
    assert_eq!(
        summary.errors[0].file.as_deref(),
        Some(missing.to_string_lossy().as_ref())
    );
    assert_eq!(summary.files, 1);
    assert!(!matches.is_empty());
}

#[test]
fn an_invalid_pattern_is_a_typed_error() {
    match Search::parse("{ $.eventName = ") {
        Err(SearchError::InvalidPattern(e)) => assert!(e.offset > 0, "{e}"),
        other => panic!("{:?}", other.map(|s| s.pattern().to_string())),
    }
}

#[test]
fn the_receiver_stops_the_search() {
    let plan = Search::parse(KEY_EVENTS)
        .unwrap_or_else(|e| panic!("{e}"))
        .inputs([lines_file(), archive_file()]);
    let mut seen = 0;
    let result = plan.run(|_| {
        seen += 1;
        Err(Stopped)
    });
    assert_eq!(result, Err(SearchError::Stopped));
    assert_eq!(seen, 1);
}

#[test]
fn a_match_is_written_as_the_command_prints_it() {
    let plan = Search::parse(KEY_EVENTS)
        .unwrap_or_else(|e| panic!("{e}"))
        .input(lines_file());
    let mut first = None;
    plan.run(|found| {
        if let (Found::Match(m), None) = (found, &first) {
            first = Some((m.to_json(), m.position.number()));
        }
        Ok(())
    })
    .unwrap_or_else(|e| panic!("{e}"));
    let (json, line) = first.unwrap_or_default();
    let value: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
    assert_eq!(value["file"], lines_file().to_string_lossy().as_ref());
    assert_eq!(value["line"], line);
    assert!(value["event"].is_object(), "{json}");
}

//! Documented examples (and our own edge cases) as data: `tests/data/pattern_vectors.json`
//! holds (pattern, event, expected) rows, `tests/data/invalid_patterns.json` the
//! patterns that must be rejected, with the offset of the error.

use kmswatch_core::pattern::FilterPattern;
use serde::Deserialize;

#[derive(Deserialize)]
struct Vector {
    source: String,
    pattern: String,
    event: String,
    matches: bool,
}

#[derive(Deserialize)]
struct Invalid {
    source: String,
    pattern: String,
    offset: usize,
    message_contains: String,
}

fn load<T: for<'de> Deserialize<'de>>(name: &str) -> Vec<T> {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn documented_and_edge_case_vectors() {
    let vectors: Vec<Vector> = load("pattern_vectors.json");
    assert!(vectors.len() > 250, "vectors went missing");
    let mut failures = Vec::new();
    for v in &vectors {
        let pattern = match FilterPattern::parse(&v.pattern) {
            Ok(p) => p,
            Err(e) => {
                failures.push(format!(
                    "[{}] {:?} does not parse: {e}",
                    v.source, v.pattern
                ));
                continue;
            }
        };
        let with = pattern.matches(&v.event);
        let without = pattern.matches_without_prefilter(&v.event);
        if with != v.matches || without != v.matches {
            failures.push(format!(
                "[{}] {:?} on {:?}: expected {}, got {with} (without prefilter {without})",
                v.source, v.pattern, v.event, v.matches
            ));
        }
        // The canonical form means the same and is stable.
        let canonical = pattern.to_string();
        match FilterPattern::parse(&canonical) {
            Ok(again) if again == pattern && again.matches(&v.event) == v.matches => {}
            other => failures.push(format!(
                "[{}] canonical {canonical:?} of {:?}: {other:?}",
                v.source, v.pattern
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} vectors failed:\n{}",
        failures.len(),
        vectors.len(),
        failures.join("\n")
    );
}

#[test]
fn invalid_patterns_are_rejected_at_the_right_offset() {
    let invalid: Vec<Invalid> = load("invalid_patterns.json");
    assert!(invalid.len() > 30);
    let mut failures = Vec::new();
    for case in &invalid {
        match FilterPattern::parse(&case.pattern) {
            Ok(p) => failures.push(format!(
                "[{}] {:?} parsed as {p}",
                case.source, case.pattern
            )),
            Err(e) if e.offset != case.offset || !e.message.contains(&case.message_contains) => {
                failures.push(format!(
                    "[{}] {:?}: got {:?} at {}, expected {:?} at {}",
                    case.source,
                    case.pattern,
                    e.message,
                    e.offset,
                    case.message_contains,
                    case.offset
                ))
            }
            Err(e) => assert_eq!(e.to_string(), format!("{} at {}", e.message, e.offset)),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn huge_inputs() {
    let p =
        FilterPattern::parse("{ $.eventSource = kms.amazonaws.com && $.eventName = DisableKey }")
            .unwrap_or_else(|e| panic!("{e}"));
    // A 10 MB event with the target fields at the end.
    let filler = "x".repeat(10 << 20);
    let event = format!(
        r#"{{"pad":"{filler}","eventSource":"kms.amazonaws.com","eventName":"DisableKey"}}"#
    );
    assert!(p.matches(&event));
    assert!(!p.matches(&event.replace("DisableKey", "EnableKey")));
    // Nesting deeper than serde_json's limit is not an error, just no match.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(!p.matches(&deep));
    assert!(!p.matches_without_prefilter(&deep));
    let deep_obj = format!(
        r#"{}"eventSource":"kms.amazonaws.com","eventName":"DisableKey"{}"#,
        "{\"a\":".repeat(5000),
        "}".repeat(5000)
    );
    assert!(!p.matches(&deep_obj));
    // Many fields in a space-delimited event.
    let d = FilterPattern::parse("[a, ..., b = last]").unwrap_or_else(|e| panic!("{e}"));
    let words = format!("{} last", "w ".repeat(1_000_000));
    assert!(d.matches(&words));
    let d2 =
        FilterPattern::parse("[..., a = x, ..., b = y, ...]").unwrap_or_else(|e| panic!("{e}"));
    assert!(!d2.matches(&"w ".repeat(20_000)));
    // A long terms pattern.
    let terms = (0..100)
        .map(|i| format!("t{i}"))
        .collect::<Vec<_>>()
        .join(" ");
    let t = FilterPattern::parse(&terms).unwrap_or_else(|e| panic!("{e}"));
    assert!(t.matches(
        &(0..100)
            .map(|i| format!("t{i}"))
            .collect::<Vec<_>>()
            .join(",")
    ));
}

#[test]
fn corpus_targets_are_covered_by_the_cis_pattern() {
    let cis = FilterPattern::parse(
        "{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let report = kmswatch_core::pattern::coverage(&cis, kmswatch_core::corpus::kms_key_lifecycle());
    assert!(
        report.is_complete(),
        "{:?}",
        report.missed_target_event_names
    );
    assert!(report.events.len() >= 2);
    let rotation = FilterPattern::parse("{ $.eventName = DisableKeyRotation }")
        .unwrap_or_else(|e| panic!("{e}"));
    let report =
        kmswatch_core::pattern::coverage(&rotation, kmswatch_core::corpus::kms_key_lifecycle());
    assert!(!report.is_complete());
    assert!(report
        .missed_target_event_names
        .iter()
        .any(|n| n == "DisableKey"));
}

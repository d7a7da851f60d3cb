//! Fuzzes the filter-pattern parser and evaluator: the input's first line is a
//! pattern, the rest are events. Parsing and matching must never panic; a parsed
//! pattern's canonical form must parse back to the same pattern (unless quoting
//! made it longer than the 1024-character limit); the prefilter
//! must never change an answer.
#![no_main]

use kmswatch_core::pattern::{FilterPattern, MAX_PATTERN_CHARS};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (pattern_text, events) = text.split_once('\n').unwrap_or((text, ""));
    let pattern = match FilterPattern::parse(pattern_text) {
        Ok(p) => p,
        Err(e) => {
            assert!(e.offset <= pattern_text.len());
            return;
        }
    };
    let canonical = pattern.to_string();
    if canonical.chars().count() > MAX_PATTERN_CHARS {
        // Quoting can lengthen a pattern past the limit; such a canonical form is
        // rejected for its length, and for nothing else.
        let err = FilterPattern::parse(&canonical).err();
        assert!(
            err.is_some_and(|e| e.offset >= MAX_PATTERN_CHARS),
            "{canonical:?}"
        );
        return;
    }
    let again = FilterPattern::parse(&canonical).unwrap_or_else(|e| {
        panic!("canonical {canonical:?} of {pattern_text:?} does not parse: {e}")
    });
    assert_eq!(
        again, pattern,
        "canonical {canonical:?} of {pattern_text:?}"
    );
    assert_eq!(again.to_string(), canonical);
    for event in events.split('\n') {
        let full = pattern.matches_without_prefilter(event);
        assert_eq!(
            pattern.matches(event),
            full,
            "prefilter changed the answer for {event:?}"
        );
    }
});

//! Fuzzes the event pattern engine: the input's first line is a pattern (JSON
//! text), the rest are events. Under every dialect, parsing and matching must
//! never panic; a pattern parsed from text must equal the one parsed from its
//! JSON value; matching the text of an event must agree with matching the
//! event; and `{"$or": [p, p]}` must mean `p`.
#![no_main]

use kmswatch_core::event_pattern::{Dialect, EventPattern, FilterPolicyScope};
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};

const DIALECTS: [Dialect; 3] = [
    Dialect::EventBridge,
    Dialect::SnsFilterPolicy(FilterPolicyScope::MessageAttributes),
    Dialect::SnsFilterPolicy(FilterPolicyScope::MessageBody),
];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (pattern_text, events) = text.split_once('\n').unwrap_or((text, ""));
    let events: Vec<(&str, Option<Value>)> = events
        .split('\n')
        .map(|line| (line, serde_json::from_str(line).ok()))
        .collect();
    for dialect in DIALECTS {
        let Ok(pattern) = EventPattern::parse(pattern_text, dialect) else {
            continue;
        };
        let value: Value = serde_json::from_str(pattern_text).expect("parsed patterns are JSON");
        let again = EventPattern::from_value(&value, dialect)
            .unwrap_or_else(|e| panic!("{pattern_text:?} parses as text but not as a value: {e}"));
        assert_eq!(again, pattern, "{pattern_text:?}");
        let doubled = (!pattern.root().is_empty())
            .then(|| EventPattern::from_value(&json!({"$or": [value, value]}), dialect).ok())
            .flatten();
        let _ = pattern.combinations();
        for (line, event) in &events {
            let from_text = pattern.matches_json(line);
            match event {
                Some(event) => {
                    let matched = pattern.matches(event);
                    assert_eq!(from_text, matched, "{pattern_text:?} on {line:?}");
                    if let Some(doubled) = &doubled {
                        assert_eq!(doubled.matches(event), matched, "$or of {pattern_text:?}");
                    }
                }
                None => assert_eq!(from_text, pattern.root().is_empty(), "{line:?}"),
            }
        }
    }
});

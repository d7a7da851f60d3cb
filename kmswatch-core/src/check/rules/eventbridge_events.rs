//! Which KMS key events an EventBridge rule catches: the corpus' target
//! records as EventBridge delivers them, matched by the one event-pattern
//! engine.

use crate::check::gap_code::TargetEvent;
use crate::corpus;
use crate::event_pattern::{cloudtrail_api_call_event, Dialect, EventPattern, PatternError};
use crate::model::EventRule;
use serde_json::Value;
use std::sync::OnceLock;

/// The service principal EventBridge delivers to targets as.
pub const EVENTS: &str = "events.amazonaws.com";

/// The corpus' target records as EventBridge delivers them to rules.
pub fn delivered_events() -> &'static [(TargetEvent, Value)] {
    static EVENTS: OnceLock<Vec<(TargetEvent, Value)>> = OnceLock::new();
    EVENTS.get_or_init(|| {
        corpus::targets()
            .filter_map(|e| {
                let event = TargetEvent::from_event_name(&e.event_name)?;
                let record: Value = serde_json::from_str(&e.line).ok()?;
                Some((event, cloudtrail_api_call_event(&record)))
            })
            .collect()
    })
}

/// The event bodies an SNS topic target receives (the event itself).
pub fn delivered_bodies() -> Vec<Value> {
    delivered_events().iter().map(|(_, v)| v.clone()).collect()
}

/// The target events whose every corpus record the pattern matches.
///
/// # Errors
///
/// [`PatternError`] when the pattern cannot be read.
pub fn caught_by(pattern: &str) -> Result<Vec<TargetEvent>, PatternError> {
    let pattern = EventPattern::parse(pattern, Dialect::EventBridge)?;
    Ok(TargetEvent::ALL
        .into_iter()
        .filter(|t| {
            let mut records = delivered_events().iter().filter(|(e, _)| e == t).peekable();
            records.peek().is_some() && records.all(|(_, v)| pattern.matches(v))
        })
        .collect())
}

/// Whether gathering reads the rule's targets: enabled, with a pattern that
/// catches a target event or cannot be read.
pub fn worth_reading(rule: &EventRule) -> bool {
    rule.is_enabled()
        && rule
            .event_pattern
            .as_deref()
            .is_some_and(|p| caught_by(p).map_or(true, |c| !c.is_empty()))
}

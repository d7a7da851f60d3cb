//! Coverage: which corpus events a pattern catches, and whether it catches every
//! target (every successful `DisableKey` / `ScheduleKeyDeletion`).

use super::FilterPattern;
use crate::corpus::{CorpusEvent, EventCategory};
use serde::Serialize;

/// The verdict on one corpus event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EventOutcome {
    /// The corpus event's id.
    pub id: String,
    /// Its role in the coverage decision.
    pub category: EventCategory,
    /// Its `eventName`.
    pub event_name: String,
    /// Its `eventSource`.
    pub event_source: String,
    /// What it is.
    pub description: String,
    /// Whether the pattern matched it.
    pub matched: bool,
}

/// What a pattern catches of a set of events.
///
/// ```
/// use kmswatch_decisions::pattern::{coverage, FilterPattern};
/// let pattern: FilterPattern = "{ $.eventName = DisableKey }".parse()?;
/// let report = coverage(&pattern, kmswatch_decisions::corpus::kms_key_lifecycle());
/// // Scheduling a key's deletion goes unnoticed with this pattern.
/// assert!(!report.is_complete());
/// assert_eq!(report.missed_target_event_names, ["ScheduleKeyDeletion"]);
/// # Ok::<(), kmswatch_decisions::pattern::PatternError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Coverage {
    /// The pattern's canonical form.
    pub pattern: String,
    /// Every event, in the order given, with its verdict.
    pub events: Vec<EventOutcome>,
    /// Whether every target event matched.
    pub complete: bool,
    /// Target event names (`DisableKey`, `ScheduleKeyDeletion`) with at least one
    /// missed target event; sorted.
    pub missed_target_event_names: Vec<String>,
}

impl Coverage {
    /// Events the pattern matched.
    pub fn matched(&self) -> impl Iterator<Item = &EventOutcome> {
        self.events.iter().filter(|e| e.matched)
    }

    /// Events the pattern did not match.
    pub fn missed(&self) -> impl Iterator<Item = &EventOutcome> {
        self.events.iter().filter(|e| !e.matched)
    }

    /// Matched events of one category.
    pub fn matched_in(&self, category: EventCategory) -> impl Iterator<Item = &EventOutcome> {
        self.matched().filter(move |e| e.category == category)
    }

    /// Missed events of one category.
    pub fn missed_in(&self, category: EventCategory) -> impl Iterator<Item = &EventOutcome> {
        self.missed().filter(move |e| e.category == category)
    }

    /// Target events the pattern missed: each one is an unmonitored way to disable
    /// or delete a key.
    pub fn missed_targets(&self) -> impl Iterator<Item = &EventOutcome> {
        self.missed_in(EventCategory::Target)
    }

    /// Whether every target event matched (vacuously true with no targets).
    pub fn is_complete(&self) -> bool {
        self.complete
    }
}

/// Runs `pattern` over `events` and reports what it catches.
pub fn coverage<'a>(
    pattern: &FilterPattern,
    events: impl IntoIterator<Item = &'a CorpusEvent>,
) -> Coverage {
    let events: Vec<EventOutcome> = events
        .into_iter()
        .map(|e| EventOutcome {
            id: e.id.clone(),
            category: e.category,
            event_name: e.event_name.clone(),
            event_source: e.event_source.clone(),
            description: e.description.clone(),
            matched: pattern.matches(&e.line),
        })
        .collect();
    let mut missed_target_event_names: Vec<String> = events
        .iter()
        .filter(|e| e.category == EventCategory::Target && !e.matched)
        .map(|e| e.event_name.clone())
        .collect();
    missed_target_event_names.sort_unstable();
    missed_target_event_names.dedup();
    Coverage {
        pattern: pattern.to_string(),
        complete: missed_target_event_names.is_empty(),
        missed_target_event_names,
        events,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(id: &str, category: EventCategory, name: &str, source: &str) -> CorpusEvent {
        CorpusEvent {
            id: id.into(),
            description: format!("{name} from {source}"),
            category,
            event_name: name.into(),
            event_source: source.into(),
            line: format!(r#"{{"eventSource":"{source}","eventName":"{name}"}}"#),
        }
    }

    fn sample() -> Vec<CorpusEvent> {
        vec![
            event(
                "disable",
                EventCategory::Target,
                "DisableKey",
                "kms.amazonaws.com",
            ),
            event(
                "schedule",
                EventCategory::Target,
                "ScheduleKeyDeletion",
                "kms.amazonaws.com",
            ),
            event(
                "rotation",
                EventCategory::LookAlike,
                "DisableKeyRotation",
                "kms.amazonaws.com",
            ),
            event(
                "other",
                EventCategory::LookAlike,
                "DisableKey",
                "example.amazonaws.com",
            ),
        ]
    }

    fn run(pattern: &str) -> Coverage {
        let p = FilterPattern::parse(pattern).unwrap_or_else(|e| panic!("{e}"));
        coverage(&p, &sample())
    }

    #[test]
    fn cis_pattern_covers_targets_only() {
        let c = run("{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }");
        assert!(c.is_complete());
        assert_eq!(c.missed_targets().count(), 0);
        assert_eq!(
            c.matched().map(|e| e.id.as_str()).collect::<Vec<_>>(),
            ["disable", "schedule"]
        );
        assert_eq!(c.missed_in(EventCategory::LookAlike).count(), 2);
        assert!(c.missed_target_event_names.is_empty());
    }

    #[test]
    fn partial_pattern_names_what_it_misses() {
        let c = run("{ $.eventName = DisableKey* }");
        assert!(!c.is_complete());
        assert_eq!(c.missed_target_event_names, ["ScheduleKeyDeletion"]);
        assert_eq!(c.matched_in(EventCategory::LookAlike).count(), 2);
        assert_eq!(c.pattern, "{ $.eventName = \"DisableKey*\" }");
    }

    #[test]
    fn serialises_for_the_cli() {
        let json = serde_json::to_value(run("DisableKey")).unwrap_or_default();
        assert_eq!(json["complete"], false);
        assert_eq!(json["events"][0]["category"], "target");
        assert_eq!(json["events"][0]["matched"], true);
    }
}

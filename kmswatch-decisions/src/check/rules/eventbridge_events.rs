//! Which KMS key events an EventBridge rule catches: the corpus' target
//! records as EventBridge delivers them in the checked account (its id in
//! `account`, `recipientAccountId`, the key ARNs), matched by the one
//! event-pattern engine.

use crate::check::gap_code::TargetEvent;
use crate::corpus;
use crate::event_pattern::{cloudtrail_api_call_event, Dialect, EventPattern, PatternError};
use crate::model::EventRule;
use serde_json::Value;

/// The service principal EventBridge delivers to targets as.
pub const EVENTS: &str = "events.amazonaws.com";

/// The corpus' target records as EventBridge delivers them to the rules of
/// `account`. Made on each call: a few dozen records, and no process-wide
/// cache that grows with every account a long-lived embedder checks.
pub fn delivered_events(account: &str) -> Vec<(TargetEvent, Value)> {
    corpus::targets()
        .filter_map(|e| {
            let event = TargetEvent::from_event_name(&e.event_name)?;
            let record: Value = serde_json::from_str(&e.line_in(account)).ok()?;
            Some((event, cloudtrail_api_call_event(&record)))
        })
        .collect()
}

/// The event bodies an SNS topic target of `account` receives (the event
/// itself).
pub fn delivered_bodies(account: &str) -> Vec<Value> {
    delivered_events(account)
        .into_iter()
        .map(|(_, v)| v)
        .collect()
}

/// The target events whose every corpus record, as `account`'s rules receive
/// it, the pattern matches.
///
/// # Errors
///
/// [`PatternError`] when the pattern cannot be read.
pub fn caught_by(pattern: &str, account: &str) -> Result<Vec<TargetEvent>, PatternError> {
    let pattern = EventPattern::parse(pattern, Dialect::EventBridge)?;
    let delivered = delivered_events(account);
    Ok(TargetEvent::ALL
        .into_iter()
        .filter(|t| {
            let mut records = delivered.iter().filter(|(e, _)| e == t).peekable();
            records.peek().is_some() && records.all(|(_, v)| pattern.matches(v))
        })
        .collect())
}

/// Whether gathering reads the rule's targets: enabled, with a pattern that
/// catches a target event of `account` or cannot be read.
pub fn worth_reading(rule: &EventRule, account: &str) -> bool {
    rule.is_enabled()
        && rule
            .event_pattern
            .as_deref()
            .is_some_and(|p| caught_by(p, account).map_or(true, |c| !c.is_empty()))
}

#[cfg(test)]
mod tests {
    use super::caught_by;

    #[test]
    fn a_rule_pattern_is_judged_on_the_events_of_the_account_it_runs_in() {
        let scoped = r#"{"source": ["aws.kms"], "account": ["444455556666"], "detail": {"eventName": ["DisableKey", "ScheduleKeyDeletion"]}}"#;
        assert_eq!(caught_by(scoped, "444455556666").unwrap().len(), 2);
        assert!(caught_by(scoped, "111122223333").unwrap().is_empty());
    }
}

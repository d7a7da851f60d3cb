//! `kmswatch pattern explain`: a pattern's canonical form, the literals every
//! match contains, and which events of the KMS key lifecycle corpus it
//! catches (`kmswatch.pattern/v1` in JSON).

use crate::pattern_parse::parse_or_report;
use crate::stdout;
use kmswatch_core::controls::Control;
use kmswatch_core::corpus::EventCategory;
use kmswatch_core::pattern::{Explanation, PatternKind, RequiredLiterals};
use std::fmt::Write as _;
use std::process::ExitCode;

use crate::format_arg::Format;

/// Prints what PATTERN catches of the corpus as `account_id`'s trail logs it;
/// exit code 0 when it catches every target event, 1 when it misses one, 2
/// when it is invalid.
pub fn explain(
    pattern_text: &str,
    format: Format,
    account_id: &str,
    control: &'static Control,
) -> ExitCode {
    let Some(pattern) = parse_or_report(pattern_text, format == Format::JSON) else {
        return ExitCode::from(2);
    };
    let explanation = Explanation::for_control(&pattern, account_id, control);
    let text = match format {
        Format::JSON => serde_json::to_string_pretty(&explanation).unwrap_or_default(),
        _ => table(&explanation, control),
    };
    stdout::line(&text);
    ExitCode::from(if explanation.coverage.is_complete() {
        0
    } else {
        1
    })
}

fn category_name(category: EventCategory) -> &'static str {
    match category {
        EventCategory::Target => "target",
        EventCategory::FailedAttempt => "failed attempt",
        EventCategory::LookAlike => "look-alike",
        EventCategory::Routine => "routine",
    }
}

fn literals_text(required: &RequiredLiterals) -> String {
    match required {
        RequiredLiterals::Anything => "(none)".to_owned(),
        RequiredLiterals::Literal(l) => format!("{l:?}"),
        RequiredLiterals::All(v) => v
            .iter()
            .map(nested_literals)
            .collect::<Vec<_>>()
            .join(" AND "),
        RequiredLiterals::Any(v) => v
            .iter()
            .map(nested_literals)
            .collect::<Vec<_>>()
            .join(" OR "),
    }
}

fn nested_literals(required: &RequiredLiterals) -> String {
    match required {
        RequiredLiterals::All(_) | RequiredLiterals::Any(_) => {
            format!("({})", literals_text(required))
        }
        other => literals_text(other),
    }
}

fn table(e: &Explanation, control: &Control) -> String {
    let mut out = String::new();
    let kind = match e.kind {
        PatternKind::Empty => "empty (matches every event)",
        PatternKind::Terms => "unstructured terms",
        PatternKind::Regex => "regular expression",
        PatternKind::Json => "JSON",
        PatternKind::SpaceDelimited => "space-delimited",
    };
    let _ = writeln!(out, "canonical:         {}", e.canonical);
    let _ = writeln!(out, "kind:              {kind}");
    let _ = writeln!(
        out,
        "required literals: {}",
        literals_text(&e.required_literals)
    );
    let _ = writeln!(out);
    let name_width = e
        .coverage
        .events
        .iter()
        .map(|o| o.event_name.len())
        .max()
        .unwrap_or(10)
        .max(10);
    let _ = writeln!(
        out,
        "{:<7}  {:<14}  {:<name_width$}  id",
        "result", "category", "event name"
    );
    for o in &e.coverage.events {
        let result = if o.matched { "caught" } else { "missed" };
        let _ = writeln!(
            out,
            "{result:<7}  {:<14}  {:<name_width$}  {}",
            category_name(o.category),
            o.event_name,
            o.id
        );
    }
    let _ = writeln!(out);
    let targets = e
        .coverage
        .events
        .iter()
        .filter(|o| o.category == EventCategory::Target)
        .count();
    let caught = e.coverage.matched_in(EventCategory::Target).count();
    if e.coverage.is_complete() {
        let _ = write!(
            out,
            "covers all targets: yes ({caught} of {targets} target events caught)"
        );
    } else {
        let _ = write!(
            out,
            "covers all targets: NO ({caught} of {targets} target events caught; missed: {})",
            e.coverage.missed_target_event_names.join(", ")
        );
    }
    let noise = e.coverage.matched_in(EventCategory::LookAlike).count();
    if noise > 0 {
        if control.is_kms() {
            let _ = write!(
                out,
                "\nalso matches {noise} look-alike event(s) that are not key disabling or deletion"
            );
        } else {
            let _ = write!(
                out,
                "\nalso matches {noise} look-alike event(s) that are not {} (CIS {})",
                control.name, control.cis
            );
        }
    }
    let routine = e.coverage.matched_in(EventCategory::Routine).count();
    if routine > 0 {
        let kinds = if control.is_kms() {
            " (KMS reads, STS, EC2, S3)"
        } else {
            ""
        };
        let _ = write!(
            out,
            "\nalso matches {routine} routine event(s){kinds}: a metric it publishes is above zero in every period, so an alarm on it never leaves ALARM"
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use kmswatch_core::pattern::FilterPattern;

    #[test]
    fn explain_table_reports_coverage() {
        let p = FilterPattern::parse("{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }")
            .unwrap_or_else(|e| panic!("{e}"));
        let e = Explanation::of(&p, kmswatch_core::corpus::CORPUS_ACCOUNT);
        let text = table(&e, &kmswatch_core::controls::KMS);
        assert!(text.contains("covers all targets: yes"), "{text}");
        assert!(text.contains("required literals: \"kms.amazonaws.com\" AND (\"DisableKey\" OR \"ScheduleKeyDeletion\")"), "{text}");
        let json = serde_json::to_value(&e).unwrap_or_default();
        assert_eq!(json["coverage"]["complete"], true);
        assert_eq!(json["kind"], "json");
        assert_eq!(json["schema"], "kmswatch.pattern/v1");
    }

    #[test]
    fn a_pattern_that_misses_a_target_says_which() {
        let p =
            FilterPattern::parse("{ $.eventName = DisableKey }").unwrap_or_else(|e| panic!("{e}"));
        let e = Explanation::of(&p, kmswatch_core::corpus::CORPUS_ACCOUNT);
        assert!(!e.coverage.is_complete());
        let text = table(&e, &kmswatch_core::controls::KMS);
        assert!(text.contains("covers all targets: NO"), "{text}");
        assert!(text.contains("ScheduleKeyDeletion"), "{text}");
    }
}

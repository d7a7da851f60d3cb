//! `kmswatch pattern test|explain`: run a CloudWatch Logs filter pattern over log
//! events, or explain what it catches of the KMS key lifecycle corpus.
//!
//! Exit codes: `test` 0 if any event matched, 1 if none did; `explain` 0; both 2
//! for an invalid pattern or an unreadable input.

use crate::line_filter::{filter_lines, FilterError, MAX_EVENT_BYTES};
use crate::stdout;
use clap::{Subcommand, ValueEnum};
use kmswatch_core::corpus::{kms_key_lifecycle, EventCategory};
use kmswatch_core::pattern::{
    coverage, Coverage, FilterPattern, PatternError, PatternKind, RequiredLiterals,
};
use kmswatch_core::session::ErrorDocument;
use serde::Serialize;
use std::fmt::Write as _;
use std::io::{self, BufWriter, Read};
use std::path::PathBuf;
use std::process::ExitCode;

/// `kmswatch pattern` subcommands.
#[derive(Debug, Subcommand)]
pub enum PatternCommand {
    /// Print the log events (one per line, from FILE or stdin) that PATTERN matches.
    ///
    /// Exit code 0 if any event matched, 1 if none did, 2 if the pattern is
    /// invalid or FILE cannot be read.
    Test {
        /// The filter pattern, e.g. '{ $.eventName = DisableKey }'.
        pattern: String,
        /// Log events, one per line; stdin when absent or '-'.
        file: Option<PathBuf>,
    },
    /// Print PATTERN's canonical form and which KMS key lifecycle events it catches.
    Explain {
        /// The filter pattern.
        pattern: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
}

/// Output format of `pattern explain`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people.
    Table,
    /// For programs: one JSON object.
    Json,
}

/// Runs a `kmswatch pattern` subcommand.
pub fn run(cmd: PatternCommand) -> ExitCode {
    match cmd {
        PatternCommand::Test { pattern, file } => test(&pattern, file),
        PatternCommand::Explain { pattern, format } => explain(&pattern, format),
    }
}

/// The error for an invalid pattern, with a caret under the offending character.
fn invalid_pattern_message(pattern: &str, err: &PatternError) -> String {
    // Show the line the error is on; the caret counts characters, not bytes.
    let offset = err.offset.min(pattern.len());
    let line_start = pattern[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = pattern[offset..]
        .find('\n')
        .map_or(pattern.len(), |i| offset + i);
    let line = &pattern[line_start..line_end];
    let column = pattern[line_start..offset].chars().count();
    let mut out = format!("kmswatch: invalid filter pattern: {err}\n");
    let _ = writeln!(out, "  {}", line.replace('\t', " "));
    let _ = write!(out, "  {}^", " ".repeat(column));
    out
}

/// The parsed pattern; an invalid one is reported on standard error (and,
/// with `json`, as an error document on standard output).
fn parse_or_report(pattern: &str, json: bool) -> Option<FilterPattern> {
    match FilterPattern::parse(pattern) {
        Ok(p) => Some(p),
        Err(e) => {
            eprintln!("{}", invalid_pattern_message(pattern, &e));
            if json {
                let message = format!("invalid filter pattern: {e}");
                stdout::line(&ErrorDocument::invalid_pattern(message, e.offset).to_json());
            }
            None
        }
    }
}

fn test(pattern: &str, file: Option<PathBuf>) -> ExitCode {
    let Some(pattern) = parse_or_report(pattern, false) else {
        return ExitCode::from(2);
    };
    let input: Box<dyn Read> = match &file {
        Some(path) if path.as_os_str() != "-" => match std::fs::File::open(path) {
            Ok(f) => Box::new(f),
            Err(e) => {
                eprintln!("kmswatch: cannot read {}: {e}", path.display());
                return ExitCode::from(2);
            }
        },
        _ => Box::new(io::stdin().lock()),
    };
    let stdout = io::stdout().lock();
    match filter_lines(&pattern, input, BufWriter::with_capacity(1 << 16, stdout)) {
        Ok(filtered) => {
            if filtered.oversized > 0 {
                eprintln!(
                    "kmswatch: {} line(s) longer than {} bytes, the largest CloudWatch Logs event, were not matched",
                    filtered.oversized, MAX_EVENT_BYTES
                );
            }
            ExitCode::from(if filtered.matched { 0 } else { 1 })
        }
        Err(FilterError::Read(e)) => {
            let name = file
                .as_ref()
                .map_or("stdin".to_owned(), |p| p.display().to_string());
            eprintln!("kmswatch: cannot read {name}: {e}");
            ExitCode::from(2)
        }
        // A closed stdout (`| head`) is not an error; what matched so far decides.
        Err(FilterError::Write { matched, .. }) => {
            if matched {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
    }
}

#[derive(Serialize)]
struct Explanation {
    canonical: String,
    kind: PatternKind,
    required_literals: RequiredLiterals,
    coverage: Coverage,
}

fn explain(pattern_text: &str, format: Format) -> ExitCode {
    let Some(pattern) = parse_or_report(pattern_text, format == Format::Json) else {
        return ExitCode::from(2);
    };
    let explanation = Explanation {
        canonical: pattern.to_string(),
        kind: pattern.kind(),
        required_literals: pattern.required_literals(),
        coverage: coverage(&pattern, kms_key_lifecycle()),
    };
    let text = match format {
        Format::Json => serde_json::to_string_pretty(&explanation).unwrap_or_default(),
        Format::Table => table(&explanation),
    };
    stdout::line(&text);
    ExitCode::SUCCESS
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

fn table(e: &Explanation) -> String {
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
        let _ = write!(
            out,
            "\nalso matches {noise} look-alike event(s) that are not key disabling or deletion"
        );
    }
    let routine = e.coverage.matched_in(EventCategory::Routine).count();
    if routine > 0 {
        let _ = write!(
            out,
            "\nalso matches {routine} routine event(s) (KMS reads, STS, EC2, S3): a metric it publishes is above zero in every period, so an alarm on it never leaves ALARM"
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caret_points_at_the_error() {
        let pattern = "{ ($.eventName = DisableKey }";
        let err = FilterPattern::parse(pattern).unwrap_err();
        let message = invalid_pattern_message(pattern, &err);
        let lines: Vec<&str> = message.lines().collect();
        assert_eq!(
            lines[0],
            "kmswatch: invalid filter pattern: expected ')', found '}' at 28"
        );
        assert_eq!(lines[1], format!("  {pattern}"));
        assert_eq!(lines[2].find('^'), Some(2 + 28));
    }

    #[test]
    fn caret_counts_characters_not_bytes() {
        let pattern = "{ $.userName = \"éé\" && }";
        let err = FilterPattern::parse(pattern).unwrap_err();
        let before = &pattern[..err.offset];
        // The error follows the two-byte characters, so bytes and characters differ.
        assert!(before.contains("éé"), "{err}");
        assert_eq!(before.len(), before.chars().count() + 2);
        let message = invalid_pattern_message(pattern, &err);
        assert_eq!(
            message.lines().nth(2).and_then(|l| l.find('^')),
            Some(2 + before.chars().count())
        );
    }

    #[test]
    fn explain_table_reports_coverage() {
        let p = FilterPattern::parse("{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }")
            .unwrap_or_else(|e| panic!("{e}"));
        let e = Explanation {
            canonical: p.to_string(),
            kind: p.kind(),
            required_literals: p.required_literals(),
            coverage: coverage(&p, kms_key_lifecycle()),
        };
        let text = table(&e);
        assert!(text.contains("covers all targets: yes"), "{text}");
        assert!(text.contains("required literals: \"kms.amazonaws.com\" AND (\"DisableKey\" OR \"ScheduleKeyDeletion\")"), "{text}");
        let json = serde_json::to_value(&e).unwrap_or_default();
        assert_eq!(json["coverage"]["complete"], true);
        assert_eq!(json["kind"], "json");
    }
}

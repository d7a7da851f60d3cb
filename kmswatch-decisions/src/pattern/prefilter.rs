//! The literal prefilter: strings every matching event must contain, found with
//! `memchr::memmem` before any parsing (the idea ripgrep is fast with).
//!
//! **JSON escapes.** A JSON string may spell any character as `\uXXXX`, so an
//! event can hold `"\u0044isableKey"` and still match `$.eventName = DisableKey`
//! without the bytes `DisableKey` appearing. JSON's other escapes (`\"`, `\\`,
//! `\/`, `\b \f \n \r \t`) only produce `"`, `\`, `/` and control characters.
//! So for JSON patterns we (1) take only literals with none of those characters,
//! and (2) when the literals are missing, still send the event to the full
//! matcher if it contains `\u` anywhere. An event the prefilter rejects therefore
//! could not have matched; events with `\u` escapes just lose the shortcut.
//! Term and space-delimited patterns match the raw text, so their literals need
//! no such care.

use super::ast::{CompareOp, Delimited, Field, FieldExpr, JsonExpr, Pattern, Terms, Test, Value};
use memchr::memmem;
use serde::Serialize;

/// What an event must contain for a pattern to possibly match it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", tag = "kind", content = "of")]
pub enum RequiredLiterals {
    /// No requirement: every event is a candidate.
    Anything,
    /// The event must contain this exact text.
    Literal(String),
    /// The event must satisfy every requirement.
    All(Vec<RequiredLiterals>),
    /// The event must satisfy at least one requirement.
    Any(Vec<RequiredLiterals>),
}

impl RequiredLiterals {
    /// Whether this requires nothing.
    pub fn is_anything(&self) -> bool {
        matches!(self, RequiredLiterals::Anything)
    }

    /// Whether `event` satisfies the requirement (exact substring search).
    pub fn is_satisfied_by(&self, event: &[u8]) -> bool {
        match self {
            RequiredLiterals::Anything => true,
            RequiredLiterals::Literal(l) => memmem::find(event, l.as_bytes()).is_some(),
            RequiredLiterals::All(v) => v.iter().all(|r| r.is_satisfied_by(event)),
            RequiredLiterals::Any(v) => v.iter().any(|r| r.is_satisfied_by(event)),
        }
    }

    fn all(parts: Vec<RequiredLiterals>) -> RequiredLiterals {
        let mut kept: Vec<_> = Vec::new();
        for part in parts {
            match part {
                RequiredLiterals::Anything => {}
                RequiredLiterals::All(inner) => kept.extend(inner),
                other => kept.push(other),
            }
        }
        match kept.len() {
            0 => RequiredLiterals::Anything,
            1 => kept.pop().unwrap_or(RequiredLiterals::Anything),
            _ => RequiredLiterals::All(kept),
        }
    }

    fn any(parts: Vec<RequiredLiterals>) -> RequiredLiterals {
        let mut kept: Vec<_> = Vec::new();
        for part in parts {
            match part {
                // One unconstrained alternative makes the whole disjunction unconstrained.
                RequiredLiterals::Anything => return RequiredLiterals::Anything,
                RequiredLiterals::Any(inner) => kept.extend(inner),
                other => kept.push(other),
            }
        }
        match kept.len() {
            0 => RequiredLiterals::Anything,
            1 => kept.pop().unwrap_or(RequiredLiterals::Anything),
            _ => RequiredLiterals::Any(kept),
        }
    }
}

/// Derives the requirement of a pattern.
pub(crate) fn required_literals(pattern: &Pattern) -> RequiredLiterals {
    match pattern {
        Pattern::Empty | Pattern::Regex(_) => RequiredLiterals::Anything,
        Pattern::Terms(t) => terms(t),
        Pattern::Json(e) => json(e),
        Pattern::Delimited(d) => delimited(d),
    }
}

fn literal(text: &str) -> RequiredLiterals {
    if text.is_empty() {
        RequiredLiterals::Anything
    } else {
        RequiredLiterals::Literal(text.to_owned())
    }
}

fn terms(t: &Terms) -> RequiredLiterals {
    let mut parts: Vec<_> = t.required.iter().map(|s| literal(s)).collect();
    if !t.any_of.is_empty() {
        parts.push(RequiredLiterals::any(
            t.any_of.iter().map(|s| literal(s)).collect(),
        ));
    }
    RequiredLiterals::all(parts)
}

/// A literal that JSON can only hide behind a `\u` escape.
fn json_literal(text: &str) -> RequiredLiterals {
    if text
        .chars()
        .any(|c| matches!(c, '"' | '\\' | '/') || c.is_control())
    {
        RequiredLiterals::Anything
    } else {
        literal(text)
    }
}

fn json(expr: &JsonExpr) -> RequiredLiterals {
    match expr {
        JsonExpr::And(v) => RequiredLiterals::all(v.iter().map(json).collect()),
        JsonExpr::Or(v) => RequiredLiterals::any(v.iter().map(json).collect()),
        JsonExpr::Condition(c) => match &c.test {
            Test::Compare(CompareOp::Eq, Value::Str(s)) => json_literal(&s.text),
            // The JSON literals themselves cannot be escaped.
            Test::IsTrue => literal("true"),
            Test::IsFalse => literal("false"),
            Test::IsNull => literal("null"),
            _ => RequiredLiterals::Anything,
        },
    }
}

fn delimited(d: &Delimited) -> RequiredLiterals {
    let parts = d
        .fields
        .iter()
        .map(|field| match field {
            Field::Named {
                condition: Some(e), ..
            } => field_expr(e),
            _ => RequiredLiterals::Anything,
        })
        .collect();
    RequiredLiterals::all(parts)
}

fn field_expr(expr: &FieldExpr) -> RequiredLiterals {
    match expr {
        FieldExpr::And(v) => RequiredLiterals::all(v.iter().map(field_expr).collect()),
        FieldExpr::Or(v) => RequiredLiterals::any(v.iter().map(field_expr).collect()),
        FieldExpr::Condition {
            op: CompareOp::Eq,
            value: Value::Str(s),
            ..
        } => literal(&s.text),
        FieldExpr::Condition { .. } => RequiredLiterals::Anything,
    }
}

/// The requirement compiled into substring searchers.
#[derive(Debug, Clone)]
enum Check {
    Literal(Box<memmem::Finder<'static>>),
    All(Vec<Check>),
    Any(Vec<Check>),
}

impl Check {
    fn new(required: &RequiredLiterals) -> Option<Check> {
        Some(match required {
            RequiredLiterals::Anything => return None,
            RequiredLiterals::Literal(l) => {
                Check::Literal(Box::new(memmem::Finder::new(l.as_bytes()).into_owned()))
            }
            RequiredLiterals::All(v) => Check::All(v.iter().filter_map(Check::new).collect()),
            RequiredLiterals::Any(v) => {
                Check::Any(v.iter().map(Check::new).collect::<Option<_>>()?)
            }
        })
    }

    fn holds(&self, event: &[u8]) -> bool {
        match self {
            Check::Literal(f) => f.find(event).is_some(),
            Check::All(v) => v.iter().all(|c| c.holds(event)),
            Check::Any(v) => v.iter().any(|c| c.holds(event)),
        }
    }
}

/// A compiled prefilter.
#[derive(Debug, Clone)]
pub(crate) struct Prefilter {
    check: Option<Check>,
    /// JSON patterns: an event with `\u` escapes is always a candidate.
    escapes_possible: bool,
    /// The longest literal that every match contains, for whole-buffer scans.
    anchor: Option<Box<memmem::Finder<'static>>>,
    escape: Box<memmem::Finder<'static>>,
}

/// The longest literal required by every match (a top-level literal, or one of
/// the top-level conjunction).
fn anchor(required: &RequiredLiterals) -> Option<&str> {
    match required {
        RequiredLiterals::Literal(l) => Some(l),
        RequiredLiterals::All(v) => v
            .iter()
            .filter_map(|r| match r {
                RequiredLiterals::Literal(l) => Some(l.as_str()),
                _ => None,
            })
            .max_by_key(|l| l.len()),
        _ => None,
    }
}

impl Prefilter {
    pub fn new(pattern: &Pattern) -> Self {
        let required = required_literals(pattern);
        Prefilter {
            check: Check::new(&required),
            escapes_possible: matches!(pattern, Pattern::Json(_)),
            anchor: anchor(&required)
                .map(|l| Box::new(memmem::Finder::new(l.as_bytes()).into_owned())),
            escape: Box::new(memmem::Finder::new(b"\\u").into_owned()),
        }
    }

    /// The lines of `buffer` (split on `\n`) that may match, in order.
    pub fn candidate_lines<'a>(&'a self, buffer: &'a [u8]) -> CandidateLines<'a> {
        CandidateLines {
            prefilter: self,
            buffer,
            pos: 0,
            anchor_hit: 0,
            escape_hit: if self.escapes_possible { 0 } else { usize::MAX },
        }
    }

    /// `false` only if the event cannot match.
    pub fn may_match(&self, event: &[u8]) -> bool {
        match &self.check {
            None => true,
            Some(check) => {
                check.holds(event)
                    || (self.escapes_possible && memmem::find(event, b"\\u").is_some())
            }
        }
    }
}

/// The lines of a buffer that may match a pattern: see
/// [`FilterPattern::candidate_lines`](super::FilterPattern::candidate_lines).
///
/// With a literal that every match contains, the whole buffer is searched for
/// it (and, for JSON patterns, for `\u`) and only the lines around the hits are
/// looked at; lines without a hit cost nothing beyond the search itself.
#[derive(Debug, Clone)]
pub struct CandidateLines<'a> {
    prefilter: &'a Prefilter,
    buffer: &'a [u8],
    /// Start of the next line to consider.
    pos: usize,
    /// Next hit of the anchor at or after the last search start (`usize::MAX`: none left).
    anchor_hit: usize,
    /// Next `\u` at or after the last search start (`usize::MAX`: none left or not needed).
    escape_hit: usize,
}

impl CandidateLines<'_> {
    /// Refreshes a cached hit that lies before `pos`.
    fn refresh(hit: &mut usize, pos: usize, buffer: &[u8], finder: &memmem::Finder<'_>) {
        if *hit < pos {
            *hit = buffer
                .get(pos..)
                .and_then(|rest| finder.find(rest))
                .map_or(usize::MAX, |i| pos + i);
        }
    }
}

impl<'a> Iterator for CandidateLines<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        let buffer = self.buffer;
        loop {
            if self.pos >= buffer.len() {
                return None;
            }
            let hit = match &self.prefilter.anchor {
                None => self.pos,
                Some(anchor) => {
                    Self::refresh(&mut self.anchor_hit, self.pos, buffer, anchor);
                    if self.escape_hit != usize::MAX {
                        Self::refresh(
                            &mut self.escape_hit,
                            self.pos,
                            buffer,
                            &self.prefilter.escape,
                        );
                    }
                    let hit = self.anchor_hit.min(self.escape_hit);
                    if hit == usize::MAX {
                        self.pos = buffer.len();
                        return None;
                    }
                    hit
                }
            };
            let start = buffer
                .get(self.pos..hit)
                .and_then(|before| memchr::memrchr(b'\n', before))
                .map_or(self.pos, |i| self.pos + i + 1);
            let end = buffer
                .get(hit..)
                .and_then(|after| memchr::memchr(b'\n', after))
                .map_or(buffer.len(), |i| hit + i);
            self.pos = end + 1;
            let line = buffer.get(start..end).unwrap_or_default();
            if self.prefilter.may_match(line) {
                return Some(line);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pattern::FilterPattern;

    fn req(p: &str) -> RequiredLiterals {
        FilterPattern::parse(p)
            .unwrap_or_else(|e| panic!("{p}: {e}"))
            .required_literals()
    }

    fn lit(s: &str) -> RequiredLiterals {
        RequiredLiterals::Literal(s.into())
    }

    #[test]
    fn cis_pattern_literals() {
        assert_eq!(
            req("{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }"),
            RequiredLiterals::All(vec![
                lit("kms.amazonaws.com"),
                RequiredLiterals::Any(vec![lit("DisableKey"), lit("ScheduleKeyDeletion")]),
            ])
        );
    }

    #[test]
    fn unsafe_or_absent_literals_are_dropped() {
        assert_eq!(req("{ $.a != x }"), RequiredLiterals::Anything);
        assert_eq!(req("{ $.a = \"a/b\" }"), RequiredLiterals::Anything);
        assert_eq!(req("{ $.a = 5 || $.b = x }"), RequiredLiterals::Anything);
        assert_eq!(req("{ $.a = Dis* && $.b NOT EXISTS }"), lit("Dis"));
        assert_eq!(
            req("?A ?B"),
            RequiredLiterals::Any(vec![lit("A"), lit("B")])
        );
        // `?` terms beside other terms are ignored (see `terms`).
        assert_eq!(req("ERROR ?A ?B -C"), lit("ERROR"));
        assert_eq!(
            req("[a, b = x || b = y]"),
            RequiredLiterals::Any(vec![lit("x"), lit("y")])
        );
        assert_eq!(req("%abc%"), RequiredLiterals::Anything);
    }

    #[test]
    fn candidate_lines_are_the_lines_that_may_match() {
        for pattern in [
            "{ $.eventSource = kms.amazonaws.com && $.eventName = DisableKey }",
            "ERROR",
            "",
            "[a, b = x]",
            "{ $.a != 1 }",
        ] {
            let p = FilterPattern::parse(pattern).unwrap_or_else(|e| panic!("{e}"));
            let buffer = "{\"eventSource\":\"kms.amazonaws.com\",\"eventName\":\"DisableKey\"}\n\nERROR kms.amazonaws.com\n{\"eventName\":\"\\u0044isableKey\",\"eventSource\":\"kms.amazonaws.com\"}\na x\n{\"eventName\":\"DisableKey\"}\nkms.amazonaws.com DisableKey";
            let expected: Vec<&[u8]> = buffer
                .split('\n')
                .map(str::as_bytes)
                .filter(|l| p.may_match(l))
                .collect();
            let got: Vec<&[u8]> = p.candidate_lines(buffer.as_bytes()).collect();
            assert_eq!(got, expected, "{pattern}");
        }
        let p =
            FilterPattern::parse("{ $.eventName = DisableKey }").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.candidate_lines(b"").count(), 0);
        assert_eq!(p.candidate_lines(b"{}\n{}\n").count(), 0);
    }

    #[test]
    fn escaped_events_are_never_rejected() {
        let p =
            FilterPattern::parse("{ $.eventName = DisableKey }").unwrap_or_else(|e| panic!("{e}"));
        let escaped = r#"{"eventName":"\u0044isableKey"}"#;
        assert!(p.matches(escaped));
        assert!(!p.may_match(br#"{"eventName":"Decrypt"}"#));
        assert!(p.may_match(br#"{"eventName":"x","n":"\u00e9"}"#));
    }
}

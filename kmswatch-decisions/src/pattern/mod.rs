//! The CloudWatch Logs filter-pattern language: parser, evaluator, canonical form,
//! literal prefilter and coverage analysis.
//!
//! ```
//! use kmswatch_decisions::pattern::{FilterPattern, PatternKind};
//!
//! let cis: FilterPattern = "{($.eventSource = kms.amazonaws.com) && \
//!     (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }".parse()?;
//! assert_eq!(cis.kind(), PatternKind::Json);
//! assert!(cis.matches(r#"{"eventSource":"kms.amazonaws.com","eventName":"DisableKey"}"#));
//! assert!(!cis.matches(r#"{"eventSource":"kms.amazonaws.com","eventName":"DisableKeyRotation"}"#));
//! assert_eq!(
//!     cis.to_string(),
//!     r#"{ $.eventSource = "kms.amazonaws.com" && ($.eventName = "DisableKey" || $.eventName = "ScheduleKeyDeletion") }"#
//! );
//! # Ok::<(), kmswatch_decisions::pattern::PatternError>(())
//! ```
//!
//! # The language
//!
//! The first non-blank character picks the kind: `{` JSON, `[` space-delimited,
//! `%` a standalone regex, anything else unstructured terms; an empty (or blank)
//! pattern matches every event. Patterns are at most 1024 characters.
//!
//! - **Terms** — `ERROR "exact phrase" ?WARN ?FATAL -Exiting`: case-sensitive
//!   substring search of the raw event ([`terms`](self) module docs).
//! - **Regex** — `%…%`, the documented subset (no groups, ASCII only); matches
//!   anywhere unless anchored.
//! - **JSON** — `{ SELECTOR op VALUE }` joined by `&&`, `||` and parentheses
//!   (`&&` binds tighter). Selectors: `$.a.b`, `$.a[0]`, `$.a[*]`, `$.*`,
//!   `$.['dotted.key']`. Tests: `= != < > <= >=`, `IS NULL`, `IS TRUE`,
//!   `IS FALSE`, `NOT EXISTS`. At most two `%regex%` values.
//! - **Space-delimited** — `[ip, user, ..., status = 4* && status != 403, bytes > 1000]`.
//!
//! # Decisions where the documentation is silent or ambiguous
//!
//! Each is pinned by a test (`tests/data/pattern_vectors.json` or unit tests).
//!
//! 1. **Mixing `?` terms with other terms.** The documentation says "If you
//!    combine "?" with other filter patterns, all question mark terms will be
//!    ignored", and lists `[INFO] REQUEST FAILED` among the matches of
//!    `?ERROR ?ARGUMENTS REQUEST`. So `A ?B ?C -D` is *A and not D*; `?B ?C` alone
//!    is *B or C*. A `-term` counts as another term.
//! 2. **Term matching is substring matching** (`ERROR` matches `ERRORCODE`, as
//!    documented); unquoted terms may contain any non-blank character except `"`.
//!    A leading `-`/`?` is the operator, and `- "term"` (with a space, as in the
//!    documentation's example) applies to the next term. A phrase of blanks
//!    (`" "`) is the empty phrase and matches everything, as documented.
//! 3. **Value types.** An *unquoted* value that reads as a number (`400`, `-1.5`,
//!    `10e-3`) is a number; anything else, and anything quoted, is a string.
//!    Numbers compare numerically and exactly (`1e3 = 1000`) against JSON
//!    numbers and against strings that read as numbers (`$.code = 400` matches
//!    `"code":"400"`). Strings compare exactly and case-sensitively with the
//!    value's text (a JSON number's text is its canonical decimal form, booleans
//!    are `true`/`false`). `< > <= >=` require a number in the pattern and a
//!    numeric value in the event.
//! 4. **Wildcards** `*` work at the start and/or end of quoted and unquoted
//!    strings alike; in the middle `*` is literal (`Ev*ent`); a lone `*` matches
//!    any present non-null scalar.
//! 5. **`!=` and `null`.** `!=` holds for a present scalar that does not match, so
//!    `null != "x"` holds; it never holds for a missing property, an object or
//!    an array. `IS NULL` holds only for `null`.
//! 6. **Several values under a selector** (wildcards, duplicate keys): a condition
//!    holds if it holds for at least one of them; `NOT EXISTS` holds when the
//!    selector reaches nothing at all. `.*` reaches object members and array
//!    elements; `[*]` array elements only.
//! 7. **Which events are JSON.** The whole event must be one JSON object or array
//!    (surrounding whitespace allowed); anything else, including invalid or
//!    over-deep (>128 levels) JSON, matches no JSON pattern.
//! 8. **Space-delimited fields.** Events split on runs of spaces/tabs; a field
//!    starting with `"` or `[` runs to the next `"` / `]` (delimiters removed).
//!    Without `...` the field counts must be equal. Every condition in a pattern
//!    field tests that field's value; the names written in conditions are labels,
//!    so the documented `status_code = 4* && bytes > 1000` tests one field. An
//!    empty slot (`[a, , b]`, or a trailing comma as in the documented
//!    `[..., request=*.html*, status_code=4*,]`) is an unnamed field.
//! 9. **Keywords** (`IS NULL`, `NOT EXISTS`, …) are accepted in any case; the
//!    canonical form writes them upper case.
//! 10. **Regex symbols.** Besides the documented symbols we accept `:` (listed in
//!     later revisions of the documentation) and space (used by the AWS CDK's own
//!     `regexValue` example); other punctuation, groups and non-ASCII are errors.

pub mod ast;
mod canonical;
mod coverage;
mod cursor;
mod delimited;
mod explanation;
mod grammar;
mod json;
mod number;
mod parser;
mod prefilter;
mod regex;
mod terms;
mod value;

pub use coverage::{coverage, Coverage, EventOutcome};
pub use explanation::{Explanation, EXPLAIN_SCHEMA};
pub use grammar::MAX_REGEX_PER_PATTERN;
pub use number::Decimal;
pub use parser::{MAX_NESTING, MAX_PATTERN_CHARS};
pub use prefilter::{CandidateLines, RequiredLiterals};

use ast::Pattern;
use serde::Serialize;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

/// A parse error: where in the pattern text and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} at {offset}")]
pub struct PatternError {
    /// Byte offset into the pattern text.
    pub offset: usize,
    /// Human-readable message, e.g. `expected ')'`.
    pub message: String,
}

impl PatternError {
    pub(crate) fn new(offset: usize, message: impl Into<String>) -> Self {
        PatternError {
            offset,
            message: message.into(),
        }
    }
}

/// The kind of a filter pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum PatternKind {
    /// The empty pattern (matches everything).
    Empty,
    /// Unstructured terms.
    Terms,
    /// A standalone `%regex%`.
    Regex,
    /// A `{ … }` JSON pattern.
    Json,
    /// A `[ … ]` space-delimited pattern.
    SpaceDelimited,
}

/// How a pattern is evaluated, built once at parse time.
#[derive(Debug, Clone)]
enum Matcher {
    All,
    Terms(terms::TermMatcher),
    Regex,
    Json(json::JsonPlan),
    Delimited,
}

/// A parsed filter pattern.
///
/// Its `Display` is the canonical form, which parses back to an equal pattern —
/// unless quoting made it longer than [`MAX_PATTERN_CHARS`], the limit `parse`
/// enforces on its input.
///
/// Equality and hashing compare the normalised syntax tree, so two spellings of
/// one pattern are equal: `{$.eventName=DisableKey}` equals
/// `{ ($.eventName = "DisableKey") }`.
#[derive(Debug, Clone)]
pub struct FilterPattern {
    ast: Pattern,
    matcher: Matcher,
    prefilter: prefilter::Prefilter,
}

impl FilterPattern {
    /// Parses a pattern.
    ///
    /// ```
    /// use kmswatch_decisions::pattern::FilterPattern;
    /// let err = FilterPattern::parse("{ ($.eventName = DisableKey }").unwrap_err();
    /// assert_eq!(err.to_string(), "expected ')', found '}' at 28");
    /// ```
    pub fn parse(text: &str) -> Result<FilterPattern, PatternError> {
        let ast = parser::parse(text)?;
        let matcher = match &ast {
            Pattern::Empty => Matcher::All,
            Pattern::Terms(t) => Matcher::Terms(terms::TermMatcher::new(t)),
            Pattern::Regex(_) => Matcher::Regex,
            Pattern::Json(e) => Matcher::Json(json::JsonPlan::new(e)),
            Pattern::Delimited(_) => Matcher::Delimited,
        };
        let prefilter = prefilter::Prefilter::new(&ast);
        Ok(FilterPattern {
            ast,
            matcher,
            prefilter,
        })
    }

    /// Whether the pattern matches one raw log event (literal prefilter first).
    pub fn matches(&self, event: &str) -> bool {
        self.prefilter.may_match(event.as_bytes()) && self.matches_without_prefilter(event)
    }

    /// Whether the pattern matches, always running the full matcher. Gives the same
    /// answer as [`matches`](Self::matches); exists for benchmarks and tests.
    pub fn matches_without_prefilter(&self, event: &str) -> bool {
        match (&self.matcher, &self.ast) {
            (Matcher::All, _) => true,
            (Matcher::Terms(t), _) => t.matches(event.as_bytes()),
            (Matcher::Regex, Pattern::Regex(r)) => r.is_match(event),
            (Matcher::Json(plan), _) => plan.matches(event),
            (Matcher::Delimited, Pattern::Delimited(d)) => delimited::matches(d, event),
            _ => false,
        }
    }

    /// The literal prefilter alone, on raw bytes: `false` means the event cannot
    /// match. Lets callers skip UTF-8 validation of events that cannot match.
    pub fn may_match(&self, event: &[u8]) -> bool {
        self.prefilter.may_match(event)
    }

    /// The lines of `buffer` (one event per `\n`-terminated line) that pass the
    /// literal prefilter, in order, without their `\n`. Scans the whole buffer for
    /// a literal every match contains, so lines that cannot match are skipped
    /// without being looked at one by one; run
    /// [`matches_without_prefilter`](Self::matches_without_prefilter) on each.
    ///
    /// ```
    /// use kmswatch_decisions::pattern::FilterPattern;
    /// let p = FilterPattern::parse("{ $.eventName = DisableKey }")?;
    /// let log = b"{\"eventName\":\"Decrypt\"}\n{\"eventName\":\"DisableKey\"}\n";
    /// let hits: Vec<&[u8]> = p.candidate_lines(log).collect();
    /// assert_eq!(hits, [&b"{\"eventName\":\"DisableKey\"}"[..]]);
    /// # Ok::<(), kmswatch_decisions::pattern::PatternError>(())
    /// ```
    pub fn candidate_lines<'a>(&'a self, buffer: &'a [u8]) -> CandidateLines<'a> {
        self.prefilter.candidate_lines(buffer)
    }

    /// The pattern's kind.
    pub fn kind(&self) -> PatternKind {
        match self.ast {
            Pattern::Empty => PatternKind::Empty,
            Pattern::Terms(_) => PatternKind::Terms,
            Pattern::Regex(_) => PatternKind::Regex,
            Pattern::Json(_) => PatternKind::Json,
            Pattern::Delimited(_) => PatternKind::SpaceDelimited,
        }
    }

    /// The literals every matching event contains (see the prefilter's rules on
    /// JSON escapes in [`RequiredLiterals`]' module).
    pub fn required_literals(&self) -> RequiredLiterals {
        prefilter::required_literals(&self.ast)
    }

    /// The normalised syntax tree.
    pub fn ast(&self) -> &Pattern {
        &self.ast
    }
}

impl PartialEq for FilterPattern {
    fn eq(&self, other: &Self) -> bool {
        self.ast == other.ast
    }
}

impl Eq for FilterPattern {}

impl Hash for FilterPattern {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.ast.hash(state);
    }
}

impl FromStr for FilterPattern {
    type Err = PatternError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        FilterPattern::parse(s)
    }
}

impl fmt::Display for FilterPattern {
    /// The canonical form (see the `canonical` rules in the module docs).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.ast.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> FilterPattern {
        FilterPattern::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn spellings_of_one_pattern_are_equal() {
        assert_eq!(
            p("{$.eventName=DisableKey}"),
            p("{ ($.eventName = \"DisableKey\") }")
        );
        assert_eq!(
            p("{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }"),
            p("{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }")
        );
        assert_eq!(p("{ $.n = 1e3 }"), p("{ $.n = 1000 }"));
        assert_ne!(p("{ $.n = \"1000\" }"), p("{ $.n = 1000 }"));
        assert_eq!(
            p("{ $.a = 1 && ($.b = 2 && $.c = 3) }"),
            p("{ ($.a = 1 && $.b = 2) && $.c = 3 }")
        );
    }

    #[test]
    fn precedence_and_binds_tighter() {
        assert_eq!(
            p("{ $.a = 1 || $.b = 2 && $.c = 3 }").to_string(),
            "{ $.a = 1 || $.b = 2 && $.c = 3 }"
        );
        assert_eq!(
            p("{ ($.a = 1 || $.b = 2) && $.c = 3 }").to_string(),
            "{ ($.a = 1 || $.b = 2) && $.c = 3 }"
        );
    }

    #[test]
    fn kinds() {
        assert_eq!(p("").kind(), PatternKind::Empty);
        assert_eq!(p("  ").kind(), PatternKind::Empty);
        assert_eq!(p("ERROR").kind(), PatternKind::Terms);
        assert_eq!(p("%ERR%").kind(), PatternKind::Regex);
        assert_eq!(p("{ $.a = 1 }").kind(), PatternKind::Json);
        assert_eq!(p("[a, b]").kind(), PatternKind::SpaceDelimited);
    }

    #[test]
    fn length_limit() {
        let long = format!("\"{}\"", "a".repeat(1022));
        assert!(FilterPattern::parse(&long).is_ok());
        let too_long = format!("\"{}\"", "a".repeat(1023));
        assert_eq!(
            FilterPattern::parse(&too_long).map_err(|e| e.offset),
            Err(1024)
        );
    }

    /// Found by `cargo fuzz`: quoting terms lengthens a pattern, so the canonical
    /// form of a pattern near the limit can exceed it. Such a canonical form is
    /// rejected for its length only; shorter ones round-trip.
    #[test]
    fn canonical_form_may_exceed_the_length_limit() {
        // 170 distinct unquoted terms, 1019 characters; each gets quoted.
        let text = (0..170)
            .map(|i| format!("a.{i:03}"))
            .collect::<Vec<_>>()
            .join(" ");
        assert!(text.len() <= MAX_PATTERN_CHARS);
        let pattern = p(&text);
        let canonical = pattern.to_string();
        assert!(canonical.chars().count() > MAX_PATTERN_CHARS);
        let err = FilterPattern::parse(&canonical).unwrap_err();
        assert_eq!(err.offset, MAX_PATTERN_CHARS);
        assert!(err.message.contains("longer than 1024"));
    }

    #[test]
    fn error_offsets_point_at_the_problem() {
        let e = FilterPattern::parse(
            "{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) }",
        )
        .unwrap_err();
        assert_eq!(e.message, "expected ')', found '}'");
        assert_eq!(e.offset, 69);
    }
}

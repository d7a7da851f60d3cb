//! The intermediate form every dialect is generated from: a JSON pattern's
//! conditions as tests of one value at one path, with the engine's rules
//! (what `=` means for a boolean, a lone `*`, `!=` on null) already decided,
//! so a dialect only spells them.

use super::{Dialect, Refusal};
use crate::pattern::ast::{
    CompareOp, JsonCondition, JsonExpr, Pattern, Segment, Selector, StrPattern, Test, Value,
};
use crate::pattern::{Decimal, FilterPattern};

/// A whole pattern as a condition on one record.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// Every record (the empty pattern).
    Always,
    /// Every operand holds.
    All(Vec<Condition>),
    /// At least one operand holds.
    Any(Vec<Condition>),
    /// One test of the value at one path.
    Field(FieldCondition),
}

/// `path test`.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldCondition {
    /// Where the value is.
    pub path: FieldPath,
    /// What must hold of it.
    pub test: FieldTest,
}

/// A path of member names and array indexes from the record's root.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldPath {
    /// The steps, at least one.
    pub steps: Vec<Step>,
    /// The selector as the canonical form writes it (`$.a.b[0]`), for messages.
    pub written: String,
}

/// One step of a [`FieldPath`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// An object member.
    Key(String),
    /// An array element.
    Index(u32),
    /// Every element of an array (`[*]`): the test holds when it holds of
    /// some value reached, `NOT EXISTS` when none is reached (the engine's
    /// meaning). Only dialects that keep the record whole as JSON lower it.
    AnyIndex,
}

/// A test of the value at a path. Every test but [`FieldTest::Missing`] is
/// false when the path reaches nothing, and every test is false for an
/// object or an array except `Missing` (they are present, never comparable).
#[derive(Debug, Clone, PartialEq)]
pub enum FieldTest {
    /// `=` (or `!=` when `negated`) against a string with wildcards. The
    /// value's text is a string's own, an integer's decimal digits, a
    /// boolean's `true`/`false`; `null` has none (so `!=` holds for it).
    Text {
        /// How the text must look.
        matcher: TextMatch,
        /// `!=`: a present scalar whose text does not match.
        negated: bool,
        /// Whether the matcher accepts `true` and `false` (decided here).
        booleans: Booleans,
    },
    /// `= %regex%` (or `!=`), found anywhere in the value's text.
    Regex {
        /// The regex in the syntax of the `regex` crate (the engine's
        /// translation of the CloudWatch subset).
        regex: String,
        /// `!=`.
        negated: bool,
        /// Whether the regex matches `true` and `false` (decided here).
        booleans: Booleans,
    },
    /// A numeric comparison: numbers, and strings that read as numbers.
    Number {
        /// The operator.
        op: CompareOp,
        /// The number.
        value: Decimal,
    },
    /// `IS NULL`.
    IsNull,
    /// `IS TRUE`.
    IsTrue,
    /// `IS FALSE`.
    IsFalse,
    /// `NOT EXISTS`: the path reaches nothing.
    Missing,
}

/// Whether a text test accepts the texts of the two booleans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Booleans {
    /// `true` matches.
    pub on_true: bool,
    /// `false` matches.
    pub on_false: bool,
}

/// The shape of a string value with its wildcards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextMatch {
    /// A lone `*`: any text (every scalar but `null`).
    Any,
    /// No wildcard.
    Exact(String),
    /// `text*`.
    Prefix(String),
    /// `*text`.
    Suffix(String),
    /// `*text*`.
    Contains(String),
}

impl TextMatch {
    fn of(pattern: &StrPattern) -> TextMatch {
        let text = pattern.text.clone();
        match (pattern.leading_wildcard, pattern.trailing_wildcard) {
            (true, false) if text.is_empty() => TextMatch::Any,
            (false, false) => TextMatch::Exact(text),
            (false, true) => TextMatch::Prefix(text),
            (true, false) => TextMatch::Suffix(text),
            (true, true) => TextMatch::Contains(text),
        }
    }

    /// The literal part (empty for [`TextMatch::Any`]).
    pub fn text(&self) -> &str {
        match self {
            TextMatch::Any => "",
            TextMatch::Exact(t)
            | TextMatch::Prefix(t)
            | TextMatch::Suffix(t)
            | TextMatch::Contains(t) => t,
        }
    }

    /// Whether some text made only of `chars` could match: what decides
    /// whether a number's text must be written out to test it.
    pub fn may_match_text_of(&self, chars: &str) -> bool {
        let text = self.text();
        match self {
            TextMatch::Any => true,
            TextMatch::Exact(_) if text.is_empty() => false,
            _ => text.chars().all(|c| chars.contains(c)),
        }
    }
}

/// The characters of an integer's decimal text, as the engine writes it.
pub const INTEGER_CHARS: &str = "0123456789-";
/// The characters of any number's text, as the engine or an SQL engine may
/// write it (`1.5`, `-0.001`, `1.0E20`, `1e+20`).
pub const NUMBER_CHARS: &str = "0123456789-+.eE";

/// The intermediate form of `pattern`, or what no SQL dialect can express
/// with the engine's semantics: the raw-text kinds and wildcard selectors.
pub fn lower(pattern: &FilterPattern, dialect: Dialect) -> Result<Condition, Refusal> {
    match pattern.ast() {
        Pattern::Empty => Ok(Condition::Always),
        Pattern::Terms(_) => Err(Refusal::UnstructuredTerms(dialect)),
        Pattern::Regex(_) => Err(Refusal::StandaloneRegex(dialect)),
        Pattern::Delimited(_) => Err(Refusal::SpaceDelimited(dialect)),
        Pattern::Json(expr) => lower_expr(expr, dialect),
    }
}

fn lower_expr(expr: &JsonExpr, dialect: Dialect) -> Result<Condition, Refusal> {
    let all = |v: &[JsonExpr]| {
        v.iter()
            .map(|e| lower_expr(e, dialect))
            .collect::<Result<Vec<_>, _>>()
    };
    Ok(match expr {
        JsonExpr::And(v) => Condition::All(all(v)?),
        JsonExpr::Or(v) => Condition::Any(all(v)?),
        JsonExpr::Condition(c) => Condition::Field(lower_condition(c, dialect)?),
    })
}

fn lower_condition(c: &JsonCondition, dialect: Dialect) -> Result<FieldCondition, Refusal> {
    let path = lower_selector(&c.selector, dialect)?;
    let test = match &c.test {
        Test::IsNull => FieldTest::IsNull,
        Test::IsTrue => FieldTest::IsTrue,
        Test::IsFalse => FieldTest::IsFalse,
        Test::NotExists => FieldTest::Missing,
        Test::Compare(op, Value::Number(n)) => FieldTest::Number {
            op: *op,
            value: n.clone(),
        },
        Test::Compare(op, Value::Str(s)) => FieldTest::Text {
            matcher: TextMatch::of(s),
            negated: *op == CompareOp::Ne,
            booleans: Booleans {
                on_true: s.matches("true"),
                on_false: s.matches("false"),
            },
        },
        Test::Compare(op, Value::Regex(r)) => FieldTest::Regex {
            regex: r.compiled.as_str().to_owned(),
            negated: *op == CompareOp::Ne,
            booleans: Booleans {
                on_true: r.is_match("true"),
                on_false: r.is_match("false"),
            },
        },
    };
    Ok(FieldCondition { path, test })
}

/// A selector's steps. One `[*]` is lowered where the record is kept whole
/// as JSON (DuckDB, Spark): each element is tested in turn. `.*` (which the
/// engine also steps into arrays with) and a second wildcard are refused.
fn lower_selector(selector: &Selector, dialect: Dialect) -> Result<FieldPath, Refusal> {
    let written = selector.to_string();
    let refused = || Refusal::WildcardSelector {
        selector: written.clone(),
        dialect,
    };
    let wildcards = selector
        .segments
        .iter()
        .filter(|s| matches!(s, Segment::AnyIndex | Segment::AnyMember))
        .count();
    if wildcards > 1 || (wildcards == 1 && !dialect.reads_objects()) {
        return Err(refused());
    }
    let steps = selector
        .segments
        .iter()
        .map(|s| match s {
            Segment::Key(k) => Ok(Step::Key(k.clone())),
            Segment::Index(i) => Ok(Step::Index(*i)),
            Segment::AnyIndex => Ok(Step::AnyIndex),
            Segment::AnyMember => Err(refused()),
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(FieldPath { steps, written })
}

impl FieldPath {
    /// The path up to its `[*]` (the array) and the path from each element
    /// on, when it has one.
    pub fn split_at_elements(&self) -> Option<(FieldPath, FieldPath)> {
        let at = self.steps.iter().position(|s| *s == Step::AnyIndex)?;
        let part = |steps: &[Step]| FieldPath {
            steps: steps.to_vec(),
            written: self.written.clone(),
        };
        Some((part(&self.steps[..at]), part(&self.steps[at + 1..])))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(text: &str) -> Result<Condition, Refusal> {
        let pattern = FilterPattern::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        lower(&pattern, Dialect::DuckDb)
    }

    #[test]
    fn raw_text_kinds_are_refused() {
        for (text, construct) in [
            ("DisableKey", "unstructured_terms"),
            ("%Disable%", "standalone_regex"),
            ("[a, b]", "space_delimited"),
            ("{ $.a[*].b[*] = 1 }", "wildcard_selector"),
            ("{ $.* = 1 }", "wildcard_selector"),
        ] {
            assert_eq!(
                form(text).map_err(|r| r.construct()),
                Err(construct),
                "{text}"
            );
        }
    }

    #[test]
    fn booleans_and_wildcards_are_decided_once() {
        let Ok(Condition::Field(c)) = form("{ $.readOnly = tru* }") else {
            panic!("one condition");
        };
        assert_eq!(c.path.written, "$.readOnly");
        assert_eq!(
            c.test,
            FieldTest::Text {
                matcher: TextMatch::Prefix("tru".into()),
                negated: false,
                booleans: Booleans {
                    on_true: true,
                    on_false: false
                },
            }
        );
        let Ok(Condition::Field(c)) = form("{ $.a != * }") else {
            panic!("one condition");
        };
        assert!(matches!(
            c.test,
            FieldTest::Text {
                matcher: TextMatch::Any,
                negated: true,
                ..
            }
        ));
    }

    #[test]
    fn numeric_text_is_recognised() {
        assert!(TextMatch::Prefix("4".into()).may_match_text_of(INTEGER_CHARS));
        assert!(!TextMatch::Prefix("4a".into()).may_match_text_of(NUMBER_CHARS));
        assert!(!TextMatch::Exact(String::new()).may_match_text_of(INTEGER_CHARS));
        assert!(TextMatch::Any.may_match_text_of(INTEGER_CHARS));
    }
}

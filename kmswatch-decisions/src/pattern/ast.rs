//! The syntax tree of a parsed filter pattern.
//!
//! The parser normalises as it builds: quoted and unquoted spellings of the same
//! value, redundant parentheses, nested `&&`/`||` chains and the order of
//! unstructured terms leave no trace here, so two spellings of one pattern build
//! equal trees.

use super::number::Decimal;
use std::hash::{Hash, Hasher};

/// A whole filter pattern.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Pattern {
    /// The empty pattern: matches every event.
    Empty,
    /// Unstructured terms: `ERROR -Exiting ?WARN "exact phrase"`.
    Terms(Terms),
    /// A standalone regular expression: `%AUTHORIZED%`.
    Regex(RegexPattern),
    /// A JSON pattern: `{ $.eventName = DisableKey }`.
    Json(JsonExpr),
    /// A space-delimited pattern: `[ip, user, ..., status = 4*]`.
    Delimited(Delimited),
}

/// Unstructured terms. Each list is sorted and free of duplicates.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Terms {
    /// Terms that must all appear.
    pub required: Vec<String>,
    /// `?term`s: when there are any, at least one must appear.
    pub any_of: Vec<String>,
    /// `-term`s: none may appear.
    pub excluded: Vec<String>,
}

/// A regular expression of the CloudWatch Logs subset, compiled for the `regex` crate.
///
/// Equality and hashing use the source text.
#[derive(Debug, Clone)]
pub struct RegexPattern {
    pub(crate) source: String,
    pub(crate) compiled: regex::Regex,
}

impl RegexPattern {
    /// The regex as written between the `%` signs.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Whether the regex matches anywhere in `text`.
    pub fn is_match(&self, text: &str) -> bool {
        self.compiled.is_match(text)
    }
}

impl PartialEq for RegexPattern {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source
    }
}

impl Eq for RegexPattern {}

impl Hash for RegexPattern {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.source.hash(state);
    }
}

/// A boolean expression of a JSON pattern.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum JsonExpr {
    /// All operands hold (two or more; never directly nested in another `And`).
    And(Vec<JsonExpr>),
    /// At least one operand holds (two or more; never directly nested in another `Or`).
    Or(Vec<JsonExpr>),
    /// One test of one selected property.
    Condition(JsonCondition),
}

/// `SELECTOR test`, e.g. `$.eventName = "DisableKey"` or `$.flag IS TRUE`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct JsonCondition {
    /// Which property.
    pub selector: Selector,
    /// What must hold of it.
    pub test: Test,
}

/// What a JSON condition checks.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Test {
    /// `= != < > <= >=` against a value.
    Compare(CompareOp, Value),
    /// `IS NULL`.
    IsNull,
    /// `IS TRUE`.
    IsTrue,
    /// `IS FALSE`.
    IsFalse,
    /// `NOT EXISTS`.
    NotExists,
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CompareOp {
    /// `=`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `>`
    Gt,
    /// `<=`
    Le,
    /// `>=`
    Ge,
}

impl CompareOp {
    /// The operator as written in a pattern.
    pub fn as_str(self) -> &'static str {
        match self {
            CompareOp::Eq => "=",
            CompareOp::Ne => "!=",
            CompareOp::Lt => "<",
            CompareOp::Gt => ">",
            CompareOp::Le => "<=",
            CompareOp::Ge => ">=",
        }
    }

    /// Whether the operator only makes sense for numbers.
    pub fn is_ordering(self) -> bool {
        !matches!(self, CompareOp::Eq | CompareOp::Ne)
    }
}

/// The right-hand side of a comparison.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Value {
    /// A string, possibly with a `*` wildcard at its start and/or end.
    Str(StrPattern),
    /// A number literal (unquoted): compared numerically.
    Number(Decimal),
    /// `%regex%`: matches when the regex matches anywhere in the value.
    Regex(RegexPattern),
}

/// A string value with optional leading/trailing `*` wildcards.
///
/// `*Event` is `{ leading_wildcard: true, text: "Event", .. }`. A `*` in the middle
/// is literal. A lone `*` (or `**`) matches any value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StrPattern {
    /// The value may have anything before `text`.
    pub leading_wildcard: bool,
    /// The literal part.
    pub text: String,
    /// The value may have anything after `text`.
    pub trailing_wildcard: bool,
}

impl StrPattern {
    /// Splits one `*` off each end of a written value.
    pub fn from_written(written: &str) -> StrPattern {
        let (leading, rest) = match written.strip_prefix('*') {
            Some(rest) => (true, rest),
            None => (false, written),
        };
        let (text, trailing) = match rest.strip_suffix('*') {
            Some(text) => (text, true),
            None => (rest, false),
        };
        if text.is_empty() && (leading || trailing) {
            // `*` and `**` both mean "anything".
            return StrPattern {
                leading_wildcard: true,
                text: String::new(),
                trailing_wildcard: false,
            };
        }
        StrPattern {
            leading_wildcard: leading,
            text: text.to_owned(),
            trailing_wildcard: trailing,
        }
    }

    /// Whether `value` matches: exact, case-sensitive, wildcards at the ends only.
    pub fn matches(&self, value: &str) -> bool {
        match (self.leading_wildcard, self.trailing_wildcard) {
            (false, false) => value == self.text,
            (true, false) => value.ends_with(&self.text),
            (false, true) => value.starts_with(&self.text),
            (true, true) => value.contains(&self.text),
        }
    }
}

/// A JSON property selector: `$.a.b[0][*].*['dotted.key']`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Selector {
    /// The steps from the root, at least one.
    pub segments: Vec<Segment>,
}

/// One step of a selector.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Segment {
    /// `.name` or `['name']`: an object member.
    Key(String),
    /// `[N]`: an array element.
    Index(u32),
    /// `[*]`: any array element.
    AnyIndex,
    /// `.*`: any object member or array element.
    AnyMember,
}

/// A space-delimited pattern.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Delimited {
    /// The fields, in event order.
    pub fields: Vec<Field>,
}

/// One field of a space-delimited pattern.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Field {
    /// `...`: any number of event fields (including none).
    Ellipsis,
    /// An empty slot between commas (`[a, , b]` or a trailing comma): any one field.
    Anonymous,
    /// A named field, optionally with conditions on its value.
    Named {
        /// The field's name (the first name in its condition when it has one).
        name: String,
        /// Conditions on this field's value, if any.
        condition: Option<FieldExpr>,
    },
}

/// Conditions on one space-delimited field, combined with `&&` and `||`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FieldExpr {
    /// All operands hold.
    And(Vec<FieldExpr>),
    /// At least one operand holds.
    Or(Vec<FieldExpr>),
    /// `name op value`. Every condition tests the value of the field it is written
    /// in; the name is a label (see the module docs).
    Condition {
        /// The name as written.
        name: String,
        /// The operator.
        op: CompareOp,
        /// The value.
        value: Value,
    },
}

//! The parsed form of an event pattern or filter policy.
//!
//! A pattern is an [`ObjectPattern`]: named fields, each either a nested object
//! pattern or a list of [`Matcher`]s (any of which may match), plus optional
//! `$or` alternatives evaluated against the same event object.

use super::numeric::NumericRange;
use super::wildcard::Wildcard;
use ipnet::IpNet;
use serde_json::Number;

/// An object level of a pattern: every field must match, and when `any_of` is
/// not empty (`"$or"`), at least one alternative must match as well.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ObjectPattern {
    /// The fields, in key order.
    pub fields: Vec<Field>,
    /// The `$or` alternatives; empty when the object has no `$or`.
    pub any_of: Vec<ObjectPattern>,
}

impl ObjectPattern {
    /// True for the empty pattern (an SNS policy `{}`), which matches everything.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.any_of.is_empty()
    }
}

/// One named field of an [`ObjectPattern`].
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The event key.
    pub name: String,
    /// What the value under the key must be.
    pub pattern: FieldPattern,
}

/// What a field's value must be.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldPattern {
    /// An object (`"detail": {...}`) matched against the event's nested object.
    Object(ObjectPattern),
    /// A list of matchers (`"source": ["aws.kms", {"prefix": "aws."}]`): the field
    /// matches when any of them does.
    Values(Vec<Matcher>),
}

/// One element of a field's value list.
#[derive(Debug, Clone, PartialEq)]
pub enum Matcher {
    /// An exact value: `"aws.kms"`, `300`, `true`, `null`.
    Exact(Literal),
    /// `{"prefix": ...}`, optionally case-insensitive.
    Prefix {
        /// The prefix.
        text: String,
        /// `{"prefix": {"equals-ignore-case": ...}}`.
        ignore_case: bool,
    },
    /// `{"suffix": ...}`, optionally case-insensitive.
    Suffix {
        /// The suffix.
        text: String,
        /// `{"suffix": {"equals-ignore-case": ...}}`.
        ignore_case: bool,
    },
    /// `{"equals-ignore-case": "..."}`.
    EqualsIgnoreCase(String),
    /// `{"wildcard": "..."}`.
    Wildcard(Wildcard),
    /// `{"anything-but": ...}`: any present value that is not excluded.
    AnythingBut(Exclusion),
    /// `{"numeric": [...]}`.
    Numeric(NumericRange),
    /// `{"cidr": "..."}`: an IP address string inside the network.
    Cidr(IpNet),
    /// `{"exists": true}` or `{"exists": false}`.
    Exists(bool),
}

/// A JSON scalar written as an exact value.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// A string.
    String(String),
    /// A number, compared by value.
    Number(Number),
    /// `true` or `false`.
    Bool(bool),
    /// `null`.
    Null,
}

/// What an `anything-but` excludes.
#[derive(Debug, Clone, PartialEq)]
pub enum Exclusion {
    /// These strings (`"anything-but": "x"` or `["x", "y"]`).
    Strings(Vec<String>),
    /// These numbers, compared by value.
    Numbers(Vec<Number>),
    /// Strings starting with any of these (`{"prefix": ...}`).
    Prefixes(Vec<String>),
    /// Strings ending with any of these (`{"suffix": ...}`).
    Suffixes(Vec<String>),
    /// These strings in any letter case (`{"equals-ignore-case": ...}`).
    IgnoreCase(Vec<String>),
    /// Strings matching any of these wildcards (`{"wildcard": ...}`).
    Wildcards(Vec<Wildcard>),
}

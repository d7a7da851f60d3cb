//! What a dialect cannot express with the engine's exact semantics: each
//! construct is refused by name, never approximated.

use super::Dialect;

/// Why a pattern was not compiled to SQL for a dialect.
///
/// [`Refusal::construct`] is a stable code (`unstructured_terms`,
/// `wildcard_selector`...) for documents and exceptions.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// Terms search the raw text of the event; the engines keep each record
    /// as parsed JSON, not as the bytes CloudWatch Logs would see.
    #[error("unstructured terms search an event's raw text, which {0} does not keep; write a JSON pattern ({{ $.eventName = ... }})")]
    UnstructuredTerms(Dialect),
    /// A standalone `%regex%` searches the raw text, as terms do.
    #[error("a standalone %regex% searches an event's raw text, which {0} does not keep; put the regex under a selector ({{ $.eventName = %...% }})")]
    StandaloneRegex(Dialect),
    /// Space-delimited patterns split raw text into fields; CloudTrail
    /// records are JSON.
    #[error("space-delimited patterns split an event's raw text, which {0} does not keep; CloudTrail records are JSON: write a JSON pattern")]
    SpaceDelimited(Dialect),
    /// `[*]` or `.*`: a condition on any of several values.
    #[error("the selector {selector} reaches several values ([*] or .*), which {dialect} cannot test one by one with the engine's semantics")]
    WildcardSelector {
        /// The selector as written in the canonical form.
        selector: String,
        /// The dialect.
        dialect: Dialect,
    },
    /// A member name the dialect's JSON path cannot spell exactly.
    #[error("the member name {key:?} cannot be written in a {dialect} JSON path (quotes, backslashes and control characters are refused)")]
    SelectorKey {
        /// The member name.
        key: String,
        /// The dialect.
        dialect: Dialect,
    },
    /// A field the layout's table has no column for, or not with the
    /// field's exact (case-sensitive) name.
    #[error("the selector {selector} names no column of {dialect}'s CloudTrail table (JSON names are case-sensitive; the table keeps CloudTrail's own fields)")]
    NoColumn {
        /// The selector as written in the canonical form.
        selector: String,
        /// The dialect.
        dialect: Dialect,
    },
    /// A test the layout cannot decide for a column: a column holds SQL NULL
    /// both for a missing field and for JSON `null`, and holds text where the
    /// record held a number or a boolean.
    #[error("{test} on {selector} needs to tell a missing field from null, or a string from a number or boolean, which {dialect}'s CloudTrail table does not keep")]
    ColumnTest {
        /// The test as written (`!=`, `IS NULL`, `NOT EXISTS`, `<`...).
        test: String,
        /// The selector as written in the canonical form.
        selector: String,
        /// The dialect.
        dialect: Dialect,
    },
    /// A string value that could match the text of a number, which the
    /// engine writes in its own way (`1e2` is `100`).
    #[error("the value {value:?} of {selector} could match the text of a number, which {dialect} writes differently from the engine; compare numbers unquoted ({selector} = 400)")]
    NumericText {
        /// The value as written.
        value: String,
        /// The selector as written in the canonical form.
        selector: String,
        /// The dialect.
        dialect: Dialect,
    },
}

impl Refusal {
    /// The stable code of the refused construct.
    pub fn construct(&self) -> &'static str {
        match self {
            Refusal::UnstructuredTerms(_) => "unstructured_terms",
            Refusal::StandaloneRegex(_) => "standalone_regex",
            Refusal::SpaceDelimited(_) => "space_delimited",
            Refusal::WildcardSelector { .. } => "wildcard_selector",
            Refusal::SelectorKey { .. } => "selector_key",
            Refusal::NoColumn { .. } => "no_column",
            Refusal::ColumnTest { .. } => "column_test",
            Refusal::NumericText { .. } => "numeric_text",
        }
    }
}

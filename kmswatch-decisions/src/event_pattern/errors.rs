//! Typed parse errors, each with the JSON path of the offending place.

use super::dialect::Dialect;
use std::fmt;

/// One step of a [`JsonPath`]: an object key or an array index.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PathStep {
    /// A member of an object.
    Key(String),
    /// An element of an array.
    Index(usize),
}

/// A place in the pattern JSON, written `$.detail.eventName[0]` (keys that are
/// not plain words are bracketed: `$['a.b']`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct JsonPath(Vec<PathStep>);

impl JsonPath {
    /// The document root, `$`.
    pub fn root() -> Self {
        JsonPath(Vec::new())
    }

    /// The steps from the root.
    pub fn steps(&self) -> &[PathStep] {
        &self.0
    }

    pub(crate) fn key(&self, key: &str) -> Self {
        let mut steps = self.0.clone();
        steps.push(PathStep::Key(key.to_owned()));
        JsonPath(steps)
    }

    pub(crate) fn index(&self, index: usize) -> Self {
        let mut steps = self.0.clone();
        steps.push(PathStep::Index(index));
        JsonPath(steps)
    }
}

fn is_plain_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '$'))
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("$")?;
        for step in &self.0 {
            match step {
                PathStep::Key(key) if is_plain_key(key) => write!(f, ".{key}")?,
                PathStep::Key(key) => {
                    f.write_str("['")?;
                    for c in key.chars() {
                        if c == '\'' || c == '\\' {
                            f.write_str("\\")?;
                        }
                        write!(f, "{c}")?;
                    }
                    f.write_str("']")?;
                }
                PathStep::Index(i) => write!(f, "[{i}]")?,
            }
        }
        Ok(())
    }
}

/// A limit a service puts on patterns (SNS filter policies).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Limit {
    /// The policy's JSON is larger than the service accepts.
    Size {
        /// Bytes of JSON.
        bytes: usize,
        /// The most the service accepts.
        max: usize,
    },
    /// Too many keys.
    Keys {
        /// Keys counted (in the largest `$or` alternative).
        count: usize,
        /// The most the service accepts.
        max: usize,
    },
    /// Too many value combinations.
    Combinations {
        /// Combinations counted (saturating).
        count: u64,
        /// The most the service accepts.
        max: u64,
    },
    /// A nested object where the scope allows only flat policies.
    Nesting,
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Limit::Size { bytes, max } => {
                write!(f, "policy is {bytes} bytes, more than the {max} allowed")
            }
            Limit::Keys { count, max } => {
                write!(f, "policy has {count} keys, more than the {max} allowed")
            }
            Limit::Combinations { count, max } => write!(
                f,
                "policy has {count} value combinations, more than the {max} allowed"
            ),
            Limit::Nesting => {
                f.write_str("the MessageAttributes scope does not allow nested policies")
            }
        }
    }
}

/// What is wrong at the error's path.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The text is not JSON.
    #[error("not valid JSON: {message} (line {line}, column {column})")]
    InvalidJson {
        /// The JSON parser's message.
        message: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// The pattern (or a `$or` alternative) is not a JSON object.
    #[error("a pattern must be a JSON object")]
    NotAnObject,
    /// `{}` where fields are required.
    #[error("empty objects are not allowed")]
    EmptyObject,
    /// `[]` as a field's list of values.
    #[error("empty arrays are not allowed")]
    EmptyArray,
    /// A field's value that is neither an object (nesting) nor an array (values).
    #[error("a field must be an object or an array")]
    NotObjectOrArray,
    /// An element of a value list that is an array.
    #[error("a match value must be a string, number, true, false, null or an operator object")]
    InvalidMatchValue,
    /// An operator object without exactly one key.
    #[error("an operator object must have exactly one key, found {0}")]
    OperatorKeyCount(usize),
    /// An operator this engine does not know. Callers should treat the pattern as
    /// needing manual review: it may use an operator AWS added later.
    #[error("unknown operator {0:?}")]
    UnknownOperator(String),
    /// A known operator the dialect's service does not support.
    #[error("operator {operator:?} is not supported in {dialect}")]
    UnsupportedOperator {
        /// The operator, e.g. `wildcard` or `anything-but/suffix`.
        operator: String,
        /// The dialect that lacks it.
        dialect: Dialect,
    },
    /// An operator with an operand of the wrong form.
    #[error("invalid {operator:?} operand: {reason}")]
    InvalidOperand {
        /// The operator.
        operator: String,
        /// What is wrong with the operand.
        reason: String,
    },
    /// `$or` that is not an array of at least two objects.
    #[error("\"$or\" must be an array of at least two objects")]
    InvalidOr,
    /// An operator name used as a field name inside `$or`.
    #[error("{0:?} is an operator name and cannot be a field name inside \"$or\"")]
    ReservedFieldName(String),
    /// Objects nested deeper than [`MAX_NESTING_DEPTH`](super::MAX_NESTING_DEPTH).
    #[error("nested deeper than {0} levels")]
    TooDeep(usize),
    /// A service limit is exceeded.
    #[error("{0}")]
    LimitExceeded(Limit),
}

impl ErrorKind {
    /// A stable code for the kind, e.g. `unknown_operator`.
    pub fn code(&self) -> &'static str {
        match self {
            ErrorKind::InvalidJson { .. } => "invalid_json",
            ErrorKind::NotAnObject => "not_an_object",
            ErrorKind::EmptyObject => "empty_object",
            ErrorKind::EmptyArray => "empty_array",
            ErrorKind::NotObjectOrArray => "not_object_or_array",
            ErrorKind::InvalidMatchValue => "invalid_match_value",
            ErrorKind::OperatorKeyCount(_) => "operator_key_count",
            ErrorKind::UnknownOperator(_) => "unknown_operator",
            ErrorKind::UnsupportedOperator { .. } => "unsupported_operator",
            ErrorKind::InvalidOperand { .. } => "invalid_operand",
            ErrorKind::InvalidOr => "invalid_or",
            ErrorKind::ReservedFieldName(_) => "reserved_field_name",
            ErrorKind::TooDeep(_) => "too_deep",
            ErrorKind::LimitExceeded(_) => "limit_exceeded",
        }
    }
}

/// A pattern that cannot be parsed: where (a JSON path) and what.
///
/// ```
/// use kmswatch_decisions::event_pattern::{Dialect, EventPattern};
///
/// let err = EventPattern::parse(
///     r#"{"detail": {"eventName": [{"prefixx": "Disable"}]}}"#,
///     Dialect::EventBridge,
/// )
/// .unwrap_err();
/// assert_eq!(err.to_string(), r#"$.detail.eventName[0]: unknown operator "prefixx""#);
/// assert!(err.needs_manual_review());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {kind}")]
pub struct PatternError {
    /// Where in the pattern.
    pub path: JsonPath,
    /// What is wrong.
    pub kind: ErrorKind,
}

impl PatternError {
    pub(crate) fn new(path: JsonPath, kind: ErrorKind) -> Self {
        PatternError { path, kind }
    }

    pub(crate) fn operand(path: JsonPath, operator: &str, reason: impl Into<String>) -> Self {
        PatternError::new(
            path,
            ErrorKind::InvalidOperand {
                operator: operator.to_owned(),
                reason: reason.into(),
            },
        )
    }

    /// True when the pattern may be valid for AWS but this engine cannot judge
    /// it: it uses an operator the engine does not know, or one the dialect did
    /// not support when this engine was written. Such a pattern calls for manual
    /// review rather than a failure.
    pub fn needs_manual_review(&self) -> bool {
        matches!(
            self.kind,
            ErrorKind::UnknownOperator(_) | ErrorKind::UnsupportedOperator { .. }
        )
    }
}

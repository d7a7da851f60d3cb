//! Which service reads the pattern: EventBridge event patterns and SNS
//! subscription filter policies share a grammar but not every operator, and SNS
//! adds size limits.

use std::fmt;
use std::str::FromStr;

/// The service whose rules a pattern is parsed and matched under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// An EventBridge rule's event pattern.
    EventBridge,
    /// An SNS subscription's `FilterPolicy`, applied to the scope its
    /// `FilterPolicyScope` names.
    SnsFilterPolicy(FilterPolicyScope),
}

/// What an SNS filter policy is applied to (the subscription's `FilterPolicyScope`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum FilterPolicyScope {
    /// The message attributes (SNS's default when the attribute is unset). Policies
    /// in this scope are flat: one level of keys.
    #[default]
    MessageAttributes,
    /// The message body, which must be a JSON object. Policies may nest.
    MessageBody,
}

impl FilterPolicyScope {
    /// The value SNS uses for the scope in `FilterPolicyScope`.
    pub fn as_str(self) -> &'static str {
        match self {
            FilterPolicyScope::MessageAttributes => "MessageAttributes",
            FilterPolicyScope::MessageBody => "MessageBody",
        }
    }
}

/// An unknown `FilterPolicyScope` value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown FilterPolicyScope {0:?} (expected MessageAttributes or MessageBody)")]
pub struct UnknownScope(pub String);

impl FromStr for FilterPolicyScope {
    type Err = UnknownScope;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "MessageAttributes" => Ok(FilterPolicyScope::MessageAttributes),
            "MessageBody" => Ok(FilterPolicyScope::MessageBody),
            other => Err(UnknownScope(other.to_owned())),
        }
    }
}

impl fmt::Display for Dialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Dialect::EventBridge => f.write_str("EventBridge event patterns"),
            Dialect::SnsFilterPolicy(scope) => {
                write!(f, "SNS filter policies ({} scope)", scope.as_str())
            }
        }
    }
}

/// The operators of the grammar, as far as a dialect may or may not support them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operator {
    /// `{"prefix": "..."}`
    Prefix,
    /// `{"prefix": {"equals-ignore-case": "..."}}`
    PrefixIgnoreCase,
    /// `{"suffix": "..."}`
    Suffix,
    /// `{"suffix": {"equals-ignore-case": "..."}}`
    SuffixIgnoreCase,
    /// `{"equals-ignore-case": "..."}`
    EqualsIgnoreCase,
    /// `{"wildcard": "..."}`
    Wildcard,
    /// `{"anything-but": value or list}`
    AnythingBut,
    /// `{"anything-but": {"prefix": ...}}`
    AnythingButPrefix,
    /// `{"anything-but": {"suffix": ...}}`
    AnythingButSuffix,
    /// `{"anything-but": {"equals-ignore-case": ...}}`
    AnythingButIgnoreCase,
    /// `{"anything-but": {"wildcard": ...}}`
    AnythingButWildcard,
    /// `{"numeric": [...]}`
    Numeric,
    /// `{"cidr": "..."}`
    Cidr,
    /// `{"exists": bool}`
    Exists,
    /// `"$or": [{...}, {...}]`
    Or,
}

impl Operator {
    /// How the operator is written in a pattern.
    pub fn name(self) -> &'static str {
        match self {
            Operator::Prefix => "prefix",
            Operator::PrefixIgnoreCase => "prefix/equals-ignore-case",
            Operator::Suffix => "suffix",
            Operator::SuffixIgnoreCase => "suffix/equals-ignore-case",
            Operator::EqualsIgnoreCase => "equals-ignore-case",
            Operator::Wildcard => "wildcard",
            Operator::AnythingBut => "anything-but",
            Operator::AnythingButPrefix => "anything-but/prefix",
            Operator::AnythingButSuffix => "anything-but/suffix",
            Operator::AnythingButIgnoreCase => "anything-but/equals-ignore-case",
            Operator::AnythingButWildcard => "anything-but/wildcard",
            Operator::Numeric => "numeric",
            Operator::Cidr => "cidr",
            Operator::Exists => "exists",
            Operator::Or => "$or",
        }
    }
}

impl Dialect {
    /// Whether the service accepts the operator.
    ///
    /// EventBridge supports all of them. SNS filter policies support exact values,
    /// `prefix`, `suffix`, `equals-ignore-case`, `anything-but` (values, lists and
    /// `prefix`), `numeric`, `cidr`, `exists` and `$or`; they have no `wildcard`
    /// and no case-insensitive or suffix form of `prefix`/`suffix`/`anything-but`.
    pub fn supports(self, operator: Operator) -> bool {
        match self {
            Dialect::EventBridge => true,
            Dialect::SnsFilterPolicy(_) => !matches!(
                operator,
                Operator::PrefixIgnoreCase
                    | Operator::SuffixIgnoreCase
                    | Operator::Wildcard
                    | Operator::AnythingButSuffix
                    | Operator::AnythingButIgnoreCase
                    | Operator::AnythingButWildcard
            ),
        }
    }

    /// The SNS scope, for SNS dialects.
    pub fn sns_scope(self) -> Option<FilterPolicyScope> {
        match self {
            Dialect::EventBridge => None,
            Dialect::SnsFilterPolicy(scope) => Some(scope),
        }
    }
}

/// SNS: at most this many keys in a filter policy (per `$or` alternative; in the
/// `MessageBody` scope only top-level keys count).
pub const SNS_MAX_KEYS: usize = 5;
/// SNS: at most this many value combinations in a filter policy.
pub const SNS_MAX_COMBINATIONS: u64 = 150;
/// SNS: at most this many bytes of filter policy JSON.
pub const SNS_MAX_POLICY_BYTES: usize = 256 * 1024;
/// Patterns nested deeper than this many objects are rejected (a bound of this
/// engine, which recurses over the pattern; AWS's size limits make deeper
/// patterns implausible).
pub const MAX_NESTING_DEPTH: usize = 64;

//! JSON (text or value) to [`ObjectPattern`], with the JSON path of every error.

use super::ast::{Field, FieldPattern, Literal, Matcher, ObjectPattern};
use super::dialect::{
    Dialect, FilterPolicyScope, Operator, MAX_NESTING_DEPTH, SNS_MAX_POLICY_BYTES,
};
use super::errors::{ErrorKind, JsonPath, Limit, PatternError};
use super::operators::parse_operator;
use serde_json::{Map, Value};

/// Keys that name operators: inside `$or` they cannot be field names, so a
/// misplaced operator is not silently read as a field.
const RESERVED_IN_OR: &[&str] = &[
    "equals",
    "equals-ignore-case",
    "prefix",
    "suffix",
    "anything-but",
    "exists",
    "wildcard",
    "numeric",
    "cidr",
    "=",
    "<",
    "<=",
    ">",
    ">=",
    "regex",
    "not-wildcard",
    "not-equals-ignore-case",
    "date-after",
    "date-on-or-after",
    "date-before",
    "date-on-or-before",
    "in-date-range",
    "ip-address-in-range",
    "ip-address-not-in-range",
];

/// Parses JSON text.
pub(crate) fn parse_text(text: &str, dialect: Dialect) -> Result<ObjectPattern, PatternError> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        PatternError::new(
            JsonPath::root(),
            ErrorKind::InvalidJson {
                message: e.to_string(),
                line: e.line(),
                column: e.column(),
            },
        )
    })?;
    parse_value(&value, dialect, || text.len())
}

/// Parses a JSON value; `json_bytes` gives the size of its JSON text, for SNS's
/// size limit. It is asked only once the structure is valid, so that a value
/// is serialized only when its depth is bounded.
pub(crate) fn parse_value(
    value: &Value,
    dialect: Dialect,
    json_bytes: impl FnOnce() -> usize,
) -> Result<ObjectPattern, PatternError> {
    let root = JsonPath::root();
    let Value::Object(map) = value else {
        return Err(PatternError::new(root, ErrorKind::NotAnObject));
    };
    let is_sns = dialect.sns_scope().is_some();
    // An empty SNS policy filters nothing; EventBridge rejects an empty pattern.
    let pattern = if map.is_empty() && is_sns {
        ObjectPattern::default()
    } else {
        Parser { dialect }.object(map, &root, 1, false)?
    };
    if is_sns {
        let bytes = json_bytes();
        if bytes > SNS_MAX_POLICY_BYTES {
            return Err(PatternError::new(
                root,
                ErrorKind::LimitExceeded(Limit::Size {
                    bytes,
                    max: SNS_MAX_POLICY_BYTES,
                }),
            ));
        }
        super::limits::check_sns(&pattern)?;
    }
    Ok(pattern)
}

struct Parser {
    dialect: Dialect,
}

impl Parser {
    fn object(
        &self,
        map: &Map<String, Value>,
        path: &JsonPath,
        depth: usize,
        in_or: bool,
    ) -> Result<ObjectPattern, PatternError> {
        if depth > MAX_NESTING_DEPTH {
            return Err(PatternError::new(
                path.clone(),
                ErrorKind::TooDeep(MAX_NESTING_DEPTH),
            ));
        }
        if map.is_empty() {
            return Err(PatternError::new(path.clone(), ErrorKind::EmptyObject));
        }
        let mut pattern = ObjectPattern::default();
        for (key, value) in map {
            let at = path.key(key);
            if key == "$or" {
                pattern.any_of = self.alternatives(value, &at, depth)?;
                continue;
            }
            if in_or && RESERVED_IN_OR.contains(&key.as_str()) {
                return Err(PatternError::new(
                    at,
                    ErrorKind::ReservedFieldName(key.clone()),
                ));
            }
            let field_pattern = match value {
                Value::Object(child) => {
                    if self.dialect
                        == Dialect::SnsFilterPolicy(FilterPolicyScope::MessageAttributes)
                    {
                        return Err(PatternError::new(
                            at,
                            ErrorKind::LimitExceeded(Limit::Nesting),
                        ));
                    }
                    FieldPattern::Object(self.object(child, &at, depth + 1, in_or)?)
                }
                Value::Array(items) => FieldPattern::Values(self.values(items, &at)?),
                _ => return Err(PatternError::new(at, ErrorKind::NotObjectOrArray)),
            };
            pattern.fields.push(Field {
                name: key.clone(),
                pattern: field_pattern,
            });
        }
        Ok(pattern)
    }

    /// The objects of `"$or": [...]`, at the same level as the object holding it.
    fn alternatives(
        &self,
        value: &Value,
        path: &JsonPath,
        depth: usize,
    ) -> Result<Vec<ObjectPattern>, PatternError> {
        if !self.dialect.supports(Operator::Or) {
            return Err(PatternError::new(
                path.clone(),
                ErrorKind::UnsupportedOperator {
                    operator: Operator::Or.name().to_owned(),
                    dialect: self.dialect,
                },
            ));
        }
        let Value::Array(items) = value else {
            return Err(PatternError::new(path.clone(), ErrorKind::InvalidOr));
        };
        if items.len() < 2 {
            return Err(PatternError::new(path.clone(), ErrorKind::InvalidOr));
        }
        items
            .iter()
            .enumerate()
            .map(|(i, item)| match item {
                Value::Object(map) => self.object(map, &path.index(i), depth + 1, true),
                _ => Err(PatternError::new(path.index(i), ErrorKind::InvalidOr)),
            })
            .collect()
    }

    fn values(&self, items: &[Value], path: &JsonPath) -> Result<Vec<Matcher>, PatternError> {
        if items.is_empty() {
            return Err(PatternError::new(path.clone(), ErrorKind::EmptyArray));
        }
        items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let at = path.index(i);
                Ok(match item {
                    Value::String(s) => Matcher::Exact(Literal::String(s.clone())),
                    Value::Number(n) => Matcher::Exact(Literal::Number(n.clone())),
                    Value::Bool(b) => Matcher::Exact(Literal::Bool(*b)),
                    Value::Null => Matcher::Exact(Literal::Null),
                    Value::Object(op) => parse_operator(op, &at, self.dialect)?,
                    Value::Array(_) => {
                        return Err(PatternError::new(at, ErrorKind::InvalidMatchValue))
                    }
                })
            })
            .collect()
    }
}

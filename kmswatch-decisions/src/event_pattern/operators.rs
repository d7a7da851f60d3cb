//! Operator objects in a field's value list: `{"prefix": "aws."}`,
//! `{"numeric": [">", 0]}`, `{"anything-but": {"prefix": "us-"}}`...

use super::ast::{Exclusion, Matcher};
use super::dialect::{Dialect, Operator};
use super::errors::{ErrorKind, JsonPath, PatternError};
use super::numeric::NumericRange;
use super::wildcard::Wildcard;
use serde_json::{Map, Value};

const IGNORE_CASE: &str = "equals-ignore-case";

fn require(dialect: Dialect, operator: Operator, path: &JsonPath) -> Result<(), PatternError> {
    if dialect.supports(operator) {
        Ok(())
    } else {
        Err(PatternError::new(
            path.clone(),
            ErrorKind::UnsupportedOperator {
                operator: operator.name().to_owned(),
                dialect,
            },
        ))
    }
}

/// The single `(key, value)` of an operator object.
fn single_entry<'a>(
    object: &'a Map<String, Value>,
    path: &JsonPath,
) -> Result<(&'a String, &'a Value), PatternError> {
    let mut entries = object.iter();
    match (entries.next(), entries.next()) {
        (Some(entry), None) => Ok(entry),
        _ => Err(PatternError::new(
            path.clone(),
            ErrorKind::OperatorKeyCount(object.len()),
        )),
    }
}

fn string<'a>(
    operand: &'a Value,
    operator: &str,
    path: &JsonPath,
) -> Result<&'a str, PatternError> {
    operand
        .as_str()
        .ok_or_else(|| PatternError::operand(path.clone(), operator, "must be a string"))
}

/// A string or a non-empty list of strings; `non_empty_text` rejects `""`.
fn strings(
    operand: &Value,
    operator: &str,
    path: &JsonPath,
    non_empty_text: bool,
) -> Result<Vec<String>, PatternError> {
    let check = |s: &str, at: JsonPath| {
        if non_empty_text && s.is_empty() {
            Err(PatternError::operand(at, operator, "must not be empty"))
        } else {
            Ok(s.to_owned())
        }
    };
    match operand {
        Value::String(s) => Ok(vec![check(s, path.clone())?]),
        Value::Array(items) if !items.is_empty() => items
            .iter()
            .enumerate()
            .map(|(i, item)| match item {
                Value::String(s) => check(s, path.index(i)),
                _ => Err(PatternError::operand(
                    path.index(i),
                    operator,
                    "list elements must be strings",
                )),
            })
            .collect(),
        Value::Array(_) => Err(PatternError::operand(
            path.clone(),
            operator,
            "the list must not be empty",
        )),
        _ => Err(PatternError::operand(
            path.clone(),
            operator,
            "must be a string or a list of strings",
        )),
    }
}

/// Parses one operator object; `path` points at the object.
pub(crate) fn parse_operator(
    object: &Map<String, Value>,
    path: &JsonPath,
    dialect: Dialect,
) -> Result<Matcher, PatternError> {
    let (name, operand) = single_entry(object, path)?;
    let at = path.key(name);
    match name.as_str() {
        "prefix" | "suffix" => affix(name, operand, path, &at, dialect),
        IGNORE_CASE => {
            require(dialect, Operator::EqualsIgnoreCase, path)?;
            Ok(Matcher::EqualsIgnoreCase(
                string(operand, name, &at)?.to_owned(),
            ))
        }
        "wildcard" => {
            require(dialect, Operator::Wildcard, path)?;
            let text = string(operand, name, &at)?;
            Ok(Matcher::Wildcard(Wildcard::parse(text, name, &at)?))
        }
        "anything-but" => anything_but(operand, path, &at, dialect),
        "numeric" => {
            require(dialect, Operator::Numeric, path)?;
            Ok(Matcher::Numeric(NumericRange::parse(operand, &at)?))
        }
        "cidr" => {
            require(dialect, Operator::Cidr, path)?;
            let text = string(operand, name, &at)?;
            let net: ipnet::IpNet = text.parse().map_err(|_| {
                PatternError::operand(
                    at.clone(),
                    name,
                    format!("{text:?} is not an IPv4 or IPv6 network in CIDR notation"),
                )
            })?;
            Ok(Matcher::Cidr(net.trunc()))
        }
        "exists" => {
            require(dialect, Operator::Exists, path)?;
            match operand {
                Value::Bool(b) => Ok(Matcher::Exists(*b)),
                _ => Err(PatternError::operand(at, name, "must be true or false")),
            }
        }
        other => Err(PatternError::new(
            path.clone(),
            ErrorKind::UnknownOperator(other.to_owned()),
        )),
    }
}

/// `prefix` / `suffix`, plain or with `equals-ignore-case`.
fn affix(
    name: &str,
    operand: &Value,
    path: &JsonPath,
    at: &JsonPath,
    dialect: Dialect,
) -> Result<Matcher, PatternError> {
    let is_prefix = name == "prefix";
    let (text, ignore_case) = match operand {
        Value::String(text) => {
            let op = if is_prefix {
                Operator::Prefix
            } else {
                Operator::Suffix
            };
            require(dialect, op, path)?;
            (text.clone(), false)
        }
        Value::Object(inner) => {
            let (inner_name, inner_operand) = single_entry(inner, at)?;
            if inner_name != IGNORE_CASE {
                return Err(PatternError::new(
                    at.clone(),
                    ErrorKind::UnknownOperator(format!("{name}/{inner_name}")),
                ));
            }
            let op = if is_prefix {
                Operator::PrefixIgnoreCase
            } else {
                Operator::SuffixIgnoreCase
            };
            require(dialect, op, path)?;
            let text = string(inner_operand, op.name(), &at.key(inner_name))?;
            (text.to_owned(), true)
        }
        _ => return Err(PatternError::operand(at.clone(), name, "must be a string")),
    };
    Ok(if is_prefix {
        Matcher::Prefix { text, ignore_case }
    } else {
        Matcher::Suffix { text, ignore_case }
    })
}

fn anything_but(
    operand: &Value,
    path: &JsonPath,
    at: &JsonPath,
    dialect: Dialect,
) -> Result<Matcher, PatternError> {
    const OP: &str = "anything-but";
    require(dialect, Operator::AnythingBut, path)?;
    let exclusion = match operand {
        Value::String(s) => Exclusion::Strings(vec![s.clone()]),
        Value::Number(n) => Exclusion::Numbers(vec![n.clone()]),
        Value::Array(items) => anything_but_list(items, at)?,
        Value::Object(inner) => {
            let (inner_name, inner_operand) = single_entry(inner, at)?;
            let inner_at = at.key(inner_name);
            let op = match inner_name.as_str() {
                "prefix" => Operator::AnythingButPrefix,
                "suffix" => Operator::AnythingButSuffix,
                IGNORE_CASE => Operator::AnythingButIgnoreCase,
                "wildcard" => Operator::AnythingButWildcard,
                other => {
                    return Err(PatternError::new(
                        at.clone(),
                        ErrorKind::UnknownOperator(format!("{OP}/{other}")),
                    ))
                }
            };
            require(dialect, op, path)?;
            let affix = matches!(
                op,
                Operator::AnythingButPrefix | Operator::AnythingButSuffix
            );
            let texts = strings(inner_operand, op.name(), &inner_at, affix)?;
            match op {
                Operator::AnythingButPrefix => Exclusion::Prefixes(texts),
                Operator::AnythingButSuffix => Exclusion::Suffixes(texts),
                Operator::AnythingButIgnoreCase => Exclusion::IgnoreCase(texts),
                _ => Exclusion::Wildcards(
                    texts
                        .iter()
                        .enumerate()
                        .map(|(i, t)| {
                            let p = if inner_operand.is_array() {
                                inner_at.index(i)
                            } else {
                                inner_at.clone()
                            };
                            Wildcard::parse(t, op.name(), &p)
                        })
                        .collect::<Result<_, _>>()?,
                ),
            }
        }
        _ => {
            return Err(PatternError::operand(
                at.clone(),
                OP,
                "must be a string, a number, a list or an operator object",
            ))
        }
    };
    Ok(Matcher::AnythingBut(exclusion))
}

/// `"anything-but": [...]`: only strings or only numbers.
fn anything_but_list(items: &[Value], at: &JsonPath) -> Result<Exclusion, PatternError> {
    const OP: &str = "anything-but";
    let mut texts = Vec::new();
    let mut numbers = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match item {
            Value::String(s) => texts.push(s.clone()),
            Value::Number(n) => numbers.push(n.clone()),
            _ => {
                return Err(PatternError::operand(
                    at.index(i),
                    OP,
                    "list elements must be strings or numbers",
                ))
            }
        }
    }
    match (texts.is_empty(), numbers.is_empty()) {
        (false, true) => Ok(Exclusion::Strings(texts)),
        (true, false) => Ok(Exclusion::Numbers(numbers)),
        (true, true) => Err(PatternError::operand(
            at.clone(),
            OP,
            "the list must not be empty",
        )),
        (false, false) => Err(PatternError::operand(
            at.clone(),
            OP,
            "the list must hold only strings or only numbers",
        )),
    }
}

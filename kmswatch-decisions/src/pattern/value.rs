//! Values on the right of a comparison — parsing them, and comparing them with
//! what an event holds. Shared by JSON and space-delimited patterns.

use super::ast::{CompareOp, StrPattern, Value};
use super::cursor::Cursor;
use super::number::Decimal;
use super::{regex, PatternError};
use std::borrow::Cow;
use std::cmp::Ordering;

/// Parses a value: `"quoted"`, `%regex%` or an unquoted token. `stop` says which
/// characters end an unquoted token (besides whitespace, `&&` and `||`).
/// An unquoted token that reads as a number is a [`Value::Number`].
pub(crate) fn parse_value(cur: &mut Cursor<'_>, stop: &[char]) -> Result<Value, PatternError> {
    match cur.peek() {
        Some('"') => Ok(Value::Str(StrPattern::from_written(&cur.quoted()?))),
        Some('%') => Ok(Value::Regex(regex::parse_delimited(cur)?)),
        _ => {
            let start = cur.pos;
            while let Some(c) = cur.peek() {
                if c.is_whitespace()
                    || stop.contains(&c)
                    || cur.starts_with("&&")
                    || cur.starts_with("||")
                {
                    break;
                }
                cur.bump();
            }
            let token = &cur.text[start..cur.pos];
            if token.is_empty() {
                return Err(cur.expected("a value"));
            }
            if let Some(first @ ('=' | '<' | '>' | '!')) = token.chars().next() {
                return Err(PatternError::new(start, format!("unexpected '{first}'")));
            }
            Ok(match Decimal::parse(token) {
                Some(number) => Value::Number(number),
                None => Value::Str(StrPattern::from_written(token)),
            })
        }
    }
}

/// What an event holds at a selected place: a JSON scalar or a space-delimited field.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Scalar<'a> {
    Str(Cow<'a, str>),
    U64(u64),
    I64(i64),
    F64(f64),
    Bool(bool),
    Null,
}

impl Scalar<'_> {
    /// The value as text for string comparisons; `None` for `null`.
    fn text(&self) -> Option<Cow<'_, str>> {
        match self {
            Scalar::Str(s) => Some(Cow::Borrowed(s.as_ref())),
            Scalar::U64(n) => Some(Cow::Owned(n.to_string())),
            Scalar::I64(n) => Some(Cow::Owned(n.to_string())),
            Scalar::F64(n) => Some(Cow::Owned(n.to_string())),
            Scalar::Bool(b) => Some(Cow::Borrowed(if *b { "true" } else { "false" })),
            Scalar::Null => None,
        }
    }

    /// Numeric comparison with `number`, when this value is numeric (a JSON number,
    /// or a string that reads as a number).
    fn cmp_number(&self, number: &Decimal) -> Option<Ordering> {
        match self {
            Scalar::U64(n) => Some(cmp_int(i128::from(*n), number)),
            Scalar::I64(n) => Some(cmp_int(i128::from(*n), number)),
            Scalar::F64(n) => n.partial_cmp(&number.to_f64()),
            Scalar::Str(s) => Decimal::parse(s.trim()).map(|v| v.cmp(number)),
            Scalar::Bool(_) | Scalar::Null => None,
        }
    }
}

fn cmp_int(value: i128, number: &Decimal) -> Ordering {
    match number.to_i128() {
        Some(n) => value.cmp(&n),
        // Not an integer (or huge): exact enough through the decimal itself.
        None => Decimal::parse(&value.to_string()).map_or(Ordering::Less, |v| v.cmp(number)),
    }
}

/// Whether `scalar op value` holds.
///
/// `=` holds when the value matches; `!=` when it does not (so `null != x` holds:
/// null is present, and equal to no value). Ordering operators need numbers on
/// both sides.
pub(crate) fn compare(op: CompareOp, value: &Value, scalar: &Scalar<'_>) -> bool {
    match value {
        Value::Number(number) => match (op, scalar.cmp_number(number)) {
            (CompareOp::Eq, ord) => ord == Some(Ordering::Equal),
            (CompareOp::Ne, ord) => ord != Some(Ordering::Equal),
            (_, None) => false,
            (CompareOp::Lt, Some(ord)) => ord == Ordering::Less,
            (CompareOp::Gt, Some(ord)) => ord == Ordering::Greater,
            (CompareOp::Le, Some(ord)) => ord != Ordering::Greater,
            (CompareOp::Ge, Some(ord)) => ord != Ordering::Less,
        },
        Value::Str(pattern) => {
            let equal = scalar.text().is_some_and(|t| pattern.matches(&t));
            equal_or_not(op, equal)
        }
        Value::Regex(regex) => {
            let equal = scalar.text().is_some_and(|t| regex.is_match(&t));
            equal_or_not(op, equal)
        }
    }
}

fn equal_or_not(op: CompareOp, equal: bool) -> bool {
    match op {
        CompareOp::Eq => equal,
        CompareOp::Ne => !equal,
        // The parser allows ordering operators with numbers only.
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(s: &str) -> Value {
        Value::Number(Decimal::parse(s).unwrap_or_else(|| panic!("{s}")))
    }

    fn s(text: &str) -> Scalar<'static> {
        Scalar::Str(Cow::Owned(text.to_owned()))
    }

    #[test]
    fn numbers_compare_numerically_across_spellings() {
        assert!(compare(CompareOp::Eq, &num("1e3"), &Scalar::U64(1000)));
        assert!(compare(CompareOp::Eq, &num("1000"), &Scalar::F64(1000.0)));
        assert!(compare(CompareOp::Eq, &num("400"), &s("400")));
        assert!(compare(CompareOp::Lt, &num("10e-3"), &s("0.001")));
        assert!(!compare(CompareOp::Lt, &num("10e-3"), &s("0.01")));
        assert!(compare(CompareOp::Gt, &num("10e-3"), &s("0.1")));
        assert!(compare(CompareOp::Ge, &num("-5"), &Scalar::I64(-5)));
        assert!(compare(CompareOp::Lt, &num("2.5"), &Scalar::U64(2)));
        assert!(!compare(CompareOp::Gt, &num("1"), &s("abc")));
        assert!(compare(CompareOp::Ne, &num("1"), &s("abc")));
        assert!(!compare(CompareOp::Eq, &num("1"), &Scalar::Bool(true)));
    }

    #[test]
    fn strings_are_exact_and_case_sensitive() {
        let v = Value::Str(StrPattern::from_written("DisableKey"));
        assert!(compare(CompareOp::Eq, &v, &s("DisableKey")));
        assert!(!compare(CompareOp::Eq, &v, &s("disablekey")));
        assert!(!compare(CompareOp::Eq, &v, &s("DisableKeyRotation")));
        assert!(compare(CompareOp::Ne, &v, &s("DisableKeyRotation")));
        let any = Value::Str(StrPattern::from_written("*"));
        assert!(compare(CompareOp::Eq, &any, &Scalar::U64(3)));
        assert!(!compare(CompareOp::Eq, &any, &Scalar::Null));
        assert!(compare(CompareOp::Ne, &v, &Scalar::Null));
        let t = Value::Str(StrPattern::from_written("true"));
        assert!(compare(CompareOp::Eq, &t, &Scalar::Bool(true)));
    }

    #[test]
    fn wildcards_only_at_the_ends() {
        let mid = StrPattern::from_written("Ev*ent");
        assert!(mid.matches("Ev*ent"));
        assert!(!mid.matches("Event"));
        assert!(StrPattern::from_written("*Event").matches("PutEvent"));
        assert!(StrPattern::from_written("Event*").matches("EventId"));
        assert!(StrPattern::from_written("*html*").matches("GET /index.html HTTP/1.0"));
        assert!(!StrPattern::from_written("Event*").matches("PutEvent"));
    }
}

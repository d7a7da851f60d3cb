//! Evaluating a parsed pattern against an event (a JSON value).
//!
//! Arrays in the event are flattened: a value list tests every scalar inside
//! the field's value (nested arrays included), and a nested object pattern is
//! tried against each object element on its own, so fields taken from different
//! elements of one array never combine.

use super::ast::{Exclusion, FieldPattern, Literal, Matcher, ObjectPattern};
use super::dialect::{Dialect, FilterPolicyScope};
use serde_json::{Map, Number, Value};
use std::net::IpAddr;

/// How values are compared; fixed by the dialect.
#[derive(Clone, Copy)]
pub(crate) struct Semantics {
    /// SNS `String.Array` attributes: `anything-but` holds only when no element
    /// is excluded (elsewhere one passing element suffices).
    anything_but_all_elements: bool,
}

impl Semantics {
    pub(crate) fn of(dialect: Dialect) -> Self {
        Semantics {
            anything_but_all_elements: dialect
                == Dialect::SnsFilterPolicy(FilterPolicyScope::MessageAttributes),
        }
    }
}

/// Whether `pattern` matches the object `candidate`; `None` stands for a
/// missing or non-object value, which has no fields.
pub(crate) fn object_matches(
    pattern: &ObjectPattern,
    candidate: Option<&Map<String, Value>>,
    semantics: Semantics,
) -> bool {
    pattern.fields.iter().all(|field| {
        let value = candidate.and_then(|object| object.get(&field.name));
        match &field.pattern {
            FieldPattern::Object(child) => {
                let objects = objects_within(value);
                if objects.is_empty() {
                    object_matches(child, None, semantics)
                } else {
                    objects
                        .into_iter()
                        .any(|object| object_matches(child, Some(object), semantics))
                }
            }
            FieldPattern::Values(matchers) => {
                let leaves = leaves_within(value);
                matchers
                    .iter()
                    .any(|matcher| matcher_matches(matcher, &leaves, semantics))
            }
        }
    }) && (pattern.any_of.is_empty()
        || pattern
            .any_of
            .iter()
            .any(|alternative| object_matches(alternative, candidate, semantics)))
}

/// The objects a nested pattern is tried against: the value itself, or the
/// object elements of an array (at any array depth).
fn objects_within(value: Option<&Value>) -> Vec<&Map<String, Value>> {
    let mut out = Vec::new();
    walk(value, &mut |v| {
        if let Value::Object(object) = v {
            out.push(object);
        }
    });
    out
}

/// The scalars (strings, numbers, booleans, null) a value list is tested
/// against: the value itself, or the scalar elements of an array.
fn leaves_within(value: Option<&Value>) -> Vec<&Value> {
    let mut out = Vec::new();
    walk(value, &mut |v| {
        if !v.is_object() {
            out.push(v);
        }
    });
    out
}

/// Calls `visit` on `value` or, for arrays, on every non-array element at any
/// depth; iterative so that deeply nested arrays cannot exhaust the stack.
fn walk<'a>(value: Option<&'a Value>, visit: &mut impl FnMut(&'a Value)) {
    let mut stack: Vec<&'a Value> = value.into_iter().collect();
    while let Some(v) = stack.pop() {
        match v {
            Value::Array(items) => stack.extend(items.iter().rev()),
            other => visit(other),
        }
    }
}

fn matcher_matches(matcher: &Matcher, leaves: &[&Value], semantics: Semantics) -> bool {
    match matcher {
        Matcher::Exists(expected) => leaves.is_empty() != *expected,
        Matcher::AnythingBut(exclusion) => {
            if semantics.anything_but_all_elements {
                !leaves.is_empty() && leaves.iter().all(|v| !excluded(exclusion, v))
            } else {
                leaves.iter().any(|v| !excluded(exclusion, v))
            }
        }
        other => leaves.iter().any(|v| scalar_matches(other, v)),
    }
}

fn scalar_matches(matcher: &Matcher, value: &Value) -> bool {
    match (matcher, value) {
        (Matcher::Exact(literal), _) => literal_matches(literal, value),
        (Matcher::Prefix { text, ignore_case }, Value::String(s)) => {
            if *ignore_case {
                fold(s).starts_with(&fold(text))
            } else {
                s.starts_with(text.as_str())
            }
        }
        (Matcher::Suffix { text, ignore_case }, Value::String(s)) => {
            if *ignore_case {
                fold(s).ends_with(&fold(text))
            } else {
                s.ends_with(text.as_str())
            }
        }
        (Matcher::EqualsIgnoreCase(text), Value::String(s)) => fold(s) == fold(text),
        (Matcher::Wildcard(wildcard), Value::String(s)) => wildcard.is_match(s),
        (Matcher::Numeric(range), Value::Number(n)) => {
            n.as_f64().is_some_and(|x| range.contains(x))
        }
        (Matcher::Cidr(net), Value::String(s)) => {
            s.parse::<IpAddr>().is_ok_and(|ip| net.contains(&ip))
        }
        _ => false,
    }
}

fn literal_matches(literal: &Literal, value: &Value) -> bool {
    match (literal, value) {
        (Literal::String(expected), Value::String(s)) => {
            expected == s || same_ip_address(expected, s)
        }
        (Literal::Number(expected), Value::Number(n)) => numbers_equal(expected, n),
        (Literal::Bool(expected), Value::Bool(b)) => expected == b,
        (Literal::Null, Value::Null) => true,
        _ => false,
    }
}

/// Two spellings of one IP address (`2001:DB8::1`, `2001:db8:0:0:0:0:0:1`).
fn same_ip_address(a: &str, b: &str) -> bool {
    match (a.parse::<IpAddr>(), b.parse::<IpAddr>()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// Numbers are equal by value: integers exactly (account IDs stay exact),
/// anything else as doubles (`300`, `300.0` and `3e2` are one number).
pub(crate) fn numbers_equal(a: &Number, b: &Number) -> bool {
    if let (Some(x), Some(y)) = (a.as_i64(), b.as_i64()) {
        return x == y;
    }
    if let (Some(x), Some(y)) = (a.as_u64(), b.as_u64()) {
        return x == y;
    }
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

fn fold(s: &str) -> String {
    s.to_lowercase()
}

fn excluded(exclusion: &Exclusion, value: &Value) -> bool {
    match (exclusion, value) {
        (Exclusion::Numbers(numbers), Value::Number(n)) => {
            numbers.iter().any(|m| numbers_equal(m, n))
        }
        (Exclusion::Strings(texts), Value::String(s)) => texts.iter().any(|t| t == s),
        (Exclusion::Prefixes(texts), Value::String(s)) => {
            texts.iter().any(|t| s.starts_with(t.as_str()))
        }
        (Exclusion::Suffixes(texts), Value::String(s)) => {
            texts.iter().any(|t| s.ends_with(t.as_str()))
        }
        (Exclusion::IgnoreCase(texts), Value::String(s)) => {
            let s = fold(s);
            texts.iter().any(|t| fold(t) == s)
        }
        (Exclusion::Wildcards(wildcards), Value::String(s)) => {
            wildcards.iter().any(|w| w.is_match(s))
        }
        _ => false,
    }
}

//! Space-delimited patterns: `[ip, user, ..., status_code = 4* && bytes > 1000]`.
//!
//! An event splits on runs of spaces and tabs into fields; a field that starts
//! with `"` runs to the next `"`, one that starts with `[` runs to the next `]`,
//! and those delimiters are not part of the field's value. The pattern's fields
//! must line up with the event's one-to-one, except that `...` stands for any
//! number of event fields (none included).

use super::ast::{Delimited, Field, FieldExpr};
use super::cursor::Cursor;
use super::grammar::{check_operand, compare_op, flatten, RegexBudget};
use super::value::{compare, parse_value, Scalar};
use super::PatternError;
use std::borrow::Cow;

/// Parses `[ … ]`; the cursor is on `[`.
pub(crate) fn parse(cur: &mut Cursor<'_>) -> Result<Delimited, PatternError> {
    cur.bump(); // '['
    let mut budget = RegexBudget::new();
    let mut fields = Vec::new();
    loop {
        cur.skip_ws();
        let field = if cur.eat("...") {
            Field::Ellipsis
        } else if matches!(cur.peek(), Some(',' | ']')) {
            Field::Anonymous
        } else {
            let expr = or_expr(cur, &mut budget)?;
            named(expr)
        };
        fields.push(field);
        cur.skip_ws();
        if cur.eat(",") {
            continue;
        }
        if cur.eat("]") {
            break;
        }
        return Err(cur.expected("',' or ']'"));
    }
    // `[]` and `[ ]` have no field at all.
    if fields.len() == 1 && fields.first() == Some(&Field::Anonymous) {
        fields.clear();
    }
    cur.skip_ws();
    if !cur.at_end() {
        return Err(cur.error("unexpected text after the closing ']'"));
    }
    Ok(Delimited { fields })
}

/// A parsed field expression is either a bare name or conditions.
enum Parsed {
    Name(String),
    Expr(FieldExpr),
}

fn named(parsed: Parsed) -> Field {
    match parsed {
        Parsed::Name(name) => Field::Named {
            name,
            condition: None,
        },
        Parsed::Expr(expr) => Field::Named {
            name: first_name(&expr).to_owned(),
            condition: Some(expr),
        },
    }
}

fn first_name(expr: &FieldExpr) -> &str {
    match expr {
        FieldExpr::Condition { name, .. } => name,
        FieldExpr::And(v) | FieldExpr::Or(v) => v.first().map_or("", first_name),
    }
}

fn or_expr(cur: &mut Cursor<'_>, budget: &mut RegexBudget) -> Result<Parsed, PatternError> {
    let first = and_expr(cur, budget)?;
    cur.skip_ws();
    if !cur.starts_with("||") {
        return Ok(first);
    }
    let mut operands = vec![condition_only(first, cur)?];
    while cur.eat("||") {
        let next = and_expr(cur, budget)?;
        operands.push(condition_only(next, cur)?);
        cur.skip_ws();
    }
    Ok(Parsed::Expr(flatten(
        operands,
        |e| match e {
            FieldExpr::Or(v) => Ok(v),
            other => Err(other),
        },
        FieldExpr::Or,
    )))
}

fn and_expr(cur: &mut Cursor<'_>, budget: &mut RegexBudget) -> Result<Parsed, PatternError> {
    let first = primary(cur, budget)?;
    cur.skip_ws();
    if !cur.starts_with("&&") {
        return Ok(first);
    }
    let mut operands = vec![condition_only(first, cur)?];
    while cur.eat("&&") {
        let next = primary(cur, budget)?;
        operands.push(condition_only(next, cur)?);
        cur.skip_ws();
    }
    Ok(Parsed::Expr(flatten(
        operands,
        |e| match e {
            FieldExpr::And(v) => Ok(v),
            other => Err(other),
        },
        FieldExpr::And,
    )))
}

/// `&&` and `||` combine conditions; a bare name there is an error.
fn condition_only(parsed: Parsed, cur: &Cursor<'_>) -> Result<FieldExpr, PatternError> {
    match parsed {
        Parsed::Expr(expr) => Ok(expr),
        Parsed::Name(name) => Err(cur.error(format!(
            "'{name}' needs a condition (for example {name}=value) to be combined with && or ||"
        ))),
    }
}

fn primary(cur: &mut Cursor<'_>, budget: &mut RegexBudget) -> Result<Parsed, PatternError> {
    cur.skip_ws();
    if cur.eat("(") {
        let inner = or_expr(cur, budget)?;
        cur.skip_ws();
        if !cur.eat(")") {
            return Err(cur.expected("')'"));
        }
        return Ok(Parsed::Expr(condition_only(inner, cur)?));
    }
    let start = cur.pos;
    while cur
        .peek()
        .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '-')
    {
        cur.bump();
    }
    if cur.pos == start {
        return Err(cur.expected("a field name or '...'"));
    }
    let name = cur.text[start..cur.pos].to_owned();
    cur.skip_ws();
    let Some(op) = compare_op(cur) else {
        return Ok(Parsed::Name(name));
    };
    cur.skip_ws();
    let value_start = cur.pos;
    let value = parse_value(cur, &[',', ']', '(', ')', '"'])?;
    check_operand(op, &value, value_start)?;
    budget.spend(&value, value_start)?;
    Ok(Parsed::Expr(FieldExpr::Condition { name, op, value }))
}

/// Splits an event into fields (see the module docs).
pub(crate) fn split_fields(event: &str) -> Vec<&str> {
    let mut fields = Vec::new();
    let mut rest = event;
    loop {
        rest = rest.trim_start_matches([' ', '\t']);
        if rest.is_empty() {
            return fields;
        }
        let close = match rest.as_bytes().first() {
            Some(b'"') => Some('"'),
            Some(b'[') => Some(']'),
            _ => None,
        };
        if let Some(close) = close {
            let inner = &rest[1..];
            match inner.find(close) {
                Some(end) => {
                    fields.push(&inner[..end]);
                    rest = &inner[end + 1..];
                }
                None => {
                    fields.push(inner);
                    return fields;
                }
            }
        } else {
            let end = rest.find([' ', '\t']).unwrap_or(rest.len());
            fields.push(&rest[..end]);
            rest = &rest[end..];
        }
    }
}

fn field_matches(field: &Field, value: &str) -> bool {
    match field {
        Field::Ellipsis
        | Field::Anonymous
        | Field::Named {
            condition: None, ..
        } => true,
        Field::Named {
            condition: Some(expr),
            ..
        } => expr_matches(expr, value),
    }
}

fn expr_matches(expr: &FieldExpr, value: &str) -> bool {
    match expr {
        FieldExpr::And(v) => v.iter().all(|e| expr_matches(e, value)),
        FieldExpr::Or(v) => v.iter().any(|e| expr_matches(e, value)),
        FieldExpr::Condition {
            op, value: want, ..
        } => compare(*op, want, &Scalar::Str(Cow::Borrowed(value))),
    }
}

/// Whether the event's fields line up with the pattern's.
pub(crate) fn matches(pattern: &Delimited, event: &str) -> bool {
    let tokens = split_fields(event);
    let fields = &pattern.fields;
    // Glob matching with `...` as the star: on a mismatch, let the last `...`
    // absorb one more event field and retry. O(fields × tokens).
    let (mut f, mut t) = (0usize, 0usize);
    let mut backtrack: Option<(usize, usize)> = None;
    while t < tokens.len() {
        match fields.get(f) {
            Some(Field::Ellipsis) => {
                backtrack = Some((f, t));
                f += 1;
                continue;
            }
            Some(field) if tokens.get(t).is_some_and(|v| field_matches(field, v)) => {
                f += 1;
                t += 1;
                continue;
            }
            _ => {}
        }
        match backtrack {
            Some((star_f, star_t)) => {
                f = star_f + 1;
                t = star_t + 1;
                backtrack = Some((star_f, star_t + 1));
            }
            None => return false,
        }
    }
    fields
        .get(f..)
        .is_some_and(|rest| rest.iter().all(|x| *x == Field::Ellipsis))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pat(text: &str) -> Delimited {
        parse(&mut Cursor::new(text)).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    const APACHE: &str =
        "127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 1534";

    #[test]
    fn splits_quoted_and_bracketed_fields() {
        assert_eq!(
            split_fields(APACHE),
            vec![
                "127.0.0.1",
                "-",
                "frank",
                "10/Oct/2000:13:25:15 -0700",
                "GET /apache_pb.gif HTTP/1.0",
                "200",
                "1534"
            ]
        );
        assert_eq!(split_fields("  a\t b  "), vec!["a", "b"]);
        assert_eq!(
            split_fields("a \"unterminated b"),
            vec!["a", "unterminated b"]
        );
        assert!(split_fields("").is_empty());
    }

    #[test]
    fn ellipsis_absorbs_any_number_of_fields() {
        assert!(matches(&pat("[..., status_code, bytes]"), APACHE));
        assert!(matches(&pat("[ip, user, ...]"), APACHE));
        assert!(matches(
            &pat("[..., request = *gif*, ..., bytes > 1000]"),
            APACHE
        ));
        assert!(matches(&pat("[...]"), ""));
        assert!(!matches(&pat("[a, b]"), APACHE));
        assert!(matches(&pat("[a, b, c, d, e, f = 200, g]"), APACHE));
    }

    #[test]
    fn trailing_comma_is_an_anonymous_field() {
        let p = pat("[..., request=*.html*, status_code=4*,]");
        assert_eq!(p.fields.last(), Some(&Field::Anonymous));
        assert!(matches(
            &p,
            "127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] \"GET /index.html HTTP/1.0\" 404 1534"
        ));
    }

    #[test]
    fn bare_names_cannot_be_combined() {
        assert!(parse(&mut Cursor::new("[a && b]")).is_err());
        assert!(parse(&mut Cursor::new("[a, b")).is_err());
        assert!(parse(&mut Cursor::new("[a > x]")).is_err());
    }
}

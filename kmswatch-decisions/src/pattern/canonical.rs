//! The canonical text of a pattern (`Display`).
//!
//! - JSON: `{ A && (B || C) }` — one space around operators, parentheses only
//!   where `||` sits inside `&&`, strings always quoted, numbers in plain decimal
//!   (`1e3` prints `1000`), selectors as `$.name` with `['…']` only for keys that
//!   need it, keywords upper case.
//! - Terms: plain terms, then `?terms`, then `-terms`, each group sorted; a term is
//!   quoted unless it is only ASCII letters, digits and `_`.
//! - Space-delimited: `[a, b = "x*", ..., c > 10]`.
//! - Regex: `%source%` as written; empty: the empty string.
//!
//! Parsing the canonical text gives back the same pattern.

use super::ast::{
    Delimited, Field, FieldExpr, JsonExpr, Pattern, Segment, Selector, StrPattern, Terms, Test,
    Value,
};
use super::parser::is_name_char;
use std::fmt::{self, Display, Formatter, Write};

impl Display for Pattern {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Pattern::Empty => Ok(()),
            Pattern::Terms(t) => terms(t, f),
            Pattern::Regex(r) => write!(f, "%{}%", r.source()),
            Pattern::Json(e) => write!(f, "{{ {e} }}"),
            Pattern::Delimited(d) => delimited(d, f),
        }
    }
}

fn terms(t: &Terms, f: &mut Formatter<'_>) -> fmt::Result {
    let groups = [("", &t.required), ("?", &t.any_of), ("-", &t.excluded)];
    let mut first = true;
    for (prefix, list) in groups {
        for term in list {
            if !first {
                f.write_char(' ')?;
            }
            first = false;
            f.write_str(prefix)?;
            if !term.is_empty() && term.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                f.write_str(term)?;
            } else {
                quoted(term, f)?;
            }
        }
    }
    Ok(())
}

/// `"…"` with `"` and `\` escaped.
fn quoted(text: &str, f: &mut Formatter<'_>) -> fmt::Result {
    f.write_char('"')?;
    for c in text.chars() {
        if c == '"' || c == '\\' {
            f.write_char('\\')?;
        }
        f.write_char(c)?;
    }
    f.write_char('"')
}

impl Display for JsonExpr {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            JsonExpr::Or(v) => join(v, " || ", f, |_| false),
            JsonExpr::And(v) => join(v, " && ", f, |e| matches!(e, JsonExpr::Or(_))),
            JsonExpr::Condition(c) => {
                write!(f, "{}", c.selector)?;
                match &c.test {
                    Test::Compare(op, value) => write!(f, " {} {value}", op.as_str()),
                    Test::IsNull => f.write_str(" IS NULL"),
                    Test::IsTrue => f.write_str(" IS TRUE"),
                    Test::IsFalse => f.write_str(" IS FALSE"),
                    Test::NotExists => f.write_str(" NOT EXISTS"),
                }
            }
        }
    }
}

fn join<T: Display>(
    items: &[T],
    sep: &str,
    f: &mut Formatter<'_>,
    parens: impl Fn(&T) -> bool,
) -> fmt::Result {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(sep)?;
        }
        if parens(item) {
            write!(f, "({item})")?;
        } else {
            write!(f, "{item}")?;
        }
    }
    Ok(())
}

impl Display for Selector {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_char('$')?;
        for segment in &self.segments {
            match segment {
                Segment::Key(k) if !k.is_empty() && k.chars().all(is_name_char) => {
                    write!(f, ".{k}")?
                }
                Segment::Key(k) => {
                    f.write_str("['")?;
                    for c in k.chars() {
                        if c == '\'' || c == '\\' {
                            f.write_char('\\')?;
                        }
                        f.write_char(c)?;
                    }
                    f.write_str("']")?;
                }
                Segment::Index(i) => write!(f, "[{i}]")?,
                Segment::AnyIndex => f.write_str("[*]")?,
                Segment::AnyMember => f.write_str(".*")?,
            }
        }
        Ok(())
    }
}

impl Display for Value {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Value::Str(s) => write!(f, "{s}"),
            Value::Number(n) => write!(f, "{n}"),
            Value::Regex(r) => write!(f, "%{}%", r.source()),
        }
    }
}

impl Display for StrPattern {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let mut written = String::with_capacity(self.text.len() + 2);
        if self.leading_wildcard {
            written.push('*');
        }
        written.push_str(&self.text);
        if self.trailing_wildcard {
            written.push('*');
        }
        quoted(&written, f)
    }
}

fn delimited(d: &Delimited, f: &mut Formatter<'_>) -> fmt::Result {
    f.write_char('[')?;
    for (i, field) in d.fields.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        match field {
            Field::Ellipsis => f.write_str("...")?,
            Field::Anonymous => {}
            Field::Named {
                name,
                condition: None,
            } => f.write_str(name)?,
            Field::Named {
                condition: Some(e), ..
            } => write!(f, "{e}")?,
        }
    }
    f.write_char(']')
}

impl Display for FieldExpr {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            FieldExpr::Or(v) => join(v, " || ", f, |_| false),
            FieldExpr::And(v) => join(v, " && ", f, |e| matches!(e, FieldExpr::Or(_))),
            FieldExpr::Condition { name, op, value } => write!(f, "{name} {} {value}", op.as_str()),
        }
    }
}

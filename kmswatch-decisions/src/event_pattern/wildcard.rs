//! `{"wildcard": "..."}`: `*` stands for any run of characters; `\*` is a
//! literal star and `\\` a literal backslash.

use super::errors::{JsonPath, PatternError};
use regex::Regex;
use std::fmt;

/// A parsed wildcard expression, compiled to an anchored regular expression.
#[derive(Clone)]
pub struct Wildcard {
    text: String,
    regex: Regex,
}

impl Wildcard {
    /// Parses a wildcard; `operator` names it in errors (`wildcard` or
    /// `anything-but/wildcard`) and `path` points at the string.
    pub(crate) fn parse(text: &str, operator: &str, path: &JsonPath) -> Result<Self, PatternError> {
        let mut expr = String::from("(?s)^");
        let mut literal = String::new();
        let mut chars = text.chars().peekable();
        let mut previous_was_star = false;
        while let Some(c) = chars.next() {
            match c {
                '*' => {
                    if previous_was_star {
                        return Err(PatternError::operand(
                            path.clone(),
                            operator,
                            "consecutive wildcard characters are not allowed",
                        ));
                    }
                    expr.push_str(&regex::escape(&literal));
                    literal.clear();
                    expr.push_str(".*");
                    previous_was_star = true;
                    continue;
                }
                '\\' => match chars.next() {
                    Some(escaped @ ('*' | '\\')) => literal.push(escaped),
                    _ => {
                        return Err(PatternError::operand(
                            path.clone(),
                            operator,
                            "a backslash may only escape '*' or '\\'",
                        ))
                    }
                },
                other => literal.push(other),
            }
            previous_was_star = false;
        }
        expr.push_str(&regex::escape(&literal));
        expr.push('$');
        let regex = Regex::new(&expr).map_err(|e| {
            PatternError::operand(path.clone(), operator, format!("too complex: {e}"))
        })?;
        Ok(Wildcard {
            text: text.to_owned(),
            regex,
        })
    }

    /// The wildcard as written in the pattern.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether `value` matches the whole wildcard.
    pub fn is_match(&self, value: &str) -> bool {
        self.regex.is_match(value)
    }
}

impl PartialEq for Wildcard {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl fmt::Debug for Wildcard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Wildcard").field(&self.text).finish()
    }
}

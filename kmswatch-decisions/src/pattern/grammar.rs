//! Pieces of syntax both the JSON and the space-delimited parsers use:
//! comparison operators, operand checks, the regex budget and n-ary nodes.

use super::ast::{CompareOp, Value};
use super::cursor::Cursor;
use super::PatternError;

/// At most this many `%regex%` values in one JSON or space-delimited pattern.
pub const MAX_REGEX_PER_PATTERN: usize = 2;

/// Counts `%regex%` values and fails at the first one over the limit.
pub(crate) struct RegexBudget(usize);

impl RegexBudget {
    pub fn new() -> Self {
        RegexBudget(0)
    }

    pub fn spend(&mut self, value: &Value, offset: usize) -> Result<(), PatternError> {
        if matches!(value, Value::Regex(_)) {
            self.0 += 1;
            if self.0 > MAX_REGEX_PER_PATTERN {
                return Err(PatternError::new(
                    offset,
                    format!("at most {MAX_REGEX_PER_PATTERN} regular expressions are allowed in one filter pattern"),
                ));
            }
        }
        Ok(())
    }
}

/// Builds an n-ary node, flattening operands that are themselves the same node.
pub(crate) fn flatten<T>(
    operands: Vec<T>,
    split: impl Fn(T) -> Result<Vec<T>, T>,
    join: impl Fn(Vec<T>) -> T,
) -> T {
    let mut flat = Vec::with_capacity(operands.len());
    for operand in operands {
        match split(operand) {
            Ok(inner) => flat.extend(inner),
            Err(single) => flat.push(single),
        }
    }
    if flat.len() == 1 {
        if let Some(only) = flat.pop() {
            return only;
        }
    }
    join(flat)
}

/// Reads a comparison operator, if there is one.
pub(crate) fn compare_op(cur: &mut Cursor<'_>) -> Option<CompareOp> {
    for (text, op) in [
        ("!=", CompareOp::Ne),
        ("<=", CompareOp::Le),
        (">=", CompareOp::Ge),
        ("=", CompareOp::Eq),
        ("<", CompareOp::Lt),
        (">", CompareOp::Gt),
    ] {
        if cur.eat(text) {
            return Some(op);
        }
    }
    None
}

/// `< > <= >=` take a number.
pub(crate) fn check_operand(
    op: CompareOp,
    value: &Value,
    offset: usize,
) -> Result<(), PatternError> {
    if op.is_ordering() && !matches!(value, Value::Number(_)) {
        return Err(PatternError::new(
            offset,
            format!("expected a number after '{}'", op.as_str()),
        ));
    }
    Ok(())
}

//! `{"numeric": [...]}`: one comparison, or a lower bound followed by an upper
//! bound (`[">", 0, "<=", 5]`).

use super::errors::{JsonPath, PatternError};
use serde_json::Value;

/// One end of a [`NumericRange`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bound {
    /// The bound's value.
    pub value: f64,
    /// Whether the bound itself is inside the range (`<=`, `>=`, `=`).
    pub inclusive: bool,
}

/// The numbers a `numeric` operator accepts. `=` is a range whose two inclusive
/// bounds are equal.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NumericRange {
    /// The lower bound, if any.
    pub lower: Option<Bound>,
    /// The upper bound, if any.
    pub upper: Option<Bound>,
}

impl NumericRange {
    /// Whether `x` is inside the range.
    pub fn contains(&self, x: f64) -> bool {
        let above = self.lower.is_none_or(|b| {
            if b.inclusive {
                x >= b.value
            } else {
                x > b.value
            }
        });
        let below = self.upper.is_none_or(|b| {
            if b.inclusive {
                x <= b.value
            } else {
                x < b.value
            }
        });
        above && below
    }

    /// Parses the operand array of `numeric`; `path` points at the array.
    pub(crate) fn parse(operand: &Value, path: &JsonPath) -> Result<Self, PatternError> {
        const OP: &str = "numeric";
        let Value::Array(items) = operand else {
            return Err(PatternError::operand(path.clone(), OP, "must be an array"));
        };
        let comparison = |i: usize| -> Result<&str, PatternError> {
            match items.get(i) {
                Some(Value::String(s)) => Ok(s.as_str()),
                Some(_) => Err(PatternError::operand(
                    path.index(i),
                    OP,
                    "expected a comparison (\"=\", \"<\", \"<=\", \">\" or \">=\")",
                )),
                None => Err(PatternError::operand(
                    path.clone(),
                    OP,
                    "expected a comparison and a number",
                )),
            }
        };
        let number = |i: usize, after: &str| -> Result<f64, PatternError> {
            match items.get(i) {
                Some(Value::Number(n)) => n
                    .as_f64()
                    .ok_or_else(|| PatternError::operand(path.index(i), OP, "number out of range")),
                Some(_) => Err(PatternError::operand(
                    path.index(i),
                    OP,
                    format!("the value after {after:?} must be a number"),
                )),
                None => Err(PatternError::operand(
                    path.clone(),
                    OP,
                    format!("{after:?} needs a number after it"),
                )),
            }
        };
        let first = comparison(0)?;
        let value = number(1, first)?;
        let bound = |inclusive| Some(Bound { value, inclusive });
        let mut range = match first {
            "=" => NumericRange {
                lower: bound(true),
                upper: bound(true),
            },
            "<" => NumericRange {
                lower: None,
                upper: bound(false),
            },
            "<=" => NumericRange {
                lower: None,
                upper: bound(true),
            },
            ">" => NumericRange {
                lower: bound(false),
                upper: None,
            },
            ">=" => NumericRange {
                lower: bound(true),
                upper: None,
            },
            other => {
                return Err(PatternError::operand(
                    path.index(0),
                    OP,
                    format!("unknown comparison {other:?}"),
                ))
            }
        };
        if items.len() == 2 {
            return Ok(range);
        }
        if range.upper.is_some() {
            return Err(PatternError::operand(
                path.index(2),
                OP,
                format!("nothing may follow {first:?} and its number"),
            ));
        }
        let second = comparison(2)?;
        let inclusive = match second {
            "<" => false,
            "<=" => true,
            other => {
                return Err(PatternError::operand(
                    path.index(2),
                    OP,
                    format!("the second comparison must be \"<\" or \"<=\", not {other:?}"),
                ))
            }
        };
        let top = number(3, second)?;
        if items.len() > 4 {
            return Err(PatternError::operand(
                path.index(4),
                OP,
                "a range has at most two comparisons",
            ));
        }
        if value >= top {
            return Err(PatternError::operand(
                path.index(3),
                OP,
                "the lower bound must be less than the upper bound",
            ));
        }
        range.upper = Some(Bound {
            value: top,
            inclusive,
        });
        Ok(range)
    }
}

//! Parsing: pick the pattern kind from its first character, then hand over to the
//! parser of that kind. JSON patterns are parsed here; the other kinds live with
//! their evaluators (`terms.rs`, `delimited.rs`, `regex.rs`).

use super::ast::{JsonCondition, JsonExpr, Pattern, Segment, Selector, Test};
use super::cursor::Cursor;
use super::grammar::{check_operand, compare_op, flatten, RegexBudget};
use super::{delimited, regex, terms, value, PatternError};

/// CloudWatch Logs accepts filter patterns of at most this many characters.
pub const MAX_PATTERN_CHARS: usize = 1024;
/// Parses any filter pattern.
pub(crate) fn parse(text: &str) -> Result<Pattern, PatternError> {
    if let Some((offset, _)) = text.char_indices().nth(MAX_PATTERN_CHARS) {
        return Err(PatternError::new(
            offset,
            format!("filter pattern longer than {MAX_PATTERN_CHARS} characters"),
        ));
    }
    let mut cur = Cursor::new(text);
    cur.skip_ws();
    let pattern = match cur.peek() {
        None => Pattern::Empty,
        Some('{') => Pattern::Json(json(&mut cur)?),
        Some('[') => Pattern::Delimited(delimited::parse(&mut cur)?),
        Some('%') => {
            let regex = regex::parse_delimited(&mut cur)?;
            cur.skip_ws();
            if !cur.at_end() {
                return Err(
                    cur.error("unexpected text after the regex (a regex pattern is one %regex%)")
                );
            }
            Pattern::Regex(regex)
        }
        Some(_) => terms::parse(&mut cur)?,
    };
    Ok(pattern)
}

/// CloudWatch Logs quotas of a JSON pattern: "up to one wildcard selector in a
/// property selector, and up to three wildcard selectors in a filter pattern
/// with compound expressions". A wildcard selector is a member wildcard `.*`;
/// array wildcards `[*]` are not counted, since the documentation's own example
/// `{ $.coordinates[*][*] = 9 }` has two.
const MAX_WILDCARDS_PER_SELECTOR: usize = 1;
const MAX_WILDCARDS_PER_COMPOUND: usize = 3;

/// How deep parentheses may nest in a JSON pattern. AWS documents no limit
/// beyond the 1,024 characters; this one keeps parsing and evaluation within a
/// small thread stack (128 KiB, also in debug builds), and no real pattern
/// comes near it. A deeper pattern is invalid here, never a PASS.
pub const MAX_NESTING: usize = 32;

/// What a JSON pattern has spent of its quotas so far.
struct JsonBudget {
    regex: RegexBudget,
    /// Offsets of the wildcard selectors (`.*`).
    wildcards: Vec<usize>,
    conditions: usize,
    /// Parentheses open around the current position.
    depth: usize,
}

fn json(cur: &mut Cursor<'_>) -> Result<JsonExpr, PatternError> {
    cur.bump(); // '{'
    let mut budget = JsonBudget {
        regex: RegexBudget::new(),
        wildcards: Vec::new(),
        conditions: 0,
        depth: 0,
    };
    let expr = json_or(cur, &mut budget)?;
    if budget.conditions > 1 {
        if let Some(&offset) = budget.wildcards.get(MAX_WILDCARDS_PER_COMPOUND) {
            return Err(PatternError::new(
                offset,
                format!("at most {MAX_WILDCARDS_PER_COMPOUND} wildcard selectors are allowed in a pattern with compound expressions"),
            ));
        }
    }
    cur.skip_ws();
    if !cur.eat("}") {
        return Err(cur.expected("'}' or an operator ('&&', '||')"));
    }
    cur.skip_ws();
    if !cur.at_end() {
        return Err(cur.error("unexpected text after the closing '}'"));
    }
    Ok(expr)
}

fn json_or(cur: &mut Cursor<'_>, budget: &mut JsonBudget) -> Result<JsonExpr, PatternError> {
    let mut operands = vec![json_and(cur, budget)?];
    loop {
        cur.skip_ws();
        if !cur.eat("||") {
            break;
        }
        operands.push(json_and(cur, budget)?);
    }
    Ok(flatten(
        operands,
        |e| match e {
            JsonExpr::Or(v) => Ok(v),
            other => Err(other),
        },
        JsonExpr::Or,
    ))
}

fn json_and(cur: &mut Cursor<'_>, budget: &mut JsonBudget) -> Result<JsonExpr, PatternError> {
    let mut operands = vec![json_primary(cur, budget)?];
    loop {
        cur.skip_ws();
        if !cur.eat("&&") {
            break;
        }
        operands.push(json_primary(cur, budget)?);
    }
    Ok(flatten(
        operands,
        |e| match e {
            JsonExpr::And(v) => Ok(v),
            other => Err(other),
        },
        JsonExpr::And,
    ))
}

fn json_primary(cur: &mut Cursor<'_>, budget: &mut JsonBudget) -> Result<JsonExpr, PatternError> {
    cur.skip_ws();
    let open_at = cur.pos;
    if cur.eat("(") {
        if budget.depth == MAX_NESTING {
            return Err(PatternError::new(
                open_at,
                format!("parentheses nested deeper than {MAX_NESTING} levels"),
            ));
        }
        budget.depth += 1;
        let inner = json_or(cur, budget)?;
        budget.depth -= 1;
        cur.skip_ws();
        if !cur.eat(")") {
            return Err(cur.expected("')'"));
        }
        return Ok(inner);
    }
    let selector = selector(cur, &mut budget.wildcards)?;
    budget.conditions += 1;
    cur.skip_ws();
    let test = if cur.eat_keyword("IS") {
        cur.skip_ws();
        if cur.eat_keyword("NULL") {
            Test::IsNull
        } else if cur.eat_keyword("TRUE") {
            Test::IsTrue
        } else if cur.eat_keyword("FALSE") {
            Test::IsFalse
        } else {
            return Err(cur.expected("NULL, TRUE or FALSE after IS"));
        }
    } else if cur.eat_keyword("NOT") {
        cur.skip_ws();
        if !cur.eat_keyword("EXISTS") {
            return Err(cur.expected("EXISTS after NOT"));
        }
        Test::NotExists
    } else {
        let op = compare_op(cur).ok_or_else(|| {
            cur.expected(
                "an operator (=, !=, <, >, <=, >=, IS NULL, IS TRUE, IS FALSE, NOT EXISTS)",
            )
        })?;
        cur.skip_ws();
        let value_start = cur.pos;
        let value = value::parse_value(cur, &['(', ')', '{', '}', '"'])?;
        check_operand(op, &value, value_start)?;
        budget.regex.spend(&value, value_start)?;
        Test::Compare(op, value)
    };
    Ok(JsonExpr::Condition(JsonCondition { selector, test }))
}

/// Characters of a bare property name (`$.name`); anything else needs `['…']`.
pub(crate) fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '@' | ':')
}

/// A property selector; the offsets of its wildcards are added to `wildcards`.
fn selector(cur: &mut Cursor<'_>, wildcards: &mut Vec<usize>) -> Result<Selector, PatternError> {
    if !cur.eat("$") {
        return Err(cur.expected("a selector starting with '$'"));
    }
    let mut segments = Vec::new();
    let mut own = 0;
    loop {
        let start = cur.pos;
        if cur.eat(".") {
            if cur.eat("*") {
                segments.push(Segment::AnyMember);
            } else if cur.peek() == Some('[') {
                segments.push(bracket(cur)?);
            } else {
                let start = cur.pos;
                while cur.peek().is_some_and(is_name_char) {
                    cur.bump();
                }
                if cur.pos == start {
                    return Err(cur.expected("a property name after '.'"));
                }
                segments.push(Segment::Key(cur.text[start..cur.pos].to_owned()));
            }
        } else if cur.peek() == Some('[') {
            segments.push(bracket(cur)?);
        } else {
            break;
        }
        // `[*]` is not counted: the documentation's own `$.coordinates[*][*]` has two.
        if matches!(segments.last(), Some(Segment::AnyMember)) {
            own += 1;
            if own > MAX_WILDCARDS_PER_SELECTOR {
                return Err(PatternError::new(
                    start,
                    format!("at most {MAX_WILDCARDS_PER_SELECTOR} wildcard selector is allowed in a property selector"),
                ));
            }
            wildcards.push(start);
        }
    }
    if segments.is_empty() {
        return Err(cur.expected("'.' or '[' after '$'"));
    }
    Ok(Selector { segments })
}

/// `[N]`, `[*]`, `['key']` or `["key"]`.
fn bracket(cur: &mut Cursor<'_>) -> Result<Segment, PatternError> {
    cur.bump(); // '['
    let segment = match cur.peek() {
        Some('*') => {
            cur.bump();
            Segment::AnyIndex
        }
        Some('"') => Segment::Key(cur.quoted()?),
        Some('\'') => Segment::Key(cur.quoted_by('\'', "key")?),
        Some(c) if c.is_ascii_digit() => {
            let start = cur.pos;
            while cur.peek().is_some_and(|c| c.is_ascii_digit()) {
                cur.bump();
            }
            let index = cur.text[start..cur.pos]
                .parse::<u32>()
                .map_err(|_| crate::pattern::PatternError::new(start, "array index too large"))?;
            Segment::Index(index)
        }
        _ => return Err(cur.expected("an array index, '*' or a quoted key")),
    };
    if !cur.eat("]") {
        return Err(cur.expected("']'"));
    }
    Ok(segment)
}

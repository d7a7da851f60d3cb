//! The intermediate form as SQL over a record kept whole as JSON (DuckDB's
//! `JSON`, Spark's `VARIANT`): every test the engine makes can be asked of
//! the value's JSON type, so nothing is refused here. Where the engine would
//! need a number's text written its own way (a string pattern that could
//! match `1.5`), or a string holds a number that only an exact decimal
//! comparison could decide (`"1e3" > 999`), the query stops with an error
//! at that record instead of answering differently.

use super::form::{
    Booleans, Condition, FieldCondition, FieldPath, FieldTest, TextMatch, INTEGER_CHARS,
    NUMBER_CHARS,
};
use super::Refusal;
use crate::pattern::ast::CompareOp;
use crate::pattern::Decimal;

/// The JSON type of a value, as the engine tells them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A string.
    Text,
    /// A number written without fraction or exponent that fits 64 bits
    /// (the engine's `u64` / `i64`).
    Integer,
    /// Any other number (the engine's `f64`).
    Float,
    /// `true` or `false`.
    Boolean,
    /// `null`.
    Null,
}

/// How one dialect spells each question about a JSON record.
pub(crate) trait JsonRecord {
    /// The path as the dialect's JSON-path literal, or a refusal for a key
    /// it cannot spell.
    fn path(&self, path: &FieldPath) -> Result<String, Refusal>;
    /// SQL true when `path` reaches a value (of any kind, `null`, objects
    /// and arrays included), false when it reaches nothing.
    fn exists(&self, path: &str) -> String;
    /// SQL true when the value at `path` is of `kind`.
    fn is_kind(&self, path: &str, kind: Kind) -> String;
    /// A string's value.
    fn text(&self, path: &str) -> String;
    /// An integer's decimal text.
    fn integer_text(&self, path: &str) -> String;
    /// An integer, exactly (a 128-bit or 38-digit decimal type).
    fn integer(&self, path: &str) -> String;
    /// A float as a double.
    fn float(&self, path: &str) -> String;
    /// A float's comparison, given as a double (`double`) and, for a float
    /// that may be an integer the engine holds exactly, as an exact integer
    /// (`exact`): the dialect picks (or stops where they differ).
    fn float_comparison(&self, _path: &str, double: String, _exact: String) -> String {
        double
    }
    /// The decimal digits of a whole double below 2^53.
    fn whole_double_text(&self, double: &str) -> String;
    /// A boolean as SQL `BOOLEAN`.
    fn boolean(&self, path: &str) -> String;
    /// A string literal.
    fn literal(&self, text: &str) -> String;
    /// An exact integer literal of the type [`JsonRecord::integer`] has.
    fn integer_literal(&self, value: i128) -> String;
    /// A text expression read as that exact integer type.
    fn cast_integer(&self, text: &str) -> String;
    /// A text expression read as `DECIMAL(38,18)`.
    fn cast_decimal(&self, text: &str) -> String;
    /// Whether `text` starts with / ends with / contains `literal`.
    fn starts_with(&self, text: &str, literal: &str) -> String;
    /// See [`JsonRecord::starts_with`].
    fn ends_with(&self, text: &str, literal: &str) -> String;
    /// See [`JsonRecord::starts_with`].
    fn contains(&self, text: &str, literal: &str) -> String;
    /// Whether the engine's regex (the `regex` crate's syntax) is found anywhere in `text`.
    fn regex_found(&self, text: &str, regex: &str) -> String;
    /// Whether the whole of `text` matches `regex` (ASCII, classes spelled out).
    fn regex_whole(&self, text: &str, regex: &str) -> String;
    /// An expression that stops the query with `message`, typed BOOLEAN.
    fn fail(&self, message: &str) -> String;
    /// The same questions asked of each element of an array instead of the
    /// record (the element named by [`JsonRecord::any_element`]).
    fn element(&self) -> Box<dyn JsonRecord>;
    /// SQL true when `test` (asked of the element) holds for some element
    /// of the array at `path`; false when `path` reaches no array.
    fn any_element(&self, path: &str, test: &str) -> String;
}

/// Why a query stops at a number whose text it cannot write as the engine does.
const NOT_WRITTEN: &str =
    "is a number with a fraction, whose text the engine writes in its own way";

/// The text of a float the engine writes as an integer (`7.0` is `7`), or
/// `stop`: only a whole number below 2^53 (and not zero, which may be `-0`)
/// has a text SQL writes the same way.
fn float_text_arm(
    d: &dyn JsonRecord,
    p: &str,
    test: impl Fn(String) -> String,
    stop: &str,
) -> String {
    let x = d.float(p);
    format!(
        "(CASE WHEN {x} = floor({x}) AND abs({x}) < 9007199254740992 AND {x} <> 0 THEN {} ELSE {stop} END)",
        test(d.whole_double_text(&x))
    )
}

/// Rust's `char::is_whitespace`, which the engine trims a numeric string with.
const WHITE_SPACE: &str = r"[\x{9}-\x{D}\x{20}\x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}]";

/// A string the engine reads as a number (`Decimal::parse` after `trim`).
fn decimal_regex() -> String {
    format!(r"{WHITE_SPACE}*[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?{WHITE_SPACE}*")
}

/// A string that is a decimal SQL reads exactly as `DECIMAL(38,18)`: a
/// sign, at most 18 digits, and a fraction of at most 18.
const PLAIN_DECIMAL: &str = r"-?[0-9]{1,18}(\.[0-9]{1,18})?";

/// The fraction digits of [`PLAIN_DECIMAL`].
const DECIMAL_SCALE: u32 = 18;

/// Beyond every integer a record can hold (u64 and 18-digit strings).
const INTEGER_LIMIT: i128 = 100_000_000_000_000_000_000;

/// The condition as an SQL boolean expression.
pub(crate) fn condition(d: &dyn JsonRecord, c: &Condition) -> Result<String, Refusal> {
    Ok(match c {
        Condition::Always => "TRUE".to_owned(),
        Condition::All(v) => join(d, v, " AND ")?,
        Condition::Any(v) => join(d, v, " OR ")?,
        Condition::Field(f) => field(d, f)?,
    })
}

fn join(d: &dyn JsonRecord, v: &[Condition], op: &str) -> Result<String, Refusal> {
    let parts = v
        .iter()
        .map(|c| condition(d, c))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(format!("({})", parts.join(op)))
}

/// `CASE WHEN kind THEN expr ... ELSE FALSE END`: each expression is only
/// evaluated for values of its kind, so a `fail` in one branch stops the
/// query only at a record that reaches it.
fn by_kind(d: &dyn JsonRecord, path: &str, arms: &[(Kind, String)]) -> String {
    let mut sql = String::from("(CASE");
    for (kind, expr) in arms {
        if expr == "FALSE" {
            continue;
        }
        sql.push_str(&format!(" WHEN {} THEN {expr}", d.is_kind(path, *kind)));
    }
    sql.push_str(" ELSE FALSE END)");
    if sql == "(CASE ELSE FALSE END)" {
        return "FALSE".to_owned();
    }
    sql
}

fn field(d: &dyn JsonRecord, f: &FieldCondition) -> Result<String, Refusal> {
    if let Some((array, rest)) = f.path.split_at_elements() {
        // The engine tests every value the selector reaches: some element
        // satisfies the test, or (`NOT EXISTS`) no element reaches a value.
        let array = d.path(&array)?;
        let element = d.element();
        return Ok(if f.test == FieldTest::Missing {
            let reached = element.exists(&element.path(&rest)?);
            format!("NOT {}", d.any_element(&array, &reached))
        } else {
            let test = field(
                element.as_ref(),
                &FieldCondition {
                    path: rest,
                    test: f.test.clone(),
                },
            )?;
            d.any_element(&array, &test)
        });
    }
    let path = d.path(&f.path)?;
    let p = path.as_str();
    let stop = |what: &str| d.fail(&format!("kmswatch: the value of {} {what}", f.path.written));
    Ok(match &f.test {
        FieldTest::Missing => format!("NOT {}", d.exists(p)),
        FieldTest::IsNull => by_kind(d, p, &[(Kind::Null, "TRUE".into())]),
        FieldTest::IsTrue => by_kind(d, p, &[(Kind::Boolean, d.boolean(p))]),
        FieldTest::IsFalse => by_kind(d, p, &[(Kind::Boolean, format!("NOT {}", d.boolean(p)))]),
        FieldTest::Text {
            matcher,
            negated,
            booleans,
        } => {
            let equal = |text: String| text_match(d, &text, matcher);
            let integer = if matcher.may_match_text_of(INTEGER_CHARS) {
                if *matcher == TextMatch::Any {
                    "TRUE".to_owned()
                } else {
                    equal(d.integer_text(p))
                }
            } else {
                "FALSE".to_owned()
            };
            let float = if *matcher == TextMatch::Any {
                "TRUE".to_owned()
            } else if matcher.may_match_text_of(NUMBER_CHARS) {
                float_text_arm(
                    d,
                    p,
                    |text| text_match(d, &text, matcher),
                    &stop(NOT_WRITTEN),
                )
            } else {
                "FALSE".to_owned()
            };
            let arms = [
                (Kind::Text, equal(d.text(p))),
                (Kind::Integer, integer),
                (Kind::Float, float),
                (Kind::Boolean, boolean_arm(d, p, *booleans)),
            ];
            negate_or_not(d, p, &arms, *negated)
        }
        FieldTest::Regex {
            regex,
            negated,
            booleans,
        } => {
            let arms = [
                (Kind::Text, d.regex_found(&d.text(p), regex)),
                (Kind::Integer, d.regex_found(&d.integer_text(p), regex)),
                (
                    Kind::Float,
                    float_text_arm(d, p, |text| d.regex_found(&text, regex), &stop(NOT_WRITTEN)),
                ),
                (Kind::Boolean, boolean_arm(d, p, *booleans)),
            ];
            negate_or_not(d, p, &arms, *negated)
        }
        FieldTest::Number { op, value } => {
            let string = format!(
                "(CASE WHEN {} THEN {} WHEN {} THEN {} ELSE NULL END)",
                d.regex_whole(&d.text(p), PLAIN_DECIMAL),
                decimal_compare(d, &d.cast_decimal(&d.text(p)), *op, value),
                d.regex_whole(&d.text(p), &decimal_regex()),
                stop("is a string holding a number this query cannot compare exactly"),
            );
            // NULL: the value is not numeric; `!=` holds for it, the others do not.
            let arms = [
                (Kind::Text, string),
                (Kind::Integer, integer_compare(d, &d.integer(p), *op, value)),
                (
                    Kind::Float,
                    d.float_comparison(
                        p,
                        float_compare(&d.float(p), *op, value),
                        integer_compare(d, &d.integer(p), *op, value),
                    ),
                ),
            ];
            let numeric = arms
                .iter()
                .map(|(k, e)| format!(" WHEN {} THEN {e}", d.is_kind(p, *k)))
                .collect::<String>();
            match op {
                CompareOp::Ne => format!(
                    "(CASE{numeric} ELSE NULL END) IS NOT FALSE AND {}",
                    scalar(d, p)
                ),
                _ => format!("COALESCE((CASE{numeric} ELSE NULL END), FALSE)"),
            }
        }
    })
}

/// SQL true for every scalar, `null` included.
fn scalar(d: &dyn JsonRecord, p: &str) -> String {
    let kinds = [
        Kind::Text,
        Kind::Integer,
        Kind::Float,
        Kind::Boolean,
        Kind::Null,
    ];
    let any = kinds.iter().map(|k| d.is_kind(p, *k)).collect::<Vec<_>>();
    format!("COALESCE({}, FALSE)", any.join(" OR "))
}

fn boolean_arm(d: &dyn JsonRecord, p: &str, b: Booleans) -> String {
    match (b.on_true, b.on_false) {
        (true, true) => "TRUE".to_owned(),
        (true, false) => d.boolean(p),
        (false, true) => format!("NOT {}", d.boolean(p)),
        (false, false) => "FALSE".to_owned(),
    }
}

/// `=`: the value matches; `!=`: it is a scalar (null included) and does not.
fn negate_or_not(d: &dyn JsonRecord, p: &str, arms: &[(Kind, String)], negated: bool) -> String {
    let equal = by_kind(d, p, arms);
    if negated {
        format!("({} AND NOT {equal})", scalar(d, p))
    } else {
        equal
    }
}

fn text_match(d: &dyn JsonRecord, text: &str, matcher: &TextMatch) -> String {
    match matcher {
        TextMatch::Any => "TRUE".to_owned(),
        TextMatch::Exact(t) => format!("{text} = {}", d.literal(t)),
        TextMatch::Prefix(t) => d.starts_with(text, &d.literal(t)),
        TextMatch::Suffix(t) => d.ends_with(text, &d.literal(t)),
        TextMatch::Contains(t) => d.contains(text, &d.literal(t)),
    }
}

/// `x op value` for an exact integer `x`: the literal becomes the integers
/// around it, so no decimal arithmetic is asked of the engine.
fn integer_compare(d: &dyn JsonRecord, x: &str, op: CompareOp, value: &Decimal) -> String {
    let (floor, ceil) = value.integer_bounds(INTEGER_LIMIT);
    compare_bounds(x, op, floor, ceil, |n| d.integer_literal(n))
}

/// `x op value` for an `x` on a grid that `value` lies between `floor` and
/// `ceil` of (equal when `value` is on it).
fn compare_bounds(
    x: &str,
    op: CompareOp,
    floor: i128,
    ceil: i128,
    lit: impl Fn(i128) -> String,
) -> String {
    match op {
        CompareOp::Eq if floor == ceil => format!("{x} = {}", lit(floor)),
        CompareOp::Eq => "FALSE".to_owned(),
        CompareOp::Ne if floor == ceil => format!("{x} <> {}", lit(floor)),
        CompareOp::Ne => "TRUE".to_owned(),
        CompareOp::Lt => format!("{x} < {}", lit(ceil)),
        CompareOp::Le => format!("{x} <= {}", lit(floor)),
        CompareOp::Gt => format!("{x} > {}", lit(floor)),
        CompareOp::Ge => format!("{x} >= {}", lit(ceil)),
    }
}

/// `x op value` for a `DECIMAL(38,18)` `x`: the literal becomes the
/// decimals of 18 fraction digits around it.
fn decimal_compare(d: &dyn JsonRecord, x: &str, op: CompareOp, value: &Decimal) -> String {
    let (floor, ceil) = value.scaled_integer_bounds(DECIMAL_SCALE, 10i128.pow(37));
    let text = |n: i128| {
        let digits = format!("{:019}", n.unsigned_abs());
        let (int, frac) = digits.split_at(digits.len() - DECIMAL_SCALE as usize);
        let sign = if n < 0 { "-" } else { "" };
        d.cast_decimal(&d.literal(&format!("{sign}{int}.{frac}")))
    };
    compare_bounds(x, op, floor, ceil, text)
}

/// `x op value` for a float: the engine compares with the literal's nearest `f64`.
fn float_compare(x: &str, op: CompareOp, value: &Decimal) -> String {
    let f = value.to_f64();
    let lit = if f.is_finite() {
        format!("{f:e}")
    } else if f > 0.0 {
        "CAST('Infinity' AS DOUBLE)".to_owned()
    } else {
        "CAST('-Infinity' AS DOUBLE)".to_owned()
    };
    let sql_op = match op {
        CompareOp::Eq => "=",
        CompareOp::Ne => "<>",
        CompareOp::Lt => "<",
        CompareOp::Le => "<=",
        CompareOp::Gt => ">",
        CompareOp::Ge => ">=",
    };
    format!("{x} {sql_op} {lit}")
}

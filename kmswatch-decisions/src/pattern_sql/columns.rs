//! The intermediate form as SQL over a table of columns (the CloudTrail
//! table of Athena and Trino, a CloudTrail Lake event data store). A column
//! holds SQL `NULL` both for a missing field and for JSON `null`, and text
//! where a JSON-text column held a number, so only the tests that do not
//! depend on either are written: `=` against strings and (on string
//! columns) regexes, joined by `AND` / `OR`. Every other test is refused.

use super::form::{Condition, FieldCondition, FieldPath, FieldTest, TextMatch, NUMBER_CHARS};
use super::{Dialect, Refusal};

/// Where a field is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Column {
    /// A string column (or a string member of a struct column): one of
    /// CloudTrail's own string fields.
    Text(String),
    /// A scalar read out of a column of JSON text (`requestParameters`):
    /// `NULL` for null, missing, objects and arrays; numbers as text.
    JsonScalar(String),
}

/// How one layout names its columns and spells its functions.
pub(crate) trait ColumnLayout {
    /// The dialect.
    fn dialect(&self) -> Dialect;
    /// The column of a field, or a refusal naming the selector.
    fn column(&self, path: &FieldPath) -> Result<Column, Refusal>;
    /// A string literal.
    fn literal(&self, text: &str) -> String;
    /// Whether the engine's regex (the `regex` crate's syntax) is found in `text`.
    fn regex_found(&self, text: &str, regex: &str) -> String;
}

/// The condition as an SQL boolean expression.
pub(crate) fn condition(layout: &dyn ColumnLayout, c: &Condition) -> Result<String, Refusal> {
    let join = |v: &[Condition], op: &str| -> Result<String, Refusal> {
        let parts = v
            .iter()
            .map(|c| condition(layout, c))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(format!("({})", parts.join(op)))
    };
    match c {
        Condition::Always => Ok("TRUE".to_owned()),
        Condition::All(v) => join(v, " AND "),
        Condition::Any(v) => join(v, " OR "),
        Condition::Field(f) => field(layout, f),
    }
}

fn field(layout: &dyn ColumnLayout, f: &FieldCondition) -> Result<String, Refusal> {
    let column = layout.column(&f.path)?;
    let refuse = |test: &str| Refusal::ColumnTest {
        test: test.to_owned(),
        selector: f.path.written.clone(),
        dialect: layout.dialect(),
    };
    match (&f.test, &column) {
        (
            FieldTest::Text {
                matcher,
                negated: false,
                ..
            },
            _,
        ) => {
            let sql = match &column {
                Column::Text(sql) => sql,
                Column::JsonScalar(sql) => {
                    if *matcher != TextMatch::Any && matcher.may_match_text_of(NUMBER_CHARS) {
                        return Err(Refusal::NumericText {
                            value: matcher.text().to_owned(),
                            selector: f.path.written.clone(),
                            dialect: layout.dialect(),
                        });
                    }
                    sql
                }
            };
            let lit = |t: &str| layout.literal(t);
            Ok(match matcher {
                TextMatch::Any => format!("{sql} IS NOT NULL"),
                TextMatch::Exact(t) => format!("{sql} = {}", lit(t)),
                TextMatch::Prefix(t) => {
                    format!("substr({sql}, 1, length({})) = {}", lit(t), lit(t))
                }
                TextMatch::Suffix(t) => {
                    format!(
                        "substr({sql}, greatest(length({sql}) - length({}) + 1, 1)) = {}",
                        lit(t),
                        lit(t)
                    )
                }
                TextMatch::Contains(t) => format!("strpos({sql}, {}) > 0", lit(t)),
            })
        }
        (
            FieldTest::Regex {
                regex,
                negated: false,
                ..
            },
            Column::Text(sql),
        ) => Ok(layout.regex_found(sql, regex)),
        (FieldTest::Regex { negated: false, .. }, Column::JsonScalar(_)) => {
            Err(refuse("= %regex%"))
        }
        (FieldTest::Text { negated: true, .. } | FieldTest::Regex { negated: true, .. }, _) => {
            Err(refuse("!="))
        }
        (FieldTest::Number { op, .. }, _) => Err(refuse(&format!("{} NUMBER", op.as_str()))),
        (FieldTest::IsNull, _) => Err(refuse("IS NULL")),
        (FieldTest::IsTrue, _) => Err(refuse("IS TRUE")),
        (FieldTest::IsFalse, _) => Err(refuse("IS FALSE")),
        (FieldTest::Missing, _) => Err(refuse("NOT EXISTS")),
    }
}

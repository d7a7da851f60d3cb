//! DuckDB: each record a `JSON` value, read by `read_json_objects` from
//! local or `s3://` objects (gzip or not, `{"Records":[…]}` or JSON Lines),
//! or taken from a table with a `record` column.

use super::form::{FieldPath, Step};
use super::json_record::{JsonRecord, Kind};
use super::{Dialect, Refusal, SqlOptions, Window};

/// DuckDB's spelling of the questions about a JSON record: the column
/// `record`, or `element` for the elements of an array (`[*]`).
pub(crate) struct DuckDb {
    /// The JSON value asked about.
    pub(crate) record: &'static str,
}

/// The questions about each record of the query.
pub(crate) const RECORD: DuckDb = DuckDb { record: "record" };

/// Quoted as a DuckDB (standard SQL) string literal.
pub(crate) fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

impl DuckDb {
    fn json_type(&self, path: &str) -> String {
        format!("json_type({}, {path})", self.record)
    }
}

impl JsonRecord for DuckDb {
    fn path(&self, path: &FieldPath) -> Result<String, Refusal> {
        let mut text = String::from("$");
        for step in &path.steps {
            match step {
                Step::Key(k) => {
                    if k.chars().any(|c| c == '"' || c == '\\' || c.is_control()) {
                        return Err(Refusal::SelectorKey {
                            key: k.clone(),
                            dialect: Dialect::DuckDb,
                        });
                    }
                    text.push_str(&format!(".\"{k}\""));
                }
                Step::Index(i) => text.push_str(&format!("[{i}]")),
                // `field` tests the elements of a `[*]` one by one.
                Step::AnyIndex => {
                    return Err(Refusal::WildcardSelector {
                        selector: path.written.clone(),
                        dialect: Dialect::DuckDb,
                    })
                }
            }
        }
        Ok(literal(&text))
    }

    fn exists(&self, path: &str) -> String {
        format!("({} IS NOT NULL)", self.json_type(path))
    }

    fn is_kind(&self, path: &str, kind: Kind) -> String {
        let types = match kind {
            Kind::Text => "'VARCHAR'",
            Kind::Integer => "'BIGINT', 'UBIGINT'",
            Kind::Float => "'DOUBLE'",
            Kind::Boolean => "'BOOLEAN'",
            Kind::Null => "'NULL'",
        };
        format!("{} IN ({types})", self.json_type(path))
    }

    fn text(&self, path: &str) -> String {
        format!("json_extract_string({}, {path})", self.record)
    }

    fn integer_text(&self, path: &str) -> String {
        self.text(path)
    }

    fn integer(&self, path: &str) -> String {
        self.cast_integer(&self.text(path))
    }

    fn float(&self, path: &str) -> String {
        format!("CAST({} AS DOUBLE)", self.text(path))
    }

    fn whole_double_text(&self, double: &str) -> String {
        format!("CAST(CAST({double} AS BIGINT) AS VARCHAR)")
    }

    fn boolean(&self, path: &str) -> String {
        format!("CAST({} AS BOOLEAN)", self.text(path))
    }

    fn literal(&self, text: &str) -> String {
        literal(text)
    }

    fn integer_literal(&self, value: i128) -> String {
        format!("CAST('{value}' AS HUGEINT)")
    }

    fn cast_integer(&self, text: &str) -> String {
        format!("CAST({text} AS HUGEINT)")
    }

    fn cast_decimal(&self, text: &str) -> String {
        format!("CAST({text} AS DECIMAL(38,18))")
    }

    fn starts_with(&self, text: &str, literal: &str) -> String {
        format!("starts_with({text}, {literal})")
    }

    fn ends_with(&self, text: &str, literal: &str) -> String {
        format!("suffix({text}, {literal})")
    }

    fn contains(&self, text: &str, literal: &str) -> String {
        format!("contains({text}, {literal})")
    }

    fn regex_found(&self, text: &str, regex: &str) -> String {
        // RE2 reads the `regex` crate's syntax of the engine's subset as is.
        format!("regexp_matches({text}, {})", literal(regex))
    }

    fn regex_whole(&self, text: &str, regex: &str) -> String {
        format!("regexp_full_match({text}, {})", literal(regex))
    }

    fn fail(&self, message: &str) -> String {
        format!("CAST(error({}) AS BOOLEAN)", literal(message))
    }

    fn element(&self) -> Box<dyn JsonRecord> {
        Box::new(DuckDb { record: "element" })
    }

    /// `json_extract` with `[*]` lists the elements of an array and nothing
    /// for any other value (a cast to `JSON[]` would fail on those: DuckDB
    /// evaluates the subquery for every record, whatever a `CASE` says).
    fn any_element(&self, path: &str, test: &str) -> String {
        let elements = path
            .strip_suffix('\'')
            .map_or_else(|| format!("{path} || '[*]'"), |open| format!("{open}[*]'"));
        format!(
            "EXISTS (SELECT 1 FROM unnest(json_extract({}, {elements})) AS elements(element) WHERE {test})",
            self.record
        )
    }
}

/// The whole query: the records, their columns, the window and the condition.
pub(crate) fn query(condition: &str, options: &SqlOptions) -> String {
    let from = match &options.source {
        Some(source) => format!(
            "(\n  SELECT unnest(CASE WHEN json_type(json, '$.Records') = 'ARRAY'\n    THEN json_extract(json, '$.Records[*]') ELSE [json] END) AS record\n  FROM read_json_objects({}, format = 'unstructured', maximum_object_size = 1073741824)\n) AS records",
            literal(source)
        ),
        None => options.table_or("cloudtrail_records"),
    };
    let column = |name: &str| format!("json_extract_string(record, '$.{name}') AS \"{name}\"");
    let time = "json_extract_string(record, '$.eventTime')";
    format!(
        "SELECT\n  {},\n  {},\n  {},\n  {},\n  record\nFROM {from}\nWHERE {}json_type(record) IN ('OBJECT', 'ARRAY')\n  AND {condition}",
        column("eventID"),
        column("eventTime"),
        column("eventName"),
        column("recipientAccountId"),
        window_sql(time, options.window.as_ref()),
    )
}

/// `substr(time, 1, 10) BETWEEN …`: ISO-8601 times compare as text by day.
pub(crate) fn window_sql(time: &str, window: Option<&Window>) -> String {
    let Some(w) = window else {
        return String::new();
    };
    let mut parts = Vec::new();
    if let Some(since) = &w.since {
        parts.push(format!("substr({time}, 1, 10) >= '{since}'"));
    }
    if let Some(until) = &w.until {
        parts.push(format!("substr({time}, 1, 10) <= '{until}'"));
    }
    parts.iter().map(|p| format!("{p}\n  AND ")).collect()
}

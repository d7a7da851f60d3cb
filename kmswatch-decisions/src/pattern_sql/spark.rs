//! Spark SQL (4.0 and later): each record a `VARIANT` (`parse_json`), read
//! from the archive's objects line by line (`text.\`GLOB\``: gzip or not,
//! one `{"Records":[…]}` object per line as CloudTrail writes them, or JSON
//! Lines), or parsed from a table's `record` column of JSON text.

use super::duckdb::window_sql;
use super::form::{FieldPath, Step};
use super::json_record::{JsonRecord, Kind};
use super::{regex_syntax, Dialect, Refusal, SqlOptions};

/// Spark's spelling of the questions about a JSON record: the column
/// `record`, or the lambda variable `element` for the elements of an array
/// (`[*]`).
pub(crate) struct Spark {
    /// The `VARIANT` asked about.
    pub(crate) record: &'static str,
}

/// The questions about each record of the query.
pub(crate) const RECORD: Spark = Spark { record: "record" };

/// Quoted as a Spark SQL string literal (backslash escapes).
pub(crate) fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\\', "\\\\").replace('\'', "\\'"))
}

impl Spark {
    fn variant(&self, path: &str) -> String {
        format!("variant_get({}, {path})", self.record)
    }

    fn typed(&self, path: &str, ty: &str) -> String {
        format!("variant_get({}, {path}, '{ty}')", self.record)
    }
}

impl JsonRecord for Spark {
    fn path(&self, path: &FieldPath) -> Result<String, Refusal> {
        let mut text = String::from("$");
        for step in &path.steps {
            match step {
                Step::Key(k) => {
                    if k.chars().any(|c| c == '\'' || c == '\\' || c.is_control()) {
                        return Err(Refusal::SelectorKey {
                            key: k.clone(),
                            dialect: Dialect::Spark,
                        });
                    }
                    text.push_str(&format!("['{k}']"));
                }
                Step::Index(i) => text.push_str(&format!("[{i}]")),
                // `field` tests the elements of a `[*]` one by one.
                Step::AnyIndex => {
                    return Err(Refusal::WildcardSelector {
                        selector: path.written.clone(),
                        dialect: Dialect::Spark,
                    })
                }
            }
        }
        Ok(literal(&text))
    }

    fn exists(&self, path: &str) -> String {
        format!("({} IS NOT NULL)", self.variant(path))
    }

    fn is_kind(&self, path: &str, kind: Kind) -> String {
        let ty = format!("schema_of_variant({})", self.variant(path));
        match kind {
            Kind::Text => format!("{ty} = 'STRING'"),
            Kind::Integer => format!("{ty} IN ('TINYINT', 'SMALLINT', 'INT', 'BIGINT')"),
            // Numbers with a fraction or an exponent, and integers beyond 64 bits.
            Kind::Float => format!("({ty} = 'DOUBLE' OR {ty} = 'FLOAT' OR {ty} LIKE 'DECIMAL%')"),
            Kind::Boolean => format!("{ty} = 'BOOLEAN'"),
            Kind::Null => format!("{ty} = 'VOID'"),
        }
    }

    fn text(&self, path: &str) -> String {
        self.typed(path, "string")
    }

    fn integer_text(&self, path: &str) -> String {
        self.text(path)
    }

    fn integer(&self, path: &str) -> String {
        self.typed(path, "decimal(38,0)")
    }

    fn float(&self, path: &str) -> String {
        self.typed(path, "double")
    }

    /// Spark holds a JSON integer beyond 64 bits, and `1.0`, as a decimal of
    /// scale 0; the engine compares the first exactly and the second as a
    /// double. Where the two comparisons agree either is the answer.
    fn float_comparison(&self, path: &str, double: String, exact: String) -> String {
        format!(
            "(CASE WHEN schema_of_variant({}) LIKE 'DECIMAL(%,0)' AND ({double}) <> ({exact}) THEN {} ELSE {double} END)",
            self.variant(path),
            self.fail("kmswatch: an integer that Spark holds as a decimal cannot be compared exactly"),
        )
    }

    fn whole_double_text(&self, double: &str) -> String {
        format!("CAST(CAST({double} AS BIGINT) AS STRING)")
    }

    fn boolean(&self, path: &str) -> String {
        self.typed(path, "boolean")
    }

    fn literal(&self, text: &str) -> String {
        literal(text)
    }

    fn integer_literal(&self, value: i128) -> String {
        format!("CAST('{value}' AS DECIMAL(38,0))")
    }

    fn cast_integer(&self, text: &str) -> String {
        format!("CAST({text} AS DECIMAL(38,0))")
    }

    fn cast_decimal(&self, text: &str) -> String {
        format!("CAST({text} AS DECIMAL(38,18))")
    }

    fn starts_with(&self, text: &str, literal: &str) -> String {
        format!("startswith({text}, {literal})")
    }

    fn ends_with(&self, text: &str, literal: &str) -> String {
        format!("endswith({text}, {literal})")
    }

    fn contains(&self, text: &str, literal: &str) -> String {
        format!("contains({text}, {literal})")
    }

    fn regex_found(&self, text: &str, regex: &str) -> String {
        format!("{text} RLIKE {}", literal(&regex_syntax::java(regex)))
    }

    fn regex_whole(&self, text: &str, regex: &str) -> String {
        format!("{text} RLIKE {}", literal(&format!(r"\A(?:{regex})\z")))
    }

    fn fail(&self, message: &str) -> String {
        format!("CAST(raise_error({}) AS BOOLEAN)", literal(message))
    }

    fn element(&self) -> Box<dyn JsonRecord> {
        Box::new(Spark { record: "element" })
    }

    fn any_element(&self, path: &str, test: &str) -> String {
        format!(
            "COALESCE(exists(try_variant_get({}, {path}, 'array<variant>'), element -> {test}), FALSE)",
            self.record
        )
    }
}

/// The whole query: the records, their columns, the window and the condition.
pub(crate) fn query(condition: &str, options: &SqlOptions) -> String {
    let records = match &options.source {
        Some(source) => format!(
            "SELECT explode(CASE WHEN schema_of_variant(variant_get(document, '$.Records')) LIKE 'ARRAY%'\n    THEN CAST(variant_get(document, '$.Records') AS ARRAY<VARIANT>) ELSE array(document) END) AS record\n  FROM (SELECT try_parse_json(value) AS document FROM text.`{}`) AS lines\n  WHERE document IS NOT NULL",
            source.replace('`', "``")
        ),
        None => format!(
            "SELECT parse_json(record) AS record FROM {}",
            options.table_or("cloudtrail_records")
        ),
    };
    let column = |name: &str| format!("variant_get(record, '$.{name}', 'string') AS `{name}`");
    let time = "variant_get(record, '$.eventTime', 'string')";
    format!(
        "SELECT\n  {},\n  {},\n  {},\n  {},\n  to_json(record) AS record\nFROM (\n  {records}\n) AS records\nWHERE {}(schema_of_variant(record) LIKE 'OBJECT%' OR schema_of_variant(record) LIKE 'ARRAY%')\n  AND {condition}",
        column("eventID"),
        column("eventTime"),
        column("eventName"),
        column("recipientAccountId"),
        window_sql(time, options.window.as_ref()),
    )
}

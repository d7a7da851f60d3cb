//! `pattern_sql`: what each dialect refuses and why, the options, the
//! document. The queries' results are proven by executing them
//! (tests/python/test_pattern_sql_duckdb.py, test_pattern_sql_spark.py).

use kmswatch_core::pattern::FilterPattern;
use kmswatch_core::pattern_sql::{compile, Dialect, SqlError, SqlOptions};

fn sql(pattern: &str, dialect: Dialect) -> Result<String, SqlError> {
    let pattern = FilterPattern::parse(pattern).unwrap_or_else(|e| panic!("{pattern}: {e}"));
    compile(&pattern, dialect, &SqlOptions::default()).map(|q| q.sql)
}

fn code(pattern: &str, dialect: Dialect) -> &'static str {
    match sql(pattern, dialect) {
        Ok(_) => "compiled",
        Err(e) => e.code(),
    }
}

#[test]
fn raw_text_patterns_are_refused_by_every_dialect() {
    for dialect in Dialect::ALL {
        assert_eq!(code("DisableKey", dialect), "unstructured_terms");
        assert_eq!(code("%Disable%", dialect), "standalone_regex");
        assert_eq!(code("[a, b = 1]", dialect), "space_delimited");
        assert_eq!(code("{ $.a.* = 1 }", dialect), "wildcard_selector");
        assert_eq!(code("{ $.a[*].b[*] = 1 }", dialect), "wildcard_selector");
        assert_eq!(code("", dialect), "compiled");
    }
}

#[test]
fn one_array_wildcard_is_expressed_where_records_are_kept_whole() {
    for dialect in Dialect::ALL {
        let expected = if matches!(dialect, Dialect::DuckDb | Dialect::Spark) {
            "compiled"
        } else {
            "wildcard_selector"
        };
        for pattern in ["{ $.a[*] = 1 }", "{ $.a[0].b[*].c NOT EXISTS }"] {
            assert_eq!(code(pattern, dialect), expected, "{pattern} in {dialect}");
        }
    }
}

#[test]
fn json_records_express_every_test() {
    for dialect in [Dialect::DuckDb, Dialect::Spark] {
        for pattern in [
            "{ $.a != x }",
            "{ $.a IS NULL || $.b IS TRUE || $.c IS FALSE }",
            "{ $.a NOT EXISTS && $.b[2].c >= 2.5 }",
            "{ $.a = %^[0-9]+$% && $.b != \"4*\" }",
        ] {
            assert_eq!(code(pattern, dialect), "compiled", "{pattern} in {dialect}");
        }
    }
}

#[test]
fn columns_refuse_what_null_columns_cannot_tell() {
    for dialect in [Dialect::Athena, Dialect::Trino, Dialect::CloudTrailLake] {
        assert_eq!(code("{ $.eventName = Disable* }", dialect), "compiled");
        assert_eq!(code("{ $.userIdentity.arn = *root }", dialect), "compiled");
        assert_eq!(
            code("{ $.eventName != DisableKey }", dialect),
            "column_test"
        );
        assert_eq!(code("{ $.errorCode IS NULL }", dialect), "column_test");
        assert_eq!(code("{ $.errorCode NOT EXISTS }", dialect), "column_test");
        assert_eq!(code("{ $.eventVersion > 1 }", dialect), "column_test");
        // JSON names are case-sensitive; the columns are CloudTrail's names.
        assert_eq!(code("{ $.EventName = DisableKey }", dialect), "no_column");
    }
    assert_eq!(
        code("{ $.requestParameters.keyId = \"*12\" }", Dialect::Athena),
        "numeric_text"
    );
    assert_eq!(
        code("{ $.requestParameters.keyId = \"*-1e5\" }", Dialect::Athena),
        "numeric_text"
    );
    assert_eq!(
        code("{ $.requestParameters.keyId = \"k*\" }", Dialect::Trino),
        "compiled"
    );
    assert_eq!(
        code("{ $.requestParameters.keyId = k }", Dialect::CloudTrailLake),
        "no_column"
    );
    // Typed columns of CloudTrail Lake: a timestamp and a boolean.
    for selector in ["$.eventTime", "$.readOnly"] {
        let pattern = format!("{{ {selector} = \"true\" }}");
        assert_eq!(code(&pattern, Dialect::CloudTrailLake), "no_column");
        assert_eq!(code(&pattern, Dialect::Athena), "compiled");
    }
}

#[test]
fn strings_are_quoted_for_each_dialect() {
    let athena = sql("{ $.eventName = \"it's\" }", Dialect::Athena).unwrap_or_default();
    assert!(athena.contains("eventname = 'it''s'"), "{athena}");
    let spark = sql("{ $.eventName = \"a\\\\b'c\" }", Dialect::Spark).unwrap_or_default();
    assert!(spark.contains(r"'a\\b\'c'"), "{spark}");
}

#[test]
fn options_are_checked() {
    let err = |t: Option<&str>, s: Option<&str>, u: Option<&str>, src: Option<&str>| {
        SqlOptions::parse(t, s, u, src).err().map(|e| e.to_string())
    };
    assert!(err(None, Some("2026-13-01"), None, None).is_some_and(|m| m.contains("not a day")));
    assert!(err(None, Some("2026-03-02"), Some("2026-03-01"), None)
        .is_some_and(|m| m.contains("before --since")));
    assert!(
        err(Some("t; DROP TABLE x"), None, None, None).is_some_and(|m| m.contains("table name"))
    );
    assert!(err(None, None, None, Some("")).is_some());
    let pattern = FilterPattern::parse("{ $.a = 1 }").unwrap_or_else(|e| panic!("{e}"));
    let with_source = SqlOptions::parse(None, None, None, Some("logs/*.json.gz"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(
        compile(&pattern, Dialect::Athena, &with_source),
        Err(SqlError::SourceNotRead(Dialect::Athena))
    ));
    assert!(compile(&pattern, Dialect::DuckDb, &with_source).is_ok());
}

#[test]
fn the_window_filters_days_and_athena_partitions() {
    let pattern = FilterPattern::parse("").unwrap_or_else(|e| panic!("{e}"));
    let options = SqlOptions::parse(None, Some("2026-01-01"), Some("2026-01-31"), None)
        .unwrap_or_else(|e| panic!("{e}"));
    let athena = compile(&pattern, Dialect::Athena, &options)
        .map(|q| q.sql)
        .unwrap_or_default();
    assert!(
        athena.contains("substr(eventtime, 1, 10) >= '2026-01-01'"),
        "{athena}"
    );
    assert!(athena.contains("\"timestamp\" <= '2026/01/31'"), "{athena}");
    let lake = compile(&pattern, Dialect::CloudTrailLake, &options)
        .map(|q| q.sql)
        .unwrap_or_default();
    assert!(
        lake.contains("eventTime <= '2026-01-31 23:59:59'"),
        "{lake}"
    );
}

#[test]
fn the_document_names_what_the_query_reads() {
    let pattern =
        FilterPattern::parse("{$.eventName=DisableKey}").unwrap_or_else(|e| panic!("{e}"));
    let query = compile(&pattern, Dialect::CloudTrailLake, &SqlOptions::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let json: serde_json::Value =
        serde_json::from_str(&query.to_json()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(json["schema"], "kmswatch.pattern-sql/v1");
    assert_eq!(json["dialect"], "cloudtrail-lake");
    assert_eq!(json["pattern"], "{ $.eventName = \"DisableKey\" }");
    assert_eq!(json["table"], "event_data_store_id");
    assert_eq!(json["columns"][0], "eventID");
}

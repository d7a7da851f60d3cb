//! `pattern_sql`: a filter pattern as one query for an SQL engine.

use crate::account::guarded;
use crate::errors::{pattern_error, pattern_sql_error};
use kmswatch_core::pattern::FilterPattern;
use kmswatch_core::pattern_sql::{compile, Dialect, SqlError, SqlOptions};
use pyo3::prelude::*;

/// The query selecting exactly the CloudTrail records `pattern` matches, in
/// `dialect` (`athena`, `trino`, `spark`, `duckdb`, `cloudtrail-lake`).
#[pyfunction]
#[pyo3(signature = (pattern, dialect, table=None, since=None, until=None, source=None))]
pub fn pattern_sql(
    py: Python<'_>,
    pattern: &str,
    dialect: &str,
    table: Option<&str>,
    since: Option<&str>,
    until: Option<&str>,
    source: Option<&str>,
) -> PyResult<String> {
    guarded(py, || {
        let parsed = FilterPattern::parse(pattern).map_err(|e| pattern_error(py, &e))?;
        let Some(dialect) = Dialect::from_name(dialect) else {
            let names: Vec<&str> = Dialect::ALL.iter().map(|d| d.name()).collect();
            let e = format!("unknown dialect {dialect:?} (one of {})", names.join(", "));
            return Err(pattern_sql_error(py, &e, "usage"));
        };
        SqlOptions::parse(table, since, until, source)
            .and_then(|options| compile(&parsed, dialect, &options))
            .map(|query| query.sql)
            .map_err(|e: SqlError| {
                pattern_sql_error(py, &crate::errors::pythonic(&e.to_string()), e.code())
            })
    })
}

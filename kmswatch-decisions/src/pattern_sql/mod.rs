//! CloudWatch Logs filter patterns as SQL over CloudTrail archives: one
//! intermediate form ([`form`]), then one query per dialect — DuckDB and
//! Spark over each record kept whole as JSON, Athena / Trino over AWS's
//! CloudTrail table, CloudTrail Lake over an event data store. A query
//! selects exactly the records the engine ([`crate::pattern`]) matches; what
//! a dialect cannot express with the engine's semantics is a [`Refusal`]
//! naming the construct, never an approximation. Pure: no I/O.
//!
//! ```
//! use kmswatch_decisions::pattern::FilterPattern;
//! use kmswatch_decisions::pattern_sql::{compile, Dialect, SqlOptions};
//!
//! let pattern = FilterPattern::parse("{ $.eventName = DisableKey }")?;
//! let query = compile(&pattern, Dialect::Athena, &SqlOptions::default())?;
//! assert!(query.sql.contains("eventname = 'DisableKey'"));
//! let terms = FilterPattern::parse("DisableKey")?;
//! let refused = compile(&terms, Dialect::DuckDb, &SqlOptions::default()).unwrap_err();
//! assert_eq!(refused.code(), "unstructured_terms");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod cloudtrail_table;
mod columns;
mod document;
mod duckdb;
pub mod form;
mod json_record;
mod refusal;
mod regex_syntax;
mod spark;
mod window;

pub use document::{SqlQuery, PATTERN_SQL_SCHEMA};
pub use refusal::Refusal;
pub use window::{Day, Window};

use crate::pattern::FilterPattern;
use std::fmt;

/// An SQL engine and the layout of CloudTrail records it reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Dialect {
    /// Amazon Athena over the CloudTrail table of AWS's documentation.
    Athena,
    /// Trino over the same table (Hive connector, CloudTrail SerDe).
    Trino,
    /// Spark SQL 4 (`VARIANT`), reading the archive's objects or a table.
    Spark,
    /// DuckDB, reading local or `s3://` objects or a table.
    #[serde(rename = "duckdb")]
    DuckDb,
    /// A CloudTrail Lake event data store.
    #[serde(rename = "cloudtrail-lake")]
    CloudTrailLake,
}

impl Dialect {
    /// Every dialect, in the order `--dialect` lists them.
    pub const ALL: [Dialect; 5] = [
        Dialect::Athena,
        Dialect::Trino,
        Dialect::Spark,
        Dialect::DuckDb,
        Dialect::CloudTrailLake,
    ];

    /// The name `--dialect` takes.
    pub fn name(self) -> &'static str {
        match self {
            Dialect::Athena => "athena",
            Dialect::Trino => "trino",
            Dialect::Spark => "spark",
            Dialect::DuckDb => "duckdb",
            Dialect::CloudTrailLake => "cloudtrail-lake",
        }
    }

    /// The dialect of a `--dialect` name.
    pub fn from_name(name: &str) -> Option<Dialect> {
        Dialect::ALL.into_iter().find(|d| d.name() == name)
    }

    /// Whether the query can read the objects itself (`--source`).
    pub fn reads_objects(self) -> bool {
        matches!(self, Dialect::Spark | Dialect::DuckDb)
    }
}

impl fmt::Display for Dialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why no query was written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SqlError {
    /// The dialect cannot express the pattern exactly.
    #[error("{} cannot express this pattern exactly: {}", refusal_dialect(.0), .0)]
    Refused(#[from] Refusal),
    /// Not a `YYYY-MM-DD` day.
    #[error("{0:?} is not a day (YYYY-MM-DD)")]
    InvalidDay(String),
    /// `--until` before `--since`.
    #[error("--until {until} is before --since {since}")]
    EmptyWindow {
        /// `--since`.
        since: String,
        /// `--until`.
        until: String,
    },
    /// A table name with characters no dialect's identifiers take.
    #[error("{0:?} is not a table name (letters, digits, '_', '.', '-', quotes)")]
    InvalidTable(String),
    /// `--source` with a dialect that reads a table.
    #[error("--source is for duckdb and spark; {0} reads its table (--table)")]
    SourceNotRead(Dialect),
    /// An empty `--source`.
    #[error("--source is empty")]
    EmptySource,
}

fn refusal_dialect(refusal: &Refusal) -> Dialect {
    match refusal {
        Refusal::UnstructuredTerms(d)
        | Refusal::StandaloneRegex(d)
        | Refusal::SpaceDelimited(d) => *d,
        Refusal::WildcardSelector { dialect, .. }
        | Refusal::SelectorKey { dialect, .. }
        | Refusal::NoColumn { dialect, .. }
        | Refusal::ColumnTest { dialect, .. }
        | Refusal::NumericText { dialect, .. } => *dialect,
    }
}

impl SqlError {
    /// A stable code: the refused construct, or `usage`.
    pub fn code(&self) -> &'static str {
        match self {
            SqlError::Refused(r) => r.construct(),
            _ => "usage",
        }
    }
}

/// Where the records are and which days to keep.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SqlOptions {
    /// The table (or event data store) read when there is no `source`.
    pub table: Option<String>,
    /// The days kept.
    pub window: Option<Window>,
    /// A glob or URL of CloudTrail objects the query reads itself (DuckDB, Spark).
    pub source: Option<String>,
}

impl SqlOptions {
    /// Options from the command line's words, checked.
    pub fn parse(
        table: Option<&str>,
        since: Option<&str>,
        until: Option<&str>,
        source: Option<&str>,
    ) -> Result<SqlOptions, SqlError> {
        if let Some(t) = table {
            let ok = !t.is_empty()
                && t.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_.-\"`".contains(c));
            if !ok {
                return Err(SqlError::InvalidTable(t.to_owned()));
            }
        }
        if source.is_some_and(str::is_empty) {
            return Err(SqlError::EmptySource);
        }
        let since = since.map(Day::parse).transpose()?;
        let until = until.map(Day::parse).transpose()?;
        Ok(SqlOptions {
            table: table.map(str::to_owned),
            window: Window::new(since, until)?,
            source: source.map(str::to_owned),
        })
    }

    fn table_or(&self, default: &str) -> String {
        self.table.clone().unwrap_or_else(|| default.to_owned())
    }
}

/// The query selecting exactly the records `pattern` matches.
pub fn compile(
    pattern: &FilterPattern,
    dialect: Dialect,
    options: &SqlOptions,
) -> Result<SqlQuery, SqlError> {
    if options.source.is_some() && !dialect.reads_objects() {
        return Err(SqlError::SourceNotRead(dialect));
    }
    let form = form::lower(pattern, dialect)?;
    let sql = match dialect {
        Dialect::DuckDb => duckdb::query(&json_record::condition(&duckdb::RECORD, &form)?, options),
        Dialect::Spark => spark::query(&json_record::condition(&spark::RECORD, &form)?, options),
        Dialect::Athena | Dialect::Trino | Dialect::CloudTrailLake => {
            let layout = cloudtrail_table::CloudTrailTable(dialect);
            cloudtrail_table::query(dialect, &columns::condition(&layout, &form)?, options)
        }
    };
    Ok(SqlQuery::new(pattern, dialect, options, sql))
}

//! The `kmswatch.pattern-sql/v1` document: the query and what it was made from.

use super::{Dialect, SqlOptions};
use crate::pattern::FilterPattern;
use serde::Serialize;

/// The schema id of [`SqlQuery`].
pub const PATTERN_SQL_SCHEMA: &str = "kmswatch.pattern-sql/v1";

/// One query for one dialect (`kmswatch pattern sql --format json`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SqlQuery {
    /// Always [`PATTERN_SQL_SCHEMA`].
    pub schema: &'static str,
    /// The kmswatch version that wrote the document.
    pub kmswatch_version: &'static str,
    /// The pattern's canonical form.
    pub pattern: String,
    /// The dialect.
    pub dialect: Dialect,
    /// The query.
    pub sql: String,
    /// The columns every row has besides the record (`record`, for DuckDB
    /// and Spark), named as the layout names them.
    pub columns: Vec<String>,
    /// The table read, when the query reads one.
    pub table: Option<String>,
    /// The objects read, when the query reads them itself.
    pub source: Option<String>,
    /// The first day kept (`YYYY-MM-DD`).
    pub since: Option<String>,
    /// The last day kept.
    pub until: Option<String>,
}

impl SqlQuery {
    pub(crate) fn new(
        pattern: &FilterPattern,
        dialect: Dialect,
        options: &SqlOptions,
        sql: String,
    ) -> SqlQuery {
        let columns = match dialect {
            Dialect::Athena | Dialect::Trino => {
                ["eventid", "eventtime", "eventname", "recipientaccountid"].to_vec()
            }
            _ => ["eventID", "eventTime", "eventName", "recipientAccountId"].to_vec(),
        };
        let day = |f: fn(&super::Window) -> Option<&super::Day>| {
            options.window.as_ref().and_then(f).map(ToString::to_string)
        };
        let table = match (&options.source, &options.table) {
            (Some(_), _) => None,
            (None, Some(t)) => Some(t.clone()),
            (None, None) => Some(
                match dialect {
                    Dialect::Athena | Dialect::Trino => "cloudtrail_logs",
                    Dialect::CloudTrailLake => "event_data_store_id",
                    Dialect::Spark | Dialect::DuckDb => "cloudtrail_records",
                }
                .to_owned(),
            ),
        };
        SqlQuery {
            schema: PATTERN_SQL_SCHEMA,
            kmswatch_version: crate::VERSION,
            pattern: pattern.to_string(),
            dialect,
            sql,
            columns: columns.into_iter().map(str::to_owned).collect(),
            table,
            source: options.source.clone(),
            since: day(|w| w.since.as_ref()),
            until: day(|w| w.until.as_ref()),
        }
    }

    /// The document, pretty-printed.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

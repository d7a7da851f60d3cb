//! `kmswatch pattern sql`: a filter pattern as one query for an SQL engine
//! (`kmswatch_core::pattern_sql`), printed as SQL or as the
//! `kmswatch.pattern-sql/v1` document.

use crate::exit;
use crate::pattern_parse::parse_or_report;
use crate::stdout;
use clap::builder::PossibleValue;
use clap::ValueEnum;
use kmswatch_core::pattern_sql::{compile, Dialect, SqlError, SqlOptions};
use kmswatch_core::session::{ErrorClass, ErrorDocument};
use std::process::ExitCode;

/// `kmswatch pattern sql` flags.
#[derive(Debug, clap::Args)]
pub struct SqlArgs {
    /// The filter pattern (a JSON pattern: `{ $.eventName = DisableKey }`).
    pattern: String,
    /// The engine and the layout of the records it reads.
    #[arg(long, value_enum)]
    dialect: DialectArg,
    /// The table (Athena, Trino: `cloudtrail_logs`; CloudTrail Lake: the
    /// event data store id; DuckDB, Spark: a table with one `record` column
    /// per CloudTrail record, `cloudtrail_records`).
    #[arg(long, value_name = "NAME")]
    table: Option<String>,
    /// Keep the records of this day and later (UTC).
    #[arg(long, value_name = "DATE")]
    since: Option<String>,
    /// Keep the records of this day and earlier (UTC).
    #[arg(long, value_name = "DATE")]
    until: Option<String>,
    /// DuckDB, Spark: read the CloudTrail objects themselves, a glob or URL
    /// (`'AWSLogs/**/*.json.gz'`, `s3://bucket/AWSLogs/**`).
    #[arg(long, value_name = "GLOB|URL")]
    source: Option<String>,
    /// `sql` (the query) or `json` (one `kmswatch.pattern-sql/v1` object).
    #[arg(long, value_enum, default_value_t = SqlFormat::Sql)]
    format: SqlFormat,
}

/// `--dialect`: the names are the library's.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DialectArg(pub(crate) Dialect);

impl ValueEnum for DialectArg {
    fn value_variants<'a>() -> &'a [Self] {
        const ALL: [DialectArg; 5] = [
            DialectArg(Dialect::ALL[0]),
            DialectArg(Dialect::ALL[1]),
            DialectArg(Dialect::ALL[2]),
            DialectArg(Dialect::ALL[3]),
            DialectArg(Dialect::ALL[4]),
        ];
        &ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.0.name()))
    }
}

/// `--format` of `pattern sql`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum SqlFormat {
    /// The query.
    Sql,
    /// One `kmswatch.pattern-sql/v1` object.
    Json,
}

/// Prints the query; exit code 0, 2 for an invalid pattern or flag, 4 when
/// the dialect cannot express the pattern exactly.
pub fn sql(args: &SqlArgs) -> ExitCode {
    let json = args.format == SqlFormat::Json;
    let Some(pattern) = parse_or_report(&args.pattern, json) else {
        return ExitCode::from(exit::EXIT_USAGE);
    };
    let compiled = SqlOptions::parse(
        args.table.as_deref(),
        args.since.as_deref(),
        args.until.as_deref(),
        args.source.as_deref(),
    )
    .and_then(|options| compile(&pattern, args.dialect.0, &options));
    match compiled {
        Ok(query) if json => stdout::line(&query.to_json()),
        Ok(query) => stdout::line(&query.sql),
        Err(e @ SqlError::Refused(_)) => {
            eprintln!("kmswatch: {e}");
            let document = ErrorDocument::new(ErrorClass::Untranslatable, e.code(), e.to_string());
            if json {
                stdout::line(&document.to_json());
            }
            return ExitCode::from(document.exit_code);
        }
        Err(e) => return exit::usage(&e.to_string(), json),
    }
    ExitCode::SUCCESS
}

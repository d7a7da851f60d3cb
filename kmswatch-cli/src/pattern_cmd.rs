//! `kmswatch pattern test|explain|sql`: run a CloudWatch Logs filter pattern over log
//! events, explain what it catches of the KMS key lifecycle corpus, or write
//! it as SQL for the engines that query CloudTrail archives.
//!
//! Exit codes: `test` 0 if any event matched, 1 if none did, 3 if an S3
//! archive cannot be listed; `explain` 0 if the pattern catches every target
//! event, 1 if it misses one; both 2 for an invalid pattern or an unreadable
//! input.

use crate::account::account_id;
use crate::format_arg::Format;
use crate::pattern_explain::explain;
use crate::pattern_sql::{sql, SqlArgs};
use crate::pattern_test::{test, TestArgs};
use clap::Subcommand;
use kmswatch_core::controls::Control;
use std::process::ExitCode;

/// `kmswatch pattern` subcommands.
#[derive(Debug, Subcommand)]
pub enum PatternCommand {
    /// Print the log events that PATTERN matches, from JSON lines, CloudTrail
    /// archive files and gzip files, or a CloudTrail archive in S3.
    ///
    /// Exit codes: 0 if any event matched, 1 if none did, 2 if the pattern is
    /// invalid or an input cannot be read (the others are still read), 3 if
    /// an S3 archive cannot be listed.
    Test(TestArgs),
    /// Print PATTERN's canonical form and which KMS key lifecycle events (or
    /// events of the `--control` asked) it catches.
    ///
    /// Exit codes: 0 if it catches every target event (DisableKey,
    /// ScheduleKeyDeletion, or the control's), 1 if it misses one, 2 if the
    /// pattern is invalid.
    Explain {
        /// The filter pattern.
        pattern: String,
        /// Output format (json: one `kmswatch.pattern/v1` object).
        #[arg(long, value_enum, default_value_t = Format::TABLE)]
        format: Format,
        /// Judge the pattern on the events of this account (its id in
        /// `recipientAccountId`, `userIdentity`, key ARNs): a pattern scoped
        /// to one account catches only that account's events.
        #[arg(long, value_name = "ID", default_value = kmswatch_core::corpus::CORPUS_ACCOUNT, value_parser = account_id)]
        account: String,
        /// Judge the pattern on this CIS monitoring control's events: its CIS
        /// number (4.1 to 4.15, or 3.x / 5.x of other versions) or Security
        /// Hub id (CloudWatch.1 to CloudWatch.14).
        #[arg(long, value_name = "ID", default_value = kmswatch_core::controls::DEFAULT_CONTROL, value_parser = control_id)]
        control: &'static Control,
    },
    /// Print one SQL query selecting the CloudTrail records PATTERN matches,
    /// for Athena, Trino, Spark, DuckDB or CloudTrail Lake.
    ///
    /// Exit codes: 0 if the query is printed, 2 if the pattern or a flag is
    /// invalid, 4 if the dialect cannot express the pattern exactly (the
    /// construct is named).
    Sql(SqlArgs),
}

/// Runs a `kmswatch pattern` subcommand.
pub fn run(cmd: PatternCommand) -> ExitCode {
    match cmd {
        PatternCommand::Test(args) => test(&args),
        PatternCommand::Explain {
            pattern,
            format,
            account,
            control,
        } => explain(&pattern, format, &account, control),
        PatternCommand::Sql(args) => sql(&args),
    }
}

/// `--control`: one control.
fn control_id(text: &str) -> Result<&'static Control, String> {
    kmswatch_core::controls::find(text).ok_or_else(|| {
        format!(
            "unknown control {text:?}: use a CIS number (4.1 to 4.15, 3.x of v1.2.0, 5.x of v6.0.0) or a Security Hub id (CloudWatch.1 to CloudWatch.14)"
        )
    })
}

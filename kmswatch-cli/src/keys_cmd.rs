//! `kmswatch keys`, `kmswatch history` and `kmswatch respond`.

use crate::account::AccountArgs;
use crate::archive_args::HistoryArchiveArgs;
use crate::exit;
use crate::format_arg::Format;
use crate::stdout;
use crate::terminal;
use clap::{Args, Subcommand};
use kmswatch_core::keys::{
    HistoryDocument, KeysDocument, RespondOutcome, Response, DEFAULT_HISTORY_DAYS,
};
use kmswatch_core::session::{self, Failure, SystemClock};
use std::fmt::Write;
use std::process::ExitCode;
use std::time::SystemTime;

/// `--regions a,b`.
#[derive(Args, Debug)]
pub struct RegionsArg {
    /// Read these regions only (comma-separated). Default: every region of
    /// the partition; opt-in regions not enabled for the account are skipped.
    #[arg(long, value_name = "REGION,...", value_delimiter = ',')]
    pub(crate) regions: Option<Vec<String>>,
}

/// `kmswatch keys`.
#[derive(Args, Debug)]
pub struct KeysArgs {
    #[command(flatten)]
    account: AccountArgs,
    #[command(flatten)]
    regions: RegionsArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::TABLE)]
    format: Format,
}

/// `kmswatch history`.
#[derive(Args, Debug)]
pub struct HistoryArgs {
    #[command(flatten)]
    pub(crate) account: AccountArgs,
    #[command(flatten)]
    pub(crate) regions: RegionsArg,
    /// Look back this many days (1-90: CloudTrail's event history keeps 90;
    /// any number with --archive).
    #[arg(long, value_name = "N", default_value_t = DEFAULT_HISTORY_DAYS)]
    pub(crate) days: u32,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::TABLE)]
    pub(crate) format: Format,
    #[command(flatten)]
    pub(crate) archive: HistoryArchiveArgs,
}

/// `kmswatch respond ACTION KEY_ARN`.
#[derive(Subcommand, Debug)]
pub enum RespondCommand {
    /// Cancel the key's scheduled deletion (the key is then Disabled).
    CancelDeletion(RespondArgs),
    /// Enable a disabled key.
    Enable(RespondArgs),
}

/// The arguments of each response.
#[derive(Args, Debug)]
pub struct RespondArgs {
    /// The key's ARN (arn:aws:kms:REGION:ACCOUNT:key/KEY_ID).
    key_arn: String,
    /// Act; without it, only say what would be done.
    #[arg(long)]
    apply: bool,
    #[command(flatten)]
    account: AccountArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::TABLE)]
    format: Format,
}

pub fn run_keys(args: KeysArgs) -> ExitCode {
    let json = args.format == Format::JSON;
    let document = session::block_on(async {
        let account = session::connect(&args.account.options()).await?;
        let regions = session::regions(&account, args.regions.regions)?;
        session::keys_document(&account, &regions, &SystemClock, SystemTime::now()).await
    });
    match document {
        Ok(document) => {
            print(json, &document.to_json(), || keys_table(&document));
            ExitCode::from(document.inventory.status.exit_code())
        }
        Err(failure) => exit::fail(&failure, json),
    }
}

pub fn run_history(args: HistoryArgs) -> ExitCode {
    let json = args.format == Format::JSON;
    if let Some(flag) = args.archive.misplaced() {
        let why = format!("{flag} reads an archive: pass --archive (or --print-sql)");
        return exit::usage(&why, json);
    }
    if let Err(why) = kmswatch_core::keys::check_days(args.days) {
        return exit::usage(&why, json);
    }
    let document = session::block_on(async {
        let account = session::connect(&args.account.options()).await?;
        let regions = session::regions(&account, args.regions.regions)?;
        session::history_document(
            &account,
            &regions,
            args.days,
            &SystemClock,
            SystemTime::now(),
        )
        .await
    });
    match document {
        Ok(document) => {
            print(json, &document.to_json(), || history_table(&document));
            document
                .history
                .errors
                .iter()
                .for_each(exit::debug_api_detail);
            ExitCode::from(document.history.status.exit_code())
        }
        Err(failure) => exit::fail(&failure, json),
    }
}

pub fn run_respond(command: RespondCommand) -> ExitCode {
    let (action, args) = match command {
        RespondCommand::CancelDeletion(args) => (Response::CancelDeletion, args),
        RespondCommand::Enable(args) => (Response::Enable, args),
    };
    let json = args.format == Format::JSON;
    let outcome: Result<RespondOutcome, Failure> = session::block_on(async {
        let account = session::connect(&args.account.options()).await?;
        session::respond(&account, action, &args.key_arn, args.apply, &SystemClock).await
    });
    match outcome {
        Ok(outcome) => {
            print(json, &outcome.to_json(), || respond_table(&outcome));
            if outcome.refused {
                eprintln!("kmswatch: {}", outcome.message);
            }
            ExitCode::from(outcome.exit_code())
        }
        Err(failure) => exit::fail(&failure, json),
    }
}

pub(crate) fn print(json: bool, document: &str, table: impl FnOnce() -> String) {
    if json {
        stdout::line(document);
    } else {
        stdout::write(&terminal::finish(&table()));
    }
}

fn or<'a>(value: Option<&'a str>, unknown: &'a str) -> &'a str {
    value.unwrap_or(unknown)
}

fn keys_table(document: &KeysDocument) -> String {
    let inventory = &document.inventory;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}  account {}",
        terminal::status(inventory.status, inventory.status.as_str()),
        document.account_id
    );
    let _ = writeln!(out, "{}", inventory.summary);
    for key in &inventory.keys {
        let mut line = format!(
            "\n{}  {}  {}",
            key.region,
            or(key.key_state.as_deref(), "state unknown"),
            key.arn
        );
        if let (Some(date), Some(days)) = (&key.deletion_date, key.days_left) {
            let _ = write!(line, "\n  deleted on {date} ({days} day(s) left)");
        }
        if let Some(window) = key.pending_deletion_window_in_days {
            if key.deletion_date.is_none() {
                let _ = write!(
                    line,
                    "\n  deleted {window} day(s) after its last replica is deleted"
                );
            }
        }
        if let Some(kind) = &key.multi_region_key_type {
            let _ = write!(line, "\n  multi-Region {kind}");
            if let Some(primary) = key.primary_key_arn.as_ref().filter(|p| **p != key.arn) {
                let _ = write!(line, " of {primary}");
            }
            if !key.replica_key_arns.is_empty() {
                let _ = write!(line, ", replicas {}", key.replica_key_arns.join(", "));
            }
        }
        match &key.aliases {
            Some(aliases) if !aliases.is_empty() => {
                let _ = write!(line, "\n  aliases {}", aliases.join(", "));
            }
            None => line.push_str("\n  aliases unknown"),
            Some(_) => {}
        }
        out.push_str(&line);
        out.push('\n');
    }
    for skipped in &inventory.regions_skipped {
        let _ = writeln!(out, "\nskipped {}: {}", skipped.region, skipped.reason);
    }
    for error in &inventory.errors {
        let _ = writeln!(out, "? {error}");
    }
    out
}

/// The history as a table.
pub(crate) fn history_table(document: &HistoryDocument) -> String {
    let history = &document.history;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}  account {} (from {} to {})",
        terminal::status(history.status, history.status.as_str()),
        document.account_id,
        history.start_time,
        history.end_time
    );
    let _ = writeln!(out, "{}", history.summary);
    for e in &history.events {
        let failed = e
            .error_code
            .as_deref()
            .map(|c| format!("  (failed: {c})"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "\n{}  {}  {}{failed}",
            e.event_time, e.event_name, e.region
        );
        let key = e.key_arn.as_deref().or(e.key_id.as_deref());
        let _ = writeln!(out, "  key   {}", or(key, "unknown"));
        let _ = writeln!(
            out,
            "  who   {}",
            or(e.user_identity_arn.as_deref(), "unknown")
        );
        let _ = writeln!(
            out,
            "  from  {} ({})",
            or(e.source_ip_address.as_deref(), "unknown"),
            or(e.user_agent.as_deref(), "no user agent")
        );
    }
    let _ = writeln!(out, "\nnote: {}", history.note);
    for skipped in &history.regions_skipped {
        let _ = writeln!(out, "skipped {}: {}", skipped.region, skipped.reason);
    }
    for error in &history.errors {
        let _ = writeln!(out, "? {error}");
    }
    for error in &history.archive_errors {
        let _ = writeln!(out, "? cannot read {}: {}", error.name(), error.message);
    }
    out
}

fn respond_table(outcome: &RespondOutcome) -> String {
    let state = |v: &kmswatch_core::keys::KeyStateView| {
        if !v.exists {
            return "no such key".to_owned();
        }
        let mut text = or(v.key_state.as_deref(), "unknown").to_owned();
        if let Some(date) = &v.deletion_date {
            let _ = write!(text, " (deletion on {date})");
        }
        text
    };
    let mut out = String::new();
    let _ = writeln!(out, "{} {}", outcome.action, outcome.key_arn);
    let _ = writeln!(out, "  before  {}", state(&outcome.before));
    let _ = writeln!(out, "  after   {}", state(&outcome.after));
    let _ = writeln!(out, "{}", outcome.message);
    if let Some(next) = &outcome.next_step {
        let _ = writeln!(out, "next: {next}");
    }
    out
}

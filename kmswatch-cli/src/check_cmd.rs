//! `kmswatch check` and `kmswatch snapshot`.

// `Failure` is the core's one failure type (see `document_output`).
#![allow(clippy::result_large_err)]

use crate::account::{AccountArgs, LogAccountArgs};
use crate::control_arg::ControlArgs;
use crate::document_output::{self, OutputArgs};
use crate::exit::{self, EXIT_ERROR};
use crate::render;
use crate::stdout;
use crate::terminal;
use clap::Args;
use kmswatch_core::check::{self, MonitorKind};
use kmswatch_core::session::{self, CheckRun, Failure, SnapshotSource, SystemClock};
use std::path::PathBuf;
use std::process::ExitCode;

use crate::format_arg::ReportFormat;

/// `kmswatch check`.
#[derive(Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    account: AccountArgs,
    #[command(flatten)]
    links: LogAccountArgs,
    /// Check a snapshot file (from `kmswatch snapshot`) instead of the live account.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["region", "profile", "endpoint_url", "timeout", "max_concurrency", "log_account_role"])]
    snapshot: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::TABLE)]
    format: ReportFormat,
    #[command(flatten)]
    output: OutputArgs,
    #[command(flatten)]
    control: ControlArgs,
    /// Let this kind of monitoring make the account PASS when the CIS
    /// metric-filter chain does not: `eventbridge` (an EventBridge rule with a
    /// target that reaches a human in every region that holds customer managed
    /// keys). Repeatable.
    #[arg(long, value_name = "KIND", value_parser = ["eventbridge"])]
    accept: Vec<String>,
    /// Also list the customer managed keys (the report's `keys` section, as
    /// `kmswatch keys` lists them); the verdict does not change.
    #[arg(long, conflicts_with = "snapshot")]
    keys: bool,
    /// With --keys: read these regions only (comma-separated).
    #[arg(
        long,
        value_name = "REGION,...",
        value_delimiter = ',',
        requires = "keys"
    )]
    regions: Option<Vec<String>>,
}

/// `kmswatch snapshot`.
#[derive(Args, Debug)]
pub struct SnapshotArgs {
    #[command(flatten)]
    account: AccountArgs,
    #[command(flatten)]
    links: LogAccountArgs,
    /// Where to write the snapshot (`-` for standard output); a file is
    /// created readable by its owner only (0600).
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Keep subscription endpoints whole (by default `https://host/…`,
    /// `a…@example.com`: webhook URLs often carry tokens).
    #[arg(long)]
    show_endpoints: bool,
    #[command(flatten)]
    control: ControlArgs,
}

pub fn run_check(args: CheckArgs) -> ExitCode {
    let json = args.format == ReportFormat::JSON;
    if args.output.output.is_some() && args.format == ReportFormat::TABLE {
        return exit::usage(
            "--output writes a document: give --format json, ocsf, asff, sarif, junit or ndjson",
            false,
        );
    }
    let accepted: Vec<MonitorKind> = args.accept.iter().filter_map(|k| k.parse().ok()).collect();
    let run = CheckRun {
        accept: accepted.clone(),
        keys: args.keys.then(|| args.regions.clone()),
        controls: args.control.controls(),
    };
    let checked = match &args.snapshot {
        Some(path) => session::load_snapshot(&SnapshotSource::from_arg(path)).map(|f| {
            let report = session::report_on(&f, &SystemClock);
            (f, report)
        }),
        None => session::block_on(async {
            let account = session::connect(&args.account.options_with(&args.links)).await?;
            session::check_run(&account, &run).await
        }),
    };
    let (facts, report) = match checked {
        Ok(checked) => checked,
        Err(failure) => return exit::fail(&failure, json),
    };
    let report = check::judge(
        check::accept(report, &facts, &accepted),
        &facts,
        &run.controls,
    );
    let reports = std::slice::from_ref(&report);
    let printed = match (args.format, args.format.document()) {
        (ReportFormat::TABLE, _) => {
            stdout::write(&terminal::finish(&render::table(&report)));
            Ok(())
        }
        (_, None) => document_output::emit(&args.output, &(report.to_json() + "\n")),
        (_, Some(format)) => document_output::render(&args.output, format, reports)
            .and_then(|text| document_output::emit(&args.output, &text)),
    };
    if let Err(failure) = printed {
        return exit::fail(&failure, json);
    }
    match document_output::send(&args.output, &args.account.options(), reports) {
        Ok(true) => ExitCode::from(report.status.exit_code()),
        Ok(false) => ExitCode::from(EXIT_ERROR),
        Err(failure) => {
            // The report is printed already; only the exit code says the import failed.
            eprintln!(
                "kmswatch: cannot send the findings to Security Hub: {}",
                failure.message()
            );
            exit::debug_detail(&failure);
            ExitCode::from(EXIT_ERROR)
        }
    }
}

pub fn run_snapshot(args: SnapshotArgs) -> ExitCode {
    let facts = session::block_on(async {
        let account = session::connect(&args.account.options_with(&args.links)).await?;
        session::capture_for(&account, &SystemClock, &args.control.controls()).await
    });
    let mut facts = match facts {
        Ok(f) => f,
        Err(failure) => return exit::fail(&failure, false),
    };
    if !args.show_endpoints {
        facts.redact_endpoints();
    }
    if args.out.as_os_str() == "-" {
        stdout::line(&facts.to_json());
    } else if let Err(e) = facts.save(&args.out) {
        return exit::fail(&Failure::from(e), false);
    } else {
        eprintln!(
            "kmswatch: wrote {} ({} trails, {} log groups, {} topics, {} failed calls)",
            args.out.display(),
            facts.trails.len(),
            facts.log_groups.len(),
            facts.topics.len(),
            facts.errors.len()
        );
    }
    if facts.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        for e in &facts.errors {
            eprintln!("kmswatch: warning: {e}");
        }
        ExitCode::from(EXIT_ERROR)
    }
}

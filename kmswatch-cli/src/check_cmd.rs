//! `kmswatch check` and `kmswatch snapshot`.

use crate::account::{self, AccountArgs, AccountError};
use crate::render;
use clap::{Args, ValueEnum};
use kmswatch_core::check::{self, Report};
use std::path::PathBuf;
use std::process::ExitCode;

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people.
    Table,
    /// One JSON object (`kmswatch.report/v1`).
    Json,
}

/// `kmswatch check`.
#[derive(Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    account: AccountArgs,
    /// Check a snapshot file (from `kmswatch snapshot`) instead of the live account.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["region", "profile", "endpoint_url"])]
    snapshot: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

/// `kmswatch snapshot`.
#[derive(Args, Debug)]
pub struct SnapshotArgs {
    #[command(flatten)]
    account: AccountArgs,
    /// Where to write the snapshot (`-` for standard output).
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
}

/// Exit code for usage and input errors.
pub const EXIT_INPUT: u8 = 2;
/// Exit code for ERROR and MANUAL verdicts and failed AWS calls.
pub const EXIT_ERROR: u8 = 3;

pub fn run_check(args: CheckArgs) -> ExitCode {
    let report = match &args.snapshot {
        Some(path) => match account::load_snapshot(path) {
            Ok(facts) => check::report(&facts),
            Err(e) => return fail_input(&e),
        },
        None => match live_check(&args.account) {
            Ok(report) => report,
            Err(code) => return code,
        },
    };
    match args.format {
        Format::Json => println!("{}", report.to_json()),
        Format::Table => print!("{}", render::table(&report)),
    }
    ExitCode::from(report.status.exit_code())
}

fn live_check(args: &AccountArgs) -> Result<Report, ExitCode> {
    let runtime = account::runtime().map_err(|e| {
        eprintln!("kmswatch: cannot start: {e}");
        ExitCode::from(EXIT_ERROR)
    })?;
    runtime.block_on(async {
        let live = account::connect(args).await.map_err(|e| fail_input(&e))?;
        check::check(&live.services, &live.region)
            .await
            .map(|(_, report)| report)
            .map_err(|e| {
                eprintln!("kmswatch: cannot identify the account: {e}");
                ExitCode::from(EXIT_ERROR)
            })
    })
}

pub fn run_snapshot(args: SnapshotArgs) -> ExitCode {
    let runtime = match account::runtime() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("kmswatch: cannot start: {e}");
            return ExitCode::from(EXIT_ERROR);
        }
    };
    let facts = runtime.block_on(async {
        let live = account::connect(&args.account)
            .await
            .map_err(|e| fail_input(&e))?;
        check::gather(&live.services, &live.region)
            .await
            .map_err(|e| {
                eprintln!("kmswatch: cannot identify the account: {e}");
                ExitCode::from(EXIT_ERROR)
            })
    });
    let mut facts = match facts {
        Ok(f) => f,
        Err(code) => return code,
    };
    facts.captured_at = Some(render::now_rfc3339());
    if args.out.as_os_str() == "-" {
        println!("{}", facts.to_json());
    } else if let Err(e) = facts.save(&args.out) {
        eprintln!("kmswatch: {e}");
        return ExitCode::from(EXIT_INPUT);
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

fn fail_input(e: &AccountError) -> ExitCode {
    eprintln!("kmswatch: {e}");
    ExitCode::from(EXIT_INPUT)
}

//! `kmswatch check` and `kmswatch snapshot`.

use crate::account::AccountArgs;
use crate::exit::{self, EXIT_ERROR};
use crate::render;
use crate::stdout;
use crate::terminal;
use clap::{Args, ValueEnum};
use kmswatch_core::session::{self, Failure, SnapshotSource, SystemClock};
use std::path::PathBuf;
use std::process::ExitCode;

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people.
    Table,
    /// One JSON object: the command's document (`kmswatch.report/v1` from
    /// `check`, `kmswatch.plan/v1` from `remediate`), or `kmswatch.error/v1`.
    Json,
}

/// `kmswatch check`.
#[derive(Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    account: AccountArgs,
    /// Check a snapshot file (from `kmswatch snapshot`) instead of the live account.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["region", "profile", "endpoint_url", "timeout", "max_concurrency"])]
    snapshot: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
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
    /// Where to write the snapshot (`-` for standard output); a file is
    /// created readable by its owner only (0600).
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Keep subscription endpoints whole (by default `https://host/…`,
    /// `a…@example.com`: webhook URLs often carry tokens).
    #[arg(long)]
    show_endpoints: bool,
}

pub fn run_check(args: CheckArgs) -> ExitCode {
    let report = match &args.snapshot {
        Some(path) => session::load_snapshot(&SnapshotSource::from_arg(path))
            .map(|f| session::report_on(&f, &SystemClock)),
        None => session::block_on(async {
            let account = session::connect(&args.account.options()).await?;
            let mut report = session::check(&account).await?.1;
            if args.keys {
                let regions = session::regions(&account, args.regions.clone())?;
                let now = std::time::SystemTime::now();
                report.keys = Some(session::key_inventory(&account, &regions, now).await);
            }
            Ok(report)
        }),
    };
    let report = match report {
        Ok(report) => report,
        Err(failure) => return exit::fail(&failure, args.format == Format::Json),
    };
    match args.format {
        Format::Json => stdout::line(&report.to_json()),
        Format::Table => stdout::write(&terminal::finish(&render::table(&report))),
    }
    ExitCode::from(report.status.exit_code())
}

pub fn run_snapshot(args: SnapshotArgs) -> ExitCode {
    let facts = session::block_on(async {
        let account = session::connect(&args.account.options()).await?;
        session::capture(&account, &SystemClock).await
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

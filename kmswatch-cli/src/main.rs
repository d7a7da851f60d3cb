//! The `kmswatch` command line: flags in, verdict out. Every decision is made in
//! `kmswatch-core`; this crate parses arguments, wires backends and prints.

mod account;
mod check_cmd;
mod exit;
mod pattern_cmd;
mod remediate_cmd;
mod render;
mod stdout;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Is disabling or scheduling deletion of a KMS key in this AWS account monitored?
///
/// Exit codes: 0 PASS (or pattern matched), 1 FAIL (or no event matched),
/// 2 usage or input error, 3 ERROR or MANUAL.
#[derive(Parser)]
#[command(name = "kmswatch", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Verify the whole monitoring chain: trail → log group → metric filter → alarm → topic.
    Check(check_cmd::CheckArgs),
    /// Capture the facts `check` uses into a snapshot file, for offline checks.
    Snapshot(check_cmd::SnapshotArgs),
    /// Fix the chain with the fewest changes; dry run unless --apply.
    Remediate(Box<remediate_cmd::RemediateArgs>),
    /// Test and explain CloudWatch Logs filter patterns.
    Pattern {
        #[command(subcommand)]
        cmd: pattern_cmd::PatternCommand,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => check_cmd::run_check(args),
        Command::Snapshot(args) => check_cmd::run_snapshot(args),
        Command::Remediate(args) => remediate_cmd::run(*args),
        Command::Pattern { cmd } => pattern_cmd::run(cmd),
    }
}

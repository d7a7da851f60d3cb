//! The `kmswatch` command line: flags in, verdict out. Every decision is made in
//! `kmswatch-core`; this crate parses arguments, wires backends and prints.

mod account;
mod archive_args;
mod check_cmd;
mod completions;
mod control_arg;
mod document_output;
mod exit;
mod exit_codes;
mod format_arg;
mod history_archive;
mod keys_cmd;
mod man_page;
mod match_output;
mod org_scan_output;
mod org_scan_progress;
mod pattern_cmd;
mod pattern_explain;
mod pattern_parse;
mod pattern_sql;
mod pattern_test;
mod remediate_cmd;
mod render;
mod scan_cmd;
mod search_progress;
mod stdout;
mod terminal;

use clap::{CommandFactory, Parser, Subcommand};
use kmswatch_core::iam_policy::{iam_policy, PolicyKind};
use kmswatch_core::session::Failure;
use std::process::ExitCode;

/// Is disabling or scheduling deletion of a KMS key in this AWS account monitored?
///
/// Exit codes: 0 PASS (or pattern matched), 1 FAIL (or no event matched),
/// 2 usage or input error, 3 ERROR or MANUAL.
#[derive(Parser)]
#[command(name = "kmswatch", version, about, long_about = None)]
pub(crate) struct Cli {
    /// On a failure, also print its full chain of causes to standard error;
    /// with -v, log every AWS request there too.
    #[arg(long, global = true)]
    debug: bool,
    /// Log the AWS requests to standard error (-vv: with the SDK's details).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,
    /// Print only the verdict line (tables; JSON is unchanged).
    #[arg(short, long, global = true)]
    quiet: bool,
    /// Colour the tables: auto (a terminal, unless NO_COLOR is set), always, never.
    #[arg(long, global = true, value_enum, default_value_t = terminal::ColorChoice::Auto, value_name = "WHEN")]
    color: terminal::ColorChoice,
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
    /// List every customer managed key, with those disabled or pending deletion.
    Keys(keys_cmd::KeysArgs),
    /// Who disabled or scheduled the deletion of a key, in the last 90 days.
    History(keys_cmd::HistoryArgs),
    /// Undo a key's disabling or scheduled deletion; dry run unless --apply.
    Respond {
        #[command(subcommand)]
        cmd: keys_cmd::RespondCommand,
    },
    /// Check every account of an organization (or a list), each by assuming a role in it.
    Scan(Box<scan_cmd::ScanArgs>),
    /// Test and explain CloudWatch Logs filter patterns.
    Pattern {
        #[command(subcommand)]
        cmd: pattern_cmd::PatternCommand,
    },
    /// Print the least-privilege IAM policy a command needs (policies/*.json).
    IamPolicy {
        /// `check` (also `snapshot`, a dry-run `remediate`, `keys` and
        /// `history`), `remediate` (`--apply`), `respond` (`--apply`) or
        /// `security-hub` (`--send-to-security-hub`, beside `check`).
        #[arg(value_enum)]
        policy: Policy,
    },
    /// Print the shell completion script for SHELL.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: completions::CompletionShell,
    },
    /// Print the manual page (roff), of kmswatch or of one of its commands.
    ///
    /// `kmswatch man | man -l -` reads it; `kmswatch man pattern test` gives
    /// kmswatch-pattern-test(1).
    Man {
        /// The command, e.g. `check` or `pattern test`.
        command: Vec<String>,
    },
}

/// The policies `kmswatch iam-policy` prints.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Policy {
    /// Reads of `check`, `snapshot` and a dry-run `remediate`.
    Check,
    /// Those reads plus the writes of `remediate --apply`.
    Remediate,
    /// `securityhub:BatchImportFindings`, for `check --send-to-security-hub`
    /// (attach beside `check`).
    SecurityHub,
    /// What `respond --apply` needs: DescribeKey, CancelKeyDeletion, EnableKey.
    Respond,
    /// What the principal running `scan` needs: ListAccounts, AssumeRole, and
    /// the check's reads for its own account (the roles it assumes need `check`).
    Scan,
}

fn main() -> ExitCode {
    let cli = match parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(&e),
    };
    exit::set_debug(cli.debug);
    terminal::init(cli.color, cli.quiet);
    log_requests(cli.verbose, cli.debug);
    let json = wants_json(std::env::args_os().skip(1));
    if !cli.debug {
        // The caught panic is reported below, in one sentence; --debug keeps
        // Rust's own report with its location.
        std::panic::set_hook(Box::new(|_| {}));
    }
    match std::panic::catch_unwind(|| run(cli.command)) {
        Ok(code) => code,
        Err(payload) => exit::fail(&Failure::from_panic(payload), json),
    }
}

/// `-v`: one line per AWS request on standard error (service, operation,
/// region, status, milliseconds, retries); `-vv` or `--debug -v`: the AWS
/// SDK's own log besides, with times and levels.
fn log_requests(verbose: u8, debug: bool) {
    #[cfg(feature = "aws")]
    let requests = format!("{}=info", kmswatch_core::aws::REQUEST_LOG_TARGET);
    // Without the AWS backend no request is made, so none is logged.
    #[cfg(not(feature = "aws"))]
    let requests = String::from("off");
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let _ = match (verbose, debug) {
        (0, _) => return,
        // The request lines only: the SDK's own warnings are its detail.
        (1, false) => tracing_subscriber::fmt()
            .with_writer(std::io::stderr)
            .with_env_filter(tracing_subscriber::EnvFilter::new(&requests))
            .with_target(false)
            .with_level(false)
            .without_time()
            .with_ansi(ansi)
            .try_init(),
        _ => tracing_subscriber::fmt()
            .with_writer(std::io::stderr)
            .with_env_filter(tracing_subscriber::EnvFilter::new(format!(
                "warn,{requests},aws_smithy_runtime=debug,aws_smithy_runtime_api=debug,aws_config=debug,aws_sdk_sts=debug"
            )))
            .with_target(false)
            .with_ansi(ansi)
            .try_init(),
    };
}

/// The command line, with each command's `--help` ending in its exit codes.
fn parse() -> Result<Cli, clap::Error> {
    use clap::{CommandFactory, FromArgMatches};
    let mut command = Cli::command();
    for (name, table) in exit_codes::ALL {
        let help = exit_codes::help(table);
        command = match name.split_once(' ') {
            None => command.mut_subcommand(*name, |c| c.after_help(help)),
            Some((group, sub)) => {
                command.mut_subcommand(group, |c| c.mut_subcommand(sub, |c| c.after_help(help)))
            }
        };
    }
    Cli::from_arg_matches(&command.try_get_matches()?)
}

fn run(command: Command) -> ExitCode {
    // Debug builds only: the end-to-end tests prove that a panic ends in one
    // sentence (and one JSON document), never in Rust's own report.
    #[cfg(debug_assertions)]
    if std::env::var_os("KMSWATCH_PANIC_FOR_TEST").is_some() {
        panic!("deliberate panic for the boundary test");
    }
    match command {
        Command::Check(args) => check_cmd::run_check(args),
        Command::Snapshot(args) => check_cmd::run_snapshot(args),
        Command::Remediate(args) => remediate_cmd::run(*args),
        Command::Keys(args) => keys_cmd::run_keys(args),
        // An archive, or its query, instead of the event history.
        Command::History(args) if args.archive.asked() => history_archive::run(&args),
        Command::History(args) => keys_cmd::run_history(args),
        Command::Respond { cmd } => keys_cmd::run_respond(cmd),
        Command::Scan(args) => scan_cmd::run(*args),
        Command::Pattern { cmd } => pattern_cmd::run(cmd),
        Command::IamPolicy { policy } => {
            let kind = match policy {
                Policy::Check => PolicyKind::Check,
                Policy::Remediate => PolicyKind::Remediate,
                Policy::SecurityHub => PolicyKind::SecurityHub,
                Policy::Respond => PolicyKind::Respond,
                Policy::Scan => PolicyKind::Scan,
            };
            stdout::write(&iam_policy(kind));
            ExitCode::SUCCESS
        }
        Command::Completions { shell } => completions::print(shell, Cli::command()),
        Command::Man { command } => man_page::print(Cli::command(), &command),
    }
}

/// A command line clap rejects: clap's own output (help, version, errors with
/// their usage line), except that with `--format json` the error is also one
/// `kmswatch.error/v1` document on standard output.
fn usage_error(error: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    let shows_text = matches!(
        error.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    );
    if shows_text || !wants_json(std::env::args_os().skip(1)) {
        error.exit();
    }
    let _ = error.print();
    exit::usage_document(&usage_message(&error.render().to_string()))
}

/// clap's error as one sentence: its first paragraph (the usage line and the
/// hint to try --help follow), its lines joined — a list of missing
/// arguments or of possible values goes on below the first line.
fn usage_message(rendered: &str) -> String {
    rendered
        .split("\n\n")
        .next()
        .unwrap_or_default()
        .trim_start_matches("error: ")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether the arguments ask for JSON output (`--format json` or `--format=json`).
fn wants_json(args: impl Iterator<Item = std::ffi::OsString>) -> bool {
    let args: Vec<_> = args.collect();
    args.iter().enumerate().any(|(i, a)| {
        a == "--format=json" || (a == "--format" && args.get(i + 1).is_some_and(|v| v == "json"))
    })
}

#[cfg(test)]
mod tests {
    use super::{wants_json, Cli};
    use crate::completions::{script, CompletionShell};
    use clap::CommandFactory;

    #[test]
    fn completions_name_every_command_and_flag() {
        let bash = script(CompletionShell::Bash, Cli::command());
        for word in [
            "check",
            "remediate",
            "pattern",
            "--recursive",
            "--threads",
            "completions",
        ] {
            assert!(bash.contains(word), "{word}");
        }
        for shell in [
            CompletionShell::Zsh,
            CompletionShell::Fish,
            CompletionShell::Powershell,
        ] {
            assert!(
                script(shell, Cli::command()).contains("recursive"),
                "{shell:?}"
            );
        }
    }

    #[test]
    fn man_pages_are_roff_for_kmswatch_and_its_commands() {
        let page = crate::man_page::page(Cli::command(), &[]).unwrap_or_default();
        assert!(page.contains("\n.TH kmswatch 1 "), "{page}");
        assert!(page.contains("completions"));
        let test = crate::man_page::page(Cli::command(), &["pattern".into(), "test".into()])
            .unwrap_or_default();
        assert!(test.contains("\n.TH kmswatch-pattern-test 1 "), "{test}");
        assert!(test.contains("recursive"));
        let unknown = crate::man_page::page(Cli::command(), &["nope".into()]);
        assert!(unknown.is_err_and(|m| m.contains("no command \"nope\"")));
    }

    fn args(list: &[&str]) -> impl Iterator<Item = std::ffi::OsString> {
        list.iter()
            .map(std::ffi::OsString::from)
            .collect::<Vec<_>>()
            .into_iter()
    }

    #[test]
    fn usage_errors_are_one_sentence_with_what_clap_lists() {
        let missing = Cli::command()
            .try_get_matches_from(["kmswatch", "pattern", "explain", "--format", "json"])
            .err()
            .map(|e| super::usage_message(&e.render().to_string()))
            .unwrap_or_default();
        assert!(
            missing.starts_with("the following required arguments were not provided: ")
                && missing.contains("<PATTERN>"),
            "{missing}"
        );
        assert!(!missing.contains("Usage:"), "{missing}");
    }

    #[test]
    fn json_is_asked_for_in_either_spelling() {
        assert!(wants_json(args(&["check", "--format", "json"])));
        assert!(wants_json(args(&["check", "--format=json", "--bogus"])));
        assert!(!wants_json(args(&["check", "--format", "table"])));
        assert!(!wants_json(args(&["check", "--format"])));
    }
}

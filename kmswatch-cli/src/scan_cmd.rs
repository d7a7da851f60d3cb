//! `kmswatch scan`: the check in every account of an organization or a list.

use crate::account::parse_timeout;
use crate::exit;
use crate::org_scan_output as output;
use crate::org_scan_progress::Progress;
use crate::stdout;
use crate::terminal;
use clap::{ArgGroup, Args, ValueEnum};
use kmswatch_core::check::Report;
use kmswatch_core::scan::{
    self, AccountSource, AssumeRoleSettings, OrganizationApi, RoleChoice, ScanDocument,
    ScanOptions, DEFAULT_ROLE_NAME, DEFAULT_SESSION_NAME,
};
use kmswatch_core::session::{self, AccountOptions, Clock, Failure, SystemClock};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

/// Output format of `kmswatch scan`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScanFormat {
    /// For people: one line per account and a summary.
    Table,
    /// One `kmswatch.scan/v1` document: every report and the summary.
    Json,
    /// One `kmswatch.report/v1` per line, as each account finishes.
    Ndjson,
}

/// `kmswatch scan`.
#[derive(Args, Debug)]
#[command(group(ArgGroup::new("source").required(true).args(["accounts", "accounts_file", "organization"])))]
pub struct ScanArgs {
    /// Scan these accounts (comma-separated ids).
    #[arg(long, value_name = "IDS")]
    accounts: Option<String>,
    /// Scan the accounts in FILE: one id per line, `#` starts a comment.
    #[arg(long, value_name = "FILE")]
    accounts_file: Option<PathBuf>,
    /// Scan every ACTIVE account of the organization (Organizations
    /// ListAccounts, from the management or a delegated administrator account).
    #[arg(long)]
    organization: bool,
    /// Leave these accounts out (comma-separated ids).
    #[arg(long, value_name = "IDS")]
    exclude_accounts: Option<String>,
    /// The role assumed in each account. Default: OrganizationAccountAccessRole.
    #[arg(long, value_name = "NAME", conflicts_with = "role_arn_template")]
    role_name: Option<String>,
    /// The role ARN, `{account}` replaced by each account id (and `{partition}`
    /// by the caller's), e.g. 'arn:aws:iam::{account}:role/Audit'.
    #[arg(long, value_name = "ARN")]
    role_arn_template: Option<String>,
    /// The external ID the roles' trust policies require.
    #[arg(long, value_name = "ID")]
    external_id: Option<String>,
    /// The session name of the assumed roles (CloudTrail records it). Default: kmswatch-scan.
    #[arg(long, value_name = "NAME")]
    role_session_name: Option<String>,
    /// How long the assumed roles' credentials last (900–43200). Default: 3600.
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(900..=43_200))]
    duration: Option<u64>,
    /// Assume the role in the caller's own account too (by default it is
    /// checked with the caller's own credentials).
    #[arg(long)]
    role_in_own_account: bool,
    /// Region every account is checked in. Default: AWS_REGION, then the profile's region.
    #[arg(long, value_name = "REGION")]
    region: Option<String>,
    /// Shared-config profile of the caller. Default: AWS_PROFILE, then `default`.
    #[arg(long, value_name = "PROFILE")]
    profile: Option<String>,
    /// Send AWS requests to this endpoint (e.g. a local emulator). Default: AWS_ENDPOINT_URL.
    #[arg(long, value_name = "URL")]
    endpoint_url: Option<String>,
    /// Each account's deadline, from assuming its role to its report: calls
    /// still running then fail and that account ends as ERROR; the scan goes
    /// on. Default: none (each request still has its own timeouts).
    #[arg(long, value_name = "SECONDS", value_parser = parse_timeout)]
    timeout: Option<Duration>,
    /// At most N accounts checked at once (each check keeps its own bound of
    /// 16 AWS requests in flight). Default: 16.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    max_concurrency: Option<u16>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ScanFormat::Table)]
    format: ScanFormat,
}

impl ScanArgs {
    fn source(&self) -> Result<AccountSource, String> {
        if let Some(list) = &self.accounts {
            let ids = scan::parse_account_list(list, "--accounts").map_err(|e| e.to_string())?;
            return Ok(AccountSource::Listed(ids));
        }
        if let Some(path) = &self.accounts_file {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read --accounts-file {}: {e}", path.display()))?;
            let ids = scan::parse_accounts_file(&text, &path.display().to_string())
                .map_err(|e| e.to_string())?;
            return Ok(AccountSource::Listed(ids));
        }
        Ok(AccountSource::Organization)
    }

    fn role(&self) -> Result<RoleChoice, String> {
        let role = match (&self.role_arn_template, &self.role_name) {
            (Some(template), _) => RoleChoice::Template(template.clone()),
            (None, name) => {
                RoleChoice::Name(name.clone().unwrap_or_else(|| DEFAULT_ROLE_NAME.to_owned()))
            }
        };
        role.validate().map_err(|e| e.to_string())?;
        Ok(role)
    }

    fn settings(&self) -> AssumeRoleSettings {
        AssumeRoleSettings {
            external_id: self.external_id.clone(),
            session_name: self
                .role_session_name
                .clone()
                .unwrap_or_else(|| DEFAULT_SESSION_NAME.to_owned()),
            duration: self.duration.map(Duration::from_secs),
        }
    }

    fn account_options(&self) -> AccountOptions {
        AccountOptions {
            region: self.region.clone(),
            profile: self.profile.clone(),
            endpoint_url: self.endpoint_url.clone(),
            timeout: None,
            max_concurrency: None,
        }
    }
}

/// What the scan checked by the time it ended.
struct Outcome {
    document: ScanDocument,
}

pub fn run(args: ScanArgs) -> ExitCode {
    let json = args.format == ScanFormat::Json;
    let (source, role, exclude) = match (args.source(), args.role(), exclusions(&args)) {
        (Ok(source), Ok(role), Ok(exclude)) => (source, role, exclude),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => return exit::usage(&e, json),
    };
    let outcome = session::block_on(async {
        let org = scan::connect(&args.account_options(), args.settings()).await?;
        let options = ScanOptions {
            role,
            role_in_own_account: args.role_in_own_account,
            max_concurrency: args
                .max_concurrency
                .map_or(scan::DEFAULT_MAX_ACCOUNTS, usize::from),
            account_timeout: args.timeout,
            ..ScanOptions::new(org.region())
        };
        scan_all(&org, &source, &exclude, &options, args.format).await
    });
    let mut document = match outcome {
        Ok(outcome) => outcome.document,
        Err(failure) => return exit::fail(&failure, json),
    };
    document.generated_at = Some(SystemClock.now_rfc3339());
    document.accounts.sort_by(|a, b| a.account_id.cmp(&b.account_id));
    if document.interrupted {
        eprintln!(
            "kmswatch: interrupted: {} account(s) finished, the others were not checked",
            document.summary.total
        );
    }
    match args.format {
        ScanFormat::Json => stdout::line(&document.to_json()),
        ScanFormat::Table => {
            stdout::write(&terminal::finish(&output::table(&document, terminal::get().quiet)))
        }
        ScanFormat::Ndjson => {}
    }
    ExitCode::from(document.status.exit_code())
}

fn exclusions(args: &ScanArgs) -> Result<Vec<String>, String> {
    match &args.exclude_accounts {
        Some(list) => scan::parse_account_list(list, "--exclude-accounts").map_err(|e| e.to_string()),
        None => Ok(Vec::new()),
    }
}

/// Lists the accounts, then checks them until the last one or Ctrl-C.
async fn scan_all(
    org: &dyn OrganizationApi,
    source: &AccountSource,
    exclude: &[String],
    options: &ScanOptions,
    format: ScanFormat,
) -> Result<Outcome, Failure> {
    let started_at = SystemClock.now_rfc3339();
    let (caller, selection) = scan::prepare(org, source, exclude).await?;
    let mut document = ScanDocument::new(options.region.clone()).skipping(selection.skipped);
    document.caller_account_id = Some(caller.account_id.clone());
    document.started_at = Some(started_at);
    let progress = Progress::new(selection.accounts.len(), terminal::get().quiet);
    let on_report = |report: Report| {
        if format == ScanFormat::Ndjson {
            progress.suspend(|| stdout::line(&output::ndjson_line(&report)));
        }
        document.push(report);
        progress.advance(&document.summary);
    };
    let interrupted = tokio::select! {
        () = scan::run(org, &caller, &selection.accounts, options, on_report) => false,
        _ = tokio::signal::ctrl_c() => true,
    };
    progress.clear();
    if interrupted {
        document.interrupt();
    }
    Ok(Outcome { document })
}

//! `kmswatch scan`: the check in every account of an organization or a list.

// `Failure` is the core's one failure type, passed as it is to `exit::fail`.
#![allow(clippy::result_large_err)]

use crate::account::parse_timeout;
use crate::control_arg::ControlArgs;
use crate::document_output::{self, OutputArgs};
use crate::exit::{self, EXIT_ERROR};
use crate::org_scan_output as output;
use crate::org_scan_progress::Progress;
use crate::stdout;
use crate::terminal;
use clap::{ArgGroup, Args};
use kmswatch_core::scan::{self, ScanFlags};
use kmswatch_core::session::{self, AccountOptions};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use crate::format_arg::ReportFormat;

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
    #[arg(long, value_enum, default_value_t = ReportFormat::TABLE)]
    format: ReportFormat,
    #[command(flatten)]
    output: OutputArgs,
    #[command(flatten)]
    control: ControlArgs,
}

impl ScanArgs {
    fn flags(&self) -> ScanFlags {
        ScanFlags {
            accounts: self.accounts.clone(),
            accounts_file: self.accounts_file.clone(),
            organization: self.organization,
            exclude_accounts: self.exclude_accounts.clone(),
            role_name: self.role_name.clone(),
            role_arn_template: self.role_arn_template.clone(),
            external_id: self.external_id.clone(),
            role_session_name: self.role_session_name.clone(),
            duration: self.duration,
            role_in_own_account: self.role_in_own_account,
            max_concurrency: self.max_concurrency.map(usize::from),
            timeout: self.timeout,
            controls: self.control.control_ids(),
        }
    }

    fn account_options(&self) -> AccountOptions {
        AccountOptions {
            region: self.region.clone(),
            profile: self.profile.clone(),
            endpoint_url: self.endpoint_url.clone(),
            timeout: None,
            max_concurrency: None,
            log_account_role: None,
        }
    }
}

pub fn run(args: ScanArgs) -> ExitCode {
    let json = args.format == ReportFormat::JSON;
    if args.output.output.is_some() && args.format == ReportFormat::TABLE {
        return exit::usage(
            "--output writes a document: give --format json, ndjson, ocsf, asff, sarif or junit",
            json,
        );
    }
    // NDJSON streams to standard output; into a file it is written at the end.
    let streaming = args.format == ReportFormat::NDJSON && args.output.output.is_none();
    let flags = args.flags();
    let document = session::block_on(async {
        let (source, exclude) = (flags.source()?, flags.exclude()?);
        let org = scan::connect(&args.account_options(), flags.settings()?).await?;
        let mut options = flags.options(org.region())?;
        options.send_to_security_hub = args.output.send_to_security_hub;
        let progress = std::cell::OnceCell::new();
        let stop = async {
            // Without a handler for the signal, Ctrl-C ends the process as before.
            if tokio::signal::ctrl_c().await.is_err() {
                std::future::pending::<()>().await;
            }
        };
        let document = scan::execute(
            &org,
            &source,
            &exclude,
            &options,
            stop,
            |total| {
                let _ = progress.set(Progress::new(total, terminal::get().quiet));
            },
            |report, summary| {
                let progress = progress.get();
                if streaming {
                    let line = output::ndjson_line(report);
                    match progress {
                        Some(bar) => bar.suspend(|| stdout::line(&line)),
                        None => stdout::line(&line),
                    }
                }
                if let Some(bar) = progress {
                    bar.advance(summary);
                }
            },
        )
        .await;
        if let Some(bar) = progress.get() {
            bar.clear();
        }
        document
    });
    let document = match document {
        Ok(document) => document,
        Err(failure) => return exit::fail(&failure, json),
    };
    if document.interrupted {
        eprintln!(
            "kmswatch: interrupted: {} account(s) finished, the others were not checked",
            document.summary.total
        );
    }
    let printed = match (args.format, args.format.document()) {
        (ReportFormat::TABLE, _) => {
            stdout::write(&terminal::finish(&output::table(
                &document,
                terminal::get().quiet,
            )));
            Ok(())
        }
        (ReportFormat::NDJSON, _) if streaming => Ok(()),
        (_, None) => document_output::emit(&args.output, &(document.to_json() + "\n")),
        (_, Some(format)) => document_output::render(&args.output, format, &document.accounts)
            .and_then(|text| document_output::emit(&args.output, &text)),
    };
    if let Err(failure) = printed {
        return exit::fail(&failure, json);
    }
    let imported = match &document.security_hub {
        Some(summary) => {
            document_output::say(summary);
            summary.all_imported()
        }
        None => true,
    };
    if imported {
        ExitCode::from(document.status.exit_code())
    } else {
        ExitCode::from(EXIT_ERROR)
    }
}

//! Checking the selected accounts, a bounded number at once, each within its
//! own deadline; every account ends as a report, whatever happened to it.

use super::accounts::{select, AccountSource, Selection};
use super::document::{not_entered, ScanDocument};
use crate::api::RoleChoice;
use crate::api::{Caller, OrganizationApi};
use crate::check::{LinkedChains, Report};
use crate::output::{asff, Context};
use crate::security_hub::{self, ImportSummary};
use crate::session::{Clock, Failure, SystemClock};
use futures::StreamExt;
use std::time::{Duration, Instant};

/// How many accounts a scan checks at once unless told otherwise.
pub const DEFAULT_MAX_ACCOUNTS: usize = 16;

/// How each account is checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanOptions {
    /// The region every account is checked in.
    pub region: String,
    /// The role assumed in each account.
    pub role: RoleChoice,
    /// Assume the role in the caller's own account too, instead of checking
    /// it with the caller's credentials.
    pub role_in_own_account: bool,
    /// At most this many accounts at once (each check keeps its own bound on
    /// the requests in flight, [`crate::check::DEFAULT_MAX_IN_FLIGHT`]).
    pub max_concurrency: usize,
    /// Each account's deadline, from entering it to its report: calls still
    /// running then fail, and the account ends as ERROR naming them.
    pub account_timeout: Option<Duration>,
    /// Import each entered account's ASFF finding into its own Security Hub,
    /// with its own credentials, in the scan's region.
    pub send_to_security_hub: bool,
    /// The CIS monitoring controls judged in each account (CIS numbers, see
    /// [`crate::controls::parse_selection`]); none is the KMS control.
    pub controls: Vec<String>,
}

/// One account's outcome: its report, and what its Security Hub took of its
/// finding when [`ScanOptions::send_to_security_hub`] asked for it (`None`:
/// not asked, or the account was not entered).
#[derive(Debug, Clone)]
pub struct Scanned {
    /// The report.
    pub report: Report,
    /// The import into the account's Security Hub.
    pub security_hub: Option<ImportSummary>,
}

impl ScanOptions {
    /// Options for `region` with the defaults.
    pub fn new(region: impl Into<String>) -> Self {
        ScanOptions {
            region: region.into(),
            role: RoleChoice::default(),
            role_in_own_account: false,
            max_concurrency: DEFAULT_MAX_ACCOUNTS,
            account_timeout: None,
            send_to_security_hub: false,
            controls: Vec::new(),
        }
    }
}

/// Who is scanning, and which accounts: the caller's identity, then the
/// organization's accounts when `source` is [`AccountSource::Organization`],
/// less `exclude`.
pub async fn prepare(
    org: &dyn OrganizationApi,
    source: &AccountSource,
    exclude: &[String],
) -> Result<(Caller, Selection), Failure> {
    let caller = org.caller().await.map_err(Failure::Identify)?;
    let selection = match source {
        AccountSource::Listed(ids) => select(Some(ids), &[], exclude),
        AccountSource::Organization => {
            let members = org.list_accounts().await.map_err(Failure::Organization)?;
            select(None, &members, exclude)
        }
    };
    let selection = selection.map_err(|e| Failure::Usage(e.to_string()))?;
    Ok((caller, selection))
}

/// Checks each of `accounts`, at most `options.max_concurrency` at once,
/// handing each report to `on_report` as soon as it is made (in the order
/// they finish). Dropping the future stops the scan: accounts still running
/// make no report.
pub async fn run(
    org: &dyn OrganizationApi,
    caller: &Caller,
    accounts: &[String],
    options: &ScanOptions,
    mut on_report: impl FnMut(Scanned),
) {
    let linked = linked_chains(org, caller, accounts, options);
    let linked = &linked;
    let mut reports = futures::stream::iter(accounts)
        .map(|id| check_account_linked(org, caller, id, options, Some(linked)))
        .buffer_unordered(options.max_concurrency.max(1));
    while let Some(report) = reports.next().await {
        on_report(report);
    }
}

/// A whole scan: who is scanning and which accounts ([`prepare`]), then
/// each account ([`run`]) until the last or until `stop` resolves (Ctrl-C),
/// the document then marked interrupted. `started` learns how many accounts
/// will be checked; `on_report` sees each report as it is added, with the
/// counts so far.
pub async fn execute(
    org: &dyn OrganizationApi,
    source: &AccountSource,
    exclude: &[String],
    options: &ScanOptions,
    stop: impl std::future::Future<Output = ()>,
    started: impl FnOnce(usize),
    mut on_report: impl FnMut(&Report, &super::ScanSummary),
) -> Result<ScanDocument, Failure> {
    let started_at = SystemClock.now_rfc3339();
    let (caller, selection) = prepare(org, source, exclude).await?;
    let mut document = ScanDocument::new(options.region.clone()).skipping(selection.skipped);
    document.caller_account_id = Some(caller.account_id.clone());
    document.started_at = Some(started_at);
    started(selection.accounts.len());
    let each = |scanned: Scanned| {
        if let Some(import) = scanned.security_hub {
            document.add_import(import);
        }
        document.push(scanned.report);
        if let Some(report) = document.accounts.last() {
            on_report(report, &document.summary);
        }
    };
    let interrupted = tokio::select! {
        () = run(org, &caller, &selection.accounts, options, each) => false,
        () = stop => true,
    };
    if interrupted {
        document.interrupt();
    }
    document.generated_at = Some(SystemClock.now_rfc3339());
    document
        .accounts
        .sort_by(|a, b| a.account_id.cmp(&b.account_id));
    Ok(document)
}

/// Where a scan reads the links its accounts' trails lead to in other
/// accounts (an organization trail's log group): entered as every account
/// is, each read once for all `accounts`.
pub fn linked_chains<'a>(
    org: &'a dyn OrganizationApi,
    caller: &'a Caller,
    accounts: &[String],
    options: &'a ScanOptions,
) -> LinkedChains<'a> {
    let role_for = move |id: &str| {
        let own = id == caller.account_id && !options.role_in_own_account;
        (!own).then(|| options.role.role_arn(&caller.partition, id))
    };
    let controls = options
        .controls
        .iter()
        .filter_map(|id| crate::controls::find(id))
        .collect();
    LinkedChains::new(org, Box::new(role_for), accounts.to_vec())
        .with_controls(controls)
        .with_deadline(options.account_timeout)
}

/// One account's report: checked, or ERROR saying why it could not be; its
/// finding then imported into its Security Hub when the options ask for it.
pub async fn check_account(
    org: &dyn OrganizationApi,
    caller: &Caller,
    account_id: &str,
    options: &ScanOptions,
) -> Scanned {
    check_account_linked(org, caller, account_id, options, None).await
}

/// [`check_account`], reading the links its trails lead to in other
/// accounts through `linked`.
pub async fn check_account_linked(
    org: &dyn OrganizationApi,
    caller: &Caller,
    account_id: &str,
    options: &ScanOptions,
    linked: Option<&LinkedChains<'_>>,
) -> Scanned {
    let started = Instant::now();
    let region = options.region.as_str();
    let own = account_id == caller.account_id && !options.role_in_own_account;
    let role_arn = (!own).then(|| options.role.role_arn(&caller.partition, account_id));
    let entering = org.enter(account_id, role_arn.as_deref());
    let entered = match options.account_timeout {
        Some(budget) => match tokio::time::timeout(budget, entering).await {
            Ok(entered) => entered,
            Err(_) => {
                let reason = format!(
                    "no credentials within the {}s deadline",
                    budget.as_secs_f64()
                );
                return unsent(not_entered(account_id, region, &reason));
            }
        },
        None => entering.await,
    };
    let entered = match entered {
        Ok(entered) => entered,
        Err(e) => return unsent(not_entered(account_id, region, &e.to_string())),
    };
    let mut services = entered.services;
    if let Some(budget) = options.account_timeout {
        // Entering used part of the budget; the check gets what is left.
        let left = budget
            .saturating_sub(started.elapsed())
            .max(Duration::from_millis(1));
        services = services.layer(crate::layer::Deadline::after(left));
    }
    let report =
        match crate::check::controls::check(&services, region, &options.controls, linked).await {
            Ok((_, report)) if report.account_id == account_id => report,
            Ok((_, report)) => {
                let reason = format!(
                    "the credentials for it belong to account {}{}",
                    report.account_id,
                    role_arn.map(|r| format!(" (role {r})")).unwrap_or_default()
                );
                not_entered(account_id, region, &reason)
            }
            Err(e) => not_entered(account_id, region, &e.to_string()),
        };
    let report = stamped(report);
    // Only the account's own credentials may import its finding: an account
    // whose credentials turned out to be another's is not entered, and not sent.
    let security_hub = if options.send_to_security_hub && !is_not_entered(&report) {
        let ctx = Context::at(SystemClock.now_rfc3339());
        let findings = asff::findings(std::slice::from_ref(&report), &ctx);
        Some(security_hub::import(entered.findings.as_ref(), &findings).await)
    } else {
        None
    };
    Scanned {
        report,
        security_hub,
    }
}

fn is_not_entered(report: &Report) -> bool {
    report
        .gaps
        .iter()
        .any(|g| g.code == crate::check::GapCode::AccountNotEntered)
}

fn unsent(report: Report) -> Scanned {
    Scanned {
        report: stamped(report),
        security_hub: None,
    }
}

fn stamped(report: Report) -> Report {
    report.generated_at(SystemClock.now_rfc3339())
}

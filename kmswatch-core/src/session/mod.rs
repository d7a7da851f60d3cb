//! What the faces of kmswatch (the `kmswatch` command, the Python package)
//! share around the core: connecting to an account, remediation options from
//! flags or keywords, loading and capturing snapshots, running async work,
//! and one classification of failures that each face maps once, to exit codes
//! or to exception classes.
//!
//! ```no_run
//! use kmswatch_core::session::{self, AccountOptions, SystemClock};
//!
//! let options = AccountOptions { region: Some("eu-west-1".into()), ..Default::default() };
//! let facts = session::block_on(async {
//!     let account = session::connect(&options).await?;
//!     session::capture(&account, &SystemClock).await
//! });
//! match facts {
//!     Ok(facts) => println!("{}", facts.to_json()),
//!     Err(failure) => eprintln!("kmswatch: {failure} ({:?})", failure.class()),
//! }
//! ```

mod archive;
mod check_run;
mod clock;
mod connect;
mod document;
mod failure;
mod kms;
mod remediate_held;
mod security_hub;
mod snapshot;
mod stopped;

pub use archive::{archive_history_document, history_query, with_s3_archive};
pub use check_run::{check_run, CheckRun};
pub use clock::{Clock, FixedClock, SystemClock};
pub use connect::{
    connect, log_account_role, timeout_from_seconds, Account, AccountOptions, LogAccounts,
    MAX_TIMEOUT_SECONDS,
};
pub use document::{ErrorDetail, ErrorDocument, ERROR_SCHEMA};
pub use failure::{ErrorClass, Failure};
pub use kms::{history_document, key_inventory, keys_document, regions, respond};
pub use security_hub::send_to_security_hub;
pub use snapshot::{capture, capture_for, load_snapshot, SnapshotSource};
pub use stopped::Stopped;
// Remediation options from flags, shared with the C ABI (which has no session).
pub use crate::remediate::{parse_tags, RemediationFlags};

use crate::check::{self, Facts, Report};
use crate::remediate::{self, Applied, Plan, RemediateError, RemediateOptions, Remediation};
use std::future::Future;

/// Runs `work` to completion on a new single-threaded runtime: the work is
/// I/O-bound and concurrent, not parallel.
pub fn block_on<T>(work: impl Future<Output = Result<T, Failure>>) -> Result<T, Failure> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(Failure::Runtime)?
        .block_on(work)
}

/// Gathers the account's facts and evaluates them ([`crate::check::check`]);
/// fails only when the account cannot be identified.
pub async fn check(account: &Account) -> Result<(Facts, Report), Failure> {
    let chains = account.log_accounts.as_ref().map(|l| l.chains());
    let scope = crate::check::Scope::check();
    let (facts, report) =
        crate::check::check_linked(&account.services, &account.region, &scope, chains.as_ref())
            .await
            .map_err(Failure::Identify)?;
    Ok((facts, report.generated_at(SystemClock.now_rfc3339())))
}

/// The report on facts already gathered (a snapshot), stamped with `clock`'s
/// time; `api_calls` is `null` (no request was made).
pub fn report_on(facts: &Facts, clock: &dyn Clock) -> Report {
    crate::check::report(facts).generated_at(clock.now_rfc3339())
}

/// Gathers what the plan needs and plans, without writing anything.
pub async fn plan(account: &Account, options: &RemediateOptions) -> Result<Plan, Failure> {
    let facts = remediation_facts(account, options).await?;
    let mut plan = remediate::plan(&facts, options)?;
    plan.generated_at = Some(SystemClock.now_rfc3339());
    Ok(plan)
}

/// Plans, previews and, with `apply`, applies and checks again
/// ([`crate::remediate::run`]).
pub async fn remediate(
    account: &Account,
    options: &RemediateOptions,
    apply: bool,
) -> Result<(Remediation, Option<Applied>), Failure> {
    remediate_run(account, options, apply)
        .await
        .map_err(|stopped| stopped.failure)
}

/// [`remediate()`], keeping on a stop what was known by then (the account, the
/// plan, the actions completed) so that a face can print how far it got.
pub async fn remediate_run(
    account: &Account,
    options: &RemediateOptions,
    apply: bool,
) -> Result<(Remediation, Option<Applied>), Stopped> {
    let facts = remediation_facts(account, options)
        .await
        .map_err(Stopped::early)?;
    if let Some(log_accounts) = &account.log_accounts {
        if let Some(holder) = remediate_held::held_elsewhere(&facts) {
            return remediate_held::remediate_in(
                log_accounts,
                account,
                &facts,
                &holder,
                options,
                apply,
            )
            .await;
        }
    }
    let remediation = remediate_snapshot(&facts, options)?;
    if !apply {
        return Ok((remediation, None));
    }
    match remediate::apply(&account.services, &facts, &remediation.plan).await {
        Ok(applied) => Ok((remediation.with_applied(&applied), Some(applied))),
        Err(e) => Err(Stopped {
            failure: e.into(),
            account_id: Some(facts.account_id.clone()),
            region: Some(facts.region.clone()),
            remediation: Some(remediation),
        }),
    }
}

/// What the plan needs ([`remediate::gather`]); with `--via eventbridge`,
/// also the customer managed keys of every enabled region.
pub(crate) async fn remediation_facts(
    account: &Account,
    options: &RemediateOptions,
) -> Result<Facts, Failure> {
    let controls = remediate::scope(options).controls;
    let chains = account
        .log_accounts
        .as_ref()
        .map(|l| l.chains().with_controls(controls));
    let gathered = match options.via {
        remediate::Via::MetricFilter => {
            let scope = remediate::scope(options);
            check::gather_linked(&account.services, &account.region, &scope, chains.as_ref()).await
        }
        remediate::Via::Eventbridge => {
            let enabled = regions(account, None)?;
            remediate::gather_eventbridge(&account.services, &account.region, options, enabled)
                .await
        }
    };
    gathered.map_err(|e| RemediateError::Api(e).into())
}

/// A dry run on facts already gathered (a snapshot): the plan and its preview.
pub fn remediate_snapshot(
    facts: &Facts,
    options: &RemediateOptions,
) -> Result<Remediation, Stopped> {
    if let Some(arn) = &options.topic_arn {
        if facts.topic(arn).is_none() {
            return Err(Stopped::early(Failure::Usage(format!(
                "the snapshot holds nothing about topic {arn}: a plan from a snapshot can use only \
                 the topics it captured (plan against the live account instead)"
            ))));
        }
    }
    let mut remediation = remediate::dry_run(facts, options).map_err(|e| Stopped {
        failure: e.into(),
        account_id: Some(facts.account_id.clone()),
        region: Some(facts.region.clone()),
        remediation: None,
    })?;
    remediation.plan.generated_at = Some(SystemClock.now_rfc3339());
    Ok(remediation)
}

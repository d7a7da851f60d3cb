//! A live check as the faces run it: the accepted monitoring kinds decide
//! what is read beyond the chain (the regions that hold customer managed
//! keys), and the report's `keys` section, when asked, is listed once and
//! serves both.

use super::connect::Account;
use super::failure::Failure;
use super::kms::{key_inventory, regions};
use super::SystemClock;
use crate::check::{self, Facts, KeyListing, MonitorKind, Report, Scope};
use crate::session::Clock;
use std::time::SystemTime;

/// What a check reads beyond the chain.
#[derive(Debug, Clone, Default)]
pub struct CheckRun {
    /// Monitoring kinds that may make the account PASS (`--accept`): with
    /// `eventbridge`, the customer managed keys of every enabled region are
    /// listed when the chain does not pass.
    pub accept: Vec<MonitorKind>,
    /// The report's `keys` section (`--keys`): `Some(None)` for every
    /// enabled region, `Some(Some(names))` for the regions named.
    pub keys: Option<Option<Vec<String>>>,
    /// The monitoring controls judged (`--control`); none is the KMS control.
    pub controls: Vec<&'static crate::controls::Control>,
}

/// Checks the account as `run` asks; the report is stamped but not yet
/// [`check::accept()`]ed (the faces apply acceptance to snapshots too).
pub async fn check_run(account: &Account, run: &CheckRun) -> Result<(Facts, Report), Failure> {
    let inventory = match &run.keys {
        Some(named) => {
            let asked = regions(account, named.clone())?;
            let listed = key_inventory(account, &asked, SystemTime::now()).await;
            Some((asked, listed))
        }
        None => None,
    };
    let key_listing = if run.accept.contains(&MonitorKind::Eventbridge) {
        match &inventory {
            // The keys section lists every enabled region already.
            Some((asked, listed)) if !asked.named => {
                KeyListing::Given(listed.key_region_facts(&asked.names))
            }
            _ => KeyListing::Read(regions(account, None)?),
        }
    } else {
        KeyListing::NotAsked
    };
    let scope = Scope {
        key_listing,
        controls: run.controls.clone(),
        ..Scope::check()
    };
    // The shared chains are read for the controls asked too.
    let chains = account
        .log_accounts
        .as_ref()
        .map(|l| l.chains().with_controls(scope.controls.clone()));
    let (facts, report) =
        check::check_linked(&account.services, &account.region, &scope, chains.as_ref())
            .await
            .map_err(Failure::Identify)?;
    let mut report = report.generated_at(SystemClock.now_rfc3339());
    report.keys = inventory.map(|(_, listed)| listed);
    Ok((facts, report))
}

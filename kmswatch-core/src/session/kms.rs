//! `keys`, `history` and `respond` on a connected account, stamped as the
//! faces print them.

use super::clock::Clock;
use super::connect::Account;
use super::failure::Failure;
use crate::check::DEFAULT_MAX_IN_FLIGHT;
use crate::counting::Counting;
use crate::keys::{
    self, HistoryDocument, KeyInventory, KeysDocument, Regions, RespondError, RespondOutcome,
    Response,
};
use std::time::SystemTime;

/// The regions to read: those named, else every region of the partition of
/// the account's region (opt-in regions not enabled are skipped). Names
/// must be region names.
pub fn regions(account: &Account, named: Option<Vec<String>>) -> Result<Regions, Failure> {
    match named {
        Some(names) => {
            let names: Vec<String> = names
                .into_iter()
                .map(|n| n.trim().to_owned())
                .filter(|n| !n.is_empty())
                .collect();
            if names.is_empty() {
                return Err(Failure::Usage("--regions names no region".to_owned()));
            }
            for name in &names {
                check_region(name).map_err(Failure::Usage)?;
            }
            Ok(Regions::named(names))
        }
        None => Ok(Regions::partition(partition_regions(&account.region))),
    }
}

#[cfg(feature = "aws")]
fn partition_regions(region: &str) -> Vec<String> {
    crate::aws::partition_regions(region)
}

#[cfg(not(feature = "aws"))]
fn partition_regions(region: &str) -> Vec<String> {
    vec![region.to_owned()]
}

/// A region name, and not a typo of a region the SDK knows (a name close to
/// none, such as an emulator's own region, is taken as it is).
#[cfg(feature = "aws")]
fn check_region(name: &str) -> Result<(), String> {
    if !crate::aws::is_region_name(name) {
        return Err(format!("--regions: {name:?} is not an AWS region name"));
    }
    match crate::aws::closest_region(name) {
        Some(close) if !crate::aws::is_known_region(name) => Err(format!(
            "--regions: unknown region {name:?}: did you mean {close}?"
        )),
        _ => Ok(()),
    }
}

/// Without the AWS backend no region is called: any name will do.
#[cfg(not(feature = "aws"))]
fn check_region(_name: &str) -> Result<(), String> {
    Ok(())
}

/// A run on an identified account whose calls are counted.
struct Counted {
    counting: Counting,
    /// The backend's own request count at the start, when it keeps one.
    before: Option<u64>,
    account_id: String,
}

impl Counted {
    /// Starts counting and identifies the account (`GetCallerIdentity`).
    async fn identify(account: &Account) -> Result<Self, Failure> {
        let counting = Counting::new(account.services.clone());
        let before = account.services.requests.as_ref().map(|r| r.get());
        let account_id = counting
            .services()
            .account
            .account_id()
            .await
            .map_err(Failure::Identify)?;
        Ok(Counted {
            counting,
            before,
            account_id,
        })
    }

    /// The requests the backend sent since, or else the calls made through it.
    fn calls(&self, account: &Account) -> u64 {
        match (&account.services.requests, self.before) {
            (Some(sent), Some(before)) => sent.get() - before,
            _ => self.counting.calls(),
        }
    }
}

/// The keys at risk (`kmswatch keys`); fails only when the account cannot
/// be identified.
pub async fn keys_document(
    account: &Account,
    regions: &Regions,
    clock: &dyn Clock,
    now: SystemTime,
) -> Result<KeysDocument, Failure> {
    let run = Counted::identify(account).await?;
    let services = run.counting.services();
    let inventory = keys::inventory(&services, regions, now, DEFAULT_MAX_IN_FLIGHT).await;
    let mut document = KeysDocument::new(run.account_id.clone(), inventory);
    document.api_calls = Some(run.calls(account));
    document.generated_at = Some(clock.now_rfc3339());
    Ok(document)
}

/// The inventory alone, for the check report's `keys` section.
pub async fn key_inventory(account: &Account, regions: &Regions, now: SystemTime) -> KeyInventory {
    keys::inventory(&account.services, regions, now, DEFAULT_MAX_IN_FLIGHT).await
}

/// What happened in the last `days` days (`kmswatch history`).
pub async fn history_document(
    account: &Account,
    regions: &Regions,
    days: u32,
    clock: &dyn Clock,
    now: SystemTime,
) -> Result<HistoryDocument, Failure> {
    let days = keys::check_days(days).map_err(Failure::Usage)?;
    let run = Counted::identify(account).await?;
    let services = run.counting.services();
    let history = keys::history(&services, regions, days, now, DEFAULT_MAX_IN_FLIGHT).await;
    let mut document = HistoryDocument::new(run.account_id.clone(), history);
    document.api_calls = Some(run.calls(account));
    document.generated_at = Some(clock.now_rfc3339());
    Ok(document)
}

/// `kmswatch respond`: a refusal is an outcome (`refused: true`), not a failure.
pub async fn respond(
    account: &Account,
    action: Response,
    key_arn: &str,
    apply: bool,
    clock: &dyn Clock,
) -> Result<RespondOutcome, Failure> {
    let mut outcome = keys::respond(&account.services, action, key_arn, apply)
        .await
        .map_err(|e| match e {
            RespondError::NotAKeyArn(_) => Failure::Usage(e.to_string()),
            RespondError::Api(api) => Failure::Call(api),
        })?;
    outcome.generated_at = Some(clock.now_rfc3339());
    Ok(outcome)
}

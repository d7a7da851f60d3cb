//! The check: is a KMS key disable or deletion, made anywhere in the account,
//! going to reach a human?
//!
//! Sans-IO: [`gather()`] reads [`Facts`] through the service traits;
//! [`evaluate()`] (`kmswatch-decisions`, re-exported here with every other
//! decision of the check) turns facts into a typed [`Assessment`] without any
//! I/O; a [`Report`] is its serialized view. A snapshot file is a serialized
//! [`Facts`].

pub use kmswatch_decisions::check::*;

pub mod controls;
pub(crate) mod gather;

pub use gather::{gather, gather_linked, gather_with, LinkedChains, RoleFor};

use crate::api::{ApiError, Services};
use crate::counting::Counting;

/// Gathers the facts of the account behind `services` and evaluates them; the
/// report's `api_calls` is the number of requests the backend sent when it
/// counts them (every page and retry), else the number of service calls.
pub async fn check(services: &Services, region: &str) -> Result<(Facts, Report), ApiError> {
    check_with(services, region, &Scope::check()).await
}

/// [`check`] reading what `scope` asks for (e.g. the regions that hold
/// customer managed keys, for accepted monitoring).
pub async fn check_with(
    services: &Services,
    region: &str,
    scope: &Scope,
) -> Result<(Facts, Report), ApiError> {
    check_linked(services, region, scope, None).await
}

/// [`check_with`] following the chains into the accounts that hold their
/// links through `linked` ([`gather_linked`]); the report's `api_calls`
/// counts the requests made in this account only.
pub async fn check_linked(
    services: &Services,
    region: &str,
    scope: &Scope,
    linked: Option<&LinkedChains<'_>>,
) -> Result<(Facts, Report), ApiError> {
    let counting = Counting::new(services.clone());
    let sent_before = services.requests.as_ref().map(|r| r.get());
    let facts = gather_linked(&counting.services(), region, scope, linked).await?;
    let mut report = report(&facts);
    report.api_calls = Some(match (&services.requests, sent_before) {
        (Some(sent), Some(before)) => sent.get() - before,
        _ => counting.calls(),
    });
    Ok((facts, report))
}

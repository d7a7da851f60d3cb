//! The check: is a KMS key disable or deletion, made anywhere in the account,
//! going to reach a human?
//!
//! Sans-IO: [`gather()`] reads [`Facts`] through the service traits; [`evaluate()`]
//! turns facts into a [`Report`] without any I/O. A snapshot file is a
//! serialized [`Facts`].

pub mod alarm;
pub mod evaluate;
pub mod facts;
pub mod gather;
pub mod report;
pub mod trail;

pub use evaluate::{evaluate, is_cis_exact, CIS_PATTERN, TARGET_EVENT_NAMES};
pub use facts::{Facts, SnapshotError, FACTS_SCHEMA};
pub use gather::gather;
pub use report::{Gap, Report, Severity, Status, REPORT_SCHEMA};

use crate::api::{ApiError, Services};
use crate::counting::Counting;

/// Gathers the facts of the account behind `services` and evaluates them; the
/// report's `api_calls` is the number of requests the backend sent when it
/// counts them (every page and retry), else the number of service calls.
pub async fn check(services: &Services, region: &str) -> Result<(Facts, Report), ApiError> {
    let counting = Counting::new(services.clone());
    let sent_before = services.requests.as_ref().map(|r| r.get());
    let facts = gather(&counting.services(), region).await?;
    let mut report = evaluate(&facts);
    report.api_calls = match (&services.requests, sent_before) {
        (Some(sent), Some(before)) => sent.get() - before,
        _ => counting.calls(),
    };
    Ok((facts, report))
}

//! A verdict per CIS monitoring control (`--control`): the decisions are
//! `kmswatch-decisions`' (re-exported here); [`check`] gathers and judges.

pub use kmswatch_decisions::check::controls::*;

use super::{LinkedChains, Scope};
use crate::api::{ApiError, Services};
use crate::check::{Facts, Report};
use crate::controls::Control;

/// Gathers the facts of the account behind `services` for the controls
/// `ids` name ([`crate::controls::parse_selection`]; an id that names none is
/// left out, none at all is the KMS control) and judges each of them,
/// following chains into the accounts that hold their links through `linked`.
pub async fn check(
    services: &Services,
    region: &str,
    ids: &[String],
    linked: Option<&LinkedChains<'_>>,
) -> Result<(Facts, Report), ApiError> {
    let asked: Vec<&'static Control> = ids
        .iter()
        .filter_map(|id| crate::controls::find(id))
        .collect();
    let asked = if asked.is_empty() {
        vec![&crate::controls::KMS]
    } else {
        asked
    };
    let scope = Scope {
        controls: asked.clone(),
        ..Scope::check()
    };
    let (facts, report) = super::check_linked(services, region, &scope, linked).await?;
    let report = judge(report, &facts, &asked);
    Ok((facts, report))
}

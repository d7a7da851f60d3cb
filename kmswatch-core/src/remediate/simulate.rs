//! The preview by simulation: the plan executed on an in-memory copy of the
//! account, then the account gathered and judged again.

use super::execute::execute;
use super::{
    apply, diff, gather, judge, plan, verdict_scope, Applied, Plan, Preview, RemediateError,
    RemediateOptions, Remediation,
};
use crate::api::Services;
use crate::check::{self, gather_with, Facts};
use crate::memory::MemoryBackend;
use std::sync::Arc;

/// Applies `plan` to an in-memory copy of `facts` and evaluates the result.
/// Nothing leaves the process.
///
/// ```
/// use kmswatch_core::check::{Facts, Status};
/// use kmswatch_core::remediate::{plan, preview, RemediateOptions};
/// let facts = Facts::load("../examples/broken-threshold-zero.json".as_ref()).unwrap();
/// let plan = plan(&facts, &RemediateOptions::default()).unwrap();
/// assert_eq!(preview(&facts, &plan).unwrap().status, Status::Pass);
/// ```
pub fn preview(facts: &Facts, plan: &Plan) -> Result<Preview, RemediateError> {
    // The in-memory backend never waits on anything, so any executor will do.
    futures::executor::block_on(simulate(facts, plan))
}

/// [`preview`], awaited.
pub(crate) async fn simulate(facts: &Facts, plan: &Plan) -> Result<Preview, RemediateError> {
    let mut copy = facts.clone();
    // Composite alarms only ever add a way to notify: where they were not read
    // (not needed before the plan), the prediction assumes none, so it can be
    // pessimistic but never a PASS that depends on them.
    for region in copy.alarms.iter_mut().filter(|r| r.alarms.is_some()) {
        region.composite_alarms.get_or_insert_with(Vec::new);
    }
    let account = Arc::new(MemoryBackend::from_facts(copy));
    let services = account.services();
    execute(&services, &plan.actions)
        .await
        .map_err(|e| match e {
            RemediateError::ApplyFailed(e) => RemediateError::Api(e.source),
            other => other,
        })?;
    let scope = verdict_scope(facts, plan);
    // A plan changes nothing in the accounts that hold links of the chains
    // (it never plans there): what was read there stays true.
    let verdict = |mut after: Facts| {
        after.linked = facts.linked.clone();
        judge(check::report(&after), &after, plan)
    };
    let after = gather_with(&services, &facts.region, &scope).await?;
    let report = verdict(after.clone());
    let (status_once_confirmed, confirmed) = if plan.pending_confirmation.is_empty() {
        (None, None)
    } else {
        for p in &plan.pending_confirmation {
            account.confirm_subscriptions(&p.topic_arn);
        }
        let confirmed = gather_with(&services, &facts.region, &scope).await?;
        (Some(verdict(confirmed.clone()).status), Some(confirmed))
    };
    Ok(Preview {
        status: report.status,
        status_once_confirmed,
        report,
        diff: diff(facts, plan),
        facts_after: Some((after, confirmed)),
    })
}

/// A dry run on `facts`: the plan and its preview, nothing written.
pub fn dry_run(facts: &Facts, options: &RemediateOptions) -> Result<Remediation, RemediateError> {
    let plan = plan(facts, options)?;
    let preview = preview(facts, &plan)?;
    Ok(Remediation::dry_run(plan, &preview))
}

/// What `kmswatch remediate` does on a live account: gather, plan, preview and,
/// when `write` is set, apply and check again.
pub async fn run(
    services: &Services,
    region: &str,
    options: &RemediateOptions,
    write: bool,
) -> Result<(Remediation, Option<Applied>), RemediateError> {
    let facts = gather(services, region, options).await?;
    let remediation = dry_run(&facts, options)?;
    if !write {
        return Ok((remediation, None));
    }
    let applied = apply(services, &facts, &remediation.plan).await?;
    Ok((remediation.with_applied(&applied), Some(applied)))
}

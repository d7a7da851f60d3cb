//! Apply: the only code that writes. Actions go through the service traits in
//! the plan's dependency order; then the account is checked again.

use super::execute::execute_safely;
use super::{
    dry_run, judge, preview, scope, verdict_scope, Applied, Plan, Preview, RemediateError,
    RemediateOptions, Remediation,
};
use crate::api::{ApiError, Services};
use crate::check::{self, Facts, KeyListing, KeyRegions, Scope};
use crate::keys::Regions;

/// Gathers what [`super::plan()`] needs (see [`scope`]).
pub async fn gather(
    services: &Services,
    region: &str,
    options: &RemediateOptions,
) -> Result<Facts, ApiError> {
    check::gather_with(services, region, &scope(options)).await
}

/// [`gather`] for `--via eventbridge`: also the customer managed keys of
/// `enabled` (the account's enabled regions), the EventBridge rules of the
/// regions that hold them, and the topics the plan may use there
/// (`--topic-arn`, kmswatch's own).
pub async fn gather_eventbridge(
    services: &Services,
    region: &str,
    options: &RemediateOptions,
    enabled: Regions,
) -> Result<Facts, ApiError> {
    let scope = Scope {
        key_listing: KeyListing::Read(enabled),
        ..scope(options)
    };
    let mut facts = check::gather_with(services, region, &scope).await?;
    let regions: Vec<String> = match check::key_regions(&facts) {
        KeyRegions::Known(regions) => regions.into_iter().collect(),
        KeyRegions::NotRead | KeyRegions::Unknown(_) => Vec::new(),
    };
    let partition = crate::model::partition_of_region(region);
    let topics: Vec<String> = regions
        .iter()
        .chain(std::iter::once(&facts.region))
        .map(|r| {
            format!(
                "arn:{partition}:sns:{r}:{}:{}",
                facts.account_id, options.topic_name
            )
        })
        .chain(options.topic_arn.iter().cloned())
        .collect();
    check::gather::read_topics(services, &mut facts, topics, scope.max_in_flight).await;
    Ok(facts)
}

/// Applies `plan` (made from `facts`) to the account behind `services`, then
/// checks the account again.
///
/// The plan is first previewed on a copy of `facts`; unless it
/// passes there (or will once its pending subscriptions are confirmed) nothing
/// is written. An empty plan writes nothing.
///
/// # Errors
///
/// [`RemediateError::NotPassAfterPreview`] when the preview does not pass;
/// [`RemediateError::Api`] when a call fails (actions already executed stay:
/// each is safe on its own and a new run continues from there).
pub async fn apply(
    services: &Services,
    facts: &Facts,
    plan: &Plan,
) -> Result<Applied, RemediateError> {
    let preview: Preview = preview(facts, plan)?;
    if !preview.reaches_pass() {
        // Where subscriptions wait for confirmation, the verdict the plan ends
        // at is the one once they are confirmed.
        let summary = match preview.status_once_confirmed {
            Some(last) => format!(
                "{}; once the pending subscriptions are confirmed: {last}",
                preview.report.summary
            ),
            None => preview.report.summary.clone(),
        };
        return Err(RemediateError::NotPassAfterPreview {
            predicted: preview.status_once_confirmed.unwrap_or(preview.status),
            summary,
        });
    }
    let executed = execute_safely(services, facts, &plan.actions).await?;
    let scope = verdict_scope(facts, plan);
    let (facts_after, report_after) = check::check_with(services, &facts.region, &scope).await?;
    let report_after = judge(report_after, &facts_after, plan);
    Ok(Applied {
        executed,
        facts_after,
        report_after,
    })
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

//! Apply: the only code that writes. Actions go through the service traits in
//! the plan's dependency order; then the account is checked again.

use super::error::RemediateError;
use super::execute::execute_safely;
use super::executed::Executed;
use super::options::{RemediateOptions, CONTROL_NAME_PREFIX};
use super::plan::Plan;
use super::preview::{judge, preview, verdict_scope, Preview};
use super::via::Via;
use crate::api::{ApiError, Services};
use crate::check::{self, Facts, KeyListing, KeyRegions, Report, Scope};
use crate::keys::Regions;

/// What [`apply`] did and the verdict afterwards.
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    /// The actions executed, in order.
    pub executed: Vec<Executed>,
    /// The facts gathered after applying.
    pub facts_after: Facts,
    /// The verdict after applying.
    pub report_after: Report,
}

/// What [`super::plan()`] needs to read: the facts `check` gathers (alarms
/// by metric, regions listed whole only where no alarm found completes the
/// chain), plus the alarms named `--alarm-name…` in the log groups' regions
/// (whether the name is taken: `DescribeAlarms` with `AlarmNamePrefix`, not
/// every alarm), the topics the options name (the `--topic-arn` one and
/// kmswatch's own), and the `--kms-key` key.
///
/// With [`RemediateOptions::controls`], also the alarms named `kmswatch-…`
/// (each control's) and the alarms of every control's filters.
pub fn scope(options: &RemediateOptions) -> Scope {
    let controls = options
        .selected_controls()
        .unwrap_or_else(|_| vec![&crate::controls::KMS]);
    let others = controls.iter().any(|c| !c.is_kms());
    Scope {
        alarm_name_prefix: Some(options.alarm_name.clone()),
        alarm_name_prefixes: others
            .then(|| CONTROL_NAME_PREFIX.to_owned())
            .into_iter()
            .collect(),
        controls,
        own_topic_name: Some(options.topic_name.clone()),
        topics: options.topic_arn.iter().cloned().collect(),
        keys: options.kms_key.iter().cloned().collect(),
        // The metric-filter plan does not build on EventBridge rules.
        eventbridge: options.via == Via::Eventbridge,
        ..Scope::check()
    }
}

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
    let partition = crate::memory::partition_of_region(region);
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

//! Apply: the only code that writes. Actions go through the service traits in
//! the plan's dependency order; then the account is checked again.

use super::error::RemediateError;
use super::execute::execute_safely;
use super::executed::Executed;
use super::options::RemediateOptions;
use super::plan::Plan;
use super::preview::{simulate, Preview};
use crate::api::{ApiError, Services};
use crate::check::{self, Facts, Report, Scope};

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
pub fn scope(options: &RemediateOptions) -> Scope {
    Scope {
        alarms_of_every_log_group_region: true,
        alarm_name_prefix: Some(options.alarm_name.clone()),
        topics_of_every_published_metric: false,
        own_topic_name: Some(options.topic_name.clone()),
        topics: options.topic_arn.iter().cloned().collect(),
        keys: options.kms_key.iter().cloned().collect(),
        eventbridge: false,
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

/// Applies `plan` (made from `facts`) to the account behind `services`, then
/// checks the account again.
///
/// The plan is first previewed on an in-memory copy of `facts`; unless it
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
    let preview: Preview = simulate(facts, plan).await?;
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
    let (facts_after, report_after) = check::check(services, &facts.region).await?;
    Ok(Applied {
        executed,
        facts_after,
        report_after,
    })
}

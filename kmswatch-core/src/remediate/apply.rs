//! Apply: the only code that writes. Actions go through the service traits in
//! the plan's dependency order; then the account is checked again.

use super::error::RemediateError;
use super::options::RemediateOptions;
use super::plan::{Action, Plan};
use super::preview::{simulate, Preview};
use crate::api::{ApiError, Services};
use crate::check::alarm::watches;
use crate::check::facts::TopicFacts;
use crate::check::{self, Facts, Report};
use crate::model::{Arn, Metric};
use futures::future::join_all;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// One executed action and what AWS answered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Executed {
    /// The action as planned.
    pub action: String,
    /// The ARN AWS returned (topic, subscription or `pending confirmation`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<String>,
}

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

/// Gathers what [`super::plan()`] needs: the facts `check` gathers, plus every
/// alarm of the log groups' regions (to see whether the alarm name is taken) and
/// the topics the options name (the `--topic-arn` one and kmswatch's own).
pub async fn gather(
    services: &Services,
    region: &str,
    options: &RemediateOptions,
) -> Result<Facts, ApiError> {
    let mut facts = check::gather(services, region).await?;
    let sites: BTreeSet<(String, String)> = facts
        .log_groups
        .iter()
        .filter_map(|g| {
            let arn = Arn::parse(&g.arn)?;
            (arn.account_id == facts.account_id)
                .then(|| (arn.partition.to_owned(), arn.region.to_owned()))
        })
        .collect();
    for (_, r) in &sites {
        match services.alarms.describe_alarms(r).await {
            Ok(all) => {
                facts.alarms.retain(|a| a.region != *r);
                facts.alarms.push(check::facts::RegionAlarms {
                    region: r.clone(),
                    alarms: Some(all),
                });
            }
            Err(e) => {
                if facts.error_for("DescribeAlarms", None, Some(r)).is_none() {
                    facts.errors.push(e.in_region(r));
                }
            }
        }
    }
    // Topics that may be reused: those notified by alarms on any metric the
    // trails' log groups publish (a filter that misses KMS events may still
    // have an alarm whose topic reaches someone).
    let published: Vec<(String, Metric)> = facts
        .log_groups
        .iter()
        .filter_map(|g| Some((g.location()?.0.to_owned(), g.metric_filters.as_ref()?)))
        .flat_map(|(region, filters)| {
            filters.iter().flat_map(move |f| {
                f.metric_transformations.iter().map({
                    let region = region.clone();
                    move |t| {
                        let metric = Metric {
                            namespace: t.metric_namespace.clone(),
                            metric_name: t.metric_name.clone(),
                            dimensions: Default::default(),
                        };
                        (region.clone(), metric)
                    }
                })
            })
        })
        .collect();
    let mut topics: BTreeSet<String> = facts
        .alarms
        .iter()
        .flat_map(|r| {
            r.alarms
                .iter()
                .flatten()
                .map(move |a| (r.region.as_str(), a))
        })
        .filter(|(region, a)| published.iter().any(|(r, m)| r == region && watches(a, m)))
        .flat_map(|(_, a)| a.alarm_actions.iter())
        .filter(|arn| Arn::parse(arn).is_some_and(|p| p.service == "sns"))
        .cloned()
        .collect();
    topics.extend(sites.iter().map(|(p, r)| {
        format!(
            "arn:{p}:sns:{r}:{}:{}",
            facts.account_id, options.topic_name
        )
    }));
    topics.extend(options.topic_arn.clone());
    topics.retain(|arn| facts.topic(arn).is_none());
    let found = join_all(topics.into_iter().map(|arn| gather_topic(services, arn))).await;
    for (topic, errors) in found {
        facts.topics.push(topic);
        facts.errors.extend(errors);
    }
    Ok(facts)
}

async fn gather_topic(services: &Services, arn: String) -> (TopicFacts, Vec<ApiError>) {
    let mut errors = Vec::new();
    let attributes = match services.topics.get_topic_attributes(&arn).await {
        Ok(a) => a,
        Err(e) => {
            errors.push(e.about(&arn));
            None
        }
    };
    let exists = errors.is_empty().then_some(attributes.is_some());
    let subscriptions = if exists == Some(true) {
        match services.topics.list_subscriptions_by_topic(&arn).await {
            Ok(s) => Some(s),
            Err(e) => {
                errors.push(e.about(&arn));
                None
            }
        }
    } else {
        None
    };
    (
        TopicFacts {
            topic_arn: arn,
            exists,
            attributes,
            subscriptions,
        },
        errors,
    )
}

/// Executes `actions` in order through `services`. A topic ARN returned by
/// `CreateTopic` that differs from the planned one replaces it in later actions.
pub async fn execute(services: &Services, actions: &[Action]) -> Result<Vec<Executed>, ApiError> {
    let mut renamed: Vec<(String, String)> = Vec::new();
    let actual = |arn: &str, renamed: &[(String, String)]| {
        renamed
            .iter()
            .find(|(p, _)| p == arn)
            .map(|(_, a)| a.clone())
            .unwrap_or_else(|| arn.to_owned())
    };
    let mut done = Vec::with_capacity(actions.len());
    for action in actions {
        let result = match action {
            Action::CreateTopic {
                region,
                name,
                topic_arn,
                tags,
            } => {
                let arn = services.topics.create_topic(region, name, tags).await?;
                if arn != *topic_arn {
                    renamed.push((topic_arn.clone(), arn.clone()));
                }
                Some(arn)
            }
            Action::MergeTopicPolicy { topic_arn, policy } => {
                services
                    .topics
                    .set_topic_policy(&actual(topic_arn, &renamed), policy)
                    .await?;
                None
            }
            Action::Subscribe {
                topic_arn,
                protocol,
                endpoint,
            } => Some(
                services
                    .topics
                    .subscribe(&actual(topic_arn, &renamed), protocol.as_str(), endpoint)
                    .await?,
            ),
            Action::PutMetricFilter { region, filter, .. } => {
                services.logs.put_metric_filter(region, filter).await?;
                None
            }
            Action::PutMetricAlarm { region, alarm, .. } => {
                let mut alarm = alarm.clone();
                alarm.alarm_actions = alarm
                    .alarm_actions
                    .iter()
                    .map(|a| actual(a, &renamed))
                    .collect();
                services.alarms.put_metric_alarm(region, &alarm).await?;
                None
            }
        };
        done.push(Executed {
            action: action.describe(),
            result,
        });
    }
    Ok(done)
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
        return Err(RemediateError::NotPassAfterPreview {
            predicted: preview.status,
            summary: preview.report.summary.clone(),
        });
    }
    let executed = execute(services, &plan.actions).await?;
    let (facts_after, report_after) = check::check(services, &facts.region).await?;
    Ok(Applied {
        executed,
        facts_after,
        report_after,
    })
}

//! Executing actions: the writes, in order, through the service traits.

use super::guard::{self, Look};
use super::Action;
use super::{ChangedSincePlan, ExecuteError, Executed, RemediateError};
use crate::api::{ApiError, Services};
use crate::check::Facts;
use crate::model::RuleTarget;

/// Executes `actions` in order through `services`. A topic ARN returned by
/// `CreateTopic` that differs from the planned one replaces it in later actions.
///
/// # Errors
///
/// The first failed call stops the run: [`RemediateError::ApplyFailed`] names
/// it and the actions completed before it.
pub async fn execute(
    services: &Services,
    actions: &[Action],
) -> Result<Vec<Executed>, RemediateError> {
    execute_with(services, actions, None)
        .await
        .map_err(Stop::into)
}

/// [`execute`] with safe writes: before each write its target is read again
/// and compared with `facts` (what the plan was made from); see `guard`.
///
/// # Errors
///
/// A failed call ([`RemediateError::ApplyFailed`]) or a target changed since
/// the plan ([`RemediateError::ChangedSincePlan`]), each with the actions
/// completed before it.
pub async fn execute_safely(
    services: &Services,
    facts: &Facts,
    actions: &[Action],
) -> Result<Vec<Executed>, RemediateError> {
    execute_with(services, actions, Some(facts))
        .await
        .map_err(Stop::into)
}

/// Why a run of actions stopped.
enum Stop {
    Failed(ExecuteError),
    Changed(ChangedSincePlan),
}

impl From<Stop> for RemediateError {
    fn from(stop: Stop) -> Self {
        match stop {
            Stop::Failed(e) => RemediateError::ApplyFailed(e),
            Stop::Changed(e) => RemediateError::ChangedSincePlan(e),
        }
    }
}

async fn execute_with(
    services: &Services,
    actions: &[Action],
    facts: Option<&Facts>,
) -> Result<Vec<Executed>, Stop> {
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
        if let Some(facts) = facts {
            match guard::look(services, facts, action).await {
                Ok(Look::Unchanged) => {}
                Ok(Look::AlreadyDone) => {
                    done.push(Executed {
                        action: action.describe(),
                        result: Some("already as planned: not written again".to_owned()),
                    });
                    continue;
                }
                Ok(Look::Changed(reason)) => {
                    return Err(Stop::Changed(ChangedSincePlan {
                        completed: done,
                        action: action.describe(),
                        reason,
                    }))
                }
                Err(source) => {
                    return Err(Stop::Failed(ExecuteError {
                        completed: done,
                        action: action.describe(),
                        source,
                    }))
                }
            }
        }
        let outcome: Result<Option<String>, ApiError> = async {
            Ok(match action {
                Action::CreateTopic {
                    region,
                    name,
                    topic_arn,
                    tags,
                    kms_master_key_id,
                } => {
                    let arn = services.topics.create_topic(region, name, tags).await?;
                    if let Some(key) = kms_master_key_id {
                        services.topics.set_topic_kms_key(&arn, key).await?;
                    }
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
                Action::PutEventRule { region, rule, .. } => {
                    Some(services.events.put_rule(region, rule).await?)
                }
                Action::PutEventTargets {
                    region,
                    rule,
                    targets,
                } => {
                    let targets: Vec<_> = targets
                        .iter()
                        .map(|t| RuleTarget {
                            arn: actual(&t.arn, &renamed),
                            ..t.clone()
                        })
                        .collect();
                    services.events.put_targets(region, rule, &targets).await?;
                    None
                }
            })
        }
        .await;
        let result = match outcome {
            Ok(result) => result,
            Err(source) => {
                return Err(Stop::Failed(ExecuteError {
                    completed: done,
                    action: action.describe(),
                    source,
                }))
            }
        };
        done.push(Executed {
            action: action.describe(),
            result,
        });
    }
    Ok(done)
}

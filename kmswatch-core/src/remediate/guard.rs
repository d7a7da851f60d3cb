//! Safe writes: just before each write of `--apply`, its target is read again
//! and compared with what the plan was made from. A target someone changed in
//! between (a name taken, a policy edited, an alarm altered) stops the run
//! instead of being overwritten; a target already exactly as planned (another
//! run got there first) is left alone. So two runs at once end with one set of
//! resources, and nothing edited meanwhile is lost.

use super::Action;
use super::{alarm_differences, filter_differences, same_json};
use crate::api::{ApiError, Services};
use crate::check::Facts;
use crate::model::{EventRule, MetricFilter};

/// What the second look at a target says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Look {
    /// As the plan saw it: write.
    Unchanged,
    /// Already exactly as the action would make it: skip the write.
    AlreadyDone,
    /// Changed since the plan, in the way the sentence says: stop.
    Changed(String),
}

/// Reads `action`'s target again and compares it with `facts`.
pub(crate) async fn look(
    services: &Services,
    facts: &Facts,
    action: &Action,
) -> Result<Look, ApiError> {
    Ok(match action {
        // AWS's CreateTopic is idempotent for the same name and tags, and
        // refuses a topic of that name with other tags: no second look needed.
        Action::CreateTopic { .. } => Look::Unchanged,
        // A topic the plan creates has only the policy SNS gave it.
        Action::MergeTopicPolicy { topic_arn, .. }
            if facts
                .topic(topic_arn)
                .is_none_or(|t| t.exists == Some(false)) =>
        {
            Look::Unchanged
        }
        Action::MergeTopicPolicy { topic_arn, policy } => {
            let before = facts
                .topic(topic_arn)
                .and_then(|t| t.attributes.as_ref())
                .and_then(|a| a.policy.clone());
            let now = services
                .topics
                .get_topic_attributes(topic_arn)
                .await?
                .and_then(|a| a.policy);
            if now.as_deref() == Some(policy.as_str()) {
                Look::AlreadyDone
            } else if now != before {
                Look::Changed(format!(
                    "the access policy of {topic_arn} was edited since the plan was made"
                ))
            } else {
                Look::Unchanged
            }
        }
        Action::Subscribe { .. } => Look::Unchanged,
        Action::PutMetricFilter { region, filter, .. } => {
            let before = filter_in_facts(facts, region, filter);
            let now = services
                .logs
                .describe_metric_filters(region, &filter.log_group_name)
                .await?
                .into_iter()
                .find(|f| f.filter_name == filter.filter_name);
            compare(
                &format!(
                    "metric filter {} on {}",
                    filter.filter_name, filter.log_group_name
                ),
                before.as_ref(),
                now.as_ref(),
                filter,
                filter_differences,
            )
        }
        Action::PutMetricAlarm { region, alarm, .. } => {
            let before = facts
                .region_alarms(region)
                .and_then(|r| r.alarms.as_ref())
                .and_then(|all| all.iter().find(|a| a.alarm_name == alarm.alarm_name))
                .cloned();
            let now = services
                .alarms
                .describe_alarms(region)
                .await?
                .into_iter()
                .find(|a| a.alarm_name == alarm.alarm_name);
            compare(
                &format!("alarm {} in {region}", alarm.alarm_name),
                before.as_ref(),
                now.as_ref(),
                alarm,
                alarm_differences,
            )
        }
        Action::PutEventRule { region, rule, .. } => {
            let before = event_rule_in_facts(facts, region, &rule.name);
            let now = services
                .events
                .list_rules(region)
                .await?
                .into_iter()
                .find(|r| r.name == rule.name);
            let same = |r: &EventRule| {
                r.state.as_deref() == Some(rule.state.as_str())
                    && same_json(r.event_pattern.as_deref(), &rule.event_pattern)
            };
            match (before, now) {
                (_, Some(now)) if same(&now) => Look::AlreadyDone,
                (None, None) => Look::Unchanged,
                (Some(before), Some(now))
                    if before.state == now.state && before.event_pattern == now.event_pattern =>
                {
                    Look::Unchanged
                }
                _ => Look::Changed(format!(
                    "EventBridge rule {} in {region} was created, changed or deleted since the plan was made",
                    rule.name
                )),
            }
        }
        // PutTargets replaces targets of the same id only: kmswatch's own.
        Action::PutEventTargets { .. } => Look::Unchanged,
    })
}

fn event_rule_in_facts(facts: &Facts, region: &str, name: &str) -> Option<EventRule> {
    facts
        .event_rules
        .iter()
        .filter(|r| r.region == region)
        .flat_map(|r| r.rules.iter().flatten())
        .find(|r| r.rule.name == name)
        .map(|r| r.rule.clone())
}

fn filter_in_facts(facts: &Facts, region: &str, filter: &MetricFilter) -> Option<MetricFilter> {
    facts
        .log_groups
        .iter()
        .filter(|g| {
            g.location()
                .is_some_and(|(r, _, name)| r == region && name == filter.log_group_name)
        })
        .flat_map(|g| g.metric_filters.iter().flatten())
        .find(|f| f.filter_name == filter.filter_name)
        .cloned()
}

/// The look at a filter or alarm: as desired already, as before, or changed.
fn compare<T>(
    what: &str,
    before: Option<&T>,
    now: Option<&T>,
    desired: &T,
    differences: fn(&T, &T) -> Vec<String>,
) -> Look {
    match (before, now) {
        (_, Some(now)) if differences(now, desired).is_empty() => Look::AlreadyDone,
        (None, None) => Look::Unchanged,
        (Some(before), Some(now)) if differences(now, before).is_empty() => Look::Unchanged,
        (None, Some(_)) => Look::Changed(format!("{what} was created since the plan was made")),
        (Some(_), None) => Look::Changed(format!("{what} was deleted since the plan was made")),
        (Some(before), Some(now)) => Look::Changed(format!(
            "{what} was changed since the plan was made ({})",
            differences(now, before).join("; ")
        )),
    }
}

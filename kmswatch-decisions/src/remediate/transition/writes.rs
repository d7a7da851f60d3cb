//! The writes of a plan, executed on an account held as a snapshot the way
//! AWS (and the in-memory backend) would: `CreateTopic` makes a topic with the
//! default access policy, e-mail and HTTP(S) subscriptions wait for
//! confirmation while those of AWS resources are confirmed at once, a put
//! replaces what has the same name, and `DescribeAlarms` shows no tags.

use super::{arn, entry, not_found, region_of, replay};
use crate::access_policy::sns_default_policy;
use crate::api_error::{ApiError, ApiErrorKind};
use crate::check::facts::{EventRuleFacts, RegionAlarms, RegionEventRules, TopicFacts};
use crate::check::Facts;
use crate::model::{
    Alarm, EventRule, EventRuleSpec, MetricFilter, RuleTarget, Subscription,
    SubscriptionAttributes, TopicAttributes, DEFAULT_EVENT_BUS,
};
use crate::operation::Operation;
use crate::remediate::plan::Action;

/// The account `facts` describe once `actions` are executed on it, in order.
/// A topic ARN `CreateTopic` returns that differs from the planned one
/// replaces it in later actions, as execution does.
///
/// # Errors
///
/// The failure of the first action that fails; the actions after it are
/// not executed.
pub(crate) fn execute(facts: &Facts, actions: &[Action]) -> Result<Facts, ApiError> {
    let mut state = facts.clone();
    let mut renamed: Vec<(String, String)> = Vec::new();
    let actual = |arn: &str, renamed: &[(String, String)]| {
        renamed
            .iter()
            .find(|(p, _)| p == arn)
            .map_or_else(|| arn.to_owned(), |(_, a)| a.clone())
    };
    for action in actions {
        match action {
            Action::CreateTopic {
                region,
                name,
                topic_arn,
                kms_master_key_id,
                ..
            } => {
                let arn = create_topic(&mut state, region, name)?;
                if let Some(key) = kms_master_key_id {
                    set_topic_attribute(&mut state, &arn, |a| {
                        a.kms_master_key_id = Some(key.clone())
                    })?;
                }
                if arn != *topic_arn {
                    renamed.push((topic_arn.clone(), arn));
                }
            }
            Action::MergeTopicPolicy { topic_arn, policy } => {
                let arn = actual(topic_arn, &renamed);
                set_topic_attribute(&mut state, &arn, |a| a.policy = Some(policy.clone()))?;
            }
            Action::Subscribe {
                topic_arn,
                protocol,
                endpoint,
            } => subscribe(
                &mut state,
                &actual(topic_arn, &renamed),
                protocol.as_str(),
                endpoint,
            )?,
            Action::PutMetricFilter { region, filter, .. } => {
                put_metric_filter(&mut state, region, filter)?
            }
            Action::PutMetricAlarm { region, alarm, .. } => {
                let mut alarm = (**alarm).clone();
                alarm.alarm_actions = alarm
                    .alarm_actions
                    .iter()
                    .map(|a| actual(a, &renamed))
                    .collect();
                put_metric_alarm(&mut state, region, alarm)?
            }
            Action::PutEventRule { region, rule, .. } => put_rule(&mut state, region, rule)?,
            Action::PutEventTargets {
                region,
                rule,
                targets,
            } => {
                let targets: Vec<RuleTarget> = targets
                    .iter()
                    .map(|t| RuleTarget {
                        arn: actual(&t.arn, &renamed),
                        ..t.clone()
                    })
                    .collect();
                put_targets(&mut state, region, rule, &targets)?
            }
        }
    }
    Ok(state)
}

/// Whether a topic (or log group...) is found by calls: all but one known absent.
fn found(exists: Option<bool>) -> bool {
    exists != Some(false)
}

fn create_topic(state: &mut Facts, region: &str, name: &str) -> Result<String, ApiError> {
    replay(state, Operation::CreateTopic, Some(name), region)?;
    let arn = arn(state, "sns", region, name);
    // Creating a topic that exists changes nothing.
    if !state
        .topics
        .iter()
        .any(|t| t.topic_arn == arn && found(t.exists))
    {
        state.topics.retain(|t| t.topic_arn != arn);
        state.topics.push(TopicFacts {
            topic_arn: arn.clone(),
            exists: Some(true),
            attributes: Some(TopicAttributes {
                topic_arn: arn.clone(),
                policy: Some(sns_default_policy(&arn, &state.account_id)),
                ..TopicAttributes::default()
            }),
            subscriptions: Some(Vec::new()),
            subscription_attributes: Vec::new(),
        });
    }
    Ok(arn)
}

fn found_topic<'f>(
    state: &'f mut Facts,
    operation: Operation,
    arn: &str,
) -> Result<&'f mut TopicFacts, ApiError> {
    replay(state, operation, Some(arn), region_of(arn))?;
    state
        .topics
        .iter_mut()
        .find(|t| t.topic_arn == arn && found(t.exists))
        .ok_or_else(|| not_found(operation, "NotFound", arn))
}

/// `SetTopicAttributes`: `set` changes one attribute of an existing topic.
fn set_topic_attribute(
    state: &mut Facts,
    arn: &str,
    set: impl FnOnce(&mut TopicAttributes),
) -> Result<(), ApiError> {
    let topic = found_topic(state, Operation::SetTopicAttributes, arn)?;
    set(topic.attributes.get_or_insert_with(|| TopicAttributes {
        topic_arn: arn.to_owned(),
        ..TopicAttributes::default()
    }));
    Ok(())
}

fn subscribe(state: &mut Facts, arn: &str, protocol: &str, endpoint: &str) -> Result<(), ApiError> {
    let topic = found_topic(state, Operation::Subscribe, arn)?;
    let subs = topic.subscriptions.get_or_insert_with(Vec::new);
    if subs
        .iter()
        .any(|s| s.protocol == protocol && s.endpoint == endpoint)
    {
        return Ok(());
    }
    // E-mail and HTTP(S) endpoints must confirm; AWS resources are confirmed at once.
    let needs_confirmation = matches!(protocol, "email" | "email-json" | "http" | "https");
    let subscription_arn = if needs_confirmation {
        "PendingConfirmation".to_owned()
    } else {
        format!("{arn}:sub-{}", subs.len())
    };
    subs.push(Subscription {
        subscription_arn: subscription_arn.clone(),
        protocol: protocol.to_owned(),
        endpoint: endpoint.to_owned(),
    });
    if !needs_confirmation {
        topic
            .subscription_attributes
            .push(SubscriptionAttributes::confirmed(&subscription_arn));
    }
    Ok(())
}

fn put_metric_filter(
    state: &mut Facts,
    region: &str,
    filter: &MetricFilter,
) -> Result<(), ApiError> {
    let operation = Operation::PutMetricFilter;
    let arn = arn(
        state,
        "logs",
        region,
        &format!("log-group:{}", filter.log_group_name),
    );
    replay(state, operation, Some(&arn), region)?;
    let group = state
        .log_groups
        .iter_mut()
        .find(|g| g.arn == arn && found(g.exists))
        .ok_or_else(|| not_found(operation, "ResourceNotFoundException", &arn))?;
    let filters = group.metric_filters.get_or_insert_with(Vec::new);
    if let Some(existing) = filters
        .iter_mut()
        .find(|f| f.filter_name == filter.filter_name)
    {
        *existing = filter.clone();
    } else if filters.len() >= 100 {
        return Err(ApiError::new(
            operation,
            ApiErrorKind::LimitExceeded,
            "LimitExceededException",
            "Resource limit exceeded: 100 metric filters per log group.",
        )
        .about(&arn));
    } else {
        filters.push(filter.clone());
    }
    Ok(())
}

fn put_metric_alarm(state: &mut Facts, region: &str, mut alarm: Alarm) -> Result<(), ApiError> {
    replay(
        state,
        Operation::PutMetricAlarm,
        Some(&alarm.alarm_name),
        region,
    )?;
    alarm.alarm_arn = arn(
        state,
        "cloudwatch",
        region,
        &format!("alarm:{}", alarm.alarm_name),
    );
    alarm
        .state_value
        .get_or_insert_with(|| "INSUFFICIENT_DATA".to_owned());
    alarm.tags.clear();
    let held = entry(
        &mut state.alarms,
        |r| r.region == region,
        || RegionAlarms {
            region: region.to_owned(),
            alarms: Some(Vec::new()),
            composite_alarms: Some(Vec::new()),
            by_metric: None,
            by_name_prefix: None,
        },
    );
    match (&mut held.alarms, &mut held.by_metric) {
        // Nothing known of the region's alarms: the new one is all there is.
        (None, None) => {
            held.alarms = Some(vec![alarm]);
            held.by_name_prefix = None;
            return Ok(());
        }
        // Only some metrics' alarms known: those of the new alarm's metric
        // are known as far as the verdict goes, the new alarm among them.
        (_, Some(metrics)) => {
            if let Some(metric) = &alarm.metric {
                if !metrics.contains(metric) {
                    metrics.push(metric.clone());
                }
            }
        }
        (Some(_), None) => {}
    }
    let alarms = held.alarms.get_or_insert_with(Vec::new);
    alarms.retain(|a| a.alarm_name != alarm.alarm_name);
    alarms.push(alarm);
    Ok(())
}

/// The rules of `region`'s default event bus, as far as they are known.
fn rules_mut<'f>(
    state: &'f mut Facts,
    region: &'f str,
) -> impl Iterator<Item = &'f mut EventRuleFacts> + 'f {
    state
        .event_rules
        .iter_mut()
        .filter(move |b| b.region == region)
        .flat_map(|b| b.rules.iter_mut().flatten())
}

fn put_rule(state: &mut Facts, region: &str, rule: &EventRuleSpec) -> Result<(), ApiError> {
    replay(state, Operation::PutRule, Some(&rule.name), region)?;
    // A rule put again keeps its targets.
    let targets = rules_mut(state, region)
        .find(|r| r.rule.name == rule.name)
        .map(|r| r.targets.clone().unwrap_or_default())
        .unwrap_or_default();
    let arn = arn(state, "events", region, &format!("rule/{}", rule.name));
    let put = EventRuleFacts {
        rule: EventRule {
            name: rule.name.clone(),
            arn,
            event_bus_name: DEFAULT_EVENT_BUS.to_owned(),
            state: Some(rule.state.clone()),
            event_pattern: Some(rule.event_pattern.clone()),
        },
        targets: Some(targets),
    };
    let bus = entry(
        &mut state.event_rules,
        |b| b.region == region,
        || RegionEventRules {
            region: region.to_owned(),
            rules: Some(Vec::new()),
        },
    );
    let rules = bus.rules.get_or_insert_with(Vec::new);
    rules.retain(|r| r.rule.name != rule.name);
    rules.push(put);
    Ok(())
}

fn put_targets(
    state: &mut Facts,
    region: &str,
    rule: &str,
    targets: &[RuleTarget],
) -> Result<(), ApiError> {
    let operation = Operation::PutTargets;
    replay(state, operation, Some(rule), region)?;
    let found = rules_mut(state, region)
        .find(|r| r.rule.name == rule)
        .ok_or_else(|| not_found(operation, "ResourceNotFoundException", rule))?;
    let existing = found.targets.get_or_insert_with(Vec::new);
    for target in targets {
        existing.retain(|t| t.id != target.id);
        existing.push(target.clone());
    }
    Ok(())
}

//! What the alarms and rules read lead to, read of an account held as a
//! snapshot as the check's gathering reads it: the topics they notify (with
//! the attributes of their subscriptions until one delivers), the keys of
//! those topics, the composite alarms where an alarm reaches no one on its
//! own, and the EventBridge rules with their topics.

use super::Account;
use crate::api_error::{ApiError, ApiErrorKind, COMPOSITE_ALARMS};
use crate::check::facts::{EventRuleFacts, KeyFacts, RegionEventRules, TopicFacts};
use crate::check::reading::{alarms_on, follows, keep, own_log_group_regions, served};
use crate::check::rules::eventbridge_events::{delivered_bodies, worth_reading};
use crate::check::rules::subscription::{delivery, notification_bodies, Delivery, Notifier};
use crate::check::rules::topic_access::{key_to_read, names_aws_managed_key};
use crate::check::{Facts, Scope};
use crate::model::{Alarm, Arn, Metric, RuleTarget, Subscription, SubscriptionAttributes};
use crate::operation::Operation;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Reads what the alarms read so far lead to: their topics (and the
/// scope's), the keys of those topics (and the scope's), and composite
/// alarms where an alarm reaches no one on its own.
pub(super) fn read_links(
    account: &Account<'_>,
    facts: &mut Facts,
    scope: &Scope,
    notified: &[(String, Metric)],
) {
    read_alarm_topics(account, facts, scope, notified);
    let extra_keys: Vec<(String, String)> = scope
        .keys
        .iter()
        .flat_map(|key| match Arn::parse(key) {
            Some(arn) => vec![(arn.region.to_owned(), key.clone())],
            None => own_log_group_regions(facts)
                .into_iter()
                .map(|(_, region)| (region, key.clone()))
                .collect(),
        })
        .collect();
    read_keys(account, facts, &extra_keys);
    read_composites(account, facts, notified);
    read_keys(account, facts, &[]);
}

fn is_topic(arn: &str) -> bool {
    Arn::parse(arn).is_some_and(|p| p.service == "sns")
}

fn read_alarm_topics(
    account: &Account<'_>,
    facts: &mut Facts,
    scope: &Scope,
    notified: &[(String, Metric)],
) {
    let mut notifying: BTreeMap<String, Vec<&Alarm>> = BTreeMap::new();
    for (_, alarm) in alarms_on(facts, notified) {
        for action in alarm.alarm_actions.iter().filter(|a| is_topic(a)) {
            notifying.entry(action.clone()).or_default().push(alarm);
        }
    }
    let mut topic_arns: BTreeSet<String> = notifying.keys().cloned().collect();
    if let Some(name) = &scope.own_topic_name {
        topic_arns.extend(
            own_log_group_regions(facts)
                .into_iter()
                .map(|(p, r)| format!("arn:{p}:sns:{r}:{}:{name}", facts.account_id)),
        );
    }
    topic_arns.extend(scope.topics.iter().cloned());
    // A topic remediation may reuse must deliver whatever the alarm.
    let unconditional = scope.own_topic_name.is_some();
    let wanted: Vec<(String, Vec<Vec<Value>>)> = topic_arns
        .into_iter()
        .map(|arn| {
            let alarms = notifying.get(&arn).cloned().unwrap_or_default();
            let mut wanted: Vec<Vec<Value>> = alarms.into_iter().map(notification_bodies).collect();
            if unconditional || wanted.is_empty() {
                wanted.push(Vec::new());
            }
            (arn, wanted)
        })
        .collect();
    let (known, new): (Vec<_>, Vec<_>) = wanted
        .into_iter()
        .partition(|(arn, _)| facts.topic(arn).is_some());
    for (arn, wanted) in new {
        let (topic, errors) = read_topic(account, arn, wanted);
        facts.topics.push(topic);
        facts.errors.extend(errors);
    }
    for (arn, wanted) in known {
        read_more_subscriptions(account, facts, &arn, wanted);
    }
}

/// Reads the attributes of more subscriptions of the topic `arn`, already
/// in `facts`, until each of `wanted` has one that delivers.
fn read_more_subscriptions(
    account: &Account<'_>,
    facts: &mut Facts,
    arn: &str,
    wanted: Vec<Vec<Value>>,
) {
    let Some(i) = facts.topics.iter().position(|t| t.topic_arn == arn) else {
        return;
    };
    let region = Arn::parse(arn).map(|a| a.region).unwrap_or_default();
    let topic = &facts.topics[i];
    let subscriptions = topic.subscriptions.clone().unwrap_or_default();
    let (more, errors) = read_subscription_attributes(
        account,
        region,
        &subscriptions,
        &topic.subscription_attributes,
        wanted,
    );
    facts.topics[i].subscription_attributes.extend(more);
    facts.errors.extend(errors);
}

/// A topic's attributes and subscriptions, then the attributes of its
/// confirmed subscriptions until each of `wanted` has one that delivers.
fn read_topic(
    account: &Account<'_>,
    arn: String,
    wanted: Vec<Vec<Value>>,
) -> (TopicFacts, Vec<ApiError>) {
    let region = Arn::parse(&arn)
        .map(|a| a.region.to_owned())
        .unwrap_or_default();
    let attributes = account.get_topic_attributes(&arn);
    let subscriptions = account.list_subscriptions_by_topic(&arn);
    let mut errors = Vec::new();
    let mut topic = TopicFacts {
        topic_arn: arn,
        exists: None,
        attributes: None,
        subscriptions: None,
        subscription_attributes: Vec::new(),
    };
    match attributes {
        Ok(Some(a)) => {
            topic.exists = Some(true);
            topic.attributes = Some(a);
        }
        Ok(None) => topic.exists = Some(false),
        Err(e) => errors.push(e.in_region(&region).about(&topic.topic_arn)),
    }
    match subscriptions {
        Ok(s) if topic.exists != Some(false) => topic.subscriptions = Some(s),
        Ok(_) => {}
        Err(e) if e.kind == ApiErrorKind::NotFound => topic.exists = Some(false),
        Err(e) => errors.push(e.in_region(&region).about(&topic.topic_arn)),
    }
    if let Some(subscriptions) = &topic.subscriptions {
        let (read, failed) =
            read_subscription_attributes(account, &region, subscriptions, &[], wanted);
        topic.subscription_attributes = read;
        errors.extend(failed);
    }
    (topic, errors)
}

/// The attributes of `subscriptions` (confirmed ones not in `known`, in list
/// order), read until each of `wanted` (one notifier's possible bodies;
/// empty: whatever the alarm) has a delivering subscription.
fn read_subscription_attributes(
    account: &Account<'_>,
    region: &str,
    subscriptions: &[Subscription],
    known: &[SubscriptionAttributes],
    mut wanted: Vec<Vec<Value>>,
) -> (Vec<SubscriptionAttributes>, Vec<ApiError>) {
    let delivers =
        |a: &SubscriptionAttributes, bodies: &Vec<Value>| delivery(a, bodies) == Delivery::Delivers;
    wanted.retain(|bodies| !known.iter().any(|a| delivers(a, bodies)));
    let mut read = Vec::new();
    let mut errors = Vec::new();
    let unread = subscriptions.iter().filter(|s| {
        s.is_confirmed()
            && !known
                .iter()
                .any(|a| a.subscription_arn == s.subscription_arn)
    });
    for s in unread {
        if wanted.is_empty() {
            break;
        }
        let arn = s.subscription_arn.as_str();
        match account.get_subscription_attributes(arn) {
            Ok(Some(attributes)) => {
                wanted.retain(|bodies| !delivers(&attributes, bodies));
                read.push(attributes);
            }
            Ok(None) => errors.push(
                ApiError::new(
                    Operation::GetSubscriptionAttributes,
                    ApiErrorKind::NotFound,
                    "NotFound",
                    "the subscription was listed but no longer exists",
                )
                .in_region(region)
                .about(arn),
            ),
            Err(e) => errors.push(e.in_region(region).about(arn)),
        }
    }
    (read, errors)
}

/// The keys of the topics in `facts`, and `extra` ((region, key id) pairs),
/// not in `facts` yet: `DescribeKey`, then `GetKeyPolicy` for a customer
/// managed key of this account.
fn read_keys(account: &Account<'_>, facts: &mut Facts, extra: &[(String, String)]) {
    let wanted: BTreeSet<(String, String)> = facts
        .topics
        .iter()
        .filter_map(|t| key_to_read(t).map(|(region, id)| (region, id.to_owned())))
        .chain(
            extra
                .iter()
                .filter(|(_, id)| !names_aws_managed_key(id))
                .cloned(),
        )
        .filter(|(region, id)| facts.key(region, id).is_none())
        .collect();
    for (region, key_id) in wanted {
        let mut errors = Vec::new();
        let mut key = KeyFacts {
            key: keep(
                account.describe_key(&region, &key_id),
                &mut errors,
                &region,
                &key_id,
            )
            .flatten(),
            exists: None,
            policy: None,
            key_id,
            region,
        };
        if errors.is_empty() {
            key.exists = Some(key.key.is_some());
        }
        // An AWS managed key fails whatever its policy says; GetKeyPolicy
        // does not work across accounts.
        let readable = key.key.as_ref().filter(|k| {
            !k.is_aws_managed()
                && Arn::parse(&k.arn).is_some_and(|a| a.account_id == facts.account_id)
        });
        if let Some(k) = readable {
            let arn = k.arn.clone();
            key.policy = keep(
                account.get_key_policy(&key.region, &arn),
                &mut errors,
                &key.region,
                &arn,
            );
        }
        facts.keys.push(key);
        facts.errors.extend(errors);
    }
}

/// The composites of each region with an alarm on one of `notified` that
/// is not served, read once, then the topics of the composites that follow
/// such an alarm.
fn read_composites(account: &Account<'_>, facts: &mut Facts, notified: &[(String, Metric)]) {
    let unserved: Vec<(String, Alarm)> = alarms_on(facts, notified)
        .filter(|(_, a)| !served(facts, a))
        .map(|(region, a)| (region.to_owned(), a.clone()))
        .collect();
    let regions: BTreeSet<String> = unserved
        .iter()
        .map(|(r, _)| r.clone())
        .filter(|r| {
            facts
                .region_alarms(r)
                .is_some_and(|a| a.composite_alarms.is_none())
                && facts
                    .error_for(Operation::DescribeAlarms, Some(COMPOSITE_ALARMS), Some(r))
                    .is_none()
        })
        .collect();
    for region in regions {
        match account.describe_composite_alarms(&region) {
            Ok(composites) => {
                if let Some(r) = facts.alarms.iter_mut().find(|r| r.region == region) {
                    r.composite_alarms = Some(composites);
                }
            }
            Err(e) => facts
                .errors
                .push(e.in_region(&region).about(COMPOSITE_ALARMS)),
        }
    }
    let mut wanted: BTreeMap<String, Vec<Vec<Value>>> = BTreeMap::new();
    for (region, alarm) in &unserved {
        let composites = facts
            .region_alarms(region)
            .and_then(|r| r.composite_alarms.as_deref())
            .unwrap_or_default();
        for composite in composites.iter().filter(|c| follows(c, alarm)) {
            let bodies = Notifier::of_composite(composite, alarm).bodies;
            for topic in composite.alarm_actions.iter().filter(|a| is_topic(a)) {
                wanted
                    .entry(topic.clone())
                    .or_default()
                    .push(bodies.clone());
            }
        }
    }
    for (arn, bodies) in wanted {
        if facts.topic(&arn).is_some() {
            read_more_subscriptions(account, facts, &arn, bodies);
        } else {
            let (topic, errors) = read_topic(account, arn, bodies);
            facts.topics.push(topic);
            facts.errors.extend(errors);
        }
    }
}

/// The EventBridge rules of `regions` and of the regions their targets
/// forward to (one hop), then the topics they target and their keys.
pub(super) fn read_event_rules(
    account: &Account<'_>,
    facts: &mut Facts,
    regions: BTreeSet<String>,
) {
    read_rule_regions(account, facts, regions);
    let forwarded: BTreeSet<String> = rule_targets(facts)
        .filter_map(|t| Arn::parse(&t.arn))
        .filter(|a| a.service == "events")
        .map(|a| a.region.to_owned())
        .filter(|r| !facts.event_rules.iter().any(|e| &e.region == r))
        .collect();
    read_rule_regions(account, facts, forwarded);
    let topics: BTreeSet<String> = rule_targets(facts)
        .filter(|t| is_topic(&t.arn))
        .map(|t| t.arn.clone())
        .filter(|arn| facts.topic(arn).is_none())
        .collect();
    for arn in topics {
        let wanted = vec![delivered_bodies(&facts.account_id)];
        let (topic, errors) = read_topic(account, arn, wanted);
        facts.topics.push(topic);
        facts.errors.extend(errors);
    }
    read_keys(account, facts, &[]);
}

/// The targets read of every rule.
fn rule_targets(facts: &Facts) -> impl Iterator<Item = &RuleTarget> {
    facts
        .event_rules
        .iter()
        .flat_map(|r| r.rules.iter().flatten())
        .flat_map(|r| r.targets.iter().flatten())
}

fn read_rule_regions(account: &Account<'_>, facts: &mut Facts, regions: BTreeSet<String>) {
    for region in regions {
        let rules = match account.list_rules(&region) {
            Ok(rules) => rules,
            Err(e) => {
                facts.errors.push(e.in_region(&region));
                facts.event_rules.push(RegionEventRules {
                    region,
                    rules: None,
                });
                continue;
            }
        };
        let mut read = Vec::with_capacity(rules.len());
        for rule in rules {
            let targets = if worth_reading(&rule, &facts.account_id) {
                keep(
                    account.list_targets_by_rule(&region, &rule.name),
                    &mut facts.errors,
                    &region,
                    &rule.name,
                )
            } else {
                None
            };
            read.push(EventRuleFacts { rule, targets });
        }
        facts.event_rules.push(RegionEventRules {
            region,
            rules: Some(read),
        });
    }
}

//! The SNS topics of the alarms on metrics of interest (and those the scope
//! names), with the attributes of their subscriptions until one delivers each
//! alarm's notifications. Topics already read are not read again: only
//! subscriptions a newly found alarm still needs are.

use super::reads::read_topic;
use super::subscriptions::read_subscription_attributes;
use super::Scope;
use crate::api::Services;
use crate::check::facts::Facts;
use crate::check::reading::notification_bodies;
use crate::check::reading::{alarms_on, own_log_group_regions};
use crate::model::{Alarm, Arn, Metric};
use futures::stream::{self, StreamExt};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Reads into `facts` the topics notified by the alarms on `notified`
/// ((region, metric) pairs), the scope's own topic and its named topics.
pub async fn read_alarm_topics(
    services: &Services,
    facts: &mut Facts,
    scope: &Scope,
    notified: &[(String, Metric)],
    limit: usize,
) {
    let mut notifying: BTreeMap<String, Vec<&Alarm>> = BTreeMap::new();
    for (_, alarm) in alarms_on(facts, notified) {
        for action in &alarm.alarm_actions {
            if Arn::parse(action).is_some_and(|p| p.service == "sns") {
                notifying.entry(action.clone()).or_default().push(alarm);
            }
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
    // Remediation may reuse a topic for its own alarm: it needs to know whether
    // one subscription delivers whatever the alarm.
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
    let topics: Vec<_> = stream::iter(new)
        .map(|(arn, wanted)| read_topic(services, arn, wanted))
        .buffered(limit)
        .collect()
        .await;
    for (topic, errors) in topics {
        facts.topics.push(topic);
        facts.errors.extend(errors);
    }
    for (arn, wanted) in known {
        let Some(i) = facts.topics.iter().position(|t| t.topic_arn == arn) else {
            continue;
        };
        let region = Arn::parse(&arn)
            .map(|a| a.region.to_owned())
            .unwrap_or_default();
        let subscriptions = facts.topics[i].subscriptions.clone().unwrap_or_default();
        let read = facts.topics[i].subscription_attributes.clone();
        let (more, errors) =
            read_subscription_attributes(services, &region, &subscriptions, &read, wanted).await;
        facts.topics[i].subscription_attributes.extend(more);
        facts.errors.extend(errors);
    }
}

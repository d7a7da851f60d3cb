//! The composite alarms of the regions where an alarm on a metric of interest
//! reaches no one on its own, and the topics of the composites that follow
//! such an alarm. An account whose alarms notify directly costs no request
//! here.

use super::reads::read_topic;
use super::subscriptions::read_subscription_attributes;
use crate::api::{Services, COMPOSITE_ALARMS};
use crate::check::facts::Facts;
use crate::check::reading::Notifier;
use crate::check::reading::{alarms_on, follows, served};
use crate::model::{Alarm, Arn, Metric};
use crate::operation::Operation;
use futures::stream::{self, StreamExt};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Reads what composite alarms need into `facts`: the composites of each
/// region with an alarm on one of `notified` (region, metric) that is not
/// served, then the topics of the composites that follow one.
pub async fn read_composites(
    services: &Services,
    facts: &mut Facts,
    notified: &[(String, Metric)],
    limit: usize,
) {
    let unserved: Vec<(String, Alarm)> = alarms_on(facts, notified)
        .filter(|(_, a)| !served(facts, a))
        .map(|(region, a)| (region.to_owned(), a.clone()))
        .collect();
    // A region's composites are read once, even when more of its alarms are
    // found later.
    let regions: BTreeSet<&str> = unserved
        .iter()
        .map(|(r, _)| r.as_str())
        .filter(|r| {
            facts
                .region_alarms(r)
                .is_some_and(|a| a.composite_alarms.is_none())
                && facts
                    .error_for(Operation::DescribeAlarms, Some(COMPOSITE_ALARMS), Some(r))
                    .is_none()
        })
        .collect();
    let read: Vec<_> = stream::iter(regions.into_iter().map(str::to_owned))
        .map(|r| async move {
            let answer = services.alarms.describe_composite_alarms(&r).await;
            (r, answer)
        })
        .buffered(limit)
        .collect()
        .await;
    for (region, result) in read {
        match result {
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
            for topic in composite
                .alarm_actions
                .iter()
                .filter(|a| Arn::parse(a).is_some_and(|p| p.service == "sns"))
            {
                wanted
                    .entry(topic.clone())
                    .or_default()
                    .push(bodies.clone());
            }
        }
    }
    for (arn, bodies) in wanted {
        let region = Arn::parse(&arn)
            .map(|a| a.region.to_owned())
            .unwrap_or_default();
        match facts.topics.iter().position(|t| t.topic_arn == arn) {
            Some(i) => {
                let topic = &facts.topics[i];
                let subscriptions = topic.subscriptions.clone().unwrap_or_default();
                let known = topic.subscription_attributes.clone();
                let (more, errors) =
                    read_subscription_attributes(services, &region, &subscriptions, &known, bodies)
                        .await;
                facts.topics[i].subscription_attributes.extend(more);
                facts.errors.extend(errors);
            }
            None => {
                let (topic, errors) = read_topic(services, arn, bodies).await;
                facts.topics.push(topic);
                facts.errors.extend(errors);
            }
        }
    }
}

//! EventBridge rules, read only when the metric-filter chain does not pass:
//! the rules of the default event bus in each region asked for, the targets
//! of the enabled ones whose pattern may catch a KMS key event, the rules of
//! a region an event-bus target forwards to (one hop), and the SNS topics
//! targeted (attributes, subscriptions until one delivers the event, keys).

use super::keys::read_keys;
use super::reads::read_topic;
use crate::api::{ApiError, Services};
use crate::check::facts::{EventRuleFacts, Facts, RegionEventRules};
use crate::check::reading::{delivered_bodies, worth_reading};
use crate::model::{Arn, EventRule};
use futures::stream::{self, StreamExt};
use std::collections::BTreeSet;

/// Reads the EventBridge rules of `regions` (and of the regions their
/// targets forward to) into `facts`.
pub async fn read_event_rules(
    services: &Services,
    facts: &mut Facts,
    regions: BTreeSet<String>,
    limit: usize,
) {
    let account = facts.account_id.clone();
    read_regions(services, facts, regions, &account, limit).await;
    let forwarded: BTreeSet<String> = facts
        .event_rules
        .iter()
        .flat_map(|r| r.rules.iter().flatten())
        .flat_map(|r| r.targets.iter().flatten())
        .filter_map(|t| Arn::parse(&t.arn))
        .filter(|a| a.service == "events")
        .map(|a| a.region.to_owned())
        .filter(|r| !facts.event_rules.iter().any(|e| &e.region == r))
        .collect();
    read_regions(services, facts, forwarded, &account, limit).await;

    let topics: BTreeSet<String> = facts
        .event_rules
        .iter()
        .flat_map(|r| r.rules.iter().flatten())
        .flat_map(|r| r.targets.iter().flatten())
        .filter(|t| Arn::parse(&t.arn).is_some_and(|a| a.service == "sns"))
        .map(|t| t.arn.clone())
        .filter(|arn| facts.topic(arn).is_none())
        .collect();
    let read: Vec<_> = stream::iter(topics)
        .map(|arn| read_topic(services, arn, vec![delivered_bodies(&facts.account_id)]))
        .buffered(limit)
        .collect()
        .await;
    for (topic, errors) in read {
        facts.topics.push(topic);
        facts.errors.extend(errors);
    }
    read_keys(services, facts, &[], limit).await;
}

async fn read_regions(
    services: &Services,
    facts: &mut Facts,
    regions: BTreeSet<String>,
    account: &str,
    limit: usize,
) {
    let read: Vec<(RegionEventRules, Vec<ApiError>)> = stream::iter(regions)
        .map(|region| read_region(services, region, account, limit))
        .buffered(limit)
        .collect()
        .await;
    for (rules, errors) in read {
        facts.event_rules.push(rules);
        facts.errors.extend(errors);
    }
}

async fn read_region(
    services: &Services,
    region: String,
    account: &str,
    limit: usize,
) -> (RegionEventRules, Vec<ApiError>) {
    let rules = match services.events.list_rules(&region).await {
        Ok(rules) => rules,
        Err(e) => {
            let error = e.in_region(&region);
            return (
                RegionEventRules {
                    region,
                    rules: None,
                },
                vec![error],
            );
        }
    };
    let read: Vec<(EventRuleFacts, Option<ApiError>)> = stream::iter(rules)
        .map(|rule| read_targets(services, &region, account, rule))
        .buffered(limit)
        .collect()
        .await;
    let errors = read.iter().filter_map(|(_, e)| e.clone()).collect();
    let rules = read.into_iter().map(|(r, _)| r).collect();
    (
        RegionEventRules {
            region,
            rules: Some(rules),
        },
        errors,
    )
}

async fn read_targets(
    services: &Services,
    region: &str,
    account: &str,
    rule: EventRule,
) -> (EventRuleFacts, Option<ApiError>) {
    if !worth_reading(&rule, account) {
        return (
            EventRuleFacts {
                rule,
                targets: None,
            },
            None,
        );
    }
    match services
        .events
        .list_targets_by_rule(region, &rule.name)
        .await
    {
        Ok(targets) => (
            EventRuleFacts {
                rule,
                targets: Some(targets),
            },
            None,
        ),
        Err(e) => {
            let error = e.in_region(region).about(&rule.name);
            (
                EventRuleFacts {
                    rule,
                    targets: None,
                },
                Some(error),
            )
        }
    }
}

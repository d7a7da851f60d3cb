//! An SNS topic as the target of an EventBridge rule: it must exist, let
//! `events.amazonaws.com` publish (topic policy), let it use its encryption
//! key (key policy; an AWS managed key cannot be used), and have a confirmed
//! subscription whose filter policy lets the KMS event through (the message
//! body is the event itself unless the target transforms it).

use super::eventbridge_events::{delivered_bodies, EVENTS};
use super::subscription::{subscription_gaps, Notifier};
use super::topic_access::{names_aws_managed_key, service_request, topic_key, KEY_ACTIONS};
use super::unknown::unknown_gap;
use crate::access_policy::{evaluate, Decision, PolicyDocument, Request};
use crate::check::facts::Facts;
use crate::check::gap::{Gap, Severity};
use crate::check::gap_code::GapCode;
use crate::model::{RuleTarget, Subscription};
use crate::operation::Operation;

/// The gaps of the topic `topic_arn` as the target `target` of the rule
/// `rule_arn`, and its number of confirmed subscriptions when known.
pub fn topic_target(
    facts: &Facts,
    topic_arn: &str,
    rule_arn: &str,
    target: &RuleTarget,
) -> (Vec<Gap>, Option<usize>) {
    let Some(topic) = facts.topic(topic_arn) else {
        return (vec![not_read(topic_arn, "the topic")], None);
    };
    match topic.exists {
        Some(false) => {
            return (
                vec![Gap::of(
                    GapCode::EventbridgeNoTarget,
                    Some(topic_arn),
                    "the rule's target topic does not exist",
                    &[],
                )],
                None,
            )
        }
        None => {
            let gap = unknown(facts, topic_arn, Operation::GetTopicAttributes, topic_arn);
            return (vec![gap], None);
        }
        Some(true) => {}
    }
    let mut gaps = publish_gaps(facts, topic_arn, rule_arn);
    gaps.extend(key_gaps(facts, topic_arn, rule_arn));
    let Some(subscriptions) = &topic.subscriptions else {
        gaps.push(unknown(
            facts,
            topic_arn,
            Operation::ListSubscriptionsByTopic,
            topic_arn,
        ));
        return (gaps, None);
    };
    let confirmed: Vec<&Subscription> = subscriptions.iter().filter(|s| s.is_confirmed()).collect();
    if confirmed.is_empty() {
        gaps.push(Gap::of(
            GapCode::TopicNoConfirmedSubscription,
            Some(topic_arn),
            "the rule's target topic has no confirmed subscription, so the event reaches no one",
            &[],
        ));
    } else {
        // A transformed input is not the event: only a subscription without
        // a body filter is known to deliver it.
        let bodies = if target.transforms_input {
            Vec::new()
        } else {
            delivered_bodies(&facts.account_id)
        };
        let notifier = Notifier {
            alarm_arn: rule_arn.to_owned(),
            bodies,
        };
        gaps.extend(subscription_gaps(facts, topic, &confirmed, &notifier));
    }
    (gaps, Some(confirmed.len()))
}

/// The topic policy must let EventBridge (this rule) publish.
pub(crate) fn publish_gaps(facts: &Facts, topic_arn: &str, rule_arn: &str) -> Vec<Gap> {
    let policy = facts
        .topic(topic_arn)
        .and_then(|t| t.attributes.as_ref())
        .and_then(|a| a.policy.as_deref());
    let Some(text) = policy else {
        return vec![not_read(topic_arn, "the topic's access policy")];
    };
    let document = match PolicyDocument::parse(text) {
        Ok(d) => d,
        Err(e) => {
            return vec![manual(
                topic_arn,
                format!("the topic's access policy cannot be read: {e}"),
            )]
        }
    };
    match evaluate(&document, &events_request("SNS:Publish", facts, topic_arn, rule_arn)) {
        Decision::Allowed => Vec::new(),
        Decision::DenyUnknown(s) => vec![manual(
            topic_arn,
            format!("whether EventBridge may publish is unknown: the topic policy's {s} denies SNS:Publish under conditions kmswatch cannot evaluate"),
        )],
        Decision::Denied(s) => vec![not_publishable(
            topic_arn,
            format!("the topic policy's {s} denies {EVENTS} SNS:Publish"),
        )],
        Decision::NotAllowed(_) => vec![not_publishable(
            topic_arn,
            format!("no statement of the topic policy allows {EVENTS} SNS:Publish"),
        )],
    }
}

/// An encrypted topic's key must be enabled, customer managed, and usable by EventBridge.
pub(crate) fn key_gaps(facts: &Facts, topic_arn: &str, rule_arn: &str) -> Vec<Gap> {
    let Some(topic) = facts.topic(topic_arn) else {
        return Vec::new();
    };
    let Some((region, key_id)) = topic_key(topic) else {
        return Vec::new();
    };
    if names_aws_managed_key(key_id) {
        return vec![not_publishable(
            topic_arn,
            format!(
                "the topic is encrypted with {key_id}, an AWS managed key EventBridge may not use"
            ),
        )];
    }
    let known = facts.key(&region, key_id);
    let Some(key) = known.and_then(|k| k.key.as_ref()) else {
        if known.is_some_and(|k| k.exists == Some(false)) {
            return vec![not_publishable(
                topic_arn,
                format!("the topic is encrypted with KMS key {key_id}, which does not exist"),
            )];
        }
        return vec![unknown(facts, topic_arn, Operation::DescribeKey, key_id)];
    };
    if key.is_aws_managed() {
        return vec![not_publishable(
            topic_arn,
            format!("the topic is encrypted with KMS key {}, an AWS managed key EventBridge may not use", key.arn),
        )];
    }
    if key.key_state.as_deref() != Some("Enabled") {
        return vec![not_publishable(
            topic_arn,
            format!(
                "the topic is encrypted with KMS key {}, whose state is {}",
                key.arn,
                key.key_state.as_deref().unwrap_or("unknown")
            ),
        )];
    }
    let Some(text) = known.and_then(|k| k.policy.as_deref()) else {
        return vec![unknown(facts, topic_arn, Operation::GetKeyPolicy, &key.arn)];
    };
    let document = match PolicyDocument::parse(text) {
        Ok(d) => d,
        Err(e) => {
            return vec![manual(
                topic_arn,
                format!("the key policy of KMS key {} cannot be read: {e}", key.arn),
            )]
        }
    };
    for action in KEY_ACTIONS {
        match evaluate(&document, &events_request(action, facts, &key.arn, rule_arn)) {
            Decision::Allowed => {}
            Decision::DenyUnknown(s) => {
                return vec![manual(
                    topic_arn,
                    format!("whether EventBridge may use KMS key {} is unknown: its {s} denies {action} under conditions kmswatch cannot evaluate", key.arn),
                )]
            }
            Decision::Denied(_) | Decision::NotAllowed(_) => {
                return vec![not_publishable(
                    topic_arn,
                    format!("the topic is encrypted with KMS key {}, whose key policy does not let {EVENTS} call {action}", key.arn),
                )]
            }
        }
    }
    Vec::new()
}

/// The request EventBridge makes for the rule `rule_arn`. It carries
/// `aws:SourceAccount` and `aws:SourceArn`, not the legacy `aws:SourceOwner`
/// that the default SNS topic policy conditions on: that policy does not let
/// EventBridge publish.
fn events_request<'a>(
    action: &'a str,
    facts: &'a Facts,
    resource: &'a str,
    rule_arn: &'a str,
) -> Request<'a> {
    let mut request = service_request(EVENTS, &facts.account_id, action, resource, Some(rule_arn));
    request.context.retain(|(key, _)| *key != "aws:SourceOwner");
    request
}

fn not_publishable(topic_arn: &str, message: String) -> Gap {
    Gap::of(
        GapCode::EventbridgeTopicNotPublishable,
        Some(topic_arn),
        format!("{message}: the rule cannot deliver to the topic"),
        &[],
    )
}

fn manual(topic_arn: &str, message: String) -> Gap {
    let mut gap = Gap::of(
        GapCode::EventbridgeTopicNotPublishable,
        Some(topic_arn),
        message,
        &[],
    );
    gap.severity = Severity::Manual;
    gap
}

fn not_read(topic_arn: &str, what: &str) -> Gap {
    Gap::with_fix(
        GapCode::EventbridgeUnknown,
        Some(topic_arn),
        format!("{what} of the rule's target {topic_arn} is not in the facts"),
        "gather the facts again (kmswatch snapshot)",
    )
}

/// A fact about the topic (read from `resource`: the topic, its key) that a
/// failed call left unknown.
fn unknown(facts: &Facts, topic_arn: &str, operation: Operation, resource: &str) -> Gap {
    match facts.error_for(operation, Some(resource), None) {
        Some(e) => unknown_gap(
            facts,
            GapCode::EventbridgeUnknown,
            e,
            Some(topic_arn),
            &format!("the rule's target {topic_arn} ({operation} of {resource})"),
        ),
        None => not_read(topic_arn, &format!("{operation} of {resource}")),
    }
}

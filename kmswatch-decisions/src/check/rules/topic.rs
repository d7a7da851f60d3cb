//! The topic link: an existing SNS topic with a subscriber that delivers.

use super::subscription::{subscription_gaps, Notifier};
use super::topic_access;
use super::topic_region::topic_region_gaps;
use super::unknown::fact_gap;
use crate::check::assessment::TopicAssessment;
use crate::check::facts::{Facts, TopicFacts};
use crate::check::gap::{status_of, Gap};
use crate::check::gap_code::GapCode;
use crate::check::status::Status;
use crate::model::Alarm;
use crate::operation::Operation;

/// The topic `arn` that `alarm` notifies.
pub fn assess_topic<'f>(facts: &'f Facts, arn: &'f str, alarm: &Alarm) -> TopicAssessment<'f> {
    assess_topic_for(facts, arn, &Notifier::of_alarm(alarm))
}

/// The topic `arn` that `notifier` (a metric or composite alarm) notifies.
pub fn assess_topic_for<'f>(
    facts: &'f Facts,
    arn: &'f str,
    notifier: &Notifier,
) -> TopicAssessment<'f> {
    let topic = facts.topic(arn);
    let mut link = TopicAssessment {
        topic_arn: arn,
        topic,
        status: Status::Fail,
        confirmed_subscriptions: None,
        gaps: Vec::new(),
    };
    match topic {
        None => link.gaps.push(fact_gap(
            facts,
            GapCode::TopicUnknown,
            Operation::GetTopicAttributes,
            arn,
            "the topic is unknown",
        )),
        Some(t) if t.exists == Some(false) => link.gaps.push(Gap::of(
            GapCode::TopicNotFound,
            Some(arn),
            "the alarm notifies an SNS topic that does not exist",
            &[],
        )),
        Some(t) => {
            // The attributes hold the access policy and the encryption key: without
            // them whether CloudWatch can publish is unknown.
            if t.attributes.is_none() {
                link.gaps.push(fact_gap(
                    facts,
                    GapCode::TopicUnknown,
                    Operation::GetTopicAttributes,
                    arn,
                    "the topic's attributes (access policy, encryption) are unknown",
                ));
            }
            match &t.subscriptions {
                None => link.gaps.push(fact_gap(
                    facts,
                    GapCode::TopicSubscriptionsUnknown,
                    Operation::ListSubscriptionsByTopic,
                    arn,
                    "the topic's subscriptions are unknown",
                )),
                Some(subs) => {
                    let confirmed: Vec<_> = subs.iter().filter(|s| s.is_confirmed()).collect();
                    link.confirmed_subscriptions = Some(confirmed.len());
                    if confirmed.is_empty() {
                        let pending = subs.len();
                        link.gaps.push(Gap::of(
                            GapCode::TopicNoConfirmedSubscription,
                            Some(arn),
                            if pending == 0 {
                                "the topic has no subscription, so the alarm reaches no one".to_owned()
                            } else {
                                format!("the topic's {pending} subscription(s) are not confirmed, so the alarm reaches no one")
                            },
                            &[],
                        ));
                    } else {
                        link.gaps
                            .extend(subscription_gaps(facts, t, &confirmed, notifier));
                    }
                }
            }
            link.gaps.extend(topic_region_gaps(&notifier.alarm_arn, t));
            link.gaps.extend(topic_access::access_gaps(
                facts,
                t,
                Some(&notifier.alarm_arn),
            ));
            if let Some(key) = customer_managed_key(t) {
                link.gaps.push(Gap::of(
                    GapCode::TopicEncryptedWithCmk,
                    Some(arn),
                    format!(
                        "the topic is encrypted with customer managed key {key}: disabling or deleting that key silences this alarm"
                    ),
                    &[],
                ));
            }
        }
    }
    link.status = status_of(&link.gaps);
    link
}

/// The customer managed key a topic is encrypted with, if any.
pub fn customer_managed_key(topic: &TopicFacts) -> Option<&str> {
    topic
        .attributes
        .as_ref()
        .and_then(|a| a.kms_master_key_id.as_deref())
        .filter(|k| !k.is_empty() && !k.ends_with("alias/aws/sns"))
}

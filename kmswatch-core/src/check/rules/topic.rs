//! The topic link: an existing SNS topic with a confirmed subscriber.

use super::topic_access;
use super::unknown::fact_gap;
use crate::check::assessment::TopicAssessment;
use crate::check::facts::{Facts, TopicFacts};
use crate::check::gap::{status_of, Gap};
use crate::check::gap_code::GapCode;
use crate::check::status::Status;
use crate::operation::Operation;

/// The topic `arn` that the alarm `alarm_arn` (when known) notifies.
pub fn assess_topic<'f>(
    facts: &'f Facts,
    arn: &'f str,
    alarm_arn: Option<&str>,
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
                    let confirmed = subs.iter().filter(|s| s.is_confirmed()).count();
                    link.confirmed_subscriptions = Some(confirmed);
                    if confirmed == 0 {
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
                    }
                }
            }
            link.gaps
                .extend(topic_access::access_gaps(facts, t, alarm_arn));
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

//! Which topic a site's alarm notifies, and what that topic needs: the
//! requested subscription and CloudWatch's permission to publish.

use super::action::{Action, PendingSubscription};
use super::draft::Draft;
use super::error::RemediateError;
use super::options::Subscriber;
use super::policy;
use super::site::Site;
use crate::check::facts::TopicFacts;
use crate::check::rules::subscription::{attributes_of, delivery, Delivery};
use crate::check::rules::topic::customer_managed_key;
use crate::check::rules::topic_access::{encryption_gaps, reuse_blocker};
use crate::check::{Gap, Remedy, Status};
use crate::model::{Arn, Subscription, TopicAttributes};

/// Whether `s` is confirmed and delivers whatever alarm notifies the topic: a
/// subscription whose filter policy may drop notifications is left alone and
/// does not count as a subscriber.
fn delivers_any_alarm(topic: &TopicFacts, s: &Subscription) -> bool {
    s.is_confirmed()
        && attributes_of(topic, s).is_some_and(|a| delivery(a, &[]) == Delivery::Delivers)
}

impl Site<'_> {
    /// The topic the new alarm notifies: `--topic-arn`; else, without a
    /// subscriber, the topic an alarm of this chain already reaches someone
    /// through; else kmswatch's own.
    pub(crate) fn ensure_topic(&self, d: &mut Draft) -> Result<String, RemediateError> {
        if let Some(arn) = &self.options.topic_arn {
            let topic_region = Arn::parse(arn).map(|a| a.region).unwrap_or_default();
            if topic_region != self.region {
                return Err(RemediateError::InvalidOption(format!(
                    "topic {arn} is in {topic_region}, but the alarm must be in {} (the log group's region) and CloudWatch alarms notify topics of their own region",
                    self.region
                )));
            }
            self.use_topic(d, arn)?;
            return Ok(arn.clone());
        }
        let own = format!(
            "arn:{}:sns:{}:{}:{}",
            self.partition, self.region, self.facts.account_id, self.options.topic_name
        );
        let own_facts = self.facts.topic(&own).filter(|t| t.exists != Some(false));
        if self.options.subscriber.is_none() {
            if let Some(arn) = self.reachable_topic() {
                d.notes.push(format!(
                    "the new alarm notifies {arn}, which already has a confirmed subscriber"
                ));
                self.use_topic(d, &arn)?;
                return Ok(arn);
            }
            if own_facts.is_none() {
                return Err(RemediateError::NoSubscriber);
            }
        }
        match own_facts {
            Some(t) => {
                let wanted = self.options.kms_key.as_deref();
                let encrypted_otherwise = customer_managed_key(t).filter(|k| Some(*k) != wanted);
                if let Some(key) = encrypted_otherwise.filter(|_| !self.options.adopt) {
                    return Err(RemediateError::Conflict {
                        resource: format!("SNS topic {own}"),
                        differences: vec![format!(
                            "encrypted with KMS key {key}; kmswatch creates unencrypted alert topics, since disabling that key would silence the alarm"
                        )],
                    });
                }
                d.unchanged.push(format!("SNS topic {own}"));
                self.use_topic(d, &own)?;
            }
            None => {
                if let Some(key) = &self.options.kms_key {
                    self.check_kms_key(&own, key)?;
                }
                d.actions.push(Action::CreateTopic {
                    region: self.region.to_owned(),
                    name: self.options.topic_name.clone(),
                    topic_arn: own.clone(),
                    tags: self.options.resource_tags(),
                    kms_master_key_id: self.options.kms_key.clone(),
                });
                self.subscribe(d, &own, &[]);
            }
        }
        Ok(own)
    }

    /// Whether CloudWatch could publish to the topic `arn` encrypted with
    /// `key`: rule 2 on the key as the facts hold it.
    fn check_kms_key(&self, arn: &str, key: &str) -> Result<(), RemediateError> {
        let planned = TopicFacts {
            topic_arn: arn.to_owned(),
            exists: Some(true),
            attributes: Some(TopicAttributes {
                topic_arn: arn.to_owned(),
                kms_master_key_id: Some(key.to_owned()),
                policy: None,
            }),
            subscriptions: Some(Vec::new()),
            subscription_attributes: Vec::new(),
        };
        let blocking = encryption_gaps(self.facts, &planned, None)
            .into_iter()
            .find(Gap::is_blocking);
        match blocking {
            None => Ok(()),
            Some(gap) if gap.code.remedy() == Remedy::Unknown => {
                Err(RemediateError::FactsIncomplete { gaps: vec![gap] })
            }
            Some(gap) => Err(RemediateError::InvalidOption(format!(
                "--kms-key {key}: {} ({}); kmswatch does not encrypt its topic with a key CloudWatch cannot use",
                gap.message, gap.code
            ))),
        }
    }

    /// A topic in the site's region with a confirmed subscriber that an alarm
    /// of this chain already notifies successfully. Any other topic is
    /// unrelated to this control: kmswatch never picks one on its own (only
    /// `--topic-arn` names it), since its subscribers did not sign up for KMS
    /// alerts.
    fn reachable_topic(&self) -> Option<String> {
        let in_region = |arn: &str| Arn::parse(arn).is_some_and(|a| a.region == self.region);
        let delivers = |t: &TopicFacts| {
            t.subscriptions
                .iter()
                .flatten()
                .any(|s| delivers_any_alarm(t, s))
        };
        let chain_topics = || {
            self.assessment
                .chains
                .iter()
                .flat_map(|c| &c.filters)
                .flat_map(|f| &f.alarms)
                .flat_map(|a| &a.topics)
                .filter(|t| in_region(t.topic_arn))
        };
        let working = chain_topics()
            .find(|t| t.status == Status::Pass && t.topic.is_some_and(delivers))
            .map(|t| t.topic_arn.to_owned());
        // A topic of the chain that CloudWatch cannot publish to yet, but
        // whose policy kmswatch may extend.
        working.or_else(|| {
            chain_topics()
                .filter_map(|t| t.topic)
                .find(|t| {
                    t.exists == Some(true)
                        && customer_managed_key(t).is_none()
                        && reuse_blocker(self.facts, t).is_none()
                        && delivers(t)
                })
                .map(|t| t.topic_arn.clone())
        })
    }

    /// Makes an existing topic usable: the requested subscription, and
    /// CloudWatch's permission to publish.
    pub(crate) fn use_topic(&self, d: &mut Draft, arn: &str) -> Result<(), RemediateError> {
        let Some(topic) = self.facts.topic(arn) else {
            d.notes.push(format!(
                "topic {arn} is not in the facts: its subscribers and policy are unknown"
            ));
            if self.options.subscriber.is_some() {
                self.subscribe(d, arn, &[]);
            }
            return Ok(());
        };
        if topic.exists == Some(false) {
            return Err(RemediateError::InvalidOption(format!(
                "topic {arn} does not exist"
            )));
        }
        if let Some(gap) = reuse_blocker(self.facts, topic) {
            return Err(unusable_topic(
                arn,
                gap,
                self.options.topic_arn.as_deref() == Some(arn),
            ));
        }
        let subscriptions = topic.subscriptions.as_deref().unwrap_or_default();
        let filtered: Vec<_> = subscriptions
            .iter()
            .filter(|s| s.is_confirmed() && !delivers_any_alarm(topic, s))
            .collect();
        for s in &filtered {
            d.notes.push(format!(
                "subscription {}:{} of {arn} is not counted as a subscriber: its filter policy (or its unknown attributes) may drop alarm notifications, and kmswatch leaves it as it is",
                s.protocol, s.endpoint
            ));
        }
        if self.options.subscriber.is_some() {
            self.subscribe(d, arn, subscriptions);
        } else if !subscriptions.iter().any(|s| delivers_any_alarm(topic, s)) {
            if subscriptions.iter().all(|s| s.is_confirmed()) {
                return Err(RemediateError::NoSubscriber);
            }
            for s in subscriptions.iter().filter(|s| !s.is_confirmed()) {
                d.pending.push(PendingSubscription {
                    topic_arn: arn.to_owned(),
                    protocol: s.protocol.clone(),
                    endpoint: s.endpoint.clone(),
                    created_by_plan: false,
                });
            }
        }
        let current = topic.attributes.as_ref().and_then(|a| a.policy.as_deref());
        if !policy::allows_cloudwatch_publish(current, arn, &self.facts.account_id) {
            d.actions.push(Action::MergeTopicPolicy {
                topic_arn: arn.to_owned(),
                policy: policy::merge_statement(current, arn, &self.facts.account_id)?,
            });
        }
        if let Some(key) = customer_managed_key(topic) {
            d.notes.push(format!(
                "topic {arn} is encrypted with KMS key {key}, whose key policy lets cloudwatch.amazonaws.com use it: disabling that key silences the alarm"
            ));
        }
        Ok(())
    }

    /// Subscribes the requested endpoint unless `existing` already has it.
    fn subscribe(&self, d: &mut Draft, arn: &str, existing: &[Subscription]) {
        let topic = self.facts.topic(arn);
        let delivers = |e: &Subscription| topic.is_some_and(|t| delivers_any_alarm(t, e));
        subscribe_requested(d, self.options.subscriber.as_ref(), arn, existing, delivers);
    }
}

/// Subscribes `subscriber` to the topic `arn` unless `existing` already has
/// it: a confirmed subscription that `delivers` is kept, one that may drop
/// the messages is left alone with a note, a pending one is awaited.
pub(crate) fn subscribe_requested(
    d: &mut Draft,
    subscriber: Option<&Subscriber>,
    arn: &str,
    existing: &[Subscription],
    delivers: impl Fn(&Subscription) -> bool,
) {
    let Some(s) = subscriber else {
        return;
    };
    let found = existing
        .iter()
        .find(|e| e.protocol == s.protocol.as_str() && e.endpoint == s.endpoint);
    match found {
        Some(e) if e.is_confirmed() && !delivers(e) => d.notes.push(format!(
            "subscription {}:{} to {arn} exists but may drop the notifications (filter policy, or attributes unknown); subscribe another endpoint or remove its filter policy",
            e.protocol, e.endpoint
        )),
        Some(e) if e.is_confirmed() => d.unchanged.push(format!(
            "subscription {}:{} to {arn}",
            e.protocol, e.endpoint
        )),
        Some(e) => d.pending.push(PendingSubscription {
            topic_arn: arn.to_owned(),
            protocol: e.protocol.clone(),
            endpoint: e.endpoint.clone(),
            created_by_plan: false,
        }),
        None => {
            d.actions.push(Action::Subscribe {
                topic_arn: arn.to_owned(),
                protocol: s.protocol,
                endpoint: s.endpoint.clone(),
            });
            if s.protocol.needs_confirmation() {
                d.pending.push(PendingSubscription {
                    topic_arn: arn.to_owned(),
                    protocol: s.protocol.as_str().to_owned(),
                    endpoint: s.endpoint.clone(),
                    created_by_plan: true,
                });
            }
        }
    }
}

/// Why a topic CloudWatch cannot publish to is not used: its facts are
/// unknown, the `--topic-arn` option names it, or it is kmswatch's own topic.
fn unusable_topic(arn: &str, gap: Gap, named_by_option: bool) -> RemediateError {
    if gap.code.remedy() == Remedy::Unknown {
        return RemediateError::FactsIncomplete { gaps: vec![gap] };
    }
    let reason = format!(
        "{} ({}); kmswatch does not use a topic CloudWatch cannot publish to",
        gap.message, gap.code
    );
    if named_by_option {
        RemediateError::InvalidOption(format!("--topic-arn {arn}: {reason}"))
    } else {
        RemediateError::Conflict {
            resource: format!("SNS topic {arn}"),
            differences: vec![reason],
        }
    }
}

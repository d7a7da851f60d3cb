//! `remediate --via eventbridge`: in each region that holds customer managed
//! keys (and the check's own region), an enabled rule on the default event
//! bus that matches DisableKey and ScheduleKeyDeletion from aws.kms, with an
//! SNS topic target EventBridge may publish to and a subscriber. Regions
//! whose EventBridge monitoring passes already are left alone. Pure.
//!
//! kmswatch never creates a trail: without a multi-region trail that is
//! logging, EventBridge receives no KMS API call, and the plan stops as the
//! metric-filter plan does (a prerequisite).

use super::action::{Action, Change, PendingSubscription};
use super::desired::same_json;
use super::draft::Draft;
use super::error::RemediateError;
use super::options::RemediateOptions;
use super::policy;
use super::topic_choice::subscribe_requested;
use crate::check::facts::TopicFacts;
use crate::check::gap_code::GapCode;
use crate::check::key_regions::{key_regions, KeyRegions};
use crate::check::rules::eventbridge::assess_eventbridge;
use crate::check::rules::eventbridge_events::delivered_bodies;
use crate::check::rules::eventbridge_topic::{key_gaps, publish_gaps};
use crate::check::rules::subscription::{attributes_of, delivery, Delivery};
use crate::check::rules::topic_access::names_aws_managed_key;
use crate::check::{Assessment, Facts, Gap, Severity, Status};
use crate::model::{Arn, EventRuleSpec, RuleTarget, Subscription};
use std::collections::BTreeSet;

/// The event pattern of the rule kmswatch creates.
pub const EVENT_PATTERN: &str = r#"{"source":["aws.kms"],"detail-type":["AWS API Call via CloudTrail"],"detail":{"eventSource":["kms.amazonaws.com"],"eventName":["DisableKey","ScheduleKeyDeletion"]}}"#;

/// The id of kmswatch's target on its rule.
pub const TARGET_ID: &str = "kmswatch-alerts";

/// The trail EventBridge's events come from, and the actions that add
/// EventBridge monitoring where it is missing.
pub(crate) fn plan_eventbridge(
    assessment: &Assessment<'_>,
    options: &RemediateOptions,
) -> Result<(String, Draft), RemediateError> {
    let facts = assessment.facts;
    let trail_arn = logging_trail(facts)?;
    let regions = regions(facts)?;
    let monitors = assess_eventbridge(facts);
    let mut draft = Draft::default();
    for region in &regions {
        let passing = monitors
            .iter()
            .find(|m| &m.region == region && m.status == Status::Pass);
        if let Some(m) = passing {
            draft.notes.push(format!(
                "{region}: already monitored by EventBridge rule {}",
                m.rule.as_deref().unwrap_or_default()
            ));
            continue;
        }
        Region::new(facts, options, region, Some(&trail_arn)).plan(&mut draft)?;
    }
    draft.notes.push(format!(
        "the CIS / Security Hub CloudWatch.7 verdict stays FAIL without the metric-filter chain; `kmswatch check --accept eventbridge` counts these rules (regions: {})",
        regions.iter().cloned().collect::<Vec<_>>().join(", ")
    ));
    Ok((trail_arn, draft))
}

/// A multi-region trail known to be logging, or why the plan cannot go on.
fn logging_trail(facts: &Facts) -> Result<String, RemediateError> {
    let multi: Vec<_> = facts
        .trails
        .iter()
        .filter(|t| t.trail.is_multi_region_trail)
        .collect();
    if let Some(t) = multi
        .iter()
        .find(|t| t.status.as_ref().is_some_and(|s| s.is_logging))
    {
        return Ok(t.trail.trail_arn.clone());
    }
    let mut gap = Gap::of(
        GapCode::EventbridgeNoTrail,
        None,
        "no multi-region trail is logging, so EventBridge receives no KMS API calls: kmswatch does not create trails",
        &[],
    );
    if multi.iter().any(|t| t.status.is_none()) {
        gap.severity = Severity::Manual;
        gap.message = "whether a multi-region trail is logging is unknown (GetTrailStatus was not read), and without one EventBridge receives no KMS API calls".to_owned();
        return Err(RemediateError::FactsIncomplete { gaps: vec![gap] });
    }
    Err(RemediateError::PrerequisiteMissing { gaps: vec![gap] })
}

/// The regions that need a rule: those holding customer managed keys and the
/// check's own; unknown ones stop the plan (kmswatch does not guess).
fn regions(facts: &Facts) -> Result<BTreeSet<String>, RemediateError> {
    let unknown = |region: Option<&str>, message: String| {
        let mut gap = Gap::of(GapCode::EventbridgeKeyRegionsUnknown, region, message, &[]);
        gap.severity = Severity::Manual;
        gap
    };
    match key_regions(facts) {
        KeyRegions::Known(mut regions) => {
            regions.insert(facts.region.clone());
            Ok(regions)
        }
        KeyRegions::NotRead => Err(RemediateError::FactsIncomplete {
            gaps: vec![unknown(
                None,
                "the regions that hold customer managed keys were not listed (a snapshot from before, or taken without them): plan against the live account".to_owned(),
            )],
        }),
        KeyRegions::Unknown(failed) => Err(RemediateError::FactsIncomplete {
            gaps: failed
                .iter()
                .map(|r| {
                    unknown(
                        Some(r),
                        format!("the customer managed keys of {r} could not be listed (kms:ListKeys, kms:DescribeKey), so whether it needs a rule is unknown"),
                    )
                })
                .collect(),
        }),
    }
}

/// One region's rule and topic.
struct Region<'a> {
    facts: &'a Facts,
    options: &'a RemediateOptions,
    region: &'a str,
    partition: String,
    rule_arn: String,
}

impl<'a> Region<'a> {
    fn new(
        facts: &'a Facts,
        options: &'a RemediateOptions,
        region: &'a str,
        trail_arn: Option<&str>,
    ) -> Self {
        let partition = trail_arn
            .and_then(Arn::parse)
            .map(|a| a.partition.to_owned())
            .unwrap_or_else(|| "aws".to_owned());
        let rule_arn = format!(
            "arn:{partition}:events:{region}:{}:rule/{}",
            facts.account_id, options.rule_name
        );
        Region {
            facts,
            options,
            region,
            partition,
            rule_arn,
        }
    }

    fn plan(&self, d: &mut Draft) -> Result<(), RemediateError> {
        // Without the region's rules, a rule of kmswatch's name might be
        // overwritten: nothing is planned on an unknown.
        let read = self
            .facts
            .event_rules
            .iter()
            .any(|r| r.region == self.region && r.rules.is_some());
        if !read {
            let mut gap = Gap::with_fix(
                GapCode::EventbridgeUnknown,
                None,
                format!(
                    "the EventBridge rules of {} could not be read (events:ListRules)",
                    self.region
                ),
                format!(
                    "let the credentials call events:ListRules in {}, then plan again",
                    self.region
                ),
            );
            gap.severity = Severity::Error;
            return Err(RemediateError::FactsIncomplete { gaps: vec![gap] });
        }
        let topic = self.ensure_topic(d)?;
        self.ensure_rule(d, &topic)
    }

    /// `--topic-arn` when it is in this region, else kmswatch's own topic.
    fn ensure_topic(&self, d: &mut Draft) -> Result<String, RemediateError> {
        let named = self
            .options
            .topic_arn
            .as_ref()
            .filter(|arn| Arn::parse(arn).is_some_and(|a| a.region == self.region));
        let own = format!(
            "arn:{}:sns:{}:{}:{}",
            self.partition, self.region, self.facts.account_id, self.options.topic_name
        );
        let arn = named.cloned().unwrap_or(own);
        match self.facts.topic(&arn).filter(|t| t.exists != Some(false)) {
            Some(topic) => self.use_topic(d, topic, named.is_some())?,
            None if named.is_some() => {
                return Err(RemediateError::InvalidOption(format!(
                    "--topic-arn {arn}: the topic does not exist or could not be read"
                )))
            }
            None => self.create_topic(d, &arn)?,
        }
        Ok(arn)
    }

    fn create_topic(&self, d: &mut Draft, arn: &str) -> Result<(), RemediateError> {
        let Some(subscriber) = &self.options.subscriber else {
            return Err(RemediateError::NoSubscriber);
        };
        d.actions.push(Action::CreateTopic {
            region: self.region.to_owned(),
            name: self.options.topic_name.clone(),
            topic_arn: arn.to_owned(),
            tags: self.options.resource_tags(),
            kms_master_key_id: None,
        });
        let default = policy::new_topic_policy(arn, &self.facts.account_id);
        d.actions.push(Action::MergeTopicPolicy {
            topic_arn: arn.to_owned(),
            policy: policy::merge_events_statement(Some(&default), arn, &self.facts.account_id)?,
        });
        subscribe_requested(d, Some(subscriber), arn, &[], |_| false);
        Ok(())
    }

    /// An existing topic: EventBridge must be able to publish (policy merged
    /// in; an encryption key is not changed), and someone must read it.
    fn use_topic(
        &self,
        d: &mut Draft,
        topic: &TopicFacts,
        named: bool,
    ) -> Result<(), RemediateError> {
        let arn = topic.topic_arn.as_str();
        let refuse = |reason: String| {
            if named {
                RemediateError::InvalidOption(format!("--topic-arn {arn}: {reason}"))
            } else {
                RemediateError::Conflict {
                    resource: format!("SNS topic {arn}"),
                    differences: vec![reason],
                }
            }
        };
        let Some(attributes) = &topic.attributes else {
            return Err(RemediateError::FactsIncomplete {
                gaps: vec![Gap::of(
                    GapCode::EventbridgeUnknown,
                    Some(arn),
                    format!("the attributes of topic {arn} are not known"),
                    &[],
                )],
            });
        };
        if let Some(key) = attributes
            .kms_master_key_id
            .as_deref()
            .filter(|k| !k.is_empty())
        {
            if names_aws_managed_key(key) {
                return Err(refuse(format!(
                    "it is encrypted with {key}, an AWS managed key EventBridge cannot use: encrypt it with a customer managed key whose policy lets events.amazonaws.com call kms:Decrypt and kms:GenerateDataKey*, or name another topic"
                )));
            }
            if let Some(gap) = key_gaps(self.facts, arn, &self.rule_arn)
                .into_iter()
                .find(Gap::is_blocking)
            {
                return Err(refuse(format!(
                    "{} ({}); kmswatch does not change key policies",
                    gap.message, gap.code
                )));
            }
        }
        if !publish_gaps(self.facts, arn, &self.rule_arn).is_empty() {
            d.actions.push(Action::MergeTopicPolicy {
                topic_arn: arn.to_owned(),
                policy: policy::merge_events_statement(
                    attributes.policy.as_deref(),
                    arn,
                    &self.facts.account_id,
                )?,
            });
        }
        let subscriptions = topic.subscriptions.as_deref().unwrap_or_default();
        if self.options.subscriber.is_some() {
            let delivers = |e: &Subscription| {
                attributes_of(topic, e).is_some_and(|a| {
                    delivery(a, &delivered_bodies(&self.facts.account_id)) == Delivery::Delivers
                })
            };
            subscribe_requested(
                d,
                self.options.subscriber.as_ref(),
                arn,
                subscriptions,
                delivers,
            );
        } else if !subscriptions.iter().any(|s| s.is_confirmed()) {
            if subscriptions.is_empty() {
                return Err(RemediateError::NoSubscriber);
            }
            for s in subscriptions {
                d.pending.push(PendingSubscription {
                    topic_arn: arn.to_owned(),
                    protocol: s.protocol.clone(),
                    endpoint: s.endpoint.clone(),
                    created_by_plan: false,
                });
            }
        }
        d.unchanged.push(format!("SNS topic {arn}"));
        Ok(())
    }

    /// kmswatch's rule with the topic as a target; a rule of that name with
    /// another pattern or state is taken over only with `--adopt`.
    fn ensure_rule(&self, d: &mut Draft, topic_arn: &str) -> Result<(), RemediateError> {
        let name = &self.options.rule_name;
        let existing = self
            .facts
            .event_rules
            .iter()
            .filter(|r| r.region == self.region)
            .flat_map(|r| r.rules.iter().flatten())
            .find(|r| &r.rule.name == name);
        let spec = EventRuleSpec {
            name: name.clone(),
            event_pattern: EVENT_PATTERN.to_owned(),
            state: "ENABLED".to_owned(),
            description: Some(
                "kmswatch: KMS key disabling and scheduled deletion, to a human".to_owned(),
            ),
            tags: self.options.resource_tags(),
        };
        let put = |change| Action::PutEventRule {
            region: self.region.to_owned(),
            change,
            rule: spec.clone(),
        };
        match existing {
            None => d.actions.push(put(Change::Create)),
            Some(r)
                if r.rule.state.as_deref() == Some("ENABLED")
                    && same_json(r.rule.event_pattern.as_deref(), EVENT_PATTERN) =>
            {
                d.unchanged.push(format!(
                    "EventBridge rule {name} in {}",
                    self.region
                ))
            }
            Some(_) if self.options.adopt => {
                d.notes.push(format!(
                    "EventBridge rule {name} in {} is taken over (--adopt): its pattern and state are replaced",
                    self.region
                ));
                d.actions.push(put(Change::Update));
            }
            Some(r) => {
                return Err(RemediateError::Conflict {
                    resource: format!("EventBridge rule {name} in {}", self.region),
                    differences: vec![format!(
                        "state {} and pattern {} (wanted ENABLED and {EVENT_PATTERN}); give --adopt to take it over or --rule-name to use another name",
                        r.rule.state.as_deref().unwrap_or("unknown"),
                        r.rule.event_pattern.as_deref().unwrap_or("none")
                    )],
                })
            }
        }
        let targeted = existing
            .and_then(|r| r.targets.as_ref())
            .is_some_and(|ts| ts.iter().any(|t| t.arn == topic_arn && !t.transforms_input));
        if targeted {
            d.unchanged
                .push(format!("target {topic_arn} of EventBridge rule {name}"));
        } else {
            d.actions.push(Action::PutEventTargets {
                region: self.region.to_owned(),
                rule: name.clone(),
                targets: vec![RuleTarget {
                    id: TARGET_ID.to_owned(),
                    arn: topic_arn.to_owned(),
                    transforms_input: false,
                }],
            });
        }
        Ok(())
    }
}

//! Actions: the writes a plan is made of. They are data: they print,
//! serialize, preview and export.

use super::options::Protocol;
use super::policy;
use crate::model::{Alarm, EventRuleSpec, MetricFilter, RuleTarget};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Whether a put creates a resource or changes one (the latter only with `--adopt`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// The resource does not exist yet.
    Create,
    /// An existing resource of that name is taken over and changed.
    Update,
}

/// One write. Actions are data: they print, serialize, preview and export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// `CreateTopic`.
    CreateTopic {
        /// Region.
        region: String,
        /// Topic name.
        name: String,
        /// The ARN the topic will have.
        topic_arn: String,
        /// Tags, `kmswatch:managed` included.
        tags: BTreeMap<String, String>,
        /// The KMS key to encrypt it with (`--kms-key`), set right after
        /// creation; `None`: unencrypted.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        kms_master_key_id: Option<String>,
    },
    /// `SetTopicAttributes Policy` with the existing policy plus kmswatch's statement.
    MergeTopicPolicy {
        /// The topic.
        topic_arn: String,
        /// The merged policy document: every existing statement, and kmswatch's.
        policy: String,
    },
    /// `Subscribe`.
    Subscribe {
        /// The topic.
        topic_arn: String,
        /// Protocol.
        protocol: Protocol,
        /// Endpoint.
        endpoint: String,
    },
    /// `PutMetricFilter`.
    PutMetricFilter {
        /// Region of the log group.
        region: String,
        /// Create, or update an adopted filter.
        change: Change,
        /// The filter.
        filter: MetricFilter,
    },
    /// `PutMetricAlarm`.
    PutMetricAlarm {
        /// Region (the metric's).
        region: String,
        /// Create, or update an adopted alarm.
        change: Change,
        /// The alarm, tags included.
        alarm: Box<Alarm>,
    },
    /// EventBridge `PutRule` on the region's default event bus (`--via eventbridge`).
    PutEventRule {
        /// Region.
        region: String,
        /// Create, or update an adopted rule.
        change: Change,
        /// The rule.
        rule: EventRuleSpec,
    },
    /// EventBridge `PutTargets` (`--via eventbridge`).
    PutEventTargets {
        /// Region.
        region: String,
        /// The rule's name.
        rule: String,
        /// The targets added (SNS topics).
        targets: Vec<RuleTarget>,
    },
}

impl Action {
    /// Dependency order: topics before what publishes to them, the alarm last so
    /// that it never exists without the path behind it.
    pub(crate) fn rank(&self) -> u8 {
        match self {
            Action::CreateTopic { .. } => 0,
            Action::MergeTopicPolicy { .. } => 1,
            Action::Subscribe { .. } => 2,
            Action::PutMetricFilter { .. } => 3,
            Action::PutMetricAlarm { .. } => 4,
            Action::PutEventRule { .. } => 5,
            // A rule has no target until the topic behind it is ready.
            Action::PutEventTargets { .. } => 6,
        }
    }

    /// One line for people, e.g. `create alarm X in us-east-1 on CISBenchmark/Y → arn:...`.
    pub fn describe(&self) -> String {
        let verb = |c: &Change| match c {
            Change::Create => "create",
            Change::Update => "update (adopted)",
        };
        match self {
            Action::CreateTopic {
                region,
                name,
                kms_master_key_id,
                ..
            } => match kms_master_key_id {
                Some(key) => {
                    format!("create SNS topic {name} in {region}, encrypted with KMS key {key}")
                }
                None => format!("create SNS topic {name} in {region}"),
            },
            Action::MergeTopicPolicy { topic_arn, policy } => format!(
                "add statement {} to the access policy of {topic_arn} (existing statements kept)",
                policy::added_sid(policy)
            ),
            Action::Subscribe {
                topic_arn,
                protocol,
                endpoint,
            } => {
                format!("subscribe {}:{endpoint} to {topic_arn}", protocol.as_str())
            }
            Action::PutMetricFilter {
                region,
                change,
                filter,
            } => {
                let t = filter.metric_transformations.first();
                format!(
                    "{} metric filter {} on log group {} in {region}: pattern {} → metric {}/{} (value {})",
                    verb(change),
                    filter.filter_name,
                    filter.log_group_name,
                    filter.filter_pattern,
                    t.map(|t| t.metric_namespace.as_str()).unwrap_or_default(),
                    t.map(|t| t.metric_name.as_str()).unwrap_or_default(),
                    t.map(|t| t.metric_value.as_str()).unwrap_or_default(),
                )
            }
            Action::PutMetricAlarm {
                region,
                change,
                alarm,
            } => {
                let metric = alarm.metric.as_ref();
                format!(
                    "{} alarm {} in {region}: {} of {}/{} over {} s >= {} (1 of 1, missing data notBreaching) → {}",
                    verb(change),
                    alarm.alarm_name,
                    alarm.statistic.as_deref().unwrap_or_default(),
                    metric.map(|m| m.namespace.as_str()).unwrap_or_default(),
                    metric.map(|m| m.metric_name.as_str()).unwrap_or_default(),
                    alarm.period.unwrap_or_default(),
                    alarm.threshold.unwrap_or_default(),
                    alarm.alarm_actions.join(", ")
                )
            }
            Action::PutEventRule {
                region,
                change,
                rule,
            } => format!(
                "{} EventBridge rule {} ({}) on the default event bus in {region}: pattern {}",
                verb(change),
                rule.name,
                rule.state,
                rule.event_pattern
            ),
            Action::PutEventTargets {
                region,
                rule,
                targets,
            } => format!(
                "add target(s) {} to EventBridge rule {rule} in {region}",
                targets
                    .iter()
                    .map(|t| t.arn.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

/// A subscription that must be confirmed before alerts reach anyone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PendingSubscription {
    /// The topic.
    pub topic_arn: String,
    /// Protocol.
    pub protocol: String,
    /// Endpoint.
    pub endpoint: String,
    /// Whether the plan creates it (false: it already exists, unconfirmed).
    pub created_by_plan: bool,
}

//! The AWS resources kmswatch reasons about, as plain data.
//!
//! Field names follow the AWS APIs (in snake_case) so a snapshot reads like the
//! AWS CLI output it came from. Every backend converts to and from these types.

mod events;

pub use events::{EventRule, EventRuleSpec, RuleTarget, DEFAULT_EVENT_BUS};

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A CloudTrail trail as `DescribeTrails` (with shadow trails) returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Trail {
    /// Trail name.
    pub name: String,
    /// Trail ARN; its account is the account that owns the trail.
    pub trail_arn: String,
    /// The region the trail was created in. Status and selectors are read there.
    pub home_region: String,
    /// Whether the trail records events in every region.
    #[serde(default)]
    pub is_multi_region_trail: bool,
    /// Whether the trail is an AWS Organizations trail.
    #[serde(default)]
    pub is_organization_trail: bool,
    /// The CloudWatch Logs log group the trail delivers to, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloud_watch_logs_log_group_arn: Option<String>,
    /// The role CloudTrail assumes to write to the log group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloud_watch_logs_role_arn: Option<String>,
    /// Whether the trail has custom event selectors (classic or advanced).
    #[serde(default)]
    pub has_custom_event_selectors: bool,
}

/// The parts of `GetTrailStatus` the decision uses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TrailStatus {
    /// Whether the trail is currently logging.
    pub is_logging: bool,
    /// The last error CloudTrail saw delivering to CloudWatch Logs, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_cloud_watch_logs_delivery_error: Option<String>,
    /// When CloudTrail last delivered to CloudWatch Logs (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_cloud_watch_logs_delivery_time: Option<String>,
}

/// `ReadWriteType` of a classic event selector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum ReadWriteType {
    /// Read and write events.
    All,
    /// Read-only events.
    ReadOnly,
    /// Write-only events.
    WriteOnly,
}

/// A classic event selector.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EventSelector {
    /// Which management events are recorded.
    pub read_write_type: ReadWriteType,
    /// Whether management events are recorded at all.
    pub include_management_events: bool,
    /// Event sources whose management events are not recorded.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude_management_event_sources: Vec<String>,
}

/// One condition of an advanced event selector.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FieldSelector {
    /// The field, e.g. `eventCategory`, `readOnly`, `eventSource`.
    pub field: String,
    /// `Equals` values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub equals: Vec<String>,
    /// `NotEquals` values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_equals: Vec<String>,
    /// `StartsWith` values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub starts_with: Vec<String>,
    /// `NotStartsWith` values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_starts_with: Vec<String>,
    /// `EndsWith` values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ends_with: Vec<String>,
    /// `NotEndsWith` values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_ends_with: Vec<String>,
}

/// An advanced event selector: all its field selectors must hold.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AdvancedEventSelector {
    /// Optional name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The conditions.
    pub field_selectors: Vec<FieldSelector>,
}

/// `GetEventSelectors`: a trail has either classic or advanced selectors.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EventSelectors {
    /// Classic selectors.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub event_selectors: Vec<EventSelector>,
    /// Advanced selectors.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub advanced_event_selectors: Vec<AdvancedEventSelector>,
}

/// A CloudWatch Logs log group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogGroup {
    /// Log group name.
    pub log_group_name: String,
    /// Log group ARN, without the trailing `:*`.
    pub arn: String,
}

/// The metric a metric filter publishes for each matching event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MetricTransformation {
    /// Metric name.
    pub metric_name: String,
    /// Metric namespace.
    pub metric_namespace: String,
    /// The value published per match: a number, or a `$.selector` / `$field`.
    pub metric_value: String,
    /// Published when log events arrive but none matches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_value: Option<f64>,
    /// Dimension name to event field selector.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub dimensions: BTreeMap<String, String>,
    /// Unit of the metric.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}

/// A CloudWatch Logs metric filter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MetricFilter {
    /// Filter name, unique within its log group.
    pub filter_name: String,
    /// The log group it reads.
    pub log_group_name: String,
    /// The filter pattern text, as stored in AWS.
    pub filter_pattern: String,
    /// What it publishes (AWS allows exactly one).
    pub metric_transformations: Vec<MetricTransformation>,
}

/// A metric: namespace, name and dimensions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Metric {
    /// Namespace.
    pub namespace: String,
    /// Metric name.
    pub metric_name: String,
    /// Dimension name to value.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub dimensions: BTreeMap<String, String>,
}

/// A `MetricStat` inside a metric-math alarm.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MetricStat {
    /// The metric.
    pub metric: Metric,
    /// Period in seconds.
    pub period: i32,
    /// Statistic (`Sum`, `Maximum`, `p99`...).
    pub stat: String,
    /// The unit the datapoints must have; `None`: any unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}

/// One entry of a metric-math alarm's `Metrics`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MetricDataQuery {
    /// Query id, referenced by expressions.
    pub id: String,
    /// A metric-math expression, when this query is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expression: Option<String>,
    /// The metric read, when this query reads one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric_stat: Option<MetricStat>,
    /// Whether this query's result is what the alarm evaluates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_data: Option<bool>,
    /// The account whose metric the query reads (cross-account observability);
    /// unset means the alarm's own account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
}

/// A CloudWatch metric alarm as `DescribeAlarms` returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Alarm {
    /// Alarm name.
    pub alarm_name: String,
    /// Alarm ARN.
    pub alarm_arn: String,
    /// Whether actions run on state changes; `None` when AWS did not say
    /// (unknown, never read as enabled).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actions_enabled: Option<bool>,
    /// Actions run on entering ALARM.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alarm_actions: Vec<String>,
    /// Actions run on entering OK.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ok_actions: Vec<String>,
    /// Actions run on entering INSUFFICIENT_DATA.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub insufficient_data_actions: Vec<String>,
    /// The metric of a single-metric alarm.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric: Option<Metric>,
    /// Statistic of a single-metric alarm (`Sum`, `Maximum`...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statistic: Option<String>,
    /// Percentile statistic (`p99`...) of a single-metric alarm.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extended_statistic: Option<String>,
    /// Period in seconds of a single-metric alarm.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<i32>,
    /// The queries of a metric-math alarm.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub metrics: Vec<MetricDataQuery>,
    /// Threshold (absent for anomaly-detection alarms).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f64>,
    /// Comparison operator, e.g. `GreaterThanOrEqualToThreshold`.
    pub comparison_operator: String,
    /// Number of periods evaluated.
    pub evaluation_periods: i32,
    /// Breaching datapoints needed among `evaluation_periods`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub datapoints_to_alarm: Option<i32>,
    /// `breaching`, `notBreaching`, `ignore` or `missing`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub treat_missing_data: Option<String>,
    /// Current state (`OK`, `ALARM`, `INSUFFICIENT_DATA`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_value: Option<String>,
    /// When the alarm last changed state (RFC 3339), if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_updated_timestamp: Option<String>,
    /// The unit the alarm's metric datapoints must have; `None`: any unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// The alarm's description, when it has one and it was read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alarm_description: Option<String>,
    /// Tags to set when kmswatch creates the alarm (not read back).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
}

/// A CloudWatch composite alarm as `DescribeAlarms` returns it: its state
/// follows an `AlarmRule` over other alarms (see [`crate::alarm_rule`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CompositeAlarm {
    /// Alarm name.
    pub alarm_name: String,
    /// Alarm ARN.
    pub alarm_arn: String,
    /// Whether actions run on state changes; `None` when AWS did not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actions_enabled: Option<bool>,
    /// Actions run on entering ALARM.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alarm_actions: Vec<String>,
    /// The rule over other alarms' states.
    pub alarm_rule: String,
    /// The alarm whose ALARM state suppresses this one's actions, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actions_suppressor: Option<String>,
    /// The alarm's description, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alarm_description: Option<String>,
    /// Current state (`OK`, `ALARM`, `INSUFFICIENT_DATA`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_value: Option<String>,
    /// When the alarm last changed state (RFC 3339), if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_updated_timestamp: Option<String>,
}

/// The attributes of an SNS topic that the decision uses.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TopicAttributes {
    /// Topic ARN.
    pub topic_arn: String,
    /// `KmsMasterKeyId`: the key that encrypts the topic, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kms_master_key_id: Option<String>,
    /// The topic's access policy (JSON text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
}

/// A KMS key as `DescribeKey` returns it: the parts that decide whether
/// CloudWatch can encrypt an alert topic's messages with it, and whether the
/// key is at risk (disabled, pending deletion). Fields AWS did not return, or
/// a snapshot predating them, are `None`: unknown.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Key {
    /// Key id.
    pub key_id: String,
    /// Key ARN; its account owns the key.
    pub arn: String,
    /// `AWS` (an AWS managed key, such as `alias/aws/sns`) or `CUSTOMER`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_manager: Option<String>,
    /// `Enabled`, `Disabled`, `PendingDeletion`...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_state: Option<String>,
    /// `DeletionDate` (RFC 3339, UTC): when a key pending deletion is deleted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deletion_date: Option<String>,
    /// `PendingDeletionWindowInDays`: for a multi-Region primary key in
    /// `PendingReplicaDeletion`, the waiting period that starts once its
    /// last replica is deleted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending_deletion_window_in_days: Option<u32>,
    /// `MultiRegion`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multi_region: Option<bool>,
    /// `MultiRegionConfiguration.MultiRegionKeyType`: `PRIMARY` or `REPLICA`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multi_region_key_type: Option<String>,
    /// The ARN of the multi-Region primary key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_key_arn: Option<String>,
    /// The ARNs of a multi-Region primary key's replicas.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub replica_key_arns: Vec<String>,
    /// `Description`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A KMS alias as `ListAliases` returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alias {
    /// `alias/...`.
    pub alias_name: String,
    /// The key id it names (`None`: an AWS managed alias not yet used).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_key_id: Option<String>,
}

/// One event of CloudTrail's event history, as `LookupEvents` returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrailEvent {
    /// `EventId`.
    pub event_id: String,
    /// `EventName`, e.g. `DisableKey`.
    pub event_name: String,
    /// `EventTime` (RFC 3339, UTC).
    pub event_time: String,
    /// `Username`, when CloudTrail names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// `CloudTrailEvent`: the whole CloudTrail record (JSON text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloud_trail_event: Option<String>,
}

impl Key {
    /// Whether AWS manages the key (its policy cannot be changed).
    pub fn is_aws_managed(&self) -> bool {
        self.key_manager.as_deref() == Some("AWS")
    }
}

/// An SNS subscription as `ListSubscriptionsByTopic` returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Subscription {
    /// `PendingConfirmation` until the endpoint confirms, then the subscription ARN.
    pub subscription_arn: String,
    /// Protocol (`email`, `https`, `sqs`, `lambda`...).
    pub protocol: String,
    /// Endpoint (address, URL, ARN).
    pub endpoint: String,
}

/// The attributes of an SNS subscription that decide whether it delivers
/// alarm notifications (`GetSubscriptionAttributes`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SubscriptionAttributes {
    /// Subscription ARN.
    pub subscription_arn: String,
    /// `PendingConfirmation`; `None` when AWS did not say (unknown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending_confirmation: Option<bool>,
    /// `FilterPolicy` (JSON text), when the subscription has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter_policy: Option<String>,
    /// `FilterPolicyScope` (`MessageAttributes`, SNS's default when unset, or
    /// `MessageBody`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter_policy_scope: Option<String>,
}

impl SubscriptionAttributes {
    /// A confirmed subscription without a filter policy.
    pub fn confirmed(subscription_arn: &str) -> Self {
        SubscriptionAttributes {
            subscription_arn: subscription_arn.to_owned(),
            pending_confirmation: Some(false),
            ..SubscriptionAttributes::default()
        }
    }
}

impl Subscription {
    /// Whether the endpoint confirmed the subscription and it still exists.
    pub fn is_confirmed(&self) -> bool {
        self.subscription_arn.starts_with("arn:")
    }
}

/// The parts of an ARN kmswatch needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arn<'a> {
    /// `aws`, `aws-cn`, `aws-us-gov`...
    pub partition: &'a str,
    /// Service, e.g. `logs`.
    pub service: &'a str,
    /// Region (empty for global resources).
    pub region: &'a str,
    /// Account id.
    pub account_id: &'a str,
    /// Everything after the account id.
    pub resource: &'a str,
}

impl<'a> Arn<'a> {
    /// Splits an ARN; `None` when it is not one.
    ///
    /// ```
    /// let arn = kmswatch_core::model::Arn::parse(
    ///     "arn:aws:logs:us-east-1:111122223333:log-group:CloudTrail/Default:*").unwrap();
    /// assert_eq!(arn.region, "us-east-1");
    /// assert_eq!(arn.resource, "log-group:CloudTrail/Default:*");
    /// ```
    pub fn parse(text: &'a str) -> Option<Self> {
        let mut parts = text.splitn(6, ':');
        if parts.next()? != "arn" {
            return None;
        }
        let arn = Arn {
            partition: parts.next()?,
            service: parts.next()?,
            region: parts.next()?,
            account_id: parts.next()?,
            resource: parts.next()?,
        };
        (!arn.partition.is_empty() && !arn.service.is_empty()).then_some(arn)
    }

    /// For a log group ARN (with or without the trailing `:*`): the log group name.
    pub fn log_group_name(&self) -> Option<&'a str> {
        let name = self.resource.strip_prefix("log-group:")?;
        let name = name.strip_suffix(":*").unwrap_or(name);
        (!name.is_empty()).then_some(name)
    }
}

/// A log group ARN without the `:*` suffix CloudTrail stores.
pub fn normalize_log_group_arn(arn: &str) -> &str {
    arn.strip_suffix(":*").unwrap_or(arn)
}

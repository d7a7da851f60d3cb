//! CloudWatch: metrics, metric alarms and composite alarms.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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

//! CloudWatch Logs: log groups and metric filters.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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
    /// `true` when it reads the log events as the log group's transformer
    /// rewrites them (`applyOnTransformedLogs`) instead of as CloudTrail
    /// delivered them. Absent when AWS answers its default, `false` (and in
    /// snapshots made before kmswatch read it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub apply_on_transformed_logs: Option<bool>,
}

impl MetricFilter {
    /// A filter with these properties and every optional one absent, as AWS
    /// answers its defaults. What makes filters (kmswatch's own writes, the
    /// tests, the conformance suite) goes through here, so that a new optional
    /// property changes none of it.
    pub fn new(
        filter_name: impl Into<String>,
        log_group_name: impl Into<String>,
        filter_pattern: impl Into<String>,
        metric_transformations: Vec<MetricTransformation>,
    ) -> Self {
        MetricFilter {
            filter_name: filter_name.into(),
            log_group_name: log_group_name.into(),
            filter_pattern: filter_pattern.into(),
            metric_transformations,
            apply_on_transformed_logs: None,
        }
    }
}

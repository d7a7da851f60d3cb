//! CloudTrail: trails, their status and event selectors, event history.

use serde::{Deserialize, Serialize};

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

//! Monitoring besides the CIS metric-filter chain: EventBridge rules that
//! send KMS key events to a human. Reported in `monitored_by`; the CIS /
//! Security Hub verdict stays what the CIS text asks unless the user accepts
//! a kind of monitoring ([`super::accept()`]).

use super::gap::Gap;
use super::status::Status;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// What kind of monitoring an entry of `monitored_by` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum MonitorKind {
    /// An EventBridge rule on a region's default event bus.
    Eventbridge,
}

impl MonitorKind {
    /// The name flags and JSON use (`eventbridge`).
    pub fn as_str(self) -> &'static str {
        match self {
            MonitorKind::Eventbridge => "eventbridge",
        }
    }
}

impl fmt::Display for MonitorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A monitoring kind name that is not one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown monitoring kind {0:?} (expected eventbridge)")]
pub struct UnknownMonitorKind(pub String);

impl FromStr for MonitorKind {
    type Err = UnknownMonitorKind;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "eventbridge" => Ok(MonitorKind::Eventbridge),
            other => Err(UnknownMonitorKind(other.to_owned())),
        }
    }
}

/// One region's monitoring of one kind: the best rule found there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Monitor {
    /// `eventbridge`.
    pub kind: MonitorKind,
    /// The region whose KMS key events it watches.
    pub region: String,
    /// The rule's name; `null` when the region has no rule that matches.
    pub rule: Option<String>,
    /// The rule's ARN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule_arn: Option<String>,
    /// The target events its pattern matches (`DisableKey`, `ScheduleKeyDeletion`).
    #[serde(default)]
    pub catches: Vec<String>,
    /// Its targets, each with its verdict.
    #[serde(default)]
    pub targets: Vec<MonitorTarget>,
    /// PASS when a KMS key disable or deletion in the region reaches a human this way.
    pub status: Status,
    /// Why not, or what is unknown.
    #[serde(default)]
    pub gaps: Vec<Gap>,
}

/// A target of a monitoring rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MonitorTarget {
    /// The target's ARN.
    pub arn: String,
    /// The service of the ARN: `sns`, `lambda`, `sqs`, `events` (an event bus)...
    pub kind: String,
    /// PASS when it delivers the event to a human.
    pub status: Status,
    /// Confirmed subscriptions of an SNS topic target, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmed_subscriptions: Option<usize>,
    /// Why not, or what is unknown.
    #[serde(default)]
    pub gaps: Vec<Gap>,
}

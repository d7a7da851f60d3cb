//! EventBridge rules and their targets, as `ListRules` and
//! `ListTargetsByRule` return them.

use serde::{Deserialize, Serialize};

/// The event bus every account has in every region, which receives the events
/// AWS services send (CloudTrail's API calls among them).
pub const DEFAULT_EVENT_BUS: &str = "default";

/// An EventBridge rule as `ListRules` returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EventRule {
    /// Rule name.
    pub name: String,
    /// Rule ARN.
    pub arn: String,
    /// The event bus it belongs to (name).
    #[serde(default = "default_event_bus")]
    pub event_bus_name: String,
    /// `ENABLED`, `DISABLED`, `ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// The event pattern (JSON text); absent for a scheduled rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_pattern: Option<String>,
}

fn default_event_bus() -> String {
    DEFAULT_EVENT_BUS.to_owned()
}

impl EventRule {
    /// Whether EventBridge runs the rule.
    pub fn is_enabled(&self) -> bool {
        self.state
            .as_deref()
            .is_some_and(|s| s.starts_with("ENABLED"))
    }
}

/// A target of an EventBridge rule as `ListTargetsByRule` returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RuleTarget {
    /// The target's id within the rule.
    pub id: String,
    /// The target's ARN (SNS topic, Lambda function, SQS queue, event bus...).
    pub arn: String,
    /// Whether the target gets something else than the event itself
    /// (`Input`, `InputPath` or `InputTransformer`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub transforms_input: bool,
}

/// A rule of the default event bus as `PutRule` writes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EventRuleSpec {
    /// Rule name.
    pub name: String,
    /// The event pattern (JSON text).
    pub event_pattern: String,
    /// `ENABLED` or `DISABLED`.
    pub state: String,
    /// The rule's description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Tags (applied when the rule is created).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub tags: std::collections::BTreeMap<String, String>,
}

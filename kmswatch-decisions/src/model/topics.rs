//! SNS: topics, subscriptions and their attributes.

use serde::{Deserialize, Serialize};

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

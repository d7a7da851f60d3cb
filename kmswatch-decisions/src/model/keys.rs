//! KMS: keys and aliases.

use serde::{Deserialize, Serialize};

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
impl Key {
    /// Whether AWS manages the key (its policy cannot be changed).
    pub fn is_aws_managed(&self) -> bool {
        self.key_manager.as_deref() == Some("AWS")
    }
}

//! KMS: the key an alert topic is encrypted with, and its key policy (calls
//! go to the topic's region, where its `KmsMasterKeyId` resolves); the keys
//! and aliases of a region; the two writes that undo a disabling or a
//! scheduled deletion.

use super::error::{required, Missing};
use super::AwsBackend;
use crate::api::{ApiErrorKind, ApiResult, KeysApi};
use crate::model::{Alias, Key};
use crate::operation::Operation;
use async_trait::async_trait;
use aws_sdk_kms::types::KeyMetadata;

/// The only key policy name KMS has.
const POLICY_NAME: &str = "default";

#[async_trait]
impl KeysApi for AwsBackend {
    /// One `DescribeKey` request.
    async fn describe_key(&self, region: &str, key_id: &str) -> ApiResult<Option<Key>> {
        let (client, call) = self.call(&self.kms, Operation::DescribeKey, region, Some(key_id))?;
        match client.describe_key().key_id(key_id).send().await {
            Ok(output) => {
                let metadata =
                    required(output.key_metadata, "KeyMetadata").map_err(|m| call.malformed(m))?;
                key_from_sdk(metadata)
                    .map(Some)
                    .map_err(|m| call.malformed(m))
            }
            Err(err) => match call.sdk_error(err) {
                err if err.kind == ApiErrorKind::NotFound => Ok(None),
                err => Err(err),
            },
        }
    }

    /// One `GetKeyPolicy` request.
    async fn get_key_policy(&self, region: &str, key_id: &str) -> ApiResult<String> {
        let (client, call) = self.call(&self.kms, Operation::GetKeyPolicy, region, Some(key_id))?;
        let output = client
            .get_key_policy()
            .key_id(key_id)
            .policy_name(POLICY_NAME)
            .send()
            .await
            .map_err(|e| call.sdk_error(e))?;
        required(output.policy, "Policy").map_err(|m| call.malformed(m))
    }

    /// `ListKeys`, every page.
    async fn list_keys(&self, region: &str) -> ApiResult<Vec<String>> {
        let (client, call) = self.call(&self.kms, Operation::ListKeys, region, None)?;
        let mut pages = client.list_keys().into_paginator().send();
        let mut arns = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| call.sdk_error(e))?;
            for key in page.keys.unwrap_or_default() {
                // A key without its ARN is named by its id: DescribeKey takes both.
                let name = key.key_arn.or(key.key_id);
                arns.push(required(name, "KeyArn").map_err(|m| call.malformed(m))?);
            }
        }
        Ok(arns)
    }

    /// `ListAliases`, every page.
    async fn list_aliases(&self, region: &str) -> ApiResult<Vec<Alias>> {
        let (client, call) = self.call(&self.kms, Operation::ListAliases, region, None)?;
        let mut pages = client.list_aliases().into_paginator().send();
        let mut aliases = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| call.sdk_error(e))?;
            for alias in page.aliases.unwrap_or_default() {
                aliases.push(Alias {
                    alias_name: required(alias.alias_name, "AliasName")
                        .map_err(|m| call.malformed(m))?,
                    target_key_id: alias.target_key_id,
                });
            }
        }
        Ok(aliases)
    }

    /// One `CancelKeyDeletion` request.
    async fn cancel_key_deletion(&self, region: &str, key_id: &str) -> ApiResult<()> {
        let (client, call) = self.call(
            &self.kms,
            Operation::CancelKeyDeletion,
            region,
            Some(key_id),
        )?;
        client
            .cancel_key_deletion()
            .key_id(key_id)
            .send()
            .await
            .map_err(|e| call.sdk_error(e))?;
        Ok(())
    }

    /// One `EnableKey` request.
    async fn enable_key(&self, region: &str, key_id: &str) -> ApiResult<()> {
        let (client, call) = self.call(&self.kms, Operation::EnableKey, region, Some(key_id))?;
        client
            .enable_key()
            .key_id(key_id)
            .send()
            .await
            .map_err(|e| call.sdk_error(e))?;
        Ok(())
    }
}

/// The parts of a key's metadata the decision uses.
pub(crate) fn key_from_sdk(metadata: KeyMetadata) -> Result<Key, Missing> {
    let multi_region = metadata.multi_region_configuration;
    Ok(Key {
        arn: required(metadata.arn, "Arn")?,
        key_id: metadata.key_id,
        key_manager: metadata.key_manager.map(|m| m.as_str().to_owned()),
        key_state: metadata.key_state.map(|s| s.as_str().to_owned()),
        deletion_date: metadata.deletion_date.and_then(super::alarms::rfc3339),
        pending_deletion_window_in_days: metadata
            .pending_deletion_window_in_days
            .and_then(|d| u32::try_from(d).ok()),
        multi_region: metadata.multi_region,
        multi_region_key_type: multi_region
            .as_ref()
            .and_then(|c| c.multi_region_key_type.as_ref())
            .map(|t| t.as_str().to_owned()),
        primary_key_arn: multi_region
            .as_ref()
            .and_then(|c| c.primary_key.as_ref())
            .and_then(|k| k.arn.clone()),
        replica_key_arns: multi_region
            .map(|c| c.replica_keys.unwrap_or_default())
            .unwrap_or_default()
            .into_iter()
            .filter_map(|k| k.arn)
            .collect(),
        description: metadata.description.filter(|d| !d.is_empty()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_kms::types::{KeyManagerType, KeyState};

    #[test]
    fn metadata() {
        let metadata = KeyMetadata::builder()
            .key_id("1234abcd")
            .arn("arn:aws:kms:eu-west-1:111122223333:key/1234abcd")
            .key_manager(KeyManagerType::Aws)
            .key_state(KeyState::PendingDeletion)
            .build()
            .unwrap();
        let key = key_from_sdk(metadata).unwrap();
        assert!(key.is_aws_managed());
        assert_eq!(key.key_state.as_deref(), Some("PendingDeletion"));
        let arnless = KeyMetadata::builder().key_id("k").build().unwrap();
        assert_eq!(key_from_sdk(arnless), Err(Missing("Arn")));
    }
}

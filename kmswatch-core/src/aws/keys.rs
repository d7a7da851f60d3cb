//! KMS: the key an alert topic is encrypted with, and its key policy. Calls
//! go to the topic's region, where its `KmsMasterKeyId` resolves.

use super::error::{required, Missing};
use super::AwsBackend;
use crate::api::{ApiErrorKind, ApiResult, KeysApi};
use crate::model::Key;
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
}

/// The parts of a key's metadata the decision uses.
pub(crate) fn key_from_sdk(metadata: KeyMetadata) -> Result<Key, Missing> {
    Ok(Key {
        arn: required(metadata.arn, "Arn")?,
        key_id: metadata.key_id,
        key_manager: metadata.key_manager.map(|m| m.as_str().to_owned()),
        key_state: metadata.key_state.map(|s| s.as_str().to_owned()),
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

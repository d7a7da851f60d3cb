//! KMS.

use super::call::Call;
use super::forward::service_impls;
use crate::api_error::ApiResult;
use crate::model::{Alias, Key};
use crate::operation::Operation;
use async_trait::async_trait;

/// KMS: the keys that encrypt alert topics, the inventory of keys at risk,
/// and the two writes that undo a disabling or a scheduled deletion.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait KeysApi: Send + Sync {
    /// `DescribeKey` in `region`: `key_id` is a key id, key ARN, alias name
    /// (`alias/...`) or alias ARN, as a topic's `KmsMasterKeyId` names it;
    /// `None` when there is no such key.
    async fn describe_key(&self, region: &str, key_id: &str) -> ApiResult<Option<Key>>;
    /// `GetKeyPolicy` (policy name `default`) of the key `key_id` (key id or
    /// key ARN) in `region`: the policy document's text.
    async fn get_key_policy(&self, region: &str, key_id: &str) -> ApiResult<String>;
    /// `ListKeys` in `region` (all pages): the ARN of every key, AWS managed
    /// keys included.
    async fn list_keys(&self, region: &str) -> ApiResult<Vec<String>>;
    /// `ListAliases` in `region` (all pages).
    async fn list_aliases(&self, region: &str) -> ApiResult<Vec<Alias>>;
    /// `CancelKeyDeletion` of the key `key_id` (key id or key ARN) in
    /// `region`: a key pending deletion becomes `Disabled`.
    async fn cancel_key_deletion(&self, region: &str, key_id: &str) -> ApiResult<()>;
    /// `EnableKey` of the key `key_id` (key id or key ARN) in `region`.
    async fn enable_key(&self, region: &str, key_id: &str) -> ApiResult<()>;
}

service_impls! {
    KeysApi;
    answers {
        fn describe_key(region: &str, key_id: &str) -> Option<Key> =
            Call::read(Operation::DescribeKey, region, Some(key_id));
        fn get_key_policy(region: &str, key_id: &str) -> String =
            Call::read(Operation::GetKeyPolicy, region, Some(key_id));
        fn list_keys(region: &str) -> Vec<String> = Call::read(Operation::ListKeys, region, None);
        fn list_aliases(region: &str) -> Vec<Alias> =
            Call::read(Operation::ListAliases, region, None);
    }
    no_answer {
        fn cancel_key_deletion(region: &str, key_id: &str) =
            Call::write(Operation::CancelKeyDeletion, region, key_id);
        fn enable_key(region: &str, key_id: &str) =
            Call::write(Operation::EnableKey, region, key_id);
    }
}

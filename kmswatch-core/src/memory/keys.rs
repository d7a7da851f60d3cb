//! KMS, answered from the in-memory state: a key is every [`KeyEntry`]
//! that names it (by key id, key ARN, alias name or alias ARN), so an entry
//! named `alias/...` is also the alias, and a write changes every entry of
//! the key.

use super::state::KeyEntry;
use super::{not_found, MemoryBackend};
use crate::api::{ApiError, ApiErrorKind, ApiResult, KeysApi};
use crate::model::{Alias, Key};
use crate::operation::Operation;
use async_trait::async_trait;

/// What KMS answers when the key's state does not allow the request.
const INVALID_STATE: &str = "KMSInvalidStateException";

#[async_trait]
impl KeysApi for MemoryBackend {
    async fn describe_key(&self, region: &str, key_id: &str) -> ApiResult<Option<Key>> {
        self.replay(Operation::DescribeKey, Some(key_id), region)?;
        // An alias ARN names the same key as its alias name.
        let key_id = alias_name(key_id).unwrap_or_else(|| key_id.to_owned());
        let account = self.lock();
        Ok(account
            .keys
            .iter()
            .filter(|k| k.region == region && k.existence.is_found())
            .filter_map(|k| k.key.as_ref().map(|key| (k, key)))
            .find(|(k, key)| k.name == key_id || key.key_id == key_id || key.arn == key_id)
            .map(|(_, key)| key.clone()))
    }

    async fn get_key_policy(&self, region: &str, key_id: &str) -> ApiResult<String> {
        self.replay(Operation::GetKeyPolicy, Some(key_id), region)?;
        let account = self.lock();
        account
            .keys
            .iter()
            .filter(|k| k.region == region && k.existence.is_found())
            .find(|k| {
                k.key
                    .as_ref()
                    .is_some_and(|key| key.key_id == key_id || key.arn == key_id)
            })
            .and_then(|k| k.policy.clone())
            .ok_or_else(|| not_found(Operation::GetKeyPolicy, "NotFoundException", key_id))
    }

    async fn list_keys(&self, region: &str) -> ApiResult<Vec<String>> {
        self.replay(Operation::ListKeys, None, region)?;
        let account = self.lock();
        let mut arns: Vec<String> = Vec::new();
        for key in in_region(&account.keys, region) {
            if !arns.contains(&key.arn) {
                arns.push(key.arn.clone());
            }
        }
        Ok(arns)
    }

    async fn list_aliases(&self, region: &str) -> ApiResult<Vec<Alias>> {
        self.replay(Operation::ListAliases, None, region)?;
        let account = self.lock();
        let mut aliases: Vec<Alias> = Vec::new();
        let named = account
            .keys
            .iter()
            .filter(|k| k.region == region && k.existence.is_found());
        for entry in named {
            let (Some(name), Some(key)) = (alias_name(&entry.name), &entry.key) else {
                continue;
            };
            if !aliases.iter().any(|a| a.alias_name == name) {
                aliases.push(Alias {
                    alias_name: name,
                    target_key_id: Some(key.key_id.clone()),
                });
            }
        }
        Ok(aliases)
    }

    async fn cancel_key_deletion(&self, region: &str, key_id: &str) -> ApiResult<()> {
        let operation = Operation::CancelKeyDeletion;
        self.replay(operation, Some(key_id), region)?;
        self.change_key(operation, region, key_id, |key| {
            match key.key_state.as_deref() {
                Some("PendingDeletion" | "PendingReplicaDeletion") => {}
                state => return Err(invalid_state(operation, key, state)),
            }
            // As in AWS: a key whose deletion is canceled is disabled.
            key.key_state = Some("Disabled".to_owned());
            key.deletion_date = None;
            key.pending_deletion_window_in_days = None;
            Ok(())
        })
    }

    async fn enable_key(&self, region: &str, key_id: &str) -> ApiResult<()> {
        let operation = Operation::EnableKey;
        self.replay(operation, Some(key_id), region)?;
        self.change_key(operation, region, key_id, |key| {
            match key.key_state.as_deref() {
                Some("Enabled" | "Disabled") => {}
                state => return Err(invalid_state(operation, key, state)),
            }
            key.key_state = Some("Enabled".to_owned());
            Ok(())
        })
    }
}

impl MemoryBackend {
    /// Applies `change` to the key `key_id` (key id or ARN) of `region`, in
    /// every entry that names it.
    fn change_key(
        &self,
        operation: Operation,
        region: &str,
        key_id: &str,
        change: impl Fn(&mut Key) -> ApiResult<()>,
    ) -> ApiResult<()> {
        let mut account = self.lock();
        let arn = in_region(&account.keys, region)
            .find(|k| k.key_id == key_id || k.arn == key_id)
            .map(|k| k.arn.clone())
            .ok_or_else(|| not_found(operation, "NotFoundException", key_id))?;
        let entries = account
            .keys
            .iter_mut()
            .filter(|k| k.region == region && k.existence.is_found())
            .filter_map(|k| k.key.as_mut())
            .filter(|k| k.arn == arn);
        for key in entries {
            change(key)?;
        }
        Ok(())
    }
}

/// The keys of `region` (each once per entry naming it).
fn in_region<'a>(keys: &'a [KeyEntry], region: &'a str) -> impl Iterator<Item = &'a Key> {
    keys.iter()
        .filter(move |k| k.region == region && k.existence.is_found())
        .filter_map(|k| k.key.as_ref())
}

/// `alias/NAME` from an alias name or alias ARN; `None` for a key id or ARN.
fn alias_name(name: &str) -> Option<String> {
    match name.split_once(":alias/") {
        Some((_, alias)) => Some(format!("alias/{alias}")),
        None => name.starts_with("alias/").then(|| name.to_owned()),
    }
}

fn invalid_state(operation: Operation, key: &Key, state: Option<&str>) -> ApiError {
    ApiError::new(
        operation,
        ApiErrorKind::InvalidRequest,
        INVALID_STATE,
        format!(
            "{} is {} (not valid for {operation})",
            key.arn,
            state.unwrap_or("in an unknown state")
        ),
    )
    .about(&key.arn)
}

//! The `kmswatch.keys/v1` and `kmswatch.history/v1` documents: the body,
//! the account, and where the answer comes from (as the check report has).

use super::history::{History, HISTORY_SCHEMA};
use super::inventory::{KeyInventory, KEYS_SCHEMA};
use serde::{Deserialize, Serialize};

/// What `kmswatch keys --format json` prints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct KeysDocument {
    /// Always [`KEYS_SCHEMA`].
    pub schema: String,
    /// The account.
    pub account_id: String,
    /// The keys.
    #[serde(flatten)]
    pub inventory: KeyInventory,
    /// AWS requests made (every page and retry).
    pub api_calls: Option<u64>,
    /// The kmswatch version.
    pub kmswatch_version: String,
    /// When (RFC 3339, UTC).
    pub generated_at: Option<String>,
}

impl KeysDocument {
    /// The document of an inventory.
    pub fn new(account_id: String, inventory: KeyInventory) -> Self {
        KeysDocument {
            schema: KEYS_SCHEMA.to_owned(),
            account_id,
            inventory,
            api_calls: None,
            kmswatch_version: crate::VERSION.to_owned(),
            generated_at: None,
        }
    }

    /// The document, pretty-printed.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// What `kmswatch history --format json` prints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct HistoryDocument {
    /// Always [`HISTORY_SCHEMA`].
    pub schema: String,
    /// The account.
    pub account_id: String,
    /// The events.
    #[serde(flatten)]
    pub history: History,
    /// AWS requests made (every page and retry).
    pub api_calls: Option<u64>,
    /// The kmswatch version.
    pub kmswatch_version: String,
    /// When (RFC 3339, UTC).
    pub generated_at: Option<String>,
}

impl HistoryDocument {
    /// The document of a history.
    pub fn new(account_id: String, history: History) -> Self {
        HistoryDocument {
            schema: HISTORY_SCHEMA.to_owned(),
            account_id,
            history,
            api_calls: None,
            kmswatch_version: crate::VERSION.to_owned(),
            generated_at: None,
        }
    }

    /// The document, pretty-printed.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

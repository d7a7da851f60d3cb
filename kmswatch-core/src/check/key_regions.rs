//! Which regions hold customer managed keys: the fact accepted monitoring
//! needs (an EventBridge rule is regional, so every region with a key must
//! have one). Read with `ListKeys` and `DescribeKey` in the account's enabled
//! regions, only when acceptance asks for it; absent from the facts, it is
//! unknown, never "no keys".

use crate::keys::KeyInventory;
use crate::operation::Operation;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// The customer managed keys of the regions read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyRegionFacts {
    /// Every region read, in the order read.
    pub regions: Vec<RegionKeyFacts>,
    /// Regions not enabled for the account (opt-in regions): no key can be
    /// used there, so none needs monitoring.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<String>,
}

/// One region's customer managed keys.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionKeyFacts {
    /// The region.
    pub region: String,
    /// The ARNs of its customer managed keys (any state); `None` when
    /// `ListKeys` failed, or a `DescribeKey` failed and no key of the region
    /// is known to be customer managed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_managed_keys: Option<Vec<String>>,
}

impl KeyRegionFacts {
    /// The fact as a key inventory of `asked` (the regions listed) answers it:
    /// a region the inventory did not read nor skip is unknown.
    pub fn from_inventory(inventory: &KeyInventory, asked: &[String]) -> Self {
        let skipped: Vec<String> = inventory
            .regions_skipped
            .iter()
            .map(|s| s.region.clone())
            .collect();
        let regions = asked
            .iter()
            .filter(|r| !skipped.contains(r))
            .map(|region| {
                let keys: Vec<String> = inventory
                    .keys
                    .iter()
                    .filter(|k| &k.region == region)
                    .map(|k| k.arn.clone())
                    .collect();
                let failed = |operation: Operation| {
                    inventory.errors.iter().any(|e| {
                        e.operation == operation && e.region.as_deref() == Some(region.as_str())
                    })
                };
                let listed = inventory.regions.contains(region) && !failed(Operation::ListKeys);
                // A key that could not be described may be the region's only
                // customer managed key.
                let known = listed && (!keys.is_empty() || !failed(Operation::DescribeKey));
                RegionKeyFacts {
                    region: region.clone(),
                    customer_managed_keys: known.then_some(keys),
                }
            })
            .collect();
        KeyRegionFacts { regions, skipped }
    }
}

/// What the facts say about the regions that hold customer managed keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyRegions {
    /// The keys were not listed (a snapshot from before, or nobody asked).
    NotRead,
    /// These regions could not be listed, so any of them may hold keys.
    Unknown(Vec<String>),
    /// The regions that hold customer managed keys (possibly none).
    Known(BTreeSet<String>),
}

/// The regions whose KMS key events must be monitored: those that hold
/// customer managed keys, when the facts list them.
pub fn key_regions(facts: &crate::check::Facts) -> KeyRegions {
    let Some(read) = &facts.key_regions else {
        return KeyRegions::NotRead;
    };
    let unknown: Vec<String> = read
        .regions
        .iter()
        .filter(|r| r.customer_managed_keys.is_none())
        .map(|r| r.region.clone())
        .collect();
    if !unknown.is_empty() {
        return KeyRegions::Unknown(unknown);
    }
    KeyRegions::Known(
        read.regions
            .iter()
            .filter(|r| {
                r.customer_managed_keys
                    .as_ref()
                    .is_some_and(|k| !k.is_empty())
            })
            .map(|r| r.region.clone())
            .collect(),
    )
}

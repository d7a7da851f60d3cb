//! Which regions hold customer managed keys: the fact accepted monitoring
//! needs (an EventBridge rule is regional, so every region with a key must
//! have one). Read with `ListKeys` and `DescribeKey` in the account's enabled
//! regions, only when acceptance asks for it; absent from the facts, it is
//! unknown, never "no keys".

use std::collections::BTreeSet;

pub use super::facts::{KeyRegionFacts, RegionKeyFacts};

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
pub fn key_regions(facts: &super::facts::Facts) -> KeyRegions {
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

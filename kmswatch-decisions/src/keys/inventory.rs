//! Keys at risk: every customer managed key of the regions read, with its
//! state, its deletion date and the days left, its multi-Region role and its
//! aliases. AWS managed keys are left out: nobody can disable or delete them.

use super::regions::SkippedRegion;
use super::time::days_left;
use crate::api_error::ApiError;
use crate::check::facts::{KeyRegionFacts, RegionKeyFacts};
use crate::check::status::Status;
use crate::model::{Alias, Key};
use crate::operation::Operation;
use serde::{Deserialize, Serialize};
use std::time::SystemTime;

/// The schema of `kmswatch keys --format json`.
pub const KEYS_SCHEMA: &str = "kmswatch.keys/v1";

/// One customer managed key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct KeyEntry {
    /// The region it lives in.
    pub region: String,
    /// Key id.
    pub key_id: String,
    /// Key ARN.
    pub arn: String,
    /// `Enabled`, `Disabled`, `PendingDeletion`, `PendingReplicaDeletion`...
    /// (`null`: DescribeKey did not say).
    pub key_state: Option<String>,
    /// Why the key is at risk: `pending_deletion`, `pending_replica_deletion`,
    /// `disabled`, or `null`.
    pub risk: Option<String>,
    /// `DeletionDate` (RFC 3339) of a key pending deletion.
    pub deletion_date: Option<String>,
    /// Whole days until `deletion_date` (rounded down).
    pub days_left: Option<u64>,
    /// For `PendingReplicaDeletion`: the waiting period, in days, that starts
    /// once the last replica is deleted.
    pub pending_deletion_window_in_days: Option<u32>,
    /// Whether it is a multi-Region key.
    pub multi_region: Option<bool>,
    /// `PRIMARY` or `REPLICA` for a multi-Region key.
    pub multi_region_key_type: Option<String>,
    /// The multi-Region primary key (for a replica).
    pub primary_key_arn: Option<String>,
    /// The replicas of a multi-Region primary key.
    pub replica_key_arns: Vec<String>,
    /// Its aliases (`null` when `ListAliases` failed in the region).
    pub aliases: Option<Vec<String>>,
    /// Its description.
    pub description: Option<String>,
}

impl KeyEntry {
    /// The entry of `key`, listed in `region` with the region's `aliases`
    /// (`None`: not read); `now` dates the days left.
    pub fn listed(region: &str, key: Key, aliases: Option<&[Alias]>, now: SystemTime) -> Self {
        let aliases = aliases_of(aliases, &key);
        Self::new(region, key, aliases, now)
    }

    fn new(region: &str, key: Key, aliases: Option<Vec<String>>, now: SystemTime) -> Self {
        let risk = match key.key_state.as_deref() {
            Some("PendingDeletion") => Some("pending_deletion"),
            Some("PendingReplicaDeletion") => Some("pending_replica_deletion"),
            Some("Disabled") => Some("disabled"),
            _ => None,
        };
        KeyEntry {
            region: region.to_owned(),
            days_left: key.deletion_date.as_deref().and_then(|d| days_left(d, now)),
            risk: risk.map(str::to_owned),
            key_id: key.key_id,
            arn: key.arn,
            key_state: key.key_state,
            deletion_date: key.deletion_date,
            pending_deletion_window_in_days: key.pending_deletion_window_in_days,
            multi_region: key.multi_region,
            multi_region_key_type: key.multi_region_key_type,
            primary_key_arn: key.primary_key_arn,
            replica_key_arns: key.replica_key_arns,
            aliases,
            description: key.description,
        }
    }

    /// Whether the key will be deleted unless someone cancels it.
    pub fn is_pending_deletion(&self) -> bool {
        matches!(
            self.risk.as_deref(),
            Some("pending_deletion" | "pending_replica_deletion")
        )
    }
}

/// The keys of the regions read: the body of `kmswatch.keys/v1` and of the
/// check report's `keys` section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct KeyInventory {
    /// FAIL when a key is pending deletion; ERROR when a region or a key
    /// could not be read (and none is pending deletion); else PASS.
    pub status: Status,
    /// One sentence.
    pub summary: String,
    /// The regions read.
    pub regions: Vec<String>,
    /// Regions not enabled for the account, not read.
    pub regions_skipped: Vec<SkippedRegion>,
    /// Every customer managed key: pending deletion first (fewest days
    /// left first), then disabled, then the others; by region and ARN.
    pub keys: Vec<KeyEntry>,
    /// The calls that failed.
    pub errors: Vec<ApiError>,
}

impl KeyInventory {
    /// Which regions hold customer managed keys, as this inventory of `asked`
    /// (the regions listed) answers it: a region the inventory did not read
    /// nor skip is unknown.
    pub fn key_region_facts(&self, asked: &[String]) -> KeyRegionFacts {
        let skipped: Vec<String> = self
            .regions_skipped
            .iter()
            .map(|s| s.region.clone())
            .collect();
        let regions = asked
            .iter()
            .filter(|r| !skipped.contains(r))
            .map(|region| {
                let keys: Vec<String> = self
                    .keys
                    .iter()
                    .filter(|k| &k.region == region)
                    .map(|k| k.arn.clone())
                    .collect();
                let failed = |operation: Operation| {
                    self.errors.iter().any(|e| {
                        e.operation == operation && e.region.as_deref() == Some(region.as_str())
                    })
                };
                let listed = self.regions.contains(region) && !failed(Operation::ListKeys);
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

fn aliases_of(aliases: Option<&[Alias]>, key: &Key) -> Option<Vec<String>> {
    let aliases = aliases?;
    let mut names: Vec<String> = aliases
        .iter()
        .filter(|a| a.target_key_id.as_deref() == Some(key.key_id.as_str()))
        .map(|a| a.alias_name.clone())
        .collect();
    names.sort();
    Some(names)
}

/// Pending deletion first, soonest first; then disabled; then the rest.
fn order(key: &KeyEntry, regions: &[String]) -> (u8, u64, usize, String) {
    let rank = match key.risk.as_deref() {
        Some("pending_deletion") => 0,
        Some("pending_replica_deletion") => 1,
        Some("disabled") => 2,
        _ => 3,
    };
    let region = regions
        .iter()
        .position(|r| *r == key.region)
        .unwrap_or(usize::MAX);
    (
        rank,
        key.days_left.unwrap_or(u64::MAX),
        region,
        key.arn.clone(),
    )
}

/// The inventory of `keys` listed in `regions` (in the order of `asked`,
/// the regions the listing was asked for): risks first, then by region.
pub fn finish(
    mut keys: Vec<KeyEntry>,
    asked: &[String],
    regions: Vec<String>,
    regions_skipped: Vec<SkippedRegion>,
    errors: Vec<ApiError>,
) -> KeyInventory {
    keys.sort_by_key(|k| order(k, asked));
    let count = |risk: &str| {
        keys.iter()
            .filter(|k| k.risk.as_deref() == Some(risk))
            .count()
    };
    let pending = count("pending_deletion") + count("pending_replica_deletion");
    let disabled = count("disabled");
    let status = if pending > 0 {
        Status::Fail
    } else if !errors.is_empty() {
        Status::Error
    } else {
        Status::Pass
    };
    let mut summary = format!(
        "{} customer managed key(s) in {} region(s): {pending} pending deletion, {disabled} disabled",
        keys.len(),
        regions.len()
    );
    if let Some(soonest) = keys.iter().find_map(|k| k.days_left.map(|d| (d, k))) {
        summary.push_str(&format!(
            "; {} is deleted in {} day(s) unless its deletion is canceled",
            soonest.1.arn, soonest.0
        ));
    }
    if !errors.is_empty() {
        summary.push_str(&format!(
            "; {} call(s) failed, so the list may be incomplete",
            errors.len()
        ));
    }
    KeyInventory {
        status,
        summary,
        regions,
        regions_skipped,
        keys,
        errors,
    }
}

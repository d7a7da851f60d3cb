//! The regions that hold customer managed keys, listed only when accepted
//! monitoring asks (`ListKeys`, `DescribeKey` per region, no `ListAliases`),
//! or taken from a key inventory the run made anyway.

use crate::api::{ApiError, Services};
use crate::check::{KeyListing, KeyRegionFacts};
use crate::keys::inventory_without_aliases;
use crate::operation::Operation;
use std::time::SystemTime;

/// The fact `listing` asks for, with the calls that failed reading it.
pub async fn read_key_regions(
    services: &Services,
    listing: &KeyListing,
    limit: usize,
) -> Option<(KeyRegionFacts, Vec<ApiError>)> {
    match listing {
        KeyListing::NotAsked => None,
        KeyListing::Given(known) => Some((known.clone(), Vec::new())),
        KeyListing::Read(regions) => {
            // Which keys exist is all that counts here: no deletion date is
            // dated, so any clock will do.
            let inventory =
                inventory_without_aliases(services, regions, SystemTime::UNIX_EPOCH, limit).await;
            let errors = inventory
                .errors
                .iter()
                .filter(|e| matches!(e.operation, Operation::ListKeys | Operation::DescribeKey))
                .cloned()
                .collect();
            Some((inventory.key_region_facts(&regions.names), errors))
        }
    }
}

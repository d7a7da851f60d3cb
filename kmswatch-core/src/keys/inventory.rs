//! Reading keys at risk: `ListKeys` and `ListAliases` per region, then
//! `DescribeKey` per key, through the service traits; the inventory itself
//! is `kmswatch-decisions`' ([`KeyInventory`]).

use super::{finish, KeyEntry, KeyInventory, Regions, SkippedRegion};
use crate::api::{ApiError, Services};
use crate::model::Alias;
use futures::stream::{self, StreamExt};
use std::time::SystemTime;

/// A region's listing, with why its aliases are unknown (if they are).
type Listing = Result<(RegionKeys, Option<ApiError>), ApiError>;

/// What `ListKeys` and `ListAliases` said in one region.
struct RegionKeys {
    region: String,
    keys: Vec<String>,
    aliases: Option<Vec<Alias>>,
}

/// Reads the customer managed keys of `regions`: `ListKeys` and `ListAliases`
/// per region, then `DescribeKey` per key, at most `max_in_flight` at once.
/// `now` dates the days left.
pub async fn inventory(
    services: &Services,
    regions: &Regions,
    now: SystemTime,
    max_in_flight: usize,
) -> KeyInventory {
    read(services, regions, now, max_in_flight, true).await
}

/// [`inventory`] without `ListAliases`: which keys each region holds (the
/// keys' `aliases` are `null`), for what needs only that.
pub async fn inventory_without_aliases(
    services: &Services,
    regions: &Regions,
    now: SystemTime,
    max_in_flight: usize,
) -> KeyInventory {
    read(services, regions, now, max_in_flight, false).await
}

async fn read(
    services: &Services,
    regions: &Regions,
    now: SystemTime,
    max_in_flight: usize,
    aliases: bool,
) -> KeyInventory {
    let mut errors = Vec::new();
    let mut skipped = Vec::new();
    let listed: Vec<(String, Listing)> = stream::iter(&regions.names)
        .map(|region| async move { (region.clone(), list_region(services, region, aliases).await) })
        .buffered(max_in_flight.max(1))
        .collect()
        .await;
    let mut read = Vec::new();
    for (region, listing) in listed {
        match listing {
            Ok((region_keys, alias_error)) => {
                errors.extend(alias_error.map(|e| e.in_region(&region)));
                read.push(region_keys);
            }
            Err(e) if regions.skips(&e) => skipped.push(SkippedRegion::of(&region, &e)),
            Err(e) => errors.push(e.in_region(&region)),
        }
    }
    let wanted: Vec<(&RegionKeys, &String)> = read
        .iter()
        .flat_map(|r| r.keys.iter().map(move |k| (r, k)))
        .collect();
    let described: Vec<_> = stream::iter(wanted)
        .map(|(r, name)| async move {
            let answer = services.keys.describe_key(&r.region, name).await;
            (r, name, answer)
        })
        .buffered(max_in_flight.max(1))
        .collect()
        .await;
    let mut keys = Vec::new();
    for (r, name, answer) in described {
        match answer {
            Ok(Some(key)) if !key.is_aws_managed() => {
                keys.push(KeyEntry::listed(&r.region, key, r.aliases.as_deref(), now));
            }
            // AWS managed, or deleted since it was listed.
            Ok(_) => {}
            Err(e) => errors.push(e.in_region(&r.region).about(name)),
        }
    }
    let regions_read = read.iter().map(|r| r.region.clone()).collect();
    finish(keys, &regions.names, regions_read, skipped, errors)
}

/// The region's keys, and its aliases or why they are unknown.
async fn list_region(services: &Services, region: &str, aliases: bool) -> Listing {
    let list_aliases = async {
        match aliases {
            true => Some(services.keys.list_aliases(region).await),
            false => None,
        }
    };
    let (keys, aliases) = futures::join!(services.keys.list_keys(region), list_aliases);
    let (aliases, alias_error) = match aliases {
        Some(Ok(aliases)) => (Some(aliases), None),
        Some(Err(e)) => (None, Some(e)),
        None => (None, None),
    };
    let keys = RegionKeys {
        region: region.to_owned(),
        keys: keys?,
        aliases,
    };
    Ok((keys, alias_error))
}

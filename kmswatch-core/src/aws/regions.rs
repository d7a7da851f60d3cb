//! The regions the AWS SDK knows: AWS's partitions document (`partitions.json`,
//! the data every AWS SDK embeds, reduced to partition ids, region patterns and
//! region names; refresh it with `tests/tools/refresh_partitions.py`).
//!
//! A region outside it is a typo far more often than a region newer than this
//! kmswatch, so it is refused before any call, with the closest known name;
//! with an explicit endpoint URL (an emulator, a new region's endpoint) any
//! well-formed name is accepted.

use serde::Deserialize;
use std::sync::LazyLock;

#[derive(Deserialize)]
struct Document {
    partitions: Vec<Partition>,
}

#[derive(Deserialize)]
struct Partition {
    regions: Vec<String>,
}

static PARTITIONS: LazyLock<Vec<Vec<String>>> = LazyLock::new(|| {
    // The document ships inside the crate; a parse failure is a build defect
    // that the tests below catch.
    serde_json::from_str::<Document>(include_str!("partitions.json"))
        .map(|d| d.partitions.into_iter().map(|p| p.regions).collect())
        .unwrap_or_default()
});

static REGIONS: LazyLock<Vec<String>> =
    LazyLock::new(|| PARTITIONS.iter().flatten().cloned().collect());

/// Every region of the partition `region` belongs to (opt-in regions
/// included); just `region` when the SDK does not know it.
///
/// ```
/// use kmswatch_core::aws::partition_regions;
/// let regions = partition_regions("eu-west-1");
/// assert!(regions.iter().any(|r| r == "us-east-1"));
/// assert!(!regions.iter().any(|r| r == "cn-north-1"));
/// assert_eq!(partition_regions("local-1"), ["local-1"]);
/// ```
pub fn partition_regions(region: &str) -> Vec<String> {
    PARTITIONS
        .iter()
        .find(|p| p.iter().any(|r| r == region))
        .cloned()
        .unwrap_or_else(|| vec![region.to_owned()])
}

/// Every region the AWS SDK knows, in every partition.
pub fn known_regions() -> impl Iterator<Item = &'static str> {
    REGIONS.iter().map(String::as_str)
}

/// Whether `region` is one the AWS SDK knows.
///
/// ```
/// use kmswatch_core::aws::is_known_region;
/// assert!(is_known_region("eu-west-1"));
/// assert!(is_known_region("us-gov-west-1"));
/// assert!(!is_known_region("us-middle-7"));
/// ```
pub fn is_known_region(region: &str) -> bool {
    known_regions().any(|r| r == region)
}

/// The known region closest to `region` when it is close enough to be a typo.
///
/// ```
/// use kmswatch_core::aws::closest_region;
/// assert_eq!(closest_region("us-est-1"), Some("us-east-1"));
/// assert_eq!(closest_region("eu-west-9"), Some("eu-west-1"));
/// assert_eq!(closest_region("mars-1"), None);
/// ```
pub fn closest_region(region: &str) -> Option<&'static str> {
    known_regions()
        .map(|r| (strsim::levenshtein(region, r), r))
        .filter(|(distance, _)| *distance <= 3)
        .min()
        .map(|(_, r)| r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_lists_every_partition() {
        for region in [
            "us-east-1",
            "ap-southeast-7",
            "mx-central-1",
            "cn-northwest-1",
            "us-gov-east-1",
            "us-iso-east-1",
            "us-isob-east-1",
            "eu-isoe-west-1",
            "us-isof-south-1",
            "eusc-de-east-1",
        ] {
            assert!(is_known_region(region), "{region}");
        }
        assert!(known_regions().count() > 40);
        assert!(!is_known_region("aws-global"));
    }
}

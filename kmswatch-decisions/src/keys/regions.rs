//! Which regions the key commands read, and the regions that are not enabled
//! for the account (opt-in regions), which fail softly.

use crate::api_error::ApiError;
use serde::{Deserialize, Serialize};

/// The regions to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Regions {
    /// Their names, in the order results are reported.
    pub names: Vec<String>,
    /// Whether the user named them (`--regions`): then a region that is not
    /// enabled is an error, not a region skipped.
    pub named: bool,
}

impl Regions {
    /// The regions the user named.
    pub fn named(names: Vec<String>) -> Self {
        Regions { names, named: true }
    }

    /// Every region of the partition, of which opt-in regions not enabled
    /// for the account are skipped.
    pub fn partition(names: Vec<String>) -> Self {
        Regions {
            names,
            named: false,
        }
    }

    /// Whether `error` from `region` means the region is not enabled for the
    /// account, and the region may be skipped: an opt-in region answers
    /// every call with an unrecognized security token.
    pub fn skips(&self, error: &ApiError) -> bool {
        !self.named
            && matches!(
                error.code.as_str(),
                "UnrecognizedClientException"
                    | "InvalidClientTokenId"
                    | "AuthFailure"
                    | "OptInRequired"
            )
    }
}

/// A region that was not read because it is not enabled for the account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SkippedRegion {
    /// The region.
    pub region: String,
    /// Why, with AWS's error code.
    pub reason: String,
}

impl SkippedRegion {
    /// The region, skipped because of `error`.
    pub fn of(region: &str, error: &ApiError) -> Self {
        SkippedRegion {
            region: region.to_owned(),
            reason: format!(
                "not enabled for this account (an opt-in region): {}",
                error.code
            ),
        }
    }
}

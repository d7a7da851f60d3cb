//! How remediation monitors KMS key events: the CIS metric-filter chain, or
//! EventBridge rules (`--via eventbridge`), never both unasked.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// What the plan builds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Via {
    /// A metric filter, an alarm and a topic on the trail's log group: what
    /// the CIS text and Security Hub CloudWatch.7 ask.
    #[default]
    #[serde(rename = "metric-filter")]
    MetricFilter,
    /// An EventBridge rule and a topic in every region that holds customer
    /// managed keys: PASS for `check --accept eventbridge`, while the CIS
    /// verdict stays FAIL.
    #[serde(rename = "eventbridge")]
    Eventbridge,
}

impl Via {
    /// The name flags and JSON use.
    pub fn as_str(self) -> &'static str {
        match self {
            Via::MetricFilter => "metric-filter",
            Via::Eventbridge => "eventbridge",
        }
    }

    /// Whether it is the default (the plan document leaves it out).
    pub fn is_metric_filter(&self) -> bool {
        *self == Via::MetricFilter
    }
}

impl fmt::Display for Via {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A `--via` value that is not one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown --via {0:?} (expected metric-filter or eventbridge)")]
pub struct UnknownVia(pub String);

impl FromStr for Via {
    type Err = UnknownVia;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "metric-filter" => Ok(Via::MetricFilter),
            "eventbridge" => Ok(Via::Eventbridge),
            other => Err(UnknownVia(other.to_owned())),
        }
    }
}

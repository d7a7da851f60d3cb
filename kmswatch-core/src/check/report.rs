//! The verdict: what `evaluate` returns and `kmswatch check --format json` prints.

use crate::model::Metric;
use serde::{Deserialize, Serialize};

/// The report schema, printed as `"schema"`.
pub const REPORT_SCHEMA: &str = "kmswatch.report/v1";

/// A verdict: of the account, a chain, or one link of a chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Status {
    /// Monitored: a KMS key disable or deletion reaches a human.
    Pass,
    /// Not monitored, and every gap is known.
    Fail,
    /// A needed call failed; the answer could change the verdict.
    Error,
    /// The chain runs through resources these credentials cannot see.
    Manual,
}

impl Status {
    /// All of `statuses` must hold: a known failure wins, then an error, then
    /// something unverifiable. An empty list is a pass.
    pub fn all(statuses: impl IntoIterator<Item = Status>) -> Status {
        statuses.into_iter().fold(Status::Pass, |acc, s| {
            let rank = |s: Status| match s {
                Status::Fail => 3,
                Status::Error => 2,
                Status::Manual => 1,
                Status::Pass => 0,
            };
            if rank(s) > rank(acc) {
                s
            } else {
                acc
            }
        })
    }

    /// One of `statuses` must hold: a pass wins, then an error (it might have
    /// passed), then something unverifiable. An empty list is a failure.
    pub fn any(statuses: impl IntoIterator<Item = Status>) -> Status {
        statuses.into_iter().fold(Status::Fail, |acc, s| {
            let rank = |s: Status| match s {
                Status::Pass => 3,
                Status::Error => 2,
                Status::Manual => 1,
                Status::Fail => 0,
            };
            if rank(s) > rank(acc) {
                s
            } else {
                acc
            }
        })
    }

    /// The process exit code for this verdict: 0 PASS, 1 FAIL, 3 ERROR or MANUAL.
    pub fn exit_code(self) -> u8 {
        match self {
            Status::Pass => 0,
            Status::Fail => 1,
            Status::Error | Status::Manual => 3,
        }
    }

    /// `PASS`, `FAIL`, `ERROR` or `MANUAL`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "PASS",
            Status::Fail => "FAIL",
            Status::Error => "ERROR",
            Status::Manual => "MANUAL",
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How much a gap weighs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Breaks the chain.
    Fail,
    /// Unknown because a call failed.
    Error,
    /// Unknown because these credentials cannot see it.
    Manual,
    /// Does not break the chain, but weakens it.
    Warning,
}

impl Severity {
    /// The status a link with only this gap has.
    pub fn status(self) -> Status {
        match self {
            Severity::Fail => Status::Fail,
            Severity::Error => Status::Error,
            Severity::Manual => Status::Manual,
            Severity::Warning => Status::Pass,
        }
    }
}

/// One thing wrong (or unknown) with a link of a chain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Gap {
    /// Stable machine code, e.g. `TRAIL_NOT_LOGGING`, `PATTERN_MISSES:ScheduleKeyDeletion`.
    pub code: String,
    /// How it weighs.
    pub severity: Severity,
    /// The resource it is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// What is wrong, in one sentence.
    pub message: String,
    /// What to do about it.
    pub fix: String,
}

impl Gap {
    /// A new gap.
    pub fn new(
        code: impl Into<String>,
        severity: Severity,
        resource: Option<&str>,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Gap {
            code: code.into(),
            severity,
            resource: resource.map(str::to_owned),
            message: message.into(),
            fix: fix.into(),
        }
    }
}

/// The status of a link: the worst of its gaps.
pub fn status_of(gaps: &[Gap]) -> Status {
    Status::all(gaps.iter().map(|g| g.severity.status()))
}

/// The account-level verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Always [`REPORT_SCHEMA`].
    pub schema: String,
    /// The verdict.
    pub status: Status,
    /// One sentence saying why.
    pub summary: String,
    /// The account checked.
    pub account_id: String,
    /// The region whose trails were listed.
    pub region: String,
    /// Every chain considered, one per trail.
    pub chains: Vec<Chain>,
    /// Gaps that belong to no chain (no trail at all, trails could not be listed).
    pub gaps: Vec<Gap>,
    /// Whether a metric filter uses the exact CIS / Security Hub pattern text.
    pub cis_pattern: CisPatternCheck,
    /// Things that weaken a passing chain without breaking it.
    pub warnings: Vec<Gap>,
    /// AWS API calls made to gather the facts (0 for a snapshot).
    pub api_calls: u64,
}

impl Report {
    /// The report as `kmswatch check --format json` prints it.
    pub fn to_json(&self) -> String {
        // A Report holds only strings, numbers, bools and lists.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// One trail's monitoring chain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Chain {
    /// The chain's verdict.
    pub status: Status,
    /// The trail.
    pub trail_arn: String,
    /// Its name.
    pub trail_name: String,
    /// Its home region.
    pub home_region: String,
    /// The log group it delivers to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_group_arn: Option<String>,
    /// The metric filters on that log group that catch at least one target event.
    pub metric_filters: Vec<FilterLink>,
    /// Gaps of the trail, the log group and the coverage as a whole.
    pub gaps: Vec<Gap>,
}

impl Chain {
    /// Every ARN the chain runs through.
    pub fn resource_arns(&self) -> Vec<&str> {
        let mut arns = vec![self.trail_arn.as_str()];
        arns.extend(self.log_group_arn.as_deref());
        for f in &self.metric_filters {
            for a in &f.alarms {
                arns.push(&a.alarm_arn);
                arns.extend(a.topics.iter().map(|t| t.topic_arn.as_str()));
            }
        }
        arns
    }
}

/// A metric filter and the alarms on its metric.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FilterLink {
    /// The filter's verdict (its own gaps and its best alarm).
    pub status: Status,
    /// Filter name.
    pub filter_name: String,
    /// The pattern as stored.
    pub filter_pattern: String,
    /// The pattern in canonical form, when it parses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub canonical_pattern: Option<String>,
    /// Target event names (`DisableKey`, `ScheduleKeyDeletion`) every corpus
    /// record of which the pattern matches.
    pub catches: Vec<String>,
    /// Corpus target records the pattern misses.
    pub misses: Vec<String>,
    /// The metric it publishes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric: Option<Metric>,
    /// The alarms on that metric.
    pub alarms: Vec<AlarmLink>,
    /// The filter's own gaps.
    pub gaps: Vec<Gap>,
}

/// An alarm and the topics it notifies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlarmLink {
    /// The alarm's verdict (its own gaps and its best topic).
    pub status: Status,
    /// Alarm name.
    pub alarm_name: String,
    /// Alarm ARN.
    pub alarm_arn: String,
    /// The SNS topics among its alarm actions.
    pub topics: Vec<TopicLink>,
    /// The alarm's own gaps.
    pub gaps: Vec<Gap>,
}

/// A topic an alarm notifies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopicLink {
    /// The topic's verdict.
    pub status: Status,
    /// Topic ARN.
    pub topic_arn: String,
    /// Confirmed subscriptions, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmed_subscriptions: Option<usize>,
    /// The topic's gaps.
    pub gaps: Vec<Gap>,
}

/// Whether the exact CIS / Security Hub CloudWatch.7 pattern is in use.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CisPatternCheck {
    /// A filter on a passing chain has exactly the CIS pattern text
    /// (ignoring white space), as Security Hub CloudWatch.7 requires.
    pub exact: bool,
    /// The filters (`log-group-arn:filter-name`) that have it.
    pub filters: Vec<String>,
    /// What that means for Security Hub.
    pub message: String,
}

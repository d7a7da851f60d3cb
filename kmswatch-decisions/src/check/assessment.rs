//! The typed result of [`super::evaluate()`]: per chain, per link, the findings,
//! with references to the facts they are about.
//!
//! [`super::Report`] is its serialized view; the planner reads this type, never
//! the JSON.

use super::facts::{Facts, LogGroupFacts, TopicFacts, TrailFacts};
use super::gap::{blocking_codes, Gap};
use super::gap_code::{GapCode, TargetEvent};
use super::monitor::Monitor;
use super::status::Status;
use crate::model::{Alarm, Metric, MetricFilter};
use serde::{Deserialize, Serialize};

/// The verdict on one account, with every link's findings.
#[derive(Debug, Clone)]
pub struct Assessment<'f> {
    /// The facts it was made from.
    pub facts: &'f Facts,
    /// The account's verdict.
    pub status: Status,
    /// One sentence saying why.
    pub summary: String,
    /// One chain per trail.
    pub chains: Vec<ChainAssessment<'f>>,
    /// Gaps that belong to no chain (no trail, trails unknown).
    pub gaps: Vec<Gap>,
    /// Whether a passing chain's filter has the exact CIS text.
    pub cis_pattern: CisPatternCheck,
    /// Warnings of every chain, without duplicates.
    pub warnings: Vec<Gap>,
    /// Monitoring besides the CIS chain, by region (EventBridge rules read
    /// into the facts).
    pub monitored_by: Vec<Monitor>,
}

/// One trail's chain.
#[derive(Debug, Clone)]
pub struct ChainAssessment<'f> {
    /// The trail and what was read about it.
    pub trail: &'f TrailFacts,
    /// The chain's verdict.
    pub status: Status,
    /// The log group the trail delivers to (ARN without `:*`).
    pub log_group_arn: Option<String>,
    /// That log group's facts, when the chain reached its metric filters.
    pub log_group: Option<&'f LogGroupFacts>,
    /// The metric filters that catch at least one target event (or cannot be parsed).
    pub filters: Vec<FilterAssessment<'f>>,
    /// Filters of the log group that match some target records but are not
    /// links of the chain: other filters catch every record of those events
    /// (a root-account-usage filter matches a root user's `DisableKey`).
    pub other_filters: Vec<&'f MetricFilter>,
    /// Gaps of the trail, the log group and the coverage as a whole.
    pub gaps: Vec<Gap>,
}

impl ChainAssessment<'_> {
    /// The region of the log group (where filters and alarms live).
    pub fn region(&self) -> Option<&str> {
        self.log_group.and_then(|g| g.location()).map(|l| l.0)
    }

    /// Gaps that the chain's filters, alarms and topics cannot fix.
    pub fn trail_level_gaps(&self) -> impl Iterator<Item = &Gap> {
        self.gaps.iter().filter(|g| {
            g.is_blocking() && !matches!(g.code, GapCode::PatternMisses(_) | GapCode::NotAlarmed(_))
        })
    }
}

/// A metric filter and the alarms on its metric.
#[derive(Debug, Clone)]
pub struct FilterAssessment<'f> {
    /// The filter.
    pub filter: &'f MetricFilter,
    /// Its verdict (its own gaps and its best alarm).
    pub status: Status,
    /// The pattern in canonical form, when it parses.
    pub canonical_pattern: Option<String>,
    /// Target events every corpus record of which the pattern matches.
    pub catches: Vec<TargetEvent>,
    /// Corpus ids of the target records the pattern misses.
    pub misses: Vec<String>,
    /// Corpus ids of the target records the pattern matches.
    pub caught: Vec<String>,
    /// The metric it publishes.
    pub metric: Option<Metric>,
    /// Corpus ids of the routine-traffic records the pattern matches.
    pub routine_matches: Vec<String>,
    /// Whether its metric is noisy: this or another filter publishing to it
    /// matches routine traffic, so no alarm on it can single out a KMS event.
    pub metric_noisy: bool,
    /// The alarms on that metric.
    pub alarms: Vec<AlarmAssessment<'f>>,
    /// The filter's own gaps.
    pub gaps: Vec<Gap>,
}

impl FilterAssessment<'_> {
    /// Whether it catches every record of both target events.
    pub fn catches_all_targets(&self) -> bool {
        TargetEvent::ALL.iter().all(|t| self.catches.contains(t))
    }

    /// The codes of its own blocking gaps.
    pub fn blocking_codes(&self) -> Vec<GapCode> {
        blocking_codes(&self.gaps)
    }

    /// Its gaps and those of its alarms and topics.
    pub fn nested_gaps(&self) -> impl Iterator<Item = &Gap> {
        self.gaps.iter().chain(
            self.alarms
                .iter()
                .flat_map(|a| a.gaps.iter().chain(a.topics.iter().flat_map(|t| &t.gaps))),
        )
    }
}

/// An alarm and the topics it notifies.
#[derive(Debug, Clone)]
pub struct AlarmAssessment<'f> {
    /// The alarm.
    pub alarm: &'f Alarm,
    /// Its verdict (its own gaps and its best topic).
    pub status: Status,
    /// The SNS topics among its alarm actions.
    pub topics: Vec<TopicAssessment<'f>>,
    /// The alarm's own gaps.
    pub gaps: Vec<Gap>,
}

impl AlarmAssessment<'_> {
    /// The codes of its own blocking gaps.
    pub fn blocking_codes(&self) -> Vec<GapCode> {
        blocking_codes(&self.gaps)
    }
}

/// A topic an alarm notifies.
#[derive(Debug, Clone)]
pub struct TopicAssessment<'f> {
    /// The topic ARN, as the alarm action names it.
    pub topic_arn: &'f str,
    /// What was read about it.
    pub topic: Option<&'f TopicFacts>,
    /// Its verdict.
    pub status: Status,
    /// Confirmed subscriptions, when known.
    pub confirmed_subscriptions: Option<usize>,
    /// Its gaps.
    pub gaps: Vec<Gap>,
}

impl TopicAssessment<'_> {
    /// The codes of its blocking gaps.
    pub fn blocking_codes(&self) -> Vec<GapCode> {
        blocking_codes(&self.gaps)
    }
}

/// Whether the exact CIS / Security Hub CloudWatch.7 pattern is in use.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CisPatternCheck {
    /// A filter on a passing chain has exactly the CIS pattern text
    /// (ignoring white space), as Security Hub CloudWatch.7 requires.
    pub exact: bool,
    /// The filters (`log-group-arn:filter-name`) that have it.
    pub filters: Vec<String>,
    /// What that means for Security Hub.
    pub message: String,
}

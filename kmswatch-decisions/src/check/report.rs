//! The verdict as `kmswatch check --format json` prints it: the serialized view
//! of an [`Assessment`].

pub use super::assessment::CisPatternCheck;
use super::assessment::{
    AlarmAssessment, Assessment, ChainAssessment, FilterAssessment, TopicAssessment,
};
use super::gap::Gap;
use super::monitor::Monitor;
use super::status::Status;
use crate::model::Metric;
use serde::{Deserialize, Serialize};

/// The report schema, printed as `"schema"`.
pub const REPORT_SCHEMA: &str = "kmswatch.report/v1";

/// The account-level verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
    /// Monitoring besides the CIS chain (EventBridge rules, by region), read
    /// when the chain does not pass; absent when not read.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub monitored_by: Vec<Monitor>,
    /// The accepted kinds of monitoring that made the verdict PASS
    /// (`eventbridge`), when the CIS chain alone does not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accepted_by: Option<String>,
    /// AWS requests made to gather the facts (every page and retry); `null`
    /// for a report on a snapshot, which makes none.
    pub api_calls: Option<u64>,
    /// The kmswatch version that made the report.
    #[serde(default)]
    pub kmswatch_version: String,
    /// When the report was made (RFC 3339, UTC); set by the face that makes
    /// it, `null` from the pure [`super::report()`].
    #[serde(default)]
    pub generated_at: Option<String>,
    /// When the facts were captured (a snapshot's `captured_at`), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub captured_at: Option<String>,
    /// The customer managed keys and those at risk (`check --keys`); absent
    /// unless asked for. It does not change the verdict.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keys: Option<crate::keys::KeyInventory>,
    /// A verdict per CIS monitoring control asked for (`--control`); absent
    /// when only the KMS control (4.7), which the rest of the report
    /// describes, is asked.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub controls: Vec<super::controls::ControlVerdict>,
}

impl Report {
    /// The report as `kmswatch check --format json` prints it.
    pub fn to_json(&self) -> String {
        // A Report holds only strings, numbers, bools and lists.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The same report, stamped with the time it was made.
    pub fn generated_at(mut self, now: impl Into<String>) -> Self {
        self.generated_at = Some(now.into());
        self
    }
}

/// One trail's monitoring chain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
    /// Names of the log group's filters that match some target records but
    /// are not links of the chain (other filters catch those events whole);
    /// they carry no gaps.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_filters: Vec<String>,
    /// Gaps of the trail, the log group and the coverage as a whole.
    pub gaps: Vec<Gap>,
    /// Whether the trail is an organization trail (one trail of the
    /// management account logging every member's events).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub organization_trail: bool,
    /// The account that holds the trail, when it is not the checked account
    /// (an organization trail's management account).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trail_account_id: Option<String>,
    /// The account that holds the log group, and the filters, alarms and
    /// topics after it, when it is not the checked account: where the chain
    /// is monitored (the management or a log-archive account).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_group_account_id: Option<String>,
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
    /// Corpus ids of the target records the pattern misses.
    pub misses: Vec<String>,
    /// Corpus ids of the target records the pattern matches (the vocabulary
    /// of `misses`; `catches` names the events caught whole).
    #[serde(default)]
    pub caught: Vec<String>,
    /// The metric it publishes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric: Option<Metric>,
    /// Corpus ids of the routine-traffic records (KMS `Decrypt` by S3, STS
    /// `AssumeRole`...) the pattern matches; any makes its metric noisy.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub routine_matches: Vec<String>,
    /// The alarms on that metric.
    pub alarms: Vec<AlarmLink>,
    /// The filter's own gaps.
    pub gaps: Vec<Gap>,
}

/// An alarm and the topics it notifies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
    /// The account that holds the alarm, when it is not the checked account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
}

/// A topic an alarm notifies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
    /// The account that holds the topic, when it is not the checked account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
}

impl From<&Assessment<'_>> for Report {
    fn from(a: &Assessment<'_>) -> Self {
        let account = a.facts.account_id.as_str();
        let chains: Vec<Chain> = a
            .chains
            .iter()
            .map(|c| Chain::from(c).held_by(account))
            .collect();
        Report {
            schema: REPORT_SCHEMA.to_owned(),
            status: a.status,
            summary: a.summary.clone() + &coverage_note(a.status, &chains),
            account_id: a.facts.account_id.clone(),
            region: a.facts.region.clone(),
            chains,
            gaps: a.gaps.clone(),
            cis_pattern: a.cis_pattern.clone(),
            warnings: a.warnings.clone(),
            monitored_by: a.monitored_by.clone(),
            accepted_by: None,
            api_calls: None,
            kmswatch_version: crate::VERSION.to_owned(),
            generated_at: None,
            captured_at: a.facts.captured_at.clone(),
            keys: None,
            controls: Vec::new(),
        }
    }
}

impl From<&ChainAssessment<'_>> for Chain {
    fn from(c: &ChainAssessment<'_>) -> Self {
        let trail = &c.trail.trail;
        Chain {
            status: c.status,
            trail_arn: trail.trail_arn.clone(),
            trail_name: trail.name.clone(),
            home_region: trail.home_region.clone(),
            log_group_arn: c.log_group_arn.clone(),
            metric_filters: c.filters.iter().map(FilterLink::from).collect(),
            other_filters: c
                .other_filters
                .iter()
                .map(|f| f.filter_name.clone())
                .collect(),
            gaps: c.gaps.clone(),
            organization_trail: trail.is_organization_trail,
            trail_account_id: None,
            log_group_account_id: None,
        }
    }
}

/// The account in `arn` when it is not `account`.
fn other_account(arn: &str, account: &str) -> Option<String> {
    crate::model::Arn::parse(arn)
        .map(|a| a.account_id)
        .filter(|a| !a.is_empty() && *a != account)
        .map(str::to_owned)
}

impl Chain {
    /// The chain with the accounts of its links named where they are not
    /// `account`, the checked one.
    fn held_by(mut self, account: &str) -> Self {
        self.trail_account_id = other_account(&self.trail_arn, account);
        self.log_group_account_id = self
            .log_group_arn
            .as_deref()
            .and_then(|g| other_account(g, account));
        for alarm in self.metric_filters.iter_mut().flat_map(|f| &mut f.alarms) {
            alarm.account_id = other_account(&alarm.alarm_arn, account);
            for topic in &mut alarm.topics {
                topic.account_id = other_account(&topic.topic_arn, account);
            }
        }
        self
    }
}

/// What the summary adds when the deciding chain is another account's
/// trail, or is monitored in another account: which trail covers the
/// account, and where it is monitored.
fn coverage_note(status: Status, chains: &[Chain]) -> String {
    let deciding = chains
        .iter()
        .find(|c| c.status == status)
        .or_else(|| chains.first());
    let Some(chain) = deciding else {
        return String::new();
    };
    let monitored = chain
        .log_group_account_id
        .as_deref()
        .map(|a| format!("monitored in account {a}"));
    let Some(holder) = chain.trail_account_id.as_deref() else {
        return monitored.map(|m| format!(" ({m})")).unwrap_or_default();
    };
    let kind = if chain.organization_trail {
        "organization trail"
    } else {
        "trail"
    };
    let monitored = match (monitored, &chain.log_group_arn) {
        (Some(m), _) => format!(", {m}"),
        (None, Some(_)) => ", monitored in this account".to_owned(),
        (None, None) => String::new(),
    };
    format!(
        " (covered by {kind} {} of account {holder}{monitored})",
        chain.trail_name
    )
}

impl From<&FilterAssessment<'_>> for FilterLink {
    fn from(f: &FilterAssessment<'_>) -> Self {
        FilterLink {
            status: f.status,
            filter_name: f.filter.filter_name.clone(),
            filter_pattern: f.filter.filter_pattern.clone(),
            canonical_pattern: f.canonical_pattern.clone(),
            catches: f
                .catches
                .iter()
                .map(|e| e.event_name().to_owned())
                .collect(),
            misses: f.misses.clone(),
            caught: f.caught.clone(),
            metric: f.metric.clone(),
            routine_matches: f.routine_matches.clone(),
            alarms: f.alarms.iter().map(AlarmLink::from).collect(),
            gaps: f.gaps.clone(),
        }
    }
}

impl From<&AlarmAssessment<'_>> for AlarmLink {
    fn from(a: &AlarmAssessment<'_>) -> Self {
        AlarmLink {
            status: a.status,
            alarm_name: a.alarm.alarm_name.clone(),
            alarm_arn: a.alarm.alarm_arn.clone(),
            topics: a.topics.iter().map(TopicLink::from).collect(),
            gaps: a.gaps.clone(),
            account_id: None,
        }
    }
}

impl From<&TopicAssessment<'_>> for TopicLink {
    fn from(t: &TopicAssessment<'_>) -> Self {
        TopicLink {
            status: t.status,
            topic_arn: t.topic_arn.to_owned(),
            confirmed_subscriptions: t.confirmed_subscriptions,
            gaps: t.gaps.clone(),
            account_id: None,
        }
    }
}

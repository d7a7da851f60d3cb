//! What kmswatch knows about an account: the input of [`super::evaluate()`] and the
//! snapshot file format.
//!
//! A fact that could not be read is `None`, and the failed call is in
//! [`Facts::errors`]. `evaluate` never treats a missing fact as good news.

use crate::api_error::{ApiError, ApiErrorKind};
use crate::model::{
    normalize_log_group_arn, Alarm, Arn, CompositeAlarm, EventRule, EventSelectors, Key, Metric,
    MetricFilter, RuleTarget, Subscription, SubscriptionAttributes, TopicAttributes, Trail,
    TrailStatus,
};
use crate::operation::Operation;
use serde::{Deserialize, Serialize};

mod linked;
pub use linked::LinkedAccount;

/// The snapshot schema this version reads and writes.
pub const FACTS_SCHEMA: &str = "kmswatch.facts/v1";

/// Everything the decision needs about one account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Facts {
    /// Always [`FACTS_SCHEMA`].
    pub schema: String,
    /// The account the credentials belong to.
    pub account_id: String,
    /// The region whose `DescribeTrails` listed the trails.
    pub region: String,
    /// When the facts were gathered (RFC 3339), if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub captured_at: Option<String>,
    /// Every trail that logs in [`Facts::region`] (multi-region trails log everywhere).
    #[serde(default)]
    pub trails: Vec<TrailFacts>,
    /// The log groups those trails deliver to.
    #[serde(default)]
    pub log_groups: Vec<LogGroupFacts>,
    /// Alarms on the metrics those log groups' filters publish, by region.
    #[serde(default)]
    pub alarms: Vec<RegionAlarms>,
    /// The SNS topics those alarms notify.
    #[serde(default)]
    pub topics: Vec<TopicFacts>,
    /// The customer managed keys those topics are encrypted with (absent from
    /// snapshots written before kmswatch read keys: unknown).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keys: Vec<KeyFacts>,
    /// The EventBridge rules of the default event bus, by region: read only
    /// when the metric-filter chain does not pass (absent: not read).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub event_rules: Vec<RegionEventRules>,
    /// The regions that hold customer managed keys: read only when accepted
    /// monitoring needs them (absent: unknown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_regions: Option<KeyRegionFacts>,
    /// Every call that failed while gathering.
    #[serde(default)]
    pub errors: Vec<ApiError>,
    /// The other accounts that hold links of this account's chains (an
    /// organization trail's log group, with its filters, alarms and topics,
    /// in the management or a log-archive account), each with the facts read
    /// there or why it could not be entered. Absent: none was entered.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub linked: Vec<LinkedAccount>,
}

/// A trail with its status and selectors.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TrailFacts {
    /// The trail.
    #[serde(flatten)]
    pub trail: Trail,
    /// `GetTrailStatus`, when read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<TrailStatus>,
    /// `GetEventSelectors`, when read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_selectors: Option<EventSelectors>,
}

/// A log group (by ARN) and its metric filters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LogGroupFacts {
    /// Log group ARN without `:*`.
    pub arn: String,
    /// Whether it exists (`None`: unknown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exists: Option<bool>,
    /// Its metric filters, when read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric_filters: Option<Vec<MetricFilter>>,
}

impl LogGroupFacts {
    /// Region, account and name from the ARN.
    pub fn location(&self) -> Option<(&str, &str, &str)> {
        let arn = Arn::parse(&self.arn)?;
        Some((arn.region, arn.account_id, arn.log_group_name()?))
    }
}

/// The alarms of one region.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RegionAlarms {
    /// The region.
    pub region: String,
    /// The alarms that watch a metric of interest, when read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alarms: Option<Vec<Alarm>>,
    /// The region's composite alarms, when read (only where an alarm on a
    /// metric of interest has no working notification of its own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub composite_alarms: Option<Vec<CompositeAlarm>>,
    /// The metrics whose alarms were read one metric at a time
    /// (`DescribeAlarmsForMetric`) instead of listing the region's alarms:
    /// `alarms` then holds the metric alarms on these metrics only, and
    /// metric-math alarms, or alarms on any other metric, were not read.
    /// Absent: `alarms` is the region's full listing (snapshots written
    /// before kmswatch read alarms by metric hold full listings).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by_metric: Option<Vec<Metric>>,
    /// Name prefixes whose metric alarms were listed (`DescribeAlarms` with
    /// `AlarmNamePrefix`, what remediation reads to see whether its alarm
    /// name is taken): `alarms` also holds every metric alarm named so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by_name_prefix: Option<Vec<String>>,
}

impl RegionAlarms {
    /// Whether `alarms` is the region's full listing of metric alarms.
    pub fn is_full_listing(&self) -> bool {
        self.alarms.is_some() && self.by_metric.is_none()
    }

    /// Whether the metric alarm named `name`, if there is one, is in `alarms`:
    /// the region was listed whole, or by a prefix of `name`.
    pub fn name_listed(&self, name: &str) -> bool {
        self.is_full_listing()
            || (self.alarms.is_some()
                && self
                    .by_name_prefix
                    .iter()
                    .flatten()
                    .any(|p| name.starts_with(p.as_str())))
    }

    /// Whether the metric alarms on `metric` were read (by listing the
    /// region's alarms or by metric).
    pub fn read_alarms_on(&self, metric: &Metric) -> bool {
        self.alarms.is_some()
            && self
                .by_metric
                .as_ref()
                .is_none_or(|metrics| metrics.contains(metric))
    }
}

/// An SNS topic and its subscriptions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TopicFacts {
    /// Topic ARN.
    pub topic_arn: String,
    /// Whether it exists (`None`: unknown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exists: Option<bool>,
    /// Its attributes, when read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<TopicAttributes>,
    /// Its subscriptions, when read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscriptions: Option<Vec<Subscription>>,
    /// The attributes of the confirmed subscriptions that were read, in list
    /// order; reading stops at the first that delivers every alarm notifying the
    /// topic. A confirmed subscription without attributes here is unknown.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subscription_attributes: Vec<SubscriptionAttributes>,
}

/// A KMS key as a topic's `KmsMasterKeyId` names it, with what was read about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct KeyFacts {
    /// The key as named: key id, key ARN, alias name or alias ARN.
    pub key_id: String,
    /// The region it was looked up in (the topic's).
    pub region: String,
    /// Whether it exists (`None`: unknown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exists: Option<bool>,
    /// `DescribeKey`, when read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<Key>,
    /// `GetKeyPolicy` (`default`), when read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
}

/// The EventBridge rules of one region's default event bus.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RegionEventRules {
    /// The region.
    pub region: String,
    /// Its rules, when read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rules: Option<Vec<EventRuleFacts>>,
}

/// An EventBridge rule with its targets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EventRuleFacts {
    /// The rule.
    #[serde(flatten)]
    pub rule: EventRule,
    /// Its targets, when read (only for enabled rules that match a KMS key
    /// event).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub targets: Option<Vec<RuleTarget>>,
}

/// Why a snapshot could not be used.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    /// The file could not be read.
    #[error("cannot read snapshot {path}: {source}")]
    Read {
        /// The path.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file could not be written.
    #[error("cannot write snapshot {path}: {source}")]
    Write {
        /// The path.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The JSON is malformed or does not have the snapshot's shape.
    #[error(
        "malformed snapshot{}{}: {}",
        path.as_deref().map(|p| format!(" {p}")).unwrap_or_default(),
        if at.is_empty() || at == "." { String::new() } else { format!(" at {at}") },
        describe(source, path.is_some())
    )]
    Malformed {
        /// The path, when read from a file.
        path: Option<String>,
        /// Where in the document, as a path of keys and indexes
        /// (`trails[0].status.is_logging`); `.` for the document itself.
        at: String,
        /// serde's description, with line and column.
        source: serde_json::Error,
    },
    /// The schema is not one this version reads.
    #[error("unsupported snapshot schema {found:?}: this kmswatch reads {FACTS_SCHEMA:?}")]
    Schema {
        /// What the file says.
        found: String,
    },
    /// The content is inconsistent (an ARN that is not one, an empty account id...).
    #[error("invalid snapshot: {0}")]
    Invalid(String),
}

/// serde's description of a malformed document: with its line and column when
/// the text is the user's file, without them when it is a document kmswatch
/// serialized itself (a Python dict), whose lines the user never saw.
fn describe(error: &serde_json::Error, from_file: bool) -> String {
    if from_file {
        return error.to_string();
    }
    let text = error.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_owned(),
        None => text,
    }
}

impl Facts {
    /// Empty facts for an account, before anything is gathered.
    pub fn new(account_id: &str, region: &str) -> Self {
        Facts {
            schema: FACTS_SCHEMA.to_owned(),
            account_id: account_id.to_owned(),
            region: region.to_owned(),
            captured_at: None,
            trails: Vec::new(),
            log_groups: Vec::new(),
            alarms: Vec::new(),
            topics: Vec::new(),
            keys: Vec::new(),
            event_rules: Vec::new(),
            key_regions: None,
            errors: Vec::new(),
            linked: Vec::new(),
        }
    }

    /// Parses and validates a snapshot document. An error names where in the
    /// document it is (a path of keys and indexes), as well as the line and
    /// column for a file.
    pub fn from_json(text: &str) -> Result<Self, SnapshotError> {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let facts: Facts = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
            let at = e.path().to_string();
            SnapshotError::Malformed {
                path: None,
                at,
                source: e.into_inner(),
            }
        })?;
        facts.validate()?;
        Ok(facts)
    }

    /// Reads and validates a snapshot file.
    pub fn load(path: &std::path::Path) -> Result<Self, SnapshotError> {
        let text = std::fs::read_to_string(path).map_err(|source| SnapshotError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Self::from_json(&text).map_err(|e| match e {
            SnapshotError::Malformed { source, at, .. } => SnapshotError::Malformed {
                path: Some(path.display().to_string()),
                at,
                source,
            },
            other => other,
        })
    }

    /// The snapshot document, pretty-printed.
    pub fn to_json(&self) -> String {
        // Facts holds only strings, numbers, bools and maps with string keys.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Writes the snapshot file, readable by its owner only (mode 0600 where
    /// files have modes): it describes the account's security monitoring.
    pub fn save(&self, path: &std::path::Path) -> Result<(), SnapshotError> {
        use std::io::Write;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let write = || -> std::io::Result<()> {
            let mut file = options.open(path)?;
            // An existing file keeps its mode on open: narrow it too.
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
            }
            file.write_all((self.to_json() + "\n").as_bytes())?;
            file.flush()
        };
        write().map_err(|source| SnapshotError::Write {
            path: path.display().to_string(),
            source,
        })
    }

    /// Replaces every subscription endpoint with its redacted form
    /// ([`crate::redact::endpoint`]); what the check decides does not depend
    /// on them.
    pub fn redact_endpoints(&mut self) {
        for topic in &mut self.topics {
            for s in topic.subscriptions.iter_mut().flatten() {
                s.endpoint = crate::redact::endpoint(&s.protocol, &s.endpoint);
            }
        }
    }

    fn validate(&self) -> Result<(), SnapshotError> {
        if self.schema != FACTS_SCHEMA {
            return Err(SnapshotError::Schema {
                found: self.schema.clone(),
            });
        }
        if self.account_id.is_empty() || !self.account_id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(SnapshotError::Invalid(format!(
                "account_id {:?} is not a 12-digit AWS account id",
                self.account_id
            )));
        }
        let arns = self
            .trails
            .iter()
            .map(|t| &t.trail.trail_arn)
            .chain(self.log_groups.iter().map(|g| &g.arn))
            .chain(self.topics.iter().map(|t| &t.topic_arn));
        for arn in arns {
            if Arn::parse(arn).is_none() {
                return Err(SnapshotError::Invalid(format!("{arn:?} is not an ARN")));
            }
        }
        if let Some(g) = self.log_groups.iter().find(|g| g.location().is_none()) {
            return Err(SnapshotError::Invalid(format!(
                "{:?} is not a log group ARN",
                g.arn
            )));
        }
        self.linked
            .iter()
            .try_for_each(|l| l.validate(&self.account_id))
    }

    /// What was learnt of `account_id`, another account holding links of
    /// this account's chains.
    pub fn linked_account(&self, account_id: &str) -> Option<&LinkedAccount> {
        self.linked.iter().find(|l| l.account_id == account_id)
    }

    /// The trail with this ARN.
    pub fn trail(&self, arn: &str) -> Option<&TrailFacts> {
        self.trails.iter().find(|t| t.trail.trail_arn == arn)
    }

    /// The log group with this ARN (with or without `:*`).
    pub fn log_group(&self, arn: &str) -> Option<&LogGroupFacts> {
        let arn = normalize_log_group_arn(arn);
        self.log_groups.iter().find(|g| g.arn == arn)
    }

    /// The alarms read in a region.
    pub fn region_alarms(&self, region: &str) -> Option<&RegionAlarms> {
        self.alarms.iter().find(|a| a.region == region)
    }

    /// The topic with this ARN.
    pub fn topic(&self, arn: &str) -> Option<&TopicFacts> {
        self.topics.iter().find(|t| t.topic_arn == arn)
    }

    /// The key named `key_id` as looked up in `region`.
    pub fn key(&self, region: &str, key_id: &str) -> Option<&KeyFacts> {
        self.keys
            .iter()
            .find(|k| k.region == region && k.key_id == key_id)
    }

    /// The recorded failure of `operation` on `resource` (or in `region`), if any.
    pub fn error_for(
        &self,
        operation: Operation,
        resource: Option<&str>,
        region: Option<&str>,
    ) -> Option<&ApiError> {
        self.errors.iter().find(|e| {
            e.operation == operation
                && (resource.is_none() || e.resource.as_deref() == resource)
                && (region.is_none() || e.region.as_deref() == region)
        })
    }
}

/// Whether an error means "these credentials cannot see it" rather than "it broke".
pub fn is_visibility_error(error: &ApiError) -> bool {
    error.kind == ApiErrorKind::AccessDenied
}

/// The customer managed keys of the regions read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct KeyRegionFacts {
    /// Every region read, in the order read.
    pub regions: Vec<RegionKeyFacts>,
    /// Regions not enabled for the account (opt-in regions): no key can be
    /// used there, so none needs monitoring.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<String>,
}

/// One region's customer managed keys.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RegionKeyFacts {
    /// The region.
    pub region: String,
    /// The ARNs of its customer managed keys (any state); `None` when
    /// `ListKeys` failed, or a `DescribeKey` failed and no key of the region
    /// is known to be customer managed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_managed_keys: Option<Vec<String>>,
}

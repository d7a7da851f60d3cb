//! The account the in-memory backend holds, in the shape its answers need:
//! resources with what is known of them (read, not read, known absent), the
//! failures to replay and CloudTrail's event history. A snapshot
//! ([`crate::check::Facts`]) is one view of it, converted in `snapshot.rs`;
//! neither depends on the other's layout.

use crate::api::{ApiError, ApiResult};
use crate::model::{
    normalize_log_group_arn, partition_of_region, Alarm, Arn, CompositeAlarm, EventRule,
    EventSelectors, Key, Metric, MetricFilter, RuleTarget, Subscription, SubscriptionAttributes,
    TopicAttributes, Trail, TrailEvent, TrailStatus,
};
use crate::operation::Operation;

/// One AWS account in memory.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Account {
    /// The account id.
    pub id: String,
    /// The region `GetCallerIdentity` goes to, and a snapshot's region.
    pub home_region: String,
    /// When a snapshot of it was captured, if known.
    pub captured_at: Option<String>,
    /// CloudTrail trails, in the order they were added.
    pub trails: Vec<TrailRecord>,
    /// CloudWatch Logs log groups.
    pub log_groups: Vec<LogGroupRecord>,
    /// CloudWatch alarms, one entry per region.
    pub alarms: Vec<AlarmRegion>,
    /// SNS topics.
    pub topics: Vec<TopicRecord>,
    /// KMS keys, one entry per name they were looked up by.
    pub keys: Vec<KeyEntry>,
    /// The default event bus of each region whose rules are known.
    pub event_buses: Vec<EventBus>,
    /// Which regions a snapshot found holding customer managed keys (what
    /// its check read for accepted monitoring; kept to be given back, not
    /// answered from: `ListKeys` answers from `keys`).
    pub key_regions: Option<kmswatch_decisions::check::facts::KeyRegionFacts>,
    /// Failed calls to fail again the same way (a snapshot's errors).
    pub recorded_errors: Vec<ApiError>,
    /// CloudTrail's event history (never part of a snapshot).
    pub history: Vec<HistoryEvent>,
    /// The other accounts a snapshot read links of this account's chains in
    /// (kept to be given back; [`super::MemoryBackend::linked_entrance`]
    /// answers for them).
    pub linked: Vec<kmswatch_decisions::check::facts::LinkedAccount>,
}

/// What the account knows of whether a resource exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Existence {
    /// It exists.
    Exists,
    /// It was looked up and is not there.
    Absent,
    /// Never looked up: it answers as if it existed, with what is known.
    Unknown,
}

impl Existence {
    /// Whether calls find it: everything but a resource known absent.
    pub fn is_found(self) -> bool {
        self != Existence::Absent
    }
}

/// A trail with its status and event selectors (`None`: not known).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct TrailRecord {
    /// The trail.
    pub trail: Trail,
    /// `GetTrailStatus`'s answer.
    pub status: Option<TrailStatus>,
    /// `GetEventSelectors`'s answer.
    pub selectors: Option<EventSelectors>,
}

/// A log group and its metric filters (`None`: not known).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct LogGroupRecord {
    /// Its ARN, without `:*`.
    pub arn: String,
    /// Whether it exists.
    pub existence: Existence,
    /// Its metric filters.
    pub filters: Option<Vec<MetricFilter>>,
}

/// The alarms of one region.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct AlarmRegion {
    /// The region.
    pub region: String,
    /// Its metric alarms, as far as they are known.
    pub metric_alarms: MetricAlarms,
    /// Its composite alarms (`None`: not known).
    pub composites: Option<Vec<CompositeAlarm>>,
}

/// How much of a region's metric alarms the account knows.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum MetricAlarms {
    /// Nothing: the listing is empty, and no metric's alarms are known.
    NotRead,
    /// Every metric alarm of the region.
    Listed(Vec<Alarm>),
    /// Only the alarms on these metrics (`alarms`: those alarms, `None`
    /// when none of them is known).
    ByMetric {
        /// The metrics whose alarms are known.
        metrics: Vec<Metric>,
        /// The alarms on them.
        alarms: Option<Vec<Alarm>>,
        /// Name prefixes whose alarms are known too (listed by
        /// `AlarmNamePrefix`; `alarms` holds them).
        name_prefixes: Option<Vec<String>>,
    },
}

impl MetricAlarms {
    /// The alarms known, whichever way.
    pub fn known(&self) -> Option<&Vec<Alarm>> {
        match self {
            MetricAlarms::NotRead => None,
            MetricAlarms::Listed(alarms) => Some(alarms),
            MetricAlarms::ByMetric { alarms, .. } => alarms.as_ref(),
        }
    }

    /// The alarms named `prefix…`, when they are all known: the region is
    /// listed whole, or by a prefix of `prefix`.
    pub fn named(&self, prefix: &str) -> Option<Vec<Alarm>> {
        let alarms = match self {
            MetricAlarms::NotRead => return Some(Vec::new()),
            MetricAlarms::Listed(alarms) => alarms,
            MetricAlarms::ByMetric {
                alarms: Some(alarms),
                name_prefixes: Some(prefixes),
                ..
            } if prefixes.iter().any(|p| prefix.starts_with(p.as_str())) => alarms,
            MetricAlarms::ByMetric { .. } => return None,
        };
        Some(
            alarms
                .iter()
                .filter(|a| a.alarm_name.starts_with(prefix))
                .cloned()
                .collect(),
        )
    }

    /// Whether the alarms on `metric` are all known.
    pub fn knows_alarms_on(&self, metric: &Metric) -> bool {
        match self {
            MetricAlarms::NotRead => false,
            MetricAlarms::Listed(_) => true,
            MetricAlarms::ByMetric {
                metrics, alarms, ..
            } => alarms.is_some() && metrics.contains(metric),
        }
    }

    /// Adds or replaces (by name) an alarm. Where only some metrics' alarms
    /// are known, the alarms on its metric are known as far as the verdict
    /// goes: the new alarm is among them.
    pub fn put(&mut self, alarm: Alarm) {
        let alarms = match self {
            MetricAlarms::NotRead => {
                *self = MetricAlarms::Listed(vec![alarm]);
                return;
            }
            MetricAlarms::Listed(alarms) => alarms,
            MetricAlarms::ByMetric {
                metrics, alarms, ..
            } => {
                if let Some(metric) = &alarm.metric {
                    if !metrics.contains(metric) {
                        metrics.push(metric.clone());
                    }
                }
                alarms.get_or_insert_with(Vec::new)
            }
        };
        alarms.retain(|a| a.alarm_name != alarm.alarm_name);
        alarms.push(alarm);
    }
}

/// An SNS topic with what is known of it (`None`: not known).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct TopicRecord {
    /// Its ARN.
    pub arn: String,
    /// Whether it exists.
    pub existence: Existence,
    /// Its attributes.
    pub attributes: Option<TopicAttributes>,
    /// Its subscriptions.
    pub subscriptions: Option<Vec<Subscription>>,
    /// The attributes known of its confirmed subscriptions; a confirmed
    /// subscription without them here is unknown.
    pub subscription_attributes: Vec<SubscriptionAttributes>,
}

/// A KMS key under one name it is looked up by (key id, key ARN, alias name
/// or alias ARN) in one region; a key with an alias has an entry for each.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct KeyEntry {
    /// The name.
    pub name: String,
    /// The region.
    pub region: String,
    /// Whether a key of that name exists.
    pub existence: Existence,
    /// `DescribeKey`'s answer (`None`: not known).
    pub key: Option<Key>,
    /// The `default` key policy (`None`: not known).
    pub policy: Option<String>,
}

/// A region's default event bus.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct EventBus {
    /// The region.
    pub region: String,
    /// Its rules (`None`: not known).
    pub rules: Option<Vec<RuleRecord>>,
}

/// An EventBridge rule and its targets (`None`: not known, answered as none).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct RuleRecord {
    /// The rule.
    pub rule: EventRule,
    /// Its targets.
    pub targets: Option<Vec<RuleTarget>>,
}

/// An event of CloudTrail's event history, in the region it was recorded in.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct HistoryEvent {
    /// The region.
    pub region: String,
    /// The event.
    pub event: TrailEvent,
}

impl Account {
    /// The trail with this ARN.
    pub fn trail(&self, arn: &str) -> Option<&TrailRecord> {
        find(&self.trails, arn)
    }

    /// The log group with this ARN (with or without `:*`).
    pub fn log_group(&self, arn: &str) -> Option<&LogGroupRecord> {
        find(&self.log_groups, normalize_log_group_arn(arn))
    }

    /// The alarms of a region, when the account has any entry for it.
    pub fn alarm_region(&self, region: &str) -> Option<&AlarmRegion> {
        find(&self.alarms, region)
    }

    /// The topic with this ARN.
    pub fn topic(&self, arn: &str) -> Option<&TopicRecord> {
        find(&self.topics, arn)
    }

    /// The topic with this ARN, unless it is known absent.
    pub fn found_topic_mut(&mut self, arn: &str) -> Option<&mut TopicRecord> {
        self.topics
            .iter_mut()
            .find(|t| t.arn == arn && t.existence.is_found())
    }

    /// Fails the call the way a recorded failure says it failed: the same
    /// operation on the same resource, in the same region when it names one.
    pub fn replay(
        &self,
        operation: Operation,
        resource: Option<&str>,
        region: &str,
    ) -> ApiResult<()> {
        let found = self.recorded_errors.iter().find(|e| {
            e.operation == operation
                && e.resource.as_deref() == resource
                && e.region.as_deref().is_none_or(|r| r == region)
        });
        match found {
            Some(e) => Err(e.clone()),
            None => Ok(()),
        }
    }

    /// The ARN of a resource of this account: `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`.
    pub fn arn(&self, service: &str, region: &str, resource: &str) -> String {
        let partition = self.partition(region);
        format!("arn:{partition}:{service}:{region}:{}:{resource}", self.id)
    }

    /// The account's partition: an account lives in one, so the first ARN it
    /// holds names it; an empty account is in the partition of its region.
    fn partition(&self, region: &str) -> &str {
        let arns = self
            .trails
            .iter()
            .map(|t| t.trail.trail_arn.as_str())
            .chain(self.log_groups.iter().map(|g| g.arn.as_str()))
            .chain(self.topics.iter().map(|t| t.arn.as_str()));
        arns.filter_map(Arn::parse)
            .map(|arn| arn.partition)
            .next()
            .unwrap_or_else(|| partition_of_region(region))
    }
}

/// A record the account finds by one key: its ARN, or its region.
pub(super) trait Keyed {
    /// The key.
    fn key(&self) -> &str;
}

impl Keyed for TrailRecord {
    fn key(&self) -> &str {
        &self.trail.trail_arn
    }
}

impl Keyed for LogGroupRecord {
    fn key(&self) -> &str {
        &self.arn
    }
}

impl Keyed for AlarmRegion {
    fn key(&self) -> &str {
        &self.region
    }
}

impl Keyed for TopicRecord {
    fn key(&self) -> &str {
        &self.arn
    }
}

impl Keyed for EventBus {
    fn key(&self) -> &str {
        &self.region
    }
}

/// The first record of `key`.
fn find<'a, T: Keyed>(records: &'a [T], key: &str) -> Option<&'a T> {
    records.iter().find(|r| r.key() == key)
}

/// The record of `key`, added by `new` when there is none.
pub(super) fn entry<'a, T: Keyed>(
    records: &'a mut Vec<T>,
    key: &str,
    new: impl FnOnce() -> T,
) -> &'a mut T {
    let index = match records.iter().position(|r| r.key() == key) {
        Some(i) => i,
        None => {
            records.push(new());
            records.len() - 1
        }
    };
    &mut records[index]
}

//! `plan`: facts in, the smallest list of actions that makes the account pass.
//! Pure; no I/O.
//!
//! The plan reuses what works. It reads the [`Report`] of the facts: a chain
//! whose trail and log group are sound is a *site*; on it, kmswatch tries (in
//! order of preference) to subscribe to the topic of an otherwise sound alarm,
//! to take over a fixable alarm (`--adopt` only), to add an alarm on the metric
//! of a filter that already catches both events, and to add the CIS metric
//! filter (publishing to the metric of a working alarm when there is one). The
//! candidate with the fewest actions wins, preferring one that needs no human
//! confirmation. Trail-level gaps are prerequisites kmswatch does not fix.

use super::desired::{self, alarm_differences, filter_differences};
use super::error::RemediateError;
use super::options::{Protocol, RemediateOptions, DEFAULT_METRIC_NAME, DEFAULT_METRIC_NAMESPACE};
use super::policy;
use crate::check::facts::TopicFacts;
use crate::check::report::Chain;
use crate::check::{evaluate, Facts, Gap, Report, Severity, Status, TARGET_EVENT_NAMES};
use crate::model::{Alarm, Arn, Metric, MetricFilter};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The plan schema, printed as `"schema"`.
pub const PLAN_SCHEMA: &str = "kmswatch.plan/v1";

/// Whether a put creates a resource or changes one (the latter only with `--adopt`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// The resource does not exist yet.
    Create,
    /// An existing resource of that name is taken over and changed.
    Update,
}

/// One write. Actions are data: they print, serialize, preview and export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// `CreateTopic`.
    CreateTopic {
        /// Region.
        region: String,
        /// Topic name.
        name: String,
        /// The ARN the topic will have.
        topic_arn: String,
        /// Tags, `kmswatch:managed` included.
        tags: BTreeMap<String, String>,
    },
    /// `SetTopicAttributes Policy` with the existing policy plus kmswatch's statement.
    MergeTopicPolicy {
        /// The topic.
        topic_arn: String,
        /// The merged policy document: every existing statement, and kmswatch's.
        policy: String,
    },
    /// `Subscribe`.
    Subscribe {
        /// The topic.
        topic_arn: String,
        /// Protocol.
        protocol: Protocol,
        /// Endpoint.
        endpoint: String,
    },
    /// `PutMetricFilter`.
    PutMetricFilter {
        /// Region of the log group.
        region: String,
        /// Create, or update an adopted filter.
        change: Change,
        /// The filter.
        filter: MetricFilter,
    },
    /// `PutMetricAlarm`.
    PutMetricAlarm {
        /// Region (the metric's).
        region: String,
        /// Create, or update an adopted alarm.
        change: Change,
        /// The alarm, tags included.
        alarm: Box<Alarm>,
    },
}

impl Action {
    /// Dependency order: topics before what publishes to them, the alarm last so
    /// that it never exists without the path behind it.
    fn rank(&self) -> u8 {
        match self {
            Action::CreateTopic { .. } => 0,
            Action::MergeTopicPolicy { .. } => 1,
            Action::Subscribe { .. } => 2,
            Action::PutMetricFilter { .. } => 3,
            Action::PutMetricAlarm { .. } => 4,
        }
    }

    /// One line for people, e.g. `create alarm X in us-east-1 on CISBenchmark/Y → arn:...`.
    pub fn describe(&self) -> String {
        let verb = |c: &Change| match c {
            Change::Create => "create",
            Change::Update => "update (adopted)",
        };
        match self {
            Action::CreateTopic { region, name, .. } => {
                format!("create SNS topic {name} in {region}")
            }
            Action::MergeTopicPolicy { topic_arn, .. } => format!(
                "add statement {} to the access policy of {topic_arn} (existing statements kept)",
                policy::STATEMENT_SID
            ),
            Action::Subscribe {
                topic_arn,
                protocol,
                endpoint,
            } => {
                format!("subscribe {}:{endpoint} to {topic_arn}", protocol.as_str())
            }
            Action::PutMetricFilter {
                region,
                change,
                filter,
            } => {
                let t = filter.metric_transformations.first();
                format!(
                    "{} metric filter {} on log group {} in {region}: pattern {} → metric {}/{} (value {})",
                    verb(change),
                    filter.filter_name,
                    filter.log_group_name,
                    filter.filter_pattern,
                    t.map(|t| t.metric_namespace.as_str()).unwrap_or_default(),
                    t.map(|t| t.metric_name.as_str()).unwrap_or_default(),
                    t.map(|t| t.metric_value.as_str()).unwrap_or_default(),
                )
            }
            Action::PutMetricAlarm {
                region,
                change,
                alarm,
            } => {
                let metric = alarm.metric.as_ref();
                format!(
                    "{} alarm {} in {region}: {} of {}/{} over {} s >= {} (1 of 1, missing data notBreaching) → {}",
                    verb(change),
                    alarm.alarm_name,
                    alarm.statistic.as_deref().unwrap_or_default(),
                    metric.map(|m| m.namespace.as_str()).unwrap_or_default(),
                    metric.map(|m| m.metric_name.as_str()).unwrap_or_default(),
                    alarm.period.unwrap_or_default(),
                    alarm.threshold.unwrap_or_default(),
                    alarm.alarm_actions.join(", ")
                )
            }
        }
    }
}

/// A subscription that must be confirmed before alerts reach anyone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PendingSubscription {
    /// The topic.
    pub topic_arn: String,
    /// Protocol.
    pub protocol: String,
    /// Endpoint.
    pub endpoint: String,
    /// Whether the plan creates it (false: it already exists, unconfirmed).
    pub created_by_plan: bool,
}

/// What kmswatch will do to make the account pass.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// Always [`PLAN_SCHEMA`].
    pub schema: String,
    /// The account.
    pub account_id: String,
    /// The region whose trails were listed.
    pub region: String,
    /// The verdict of the facts the plan starts from.
    pub status_before: Status,
    /// The trail whose chain the plan completes (none when already passing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trail_arn: Option<String>,
    /// Its log group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_group_arn: Option<String>,
    /// The writes, in dependency order. Empty: nothing to change.
    pub actions: Vec<Action>,
    /// Resources of the chosen names that exist with identical settings.
    pub unchanged: Vec<String>,
    /// Subscriptions that must be confirmed before the account passes.
    pub pending_confirmation: Vec<PendingSubscription>,
    /// What was reused, what was left alone, and why.
    pub notes: Vec<String>,
}

impl Plan {
    /// The plan as one JSON document.
    pub fn to_json(&self) -> String {
        // Only strings, numbers, bools, lists and string-keyed maps.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Whether applying changes nothing.
    pub fn is_empty(&self) -> bool {
        self.actions.is_empty()
    }
}

/// The smallest list of actions that turns the account described by `facts`
/// into PASS, reusing what exists.
///
/// # Errors
///
/// [`RemediateError::PrerequisiteMissing`] when no trail's chain can be completed
/// by kmswatch (not logging, single-region, no CloudWatch Logs...);
/// [`RemediateError::FactsIncomplete`] when a fact the plan depends on is
/// unknown; [`RemediateError::Conflict`], [`RemediateError::FilterLimit`],
/// [`RemediateError::NoSubscriber`] or [`RemediateError::InvalidOption`] when no
/// candidate plan is possible without overwriting something, exceeding a limit
/// or creating a topic nobody reads.
///
/// ```
/// use kmswatch_core::check::Facts;
/// use kmswatch_core::remediate::{plan, RemediateOptions};
/// let facts = Facts::load("../examples/compliant.json".as_ref()).unwrap();
/// assert!(plan(&facts, &RemediateOptions::default()).unwrap().is_empty());
/// ```
pub fn plan(facts: &Facts, options: &RemediateOptions) -> Result<Plan, RemediateError> {
    options.validate()?;
    let report = evaluate(facts);
    let mut plan = Plan {
        schema: PLAN_SCHEMA.to_owned(),
        account_id: facts.account_id.clone(),
        region: facts.region.clone(),
        status_before: report.status,
        trail_arn: None,
        log_group_arn: None,
        actions: Vec::new(),
        unchanged: Vec::new(),
        pending_confirmation: Vec::new(),
        notes: Vec::new(),
    };
    if report.status == Status::Pass {
        plan.notes.push(format!(
            "already PASS: {}; nothing to change",
            report.summary
        ));
        return Ok(plan);
    }
    let mut missing: Vec<Gap> = Vec::new();
    let mut unknown: Vec<Gap> = Vec::new();
    for gap in &report.gaps {
        sort_gap(gap, &mut missing, &mut unknown);
    }
    let mut best: Option<(Draft, &Chain)> = None;
    let mut first_error = None;
    for chain in &report.chains {
        let blocking: Vec<&Gap> = chain
            .gaps
            .iter()
            .filter(|g| g.severity != Severity::Warning && !is_coverage_gap(g))
            .collect();
        if !blocking.is_empty() {
            blocking
                .into_iter()
                .for_each(|g| sort_gap(g, &mut missing, &mut unknown));
            continue;
        }
        match Site::new(facts, &report, chain, options).and_then(|site| site.best_draft()) {
            Ok(draft) => {
                if best.as_ref().is_none_or(|(b, _)| draft.cost() < b.cost()) {
                    best = Some((draft, chain));
                }
            }
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    let Some((mut draft, chain)) = best else {
        return Err(match first_error {
            Some(e) => e,
            None if !unknown.is_empty() => RemediateError::FactsIncomplete { gaps: unknown },
            None => RemediateError::PrerequisiteMissing { gaps: missing },
        });
    };
    draft.actions.sort_by_key(Action::rank);
    plan.trail_arn = Some(chain.trail_arn.clone());
    plan.log_group_arn = chain.log_group_arn.clone();
    plan.actions = draft.actions;
    plan.unchanged = draft.unchanged;
    plan.pending_confirmation = draft.pending;
    plan.notes = draft.notes;
    Ok(plan)
}

fn is_coverage_gap(gap: &Gap) -> bool {
    gap.code.starts_with("PATTERN_MISSES:") || gap.code.starts_with("NOT_ALARMED:")
}

/// A log group in another account is a prerequisite (kmswatch cannot write
/// there); any other unknown is an unknown.
fn sort_gap(gap: &Gap, missing: &mut Vec<Gap>, unknown: &mut Vec<Gap>) {
    if gap.severity == Severity::Fail || gap.code == "LOG_GROUP_OTHER_ACCOUNT" {
        missing.push(gap.clone());
    } else if gap.severity != Severity::Warning {
        unknown.push(gap.clone());
    }
}

/// A candidate plan under construction.
#[derive(Debug, Default)]
struct Draft {
    actions: Vec<Action>,
    unchanged: Vec<String>,
    pending: Vec<PendingSubscription>,
    notes: Vec<String>,
}

impl Draft {
    /// Fewer humans in the loop first, then fewer writes.
    fn cost(&self) -> (bool, usize) {
        (!self.pending.is_empty(), self.actions.len())
    }
}

/// A chain whose trail and log group are sound: where kmswatch can work.
struct Site<'a> {
    facts: &'a Facts,
    report: &'a Report,
    chain: &'a Chain,
    options: &'a RemediateOptions,
    partition: &'a str,
    region: &'a str,
    group_name: &'a str,
    filters: &'a [MetricFilter],
    alarms: &'a [Alarm],
}

impl<'a> Site<'a> {
    fn new(
        facts: &'a Facts,
        report: &'a Report,
        chain: &'a Chain,
        options: &'a RemediateOptions,
    ) -> Result<Self, RemediateError> {
        // evaluate only leaves coverage gaps on a chain whose log group is known.
        let group = chain
            .log_group_arn
            .as_deref()
            .and_then(|arn| facts.log_group(arn));
        let (Some(group), Some(arn)) = (group, chain.log_group_arn.as_deref().and_then(Arn::parse))
        else {
            return Err(RemediateError::FactsIncomplete {
                gaps: chain.gaps.clone(),
            });
        };
        let Some((region, _, group_name)) = group.location() else {
            return Err(RemediateError::FactsIncomplete {
                gaps: chain.gaps.clone(),
            });
        };
        if let Some(e) = facts.error_for("DescribeAlarms", None, Some(region)) {
            return Err(RemediateError::FactsIncomplete {
                gaps: vec![Gap::new(
                    "ALARMS_UNKNOWN",
                    Severity::Error,
                    None,
                    format!("the alarms of {region} are unknown, so kmswatch cannot tell whether its alarm name is taken: {e}"),
                    "allow these credentials cloudwatch:DescribeAlarms and run kmswatch remediate again",
                )],
            });
        }
        Ok(Site {
            facts,
            report,
            chain,
            options,
            partition: arn.partition,
            region,
            group_name,
            filters: group.metric_filters.as_deref().unwrap_or_default(),
            alarms: facts
                .region_alarms(region)
                .and_then(|r| r.alarms.as_deref())
                .unwrap_or_default(),
        })
    }

    /// Tries every strategy; the cheapest that works wins, the first on a tie.
    fn best_draft(&self) -> Result<Draft, RemediateError> {
        let mut candidates: Vec<Result<Draft, RemediateError>> = Vec::new();
        let covering = self.chain.metric_filters.iter().filter(|f| {
            TARGET_EVENT_NAMES
                .iter()
                .all(|n| f.catches.iter().any(|c| c == n))
                && f.metric.is_some()
                && blocking_codes(&f.gaps)
                    .iter()
                    .all(|c| *c == "ALARM_MISSING")
        });
        for f in covering {
            let metric = f.metric.as_ref().expect("filtered on metric");
            for a in f
                .alarms
                .iter()
                .filter(|a| blocking_codes(&a.gaps).is_empty())
            {
                for t in &a.topics {
                    let only_unconfirmed =
                        blocking_codes(&t.gaps) == ["TOPIC_NO_CONFIRMED_SUBSCRIPTION"];
                    let wanted = self
                        .options
                        .topic_arn
                        .as_ref()
                        .is_none_or(|x| *x == t.topic_arn);
                    if only_unconfirmed && wanted {
                        candidates.push(attempt(|d| {
                            d.notes.push(format!(
                                "alarm {} on filter {} is sound; only its topic lacks a confirmed subscriber",
                                a.alarm_name, f.filter_name
                            ));
                            self.use_topic(d, &t.topic_arn)
                        }));
                    }
                }
            }
            if self.options.adopt {
                for a in f.alarms.iter().filter(|a| is_fixable(a)) {
                    let existing = self.alarms.iter().find(|x| x.alarm_name == a.alarm_name);
                    if let Some(existing) = existing {
                        candidates.push(attempt(|d| self.adopt_alarm(d, existing, metric)));
                    }
                }
            }
            candidates.push(attempt(|d| {
                for a in &f.alarms {
                    d.notes.push(format!(
                        "alarm {} ({}) is left as it is: kmswatch does not change alarms it did not create (--adopt fixes it in place)",
                        a.alarm_name,
                        blocking_codes(&a.gaps).join(", ")
                    ));
                }
                let topic = self.ensure_topic(d)?;
                self.ensure_alarm(d, &self.options.alarm_name, metric, vec![topic], None)
            }));
        }
        candidates.push(attempt(|d| self.add_cis_filter(d)));
        let mut best: Option<Draft> = None;
        let mut first_error = None;
        for c in candidates {
            match c {
                Ok(d) if best.as_ref().is_none_or(|b| d.cost() < b.cost()) => best = Some(d),
                Ok(_) => {}
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        best.ok_or_else(|| first_error.expect("at least one candidate"))
    }

    /// The CIS filter, on the metric of a working alarm when there is one.
    fn add_cis_filter(&self, d: &mut Draft) -> Result<(), RemediateError> {
        let explicit =
            self.options.metric_namespace.is_some() || self.options.metric_name.is_some();
        let working = self
            .chain
            .metric_filters
            .iter()
            .filter(|f| f.status == Status::Pass)
            .find_map(|f| f.metric.clone().map(|m| (f, m)));
        let metric = match (&working, explicit) {
            (Some((f, m)), false) => {
                d.notes.push(format!(
                    "the new filter publishes to {}/{}, the metric of filter {}, whose alarm already reaches a confirmed subscriber",
                    m.namespace, m.metric_name, f.filter_name
                ));
                m.clone()
            }
            _ => Metric {
                namespace: self
                    .options
                    .metric_namespace
                    .clone()
                    .unwrap_or_else(|| DEFAULT_METRIC_NAMESPACE.to_owned()),
                metric_name: self
                    .options
                    .metric_name
                    .clone()
                    .unwrap_or_else(|| DEFAULT_METRIC_NAME.to_owned()),
                dimensions: BTreeMap::new(),
            },
        };
        self.ensure_filter(d, &metric)?;
        let alarmed = self
            .chain
            .metric_filters
            .iter()
            .any(|f| f.status == Status::Pass && f.metric.as_ref() == Some(&metric));
        if alarmed {
            return Ok(());
        }
        let topic = self.ensure_topic(d)?;
        self.ensure_alarm(d, &self.options.alarm_name, &metric, vec![topic], None)
    }

    fn ensure_filter(&self, d: &mut Draft, metric: &Metric) -> Result<(), RemediateError> {
        let wanted = desired::metric_filter(&self.options.filter_name, self.group_name, metric);
        let resource = format!(
            "metric filter {} on log group {}",
            wanted.filter_name, self.group_name
        );
        let existing = self
            .filters
            .iter()
            .find(|f| f.filter_name == wanted.filter_name);
        if existing.is_none() && self.filters.len() >= 100 {
            return Err(RemediateError::FilterLimit {
                log_group: self.group_name.to_owned(),
            });
        }
        let differences = existing.map(|e| filter_differences(e, &wanted));
        let Some(change) = self.change_for(d, resource, differences)? else {
            return Ok(());
        };
        d.actions.push(Action::PutMetricFilter {
            region: self.region.to_owned(),
            change,
            filter: wanted,
        });
        Ok(())
    }

    /// What to do with a resource of the chosen name: create it when none
    /// exists (`differences` is `None`), nothing when one exists with the same
    /// settings, update it only when adopting, else stop with a conflict.
    fn change_for(
        &self,
        d: &mut Draft,
        resource: String,
        differences: Option<Vec<String>>,
    ) -> Result<Option<Change>, RemediateError> {
        let Some(differences) = differences else {
            return Ok(Some(Change::Create));
        };
        if differences.is_empty() {
            d.unchanged.push(resource);
            return Ok(None);
        }
        if !self.options.adopt {
            return Err(RemediateError::Conflict {
                resource,
                differences,
            });
        }
        Ok(Some(Change::Update))
    }

    /// Puts alarm `name` on `metric` notifying `actions`; `base` is an adopted
    /// alarm whose other actions are kept.
    fn ensure_alarm(
        &self,
        d: &mut Draft,
        name: &str,
        metric: &Metric,
        mut actions: Vec<String>,
        base: Option<&Alarm>,
    ) -> Result<(), RemediateError> {
        let arn = format!(
            "arn:{}:cloudwatch:{}:{}:alarm:{name}",
            self.partition, self.region, self.facts.account_id
        );
        if let Some(base) = base {
            actions.extend(
                base.alarm_actions
                    .iter()
                    .filter(|a| !actions.contains(a))
                    .cloned()
                    .collect::<Vec<_>>(),
            );
        }
        let mut wanted = desired::alarm(name, &arn, metric, actions, self.options);
        if let Some(base) = base {
            wanted.ok_actions = base.ok_actions.clone();
            wanted.insufficient_data_actions = base.insufficient_data_actions.clone();
        }
        let resource = format!("alarm {name} in {}", self.region);
        let existing = self.alarms.iter().find(|a| a.alarm_name == name);
        let differences = existing.map(|e| alarm_differences(e, &wanted));
        let Some(change) = self.change_for(d, resource, differences)? else {
            return Ok(());
        };
        d.actions.push(Action::PutMetricAlarm {
            region: self.region.to_owned(),
            change,
            alarm: Box::new(wanted),
        });
        Ok(())
    }

    /// `--adopt`: fix an alarm kmswatch did not create, in place.
    fn adopt_alarm(
        &self,
        d: &mut Draft,
        existing: &Alarm,
        metric: &Metric,
    ) -> Result<(), RemediateError> {
        let sound_topics: Vec<String> = self
            .chain
            .metric_filters
            .iter()
            .flat_map(|f| &f.alarms)
            .filter(|a| a.alarm_name == existing.alarm_name)
            .flat_map(|a| &a.topics)
            .filter(|t| t.status == Status::Pass)
            .map(|t| t.topic_arn.clone())
            .collect();
        let actions = if sound_topics.is_empty() {
            vec![self.ensure_topic(d)?]
        } else {
            Vec::new()
        };
        d.notes.push(format!(
            "alarm {} is adopted and fixed in place (--adopt)",
            existing.alarm_name
        ));
        self.ensure_alarm(d, &existing.alarm_name, metric, actions, Some(existing))
    }

    /// The topic the new alarm notifies: `--topic-arn`; else, without a
    /// subscriber, a topic that already reaches someone; else kmswatch's own.
    fn ensure_topic(&self, d: &mut Draft) -> Result<String, RemediateError> {
        if let Some(arn) = &self.options.topic_arn {
            let topic_region = Arn::parse(arn).map(|a| a.region).unwrap_or_default();
            if topic_region != self.region {
                return Err(RemediateError::InvalidOption(format!(
                    "topic {arn} is in {topic_region}, but the alarm must be in {} (the log group's region) and CloudWatch alarms notify topics of their own region",
                    self.region
                )));
            }
            self.use_topic(d, arn)?;
            return Ok(arn.clone());
        }
        let own = format!(
            "arn:{}:sns:{}:{}:{}",
            self.partition, self.region, self.facts.account_id, self.options.topic_name
        );
        let own_facts = self.facts.topic(&own).filter(|t| t.exists != Some(false));
        if self.options.subscriber.is_none() {
            if let Some(arn) = self.reachable_topic() {
                d.notes.push(format!(
                    "the new alarm notifies {arn}, which already has a confirmed subscriber"
                ));
                self.use_topic(d, &arn)?;
                return Ok(arn);
            }
            if own_facts.is_none() {
                return Err(RemediateError::NoSubscriber);
            }
        }
        match own_facts {
            Some(t) => {
                if let Some(key) = cmk(t).filter(|_| !self.options.adopt) {
                    return Err(RemediateError::Conflict {
                        resource: format!("SNS topic {own}"),
                        differences: vec![format!(
                            "encrypted with KMS key {key}; kmswatch creates unencrypted alert topics, since disabling that key would silence the alarm"
                        )],
                    });
                }
                d.unchanged.push(format!("SNS topic {own}"));
                self.use_topic(d, &own)?;
            }
            None => {
                d.actions.push(Action::CreateTopic {
                    region: self.region.to_owned(),
                    name: self.options.topic_name.clone(),
                    topic_arn: own.clone(),
                    tags: self.options.resource_tags(),
                });
                self.subscribe(d, &own, &[]);
            }
        }
        Ok(own)
    }

    /// A topic in the site's region with a confirmed subscriber: one an alarm
    /// already notifies successfully first, then any known one.
    fn reachable_topic(&self) -> Option<String> {
        let in_region = |arn: &str| Arn::parse(arn).is_some_and(|a| a.region == self.region);
        let linked = self
            .report
            .chains
            .iter()
            .flat_map(|c| &c.metric_filters)
            .flat_map(|f| &f.alarms)
            .flat_map(|a| &a.topics)
            .find(|t| t.status == Status::Pass && in_region(&t.topic_arn))
            .map(|t| t.topic_arn.clone());
        linked.or_else(|| {
            self.facts
                .topics
                .iter()
                .filter(|t| t.exists == Some(true) && in_region(&t.topic_arn) && cmk(t).is_none())
                .find(|t| t.subscriptions.iter().flatten().any(|s| s.is_confirmed()))
                .map(|t| t.topic_arn.clone())
        })
    }

    /// Makes an existing topic usable: the requested subscription, and
    /// CloudWatch's permission to publish.
    fn use_topic(&self, d: &mut Draft, arn: &str) -> Result<(), RemediateError> {
        let Some(topic) = self.facts.topic(arn) else {
            d.notes.push(format!(
                "topic {arn} is not in the facts: its subscribers and policy are unknown"
            ));
            if self.options.subscriber.is_some() {
                self.subscribe(d, arn, &[]);
            }
            return Ok(());
        };
        if topic.exists == Some(false) {
            return Err(RemediateError::InvalidOption(format!(
                "topic {arn} does not exist"
            )));
        }
        let subscriptions = topic.subscriptions.as_deref().unwrap_or_default();
        if self.options.subscriber.is_some() {
            self.subscribe(d, arn, subscriptions);
        } else if !subscriptions.iter().any(|s| s.is_confirmed()) {
            if subscriptions.is_empty() {
                return Err(RemediateError::NoSubscriber);
            }
            for s in subscriptions {
                d.pending.push(PendingSubscription {
                    topic_arn: arn.to_owned(),
                    protocol: s.protocol.clone(),
                    endpoint: s.endpoint.clone(),
                    created_by_plan: false,
                });
            }
        }
        let current = topic.attributes.as_ref().and_then(|a| a.policy.as_deref());
        if !policy::allows_cloudwatch_publish(current, &self.facts.account_id) {
            d.actions.push(Action::MergeTopicPolicy {
                topic_arn: arn.to_owned(),
                policy: policy::merge_statement(current, arn, &self.facts.account_id)?,
            });
        }
        if let Some(key) = cmk(topic) {
            d.notes.push(format!(
                "topic {arn} is encrypted with KMS key {key}: its key policy must let cloudwatch.amazonaws.com use it (kms:Decrypt, kms:GenerateDataKey*), and disabling it silences the alarm"
            ));
        }
        Ok(())
    }

    /// Subscribes the requested endpoint unless `existing` already has it.
    fn subscribe(&self, d: &mut Draft, arn: &str, existing: &[crate::model::Subscription]) {
        let Some(s) = &self.options.subscriber else {
            return;
        };
        let found = existing
            .iter()
            .find(|e| e.protocol == s.protocol.as_str() && e.endpoint == s.endpoint);
        match found {
            Some(e) if e.is_confirmed() => d.unchanged.push(format!(
                "subscription {}:{} to {arn}",
                e.protocol, e.endpoint
            )),
            Some(e) => d.pending.push(PendingSubscription {
                topic_arn: arn.to_owned(),
                protocol: e.protocol.clone(),
                endpoint: e.endpoint.clone(),
                created_by_plan: false,
            }),
            None => {
                d.actions.push(Action::Subscribe {
                    topic_arn: arn.to_owned(),
                    protocol: s.protocol,
                    endpoint: s.endpoint.clone(),
                });
                if s.protocol.needs_confirmation() {
                    d.pending.push(PendingSubscription {
                        topic_arn: arn.to_owned(),
                        protocol: s.protocol.as_str().to_owned(),
                        endpoint: s.endpoint.clone(),
                        created_by_plan: true,
                    });
                }
            }
        }
    }
}

fn attempt(
    build: impl FnOnce(&mut Draft) -> Result<(), RemediateError>,
) -> Result<Draft, RemediateError> {
    let mut draft = Draft::default();
    build(&mut draft).map(|()| draft)
}

/// The codes of the gaps that break a link.
fn blocking_codes(gaps: &[Gap]) -> Vec<&str> {
    gaps.iter()
        .filter(|g| g.severity != Severity::Warning)
        .map(|g| g.code.as_str())
        .collect()
}

/// An alarm whose own gaps are settings `PutMetricAlarm` can fix.
fn is_fixable(alarm: &crate::check::report::AlarmLink) -> bool {
    let codes = blocking_codes(&alarm.gaps);
    !codes.is_empty()
        && codes.iter().all(|c| {
            matches!(
                *c,
                "ALARM_ACTIONS_DISABLED"
                    | "ALARM_NO_ACTIONS"
                    | "ALARM_NO_SNS_ACTION"
                    | "ALARM_NEEDS_SEVERAL_DATAPOINTS"
                    | "ALARM_DOES_NOT_FIRE_ON_ONE_EVENT"
                    | "ALARM_ALWAYS_IN_ALARM"
                    | "ALARM_STATISTIC_UNVERIFIED"
                    | "ALARM_COMPARISON_UNVERIFIED"
            )
        })
}

/// The customer managed key a topic is encrypted with, if any.
fn cmk(topic: &TopicFacts) -> Option<&str> {
    topic
        .attributes
        .as_ref()
        .and_then(|a| a.kms_master_key_id.as_deref())
        .filter(|k| !k.is_empty() && !k.ends_with("alias/aws/sns"))
}

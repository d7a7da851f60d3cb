//! A site: a chain whose trail and log group are sound, where kmswatch can
//! work. Its strategies each build a candidate [`Draft`]; the cheapest wins.

use super::action::{Action, Change};
use super::desired::{self, alarm_differences, filter_differences};
use super::draft::Draft;
use super::error::RemediateError;
use super::options::{
    RemediateOptions, CONTROL_NAME_PREFIX, DEFAULT_ALARM_NAME, DEFAULT_METRIC_NAME,
    DEFAULT_METRIC_NAMESPACE,
};
use crate::api_error::COMPOSITE_ALARMS;
use crate::check::CIS_PATTERN;
use crate::check::{
    AlarmAssessment, Assessment, ChainAssessment, Facts, Gap, GapCode, Remedy, Severity, Status,
};
use crate::model::{Alarm, Arn, Metric, MetricFilter};
use crate::operation::Operation;
use std::collections::BTreeMap;

/// A chain whose trail and log group are sound.
pub(crate) struct Site<'a> {
    pub(crate) facts: &'a Facts,
    pub(crate) assessment: &'a Assessment<'a>,
    pub(crate) chain: &'a ChainAssessment<'a>,
    pub(crate) options: &'a RemediateOptions,
    pub(crate) partition: &'a str,
    pub(crate) region: &'a str,
    group_name: &'a str,
    filters: &'a [MetricFilter],
    alarms: &'a [Alarm],
}

impl<'a> Site<'a> {
    /// The site of `chain`, whose trail-level gaps are all fixed.
    pub(crate) fn new(
        assessment: &'a Assessment<'a>,
        chain: &'a ChainAssessment<'a>,
        options: &'a RemediateOptions,
    ) -> Result<Self, RemediateError> {
        let facts = assessment.facts;
        // evaluate only leaves coverage gaps on a chain whose log group is known.
        let group = chain.log_group;
        let (Some(group), Some(arn)) = (group, chain.log_group_arn.as_deref().and_then(Arn::parse))
        else {
            return Err(RemediateError::FactsIncomplete {
                gaps: chain.gaps.clone(),
            });
        };
        let Some((region, group_account, group_name)) = group.location() else {
            return Err(RemediateError::FactsIncomplete {
                gaps: chain.gaps.clone(),
            });
        };
        // An organization trail's chain is fixed where its log group is,
        // never by creating a log group, filter or trail in this account.
        if group_account != facts.account_id {
            return Err(RemediateError::PrerequisiteMissing {
                gaps: vec![Gap::new(
                    GapCode::LogGroupOtherAccount,
                    Severity::Manual,
                    Some(&group.arn),
                    format!("the chain's log group is in account {group_account}, which holds its filters and alarms: kmswatch plans no change in account {} for it", facts.account_id),
                    format!("run kmswatch remediate with credentials of account {group_account}"),
                )],
            });
        }
        // Composite alarms do not take alarm names away from metric alarms'.
        let metric_alarms_error = facts.errors.iter().find(|e| {
            e.operation == Operation::DescribeAlarms
                && e.region.as_deref() == Some(region)
                && e.resource.as_deref() != Some(COMPOSITE_ALARMS)
        });
        if let Some(e) = metric_alarms_error {
            return Err(RemediateError::FactsIncomplete {
                gaps: vec![Gap::new(
                    GapCode::AlarmsUnknown,
                    Severity::Error,
                    None,
                    format!("the alarms of {region} are unknown, so kmswatch cannot tell whether its alarm name is taken: {e}"),
                    "allow these credentials cloudwatch:DescribeAlarms and run kmswatch remediate again",
                )],
            });
        }
        name_listed(facts, region, &options.alarm_name)?;
        Ok(Site {
            facts,
            assessment,
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
    pub(crate) fn best_draft(&self) -> Result<Draft, RemediateError> {
        let mut candidates: Vec<Result<Draft, RemediateError>> = Vec::new();
        // A noisy metric is above zero in every period: no alarm on it can work.
        let covering = self.chain.filters.iter().filter(|f| {
            f.catches_all_targets()
                && !f.metric_noisy
                && f.metric.is_some()
                && f.blocking_codes()
                    .iter()
                    .all(|c| *c == GapCode::AlarmMissing)
        });
        for f in covering {
            let Some(metric) = f.metric.as_ref() else {
                continue;
            };
            for a in f.alarms.iter().filter(|a| a.blocking_codes().is_empty()) {
                for t in &a.topics {
                    let only_unconfirmed =
                        t.blocking_codes() == [GapCode::TopicNoConfirmedSubscription];
                    let wanted = self
                        .options
                        .topic_arn
                        .as_ref()
                        .is_none_or(|x| x == t.topic_arn);
                    if only_unconfirmed && wanted {
                        candidates.push(Draft::attempt(|d| {
                            d.notes.push(format!(
                                "alarm {} on filter {} is sound; only its topic lacks a confirmed subscriber",
                                a.alarm.alarm_name, f.filter.filter_name
                            ));
                            self.use_topic(d, t.topic_arn)
                        }));
                    }
                }
            }
            if self.options.adopt {
                for a in f.alarms.iter().filter(|a| is_fixable(a)) {
                    candidates.push(Draft::attempt(|d| self.adopt_alarm(d, a.alarm, metric)));
                }
            }
            candidates.push(Draft::attempt(|d| {
                for a in &f.alarms {
                    let codes: Vec<String> =
                        a.blocking_codes().into_iter().map(GapCode::as_string).collect();
                    d.notes.push(format!(
                        "alarm {} ({}) is left as it is: kmswatch does not change alarms it did not create (--adopt fixes it in place)",
                        a.alarm.alarm_name,
                        codes.join(", ")
                    ));
                }
                let topic = self.ensure_topic(d)?;
                self.ensure_alarm(d, &self.options.alarm_name, metric, vec![topic], None)
            }));
        }
        candidates.push(Draft::attempt(|d| self.add_cis_filter(d)));
        Draft::cheapest(candidates).unwrap_or(Err(RemediateError::NoSubscriber))
    }

    /// The CIS filter, on the metric of a working alarm when there is one.
    fn add_cis_filter(&self, d: &mut Draft) -> Result<(), RemediateError> {
        let explicit =
            self.options.metric_namespace.is_some() || self.options.metric_name.is_some();
        let working = self
            .chain
            .filters
            .iter()
            .filter(|f| f.status == Status::Pass)
            .find_map(|f| f.metric.clone().map(|m| (f, m)));
        let metric = match (&working, explicit) {
            (Some((f, m)), false) => {
                d.notes.push(format!(
                    "the new filter publishes to {}/{}, the metric of filter {}, whose alarm already reaches a confirmed subscriber",
                    m.namespace, m.metric_name, f.filter.filter_name
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
            .filters
            .iter()
            .any(|f| f.status == Status::Pass && f.metric.as_ref() == Some(&metric));
        if alarmed {
            return Ok(());
        }
        let topic = self.ensure_topic(d)?;
        self.ensure_alarm(d, &self.options.alarm_name, &metric, vec![topic], None)
    }

    /// Whether the facts tell if alarm `name` exists in the site's region.
    pub(crate) fn require_alarm_name_listed(&self, name: &str) -> Result<(), RemediateError> {
        name_listed(self.facts, self.region, name)
    }

    fn ensure_filter(&self, d: &mut Draft, metric: &Metric) -> Result<(), RemediateError> {
        self.ensure_filter_named(d, &self.options.filter_name, CIS_PATTERN, metric)
    }

    /// Puts filter `name` with `pattern` on the site's log group, publishing to `metric`.
    pub(crate) fn ensure_filter_named(
        &self,
        d: &mut Draft,
        name: &str,
        pattern: &str,
        metric: &Metric,
    ) -> Result<(), RemediateError> {
        let wanted = desired::metric_filter(name, self.group_name, pattern, metric);
        let resource = format!(
            "metric filter {} on log group {}",
            wanted.filter_name, self.group_name
        );
        let existing = self
            .filters
            .iter()
            .find(|f| f.filter_name == wanted.filter_name);
        // The filters this plan adds count against the limit too.
        let added = d
            .actions
            .iter()
            .filter(|a| {
                matches!(
                    a,
                    Action::PutMetricFilter {
                        change: Change::Create,
                        ..
                    }
                )
            })
            .count();
        if existing.is_none() && self.filters.len() + added >= 100 {
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
    pub(crate) fn ensure_alarm(
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
        if let (Change::Update, Some(existing)) = (change, existing) {
            keep_the_rest(&mut wanted, existing);
        }
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
            .filters
            .iter()
            .flat_map(|f| &f.alarms)
            .filter(|a| a.alarm.alarm_name == existing.alarm_name)
            .flat_map(|a| &a.topics)
            .filter(|t| t.status == Status::Pass)
            .map(|t| t.topic_arn.to_owned())
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
}

/// Facts that did not list the region's alarms whole nor by the alarm's name
/// (a snapshot lists them by kmswatch's default names only) cannot tell
/// whether the name is taken.
fn name_listed(facts: &Facts, region: &str, name: &str) -> Result<(), RemediateError> {
    if facts
        .region_alarms(region)
        .is_some_and(|r| r.name_listed(name))
    {
        return Ok(());
    }
    let fix = if name == DEFAULT_ALARM_NAME || name.starts_with(CONTROL_NAME_PREFIX) {
        "capture the snapshot again (`kmswatch snapshot` lists the alarms of this name; with --control, those of every control), or run kmswatch remediate against the account".to_owned()
    } else {
        format!("run kmswatch remediate against the account, which lists the alarms named {name} (a snapshot lists those named {DEFAULT_ALARM_NAME}, the default --alarm-name)")
    };
    Err(RemediateError::FactsIncomplete {
        gaps: vec![Gap::new(
            GapCode::AlarmsUnknown,
            Severity::Error,
            None,
            format!("the facts do not list the metric alarms of {region} named {name} (DescribeAlarms by that name prefix, or every alarm of the region), so kmswatch cannot tell whether its alarm name is taken"),
            fix,
        )],
    })
}

/// An alarm whose own gaps are all settings `PutMetricAlarm` can fix.
fn is_fixable(alarm: &AlarmAssessment<'_>) -> bool {
    let codes = alarm.blocking_codes();
    !codes.is_empty() && codes.iter().all(|c| c.remedy() == Remedy::AlarmSettings)
}

/// `--adopt` changes only what the fix needs: an adopted alarm keeps its other
/// alarm actions, its OK and INSUFFICIENT_DATA actions and its description
/// (its tags too: `PutMetricAlarm` leaves an existing alarm's tags alone).
fn keep_the_rest(wanted: &mut Alarm, existing: &Alarm) {
    for action in &existing.alarm_actions {
        if !wanted.alarm_actions.contains(action) {
            wanted.alarm_actions.push(action.clone());
        }
    }
    if wanted.ok_actions.is_empty() {
        wanted.ok_actions = existing.ok_actions.clone();
    }
    if wanted.insufficient_data_actions.is_empty() {
        wanted.insufficient_data_actions = existing.insufficient_data_actions.clone();
    }
    if wanted.alarm_description.is_none() {
        wanted.alarm_description = existing.alarm_description.clone();
    }
}

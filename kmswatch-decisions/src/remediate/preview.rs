//! Preview: the plan applied to a copy of the account (the transition, on
//! facts), evaluated by the same `evaluate` as `check`, and the diff of what
//! would change.

use super::desired::{alarm_differences, filter_differences};
use super::error::RemediateError;
use super::plan::{Action, Change, Plan};
use super::transition;
use super::via::Via;
use crate::check::{self, Facts, KeyListing, MonitorKind, Report, Scope, Status};
use serde::{Deserialize, Serialize};

/// The predicted outcome of a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Preview {
    /// The verdict right after applying (e-mail and HTTPS subscriptions still
    /// pending, as AWS leaves them until the endpoint confirms).
    pub status: Status,
    /// The verdict once the pending subscriptions are confirmed; `None` when
    /// nothing is pending.
    pub status_once_confirmed: Option<Status>,
    /// The full predicted report (right after applying).
    pub report: Report,
    /// What would change, one line per resource, for people.
    pub diff: Vec<String>,
    /// The facts of the account right after applying, and once the pending
    /// subscriptions are confirmed (when some are pending): what another
    /// account whose chain runs through this one is judged on.
    #[serde(skip)]
    pub facts_after: Option<(Facts, Option<Facts>)>,
}

impl Preview {
    /// Whether the plan makes the account pass, now or once the pending
    /// subscriptions are confirmed.
    pub fn reaches_pass(&self) -> bool {
        self.status == Status::Pass || self.status_once_confirmed == Some(Status::Pass)
    }
}

/// Applies `plan` to a copy of the account `facts` describe and evaluates
/// the result. Nothing leaves the process.
///
/// ```
/// use kmswatch_decisions::check::{Facts, Status};
/// use kmswatch_decisions::remediate::{plan, preview, RemediateOptions};
/// let facts = Facts::load("../examples/broken-threshold-zero.json".as_ref()).unwrap();
/// let plan = plan(&facts, &RemediateOptions::default()).unwrap();
/// assert_eq!(preview(&facts, &plan).unwrap().status, Status::Pass);
/// ```
///
/// # Errors
///
/// [`RemediateError::Api`] when an action would fail on the account as the
/// facts describe it (a failure they recorded for that call, a missing log
/// group or topic), or when the account could not be identified.
pub fn preview(facts: &Facts, plan: &Plan) -> Result<Preview, RemediateError> {
    let copy = assume_no_other_alarms(facts);
    let mut account = transition::execute(&copy, &plan.actions)?;
    let scope = verdict_scope(facts, plan);
    // A plan changes nothing in the accounts that hold links of the chains
    // (it never plans there): what was read there stays true.
    let verdict = |mut after: Facts| {
        after.linked = facts.linked.clone();
        judge(check::report(&after), &after, plan)
    };
    let after = transition::read(&account, &facts.region, &scope)?;
    let report = verdict(after.clone());
    let (status_once_confirmed, confirmed) = if plan.pending_confirmation.is_empty() {
        (None, None)
    } else {
        for p in &plan.pending_confirmation {
            transition::confirm_subscriptions(&mut account, &p.topic_arn);
        }
        let confirmed = transition::read(&account, &facts.region, &scope)?;
        (Some(verdict(confirmed.clone()).status), Some(confirmed))
    };
    Ok(Preview {
        status: report.status,
        status_once_confirmed,
        report,
        diff: diff(facts, plan),
        facts_after: Some((after, confirmed)),
    })
}

/// The account `facts` describe, with no alarm where its alarms were read
/// but these were not: composite alarms, and the metric alarms a listing
/// one metric (or one name prefix) at a time leaves out, such as metric math
/// on the metric the plan's filter starts publishing. Such alarms only ever
/// add a way to notify, so the prediction can be pessimistic but never a
/// PASS that depends on them; without this, the check after a plan whose
/// subscription is still pending, which looks further for another alarm
/// that notifies, would be predicted ERROR instead of FAIL. Regions whose
/// alarms were never read stay unknown.
pub fn assume_no_other_alarms(facts: &Facts) -> Facts {
    let mut copy = facts.clone();
    for region in copy.alarms.iter_mut().filter(|r| r.alarms.is_some()) {
        region.composite_alarms.get_or_insert_with(Vec::new);
        region.by_metric = None;
        region.by_name_prefix = None;
    }
    copy
}

/// What the check after a plan reads: with `--via eventbridge`, the regions
/// that hold customer managed keys as the plan's facts list them (keys do
/// not move while a plan is applied).
/// With several controls, the alarms of every control's filters are read.
pub fn verdict_scope(facts: &Facts, plan: &Plan) -> Scope {
    let scope = Scope {
        controls: plan.selected_controls(),
        ..Scope::check()
    };
    match (plan.via, &facts.key_regions) {
        (Via::Eventbridge, Some(known)) => Scope {
            key_listing: KeyListing::Given(known.clone()),
            ..scope
        },
        _ => scope,
    }
}

/// The verdict the plan aims at: the CIS verdict (of every control the
/// plan covers), or with `--via eventbridge` the verdict that accepts
/// EventBridge monitoring, which is ERROR or MANUAL (not the CIS FAIL) while
/// the monitoring of a region the plan covers is unknown.
pub fn judge(report: Report, facts: &Facts, plan: &Plan) -> Report {
    if plan.via == Via::MetricFilter {
        return check::controls::judge(report, facts, &plan.selected_controls());
    }
    let mut report = check::accept(report, facts, &[MonitorKind::Eventbridge]);
    if report.status != Status::Pass {
        let unknown = report
            .monitored_by
            .iter()
            .map(|m| m.status)
            .filter(|s| matches!(s, Status::Error | Status::Manual))
            .min_by_key(|s| match s {
                Status::Error => 0,
                _ => 1,
            });
        if let Some(status) = unknown {
            report.status = status;
        }
    }
    report
}

/// One line per action: `+` creates, `~` changes.
pub fn diff(facts: &Facts, plan: &Plan) -> Vec<String> {
    plan.actions
        .iter()
        .map(|action| {
            let details = match action {
                Action::PutMetricAlarm {
                    region,
                    change: Change::Update,
                    alarm,
                } => facts
                    .region_alarms(region)
                    .and_then(|r| r.alarms.as_ref())
                    .and_then(|all| all.iter().find(|a| a.alarm_name == alarm.alarm_name))
                    .map(|old| alarm_differences(old, alarm))
                    .unwrap_or_default(),
                Action::PutMetricFilter {
                    change: Change::Update,
                    filter,
                    ..
                } => facts
                    .log_groups
                    .iter()
                    .flat_map(|g| g.metric_filters.iter().flatten())
                    .find(|f| {
                        f.filter_name == filter.filter_name
                            && f.log_group_name == filter.log_group_name
                    })
                    .map(|old| filter_differences(old, filter))
                    .unwrap_or_default(),
                _ => Vec::new(),
            };
            let sign = match action {
                Action::PutMetricAlarm {
                    change: Change::Update,
                    ..
                }
                | Action::PutMetricFilter {
                    change: Change::Update,
                    ..
                }
                | Action::PutEventRule {
                    change: Change::Update,
                    ..
                }
                | Action::MergeTopicPolicy { .. } => '~',
                _ => '+',
            };
            let mut line = format!("{sign} {}", action.describe());
            for d in details {
                line.push_str(&format!("\n    {d}"));
            }
            line
        })
        .collect()
}

//! A verdict per CIS monitoring control (`--control`): one gather, the same
//! chains, each control's filters judged on its own corpus.
//!
//! The KMS control (4.7) keeps today's report as it is; the others are judged
//! by `chain::assess_control_chain`. [`judge`] adds the `controls` section
//! to a report and makes its status the worst of theirs.

pub(crate) mod chain;

use super::facts::Facts;
use super::gap::{Gap, Severity};
use super::gap_code::GapCode;
use super::report::Report;
use super::rules::verdict::account_gaps;
use super::status::Status;
use crate::controls::Control;
use chain::assess_control_chain;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// One control's verdict, as the report's `controls` section holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ControlVerdict {
    /// Its CIS AWS Foundations v1.4.0 (to v5.0.0) number, e.g. `4.7`.
    pub control: String,
    /// Its AWS Security Hub control id, e.g. `CloudWatch.7` (none for 4.15).
    pub security_hub: Option<String>,
    /// Its number in each CIS version, e.g. `{"v1.2.0": "3.7", "v6.0.0": "5.7"}`.
    pub cis_versions: BTreeMap<String, String>,
    /// The CIS recommendation's title.
    pub title: String,
    /// The verdict.
    pub status: Status,
    /// One sentence saying why.
    pub summary: String,
    /// What keeps it from passing (none when it passes).
    pub gaps: Vec<Gap>,
    /// The metric filters (`log-group-arn:filter-name`) that catch its target events.
    pub metric_filters: Vec<String>,
}

/// `report` with a verdict per control of `controls` (`controls`) and the
/// worst of them as its status. Only the KMS control asked: `report` as it is.
pub fn judge(mut report: Report, facts: &Facts, controls: &[&'static Control]) -> Report {
    if controls.iter().all(|c| c.is_kms()) {
        return report;
    }
    let verdicts: Vec<ControlVerdict> = controls
        .iter()
        .map(|c| {
            if c.is_kms() {
                kms_verdict(&report, c)
            } else {
                verdict(facts, c)
            }
        })
        .collect();
    report.status = Status::all(verdicts.iter().map(|v| v.status));
    let failing: Vec<&str> = verdicts
        .iter()
        .filter(|v| v.status != Status::Pass)
        .map(|v| v.control.as_str())
        .collect();
    report.summary = if failing.is_empty() {
        format!("all {} controls asked are monitored", verdicts.len())
    } else {
        format!(
            "{} of {} controls asked are monitored; not: {}",
            verdicts.len() - failing.len(),
            verdicts.len(),
            failing.join(", ")
        )
    };
    report.controls = verdicts;
    report
}

/// The regions read by metric where a chain of one of `controls` (besides
/// the KMS control, which the gather settles itself) has filters without a
/// working alarm path: there a metric-math alarm might complete it, so the
/// region's alarms are listed.
pub fn unsettled_regions(facts: &Facts, controls: &[&'static Control]) -> BTreeSet<String> {
    let mut regions = BTreeSet::new();
    for control in controls.iter().filter(|c| !c.is_kms()) {
        for trail in &facts.trails {
            let chain = assess_control_chain(facts, trail, control);
            let Some(region) = chain.region else {
                continue;
            };
            let partial = facts
                .region_alarms(&region)
                .is_some_and(|r| r.by_metric.is_some());
            if partial
                && chain
                    .gaps
                    .iter()
                    .any(|g| g.code == GapCode::ControlNotAlarmed)
            {
                regions.insert(region);
            }
        }
    }
    regions
}

/// The KMS control's verdict: today's report (after acceptance) summed up.
fn kms_verdict(report: &Report, control: &'static Control) -> ControlVerdict {
    let mut gaps: Vec<Gap> = Vec::new();
    if report.status != Status::Pass {
        let chain_gaps = report.chains.iter().flat_map(|c| {
            c.gaps.iter().chain(c.metric_filters.iter().flat_map(|f| {
                f.gaps.iter().chain(
                    f.alarms
                        .iter()
                        .flat_map(|a| a.gaps.iter().chain(a.topics.iter().flat_map(|t| &t.gaps))),
                )
            }))
        });
        for g in report.gaps.iter().chain(chain_gaps) {
            if g.severity != Severity::Warning && !gaps.contains(g) {
                gaps.push(g.clone());
            }
        }
    }
    let metric_filters = report
        .chains
        .iter()
        .flat_map(|c| {
            let group = c.log_group_arn.clone().unwrap_or_default();
            c.metric_filters
                .iter()
                .map(move |f| format!("{group}:{}", f.filter_name))
        })
        .collect();
    described(
        control,
        report.status,
        report.summary.clone(),
        gaps,
        metric_filters,
    )
}

/// A control other than KMS, judged on the facts.
fn verdict(facts: &Facts, control: &'static Control) -> ControlVerdict {
    let account = account_gaps(facts);
    let chains: Vec<_> = facts
        .trails
        .iter()
        .map(|t| assess_control_chain(facts, t, control))
        .collect();
    let status = Status::any(
        chains
            .iter()
            .map(|c| c.status)
            .chain(account.iter().map(|g| g.severity.status())),
    );
    let mut gaps: Vec<Gap> = Vec::new();
    if status != Status::Pass {
        for g in account.iter().chain(chains.iter().flat_map(|c| &c.gaps)) {
            if g.severity != Severity::Warning && !gaps.contains(g) {
                gaps.push(g.clone());
            }
        }
    }
    let summary = match status {
        Status::Pass => format!("{} are monitored", control.name),
        Status::Fail => match gaps.iter().find(|g| g.severity == Severity::Fail) {
            Some(g) => format!("{} are not monitored: {}", control.name, g.message),
            None => format!("{} are not monitored", control.name),
        },
        Status::Error => "could not decide: a call needed for the decision failed".to_owned(),
        Status::Manual => {
            "could not decide: the candidate chains run through resources these credentials cannot see"
                .to_owned()
        }
    };
    let metric_filters = chains.into_iter().flat_map(|c| c.filters).collect();
    described(control, status, summary, gaps, metric_filters)
}

fn described(
    control: &Control,
    status: Status,
    summary: String,
    gaps: Vec<Gap>,
    metric_filters: Vec<String>,
) -> ControlVerdict {
    ControlVerdict {
        control: control.cis.to_owned(),
        security_hub: control.security_hub.map(str::to_owned),
        cis_versions: control
            .cis_versions()
            .into_iter()
            .map(|(v, n)| (v.to_owned(), n.to_owned()))
            .collect(),
        title: control.title.to_owned(),
        status,
        summary,
        gaps,
        metric_filters,
    }
}

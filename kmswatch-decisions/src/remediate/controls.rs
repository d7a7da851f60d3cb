//! A plan for several monitoring controls (`--control`): the KMS control's
//! as [`super::plan_for`] makes it, then, on the same log group, one metric
//! filter with the CIS pattern and one alarm per other control that does not
//! pass, every new alarm notifying one topic. The preview judges every
//! control asked, so a plan that leaves one failing is refused as any other.

use super::draft::Draft;
use super::error::RemediateError;
use super::options::{
    control_metric_name, control_resource_name, RemediateOptions, DEFAULT_METRIC_NAMESPACE,
};
use super::plan::{empty_plan, plan_kms, sort_gap, Action, Plan};
use super::site::Site;
use super::via::Via;
use crate::check::{self, Assessment, ChainAssessment, Gap, GapCode, Report, Status};
use crate::controls::Control;
use crate::model::Metric;
use std::collections::BTreeMap;

/// The plan that makes every control of `options` pass.
pub(super) fn plan_controls(
    assessment: &Assessment<'_>,
    options: &RemediateOptions,
) -> Result<Plan, RemediateError> {
    let controls = options.selected_controls()?;
    if options.via == Via::Eventbridge {
        return Err(RemediateError::InvalidOption(
            "--via eventbridge builds the KMS control's monitoring only: plan the other controls with --via metric-filter (the default)".to_owned(),
        ));
    }
    let facts = assessment.facts;
    let judged = check::controls::judge(Report::from(assessment), facts, &controls);
    let failing: Vec<&'static Control> = controls
        .iter()
        .copied()
        .filter(|c| !c.is_kms())
        .filter(|c| {
            judged
                .controls
                .iter()
                .any(|v| v.control == c.cis && v.status != Status::Pass)
        })
        .collect();
    let kms_asked = controls.iter().any(|c| c.is_kms());
    let mut plan = if kms_asked && assessment.status != Status::Pass {
        plan_kms(assessment, options)?
    } else {
        empty_plan(assessment, options)
    };
    plan.status_before = judged.status;
    plan.controls = controls.iter().map(|c| c.cis.to_owned()).collect();
    if judged.status == Status::Pass {
        plan.notes = vec![format!(
            "already PASS: {}; nothing to change",
            judged.summary
        )];
        return Ok(plan);
    }
    if failing.is_empty() {
        return Ok(plan);
    }
    let (chain, site) = choose_site(assessment, options, &plan, &failing)?;
    let mut draft = Draft::default();
    let topic = match shared_topic(&plan) {
        Some(topic) => topic,
        None => site.ensure_topic(&mut draft)?,
    };
    for control in &failing {
        add_control(&site, &mut draft, control, &topic)?;
    }
    plan.trail_arn
        .get_or_insert_with(|| chain.trail.trail.trail_arn.clone());
    if plan.log_group_arn.is_none() {
        plan.log_group_arn = chain.log_group_arn.clone();
    }
    plan.actions.extend(draft.actions);
    plan.actions.sort_by_key(Action::rank);
    plan.unchanged.extend(draft.unchanged);
    plan.pending_confirmation.extend(draft.pending);
    plan.notes.extend(draft.notes);
    Ok(plan)
}

/// The chain whose log group gets the new filters: the one the KMS plan
/// completes, else the first whose trail delivers every control's events.
fn choose_site<'a>(
    assessment: &'a Assessment<'a>,
    options: &'a RemediateOptions,
    plan: &Plan,
    failing: &[&'static Control],
) -> Result<(&'a ChainAssessment<'a>, Site<'a>), RemediateError> {
    let needs_kms = failing
        .iter()
        .any(|c| c.targets().any(|e| e.event_source == "kms.amazonaws.com"));
    let mut missing: Vec<Gap> = Vec::new();
    let mut unknown: Vec<Gap> = Vec::new();
    for gap in &assessment.gaps {
        sort_gap(gap, &mut missing, &mut unknown);
    }
    let mut first_error = None;
    for chain in &assessment.chains {
        if plan
            .trail_arn
            .as_ref()
            .is_some_and(|arn| *arn != chain.trail.trail.trail_arn)
        {
            continue;
        }
        // A trail that leaves out KMS events still delivers every other
        // control's.
        let blocking: Vec<&Gap> = chain
            .trail_level_gaps()
            .filter(|g| needs_kms || g.code != GapCode::TrailExcludesKmsEvents)
            .collect();
        if !blocking.is_empty() {
            blocking
                .into_iter()
                .for_each(|g| sort_gap(g, &mut missing, &mut unknown));
            continue;
        }
        match Site::new(assessment, chain, options) {
            Ok(site) => return Ok((chain, site)),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    Err(match first_error {
        Some(e) => e,
        None if !unknown.is_empty() => RemediateError::FactsIncomplete { gaps: unknown },
        None => RemediateError::PrerequisiteMissing { gaps: missing },
    })
}

/// The topic the KMS plan's alarm notifies or subscribes someone to, which
/// the other controls' alarms share.
fn shared_topic(plan: &Plan) -> Option<String> {
    plan.actions.iter().find_map(|a| match a {
        Action::CreateTopic { topic_arn, .. } | Action::Subscribe { topic_arn, .. } => {
            Some(topic_arn.clone())
        }
        Action::PutMetricAlarm { alarm, .. } => alarm
            .alarm_actions
            .iter()
            .find(|arn| arn.contains(":sns:"))
            .cloned(),
        _ => None,
    })
}

/// The control's own filter, with its CIS pattern, and its alarm.
fn add_control(
    site: &Site<'_>,
    d: &mut Draft,
    control: &'static Control,
    topic: &str,
) -> Result<(), RemediateError> {
    let name = control_resource_name(control);
    site.require_alarm_name_listed(&name)?;
    let metric = Metric {
        namespace: site
            .options
            .metric_namespace
            .clone()
            .unwrap_or_else(|| DEFAULT_METRIC_NAMESPACE.to_owned()),
        metric_name: control_metric_name(control),
        dimensions: BTreeMap::new(),
    };
    site.ensure_filter_named(d, &name, control.cis_pattern, &metric)?;
    site.ensure_alarm(d, &name, &metric, vec![topic.to_owned()], None)?;
    d.notes.push(format!(
        "CIS {} ({}): metric filter and alarm {name}, notifying {topic}",
        control.cis, control.name
    ));
    Ok(())
}

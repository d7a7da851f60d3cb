//! Which reads come next, from the facts read so far: the helpers the gather
//! (`kmswatch_core::check::gather`, through the service traits) and the
//! preview's transition (`remediate::transition`, on facts) share, so that
//! both read the same things in the same order.

use crate::alarm_rule::AlarmRule;
use crate::api_error::ApiError;
use crate::check::facts::{Facts, RegionAlarms};
use crate::check::rules::alarm_fires::watches;
use crate::check::rules::topic::assess_topic;
use crate::check::{evaluate, Status};
use crate::controls::{self, Control};
use crate::model::{normalize_log_group_arn, Alarm, Arn, CompositeAlarm, Metric, MetricFilter};
use crate::pattern::FilterPattern;
use std::collections::BTreeSet;

/// (partition, region) of every log group of this account.
pub fn own_log_group_regions(facts: &Facts) -> BTreeSet<(String, String)> {
    facts
        .log_groups
        .iter()
        .filter_map(|g| {
            let arn = Arn::parse(&g.arn)?;
            (arn.account_id == facts.account_id)
                .then(|| (arn.partition.to_owned(), arn.region.to_owned()))
        })
        .collect()
}

/// The log groups (ARNs without `:*`) the multi-region trails of `facts`
/// deliver to, in any account.
pub fn delivered_groups(facts: &Facts) -> BTreeSet<String> {
    facts
        .trails
        .iter()
        .filter(|t| t.trail.is_multi_region_trail)
        .filter_map(|t| t.trail.cloud_watch_logs_log_group_arn.as_deref())
        .map(|a| normalize_log_group_arn(a).to_owned())
        .filter(|a| Arn::parse(a).is_some_and(|p| p.log_group_name().is_some()))
        .collect()
}

/// The (region, metric) pairs published by the log groups' filters that `keep` accepts.
pub fn published_metrics(
    facts: &Facts,
    keep: impl Fn(&MetricFilter) -> bool,
) -> Vec<(String, Metric)> {
    let mut out = Vec::new();
    for group in &facts.log_groups {
        let Some((region, _, _)) = group.location() else {
            continue;
        };
        for filter in group.metric_filters.iter().flatten().filter(|f| keep(f)) {
            for t in &filter.metric_transformations {
                let metric = Metric {
                    namespace: t.metric_namespace.clone(),
                    metric_name: t.metric_name.clone(),
                    dimensions: Default::default(),
                };
                if !out.iter().any(|(r, m)| r == region && *m == metric) {
                    out.push((region.to_owned(), metric));
                }
            }
        }
    }
    out
}

/// Whether `filter` catches a target event of one of `asked` (the KMS
/// control when none), on the records of `account_id`.
pub fn catches_any_target(filter: &MetricFilter, account_id: &str, asked: &[&Control]) -> bool {
    // An unparseable pattern might catch them: keep its alarms so the report can
    // show them.
    let kms = [&controls::KMS];
    let asked = if asked.is_empty() { &kms[..] } else { asked };
    FilterPattern::parse(&filter.filter_pattern)
        .map(|p| {
            asked
                .iter()
                .any(|c| c.targets().any(|e| p.matches(&e.line_in(account_id))))
        })
        .unwrap_or(true)
}

/// The regions read by metric where some filter of a chain has no alarm that
/// completes it, or a chain that only its filters and alarms keep from passing
/// does not pass, as the facts read so far tell: there a metric-math alarm
/// might complete it, and remediation must know which alarm names are taken,
/// so the region's alarms are listed.
pub fn unsettled_regions(facts: &Facts) -> BTreeSet<String> {
    let assessment = evaluate(facts);
    let mut regions = BTreeSet::new();
    for chain in &assessment.chains {
        let Some(region) = chain.region() else {
            continue;
        };
        let partial = facts
            .region_alarms(region)
            .is_some_and(|r| r.by_metric.is_some());
        let unsettled = chain
            .filters
            .iter()
            .any(|f| f.metric.is_some() && !f.alarms.iter().any(|a| a.status == Status::Pass))
            || (chain.status != Status::Pass && chain.trail_level_gaps().next().is_none());
        if partial && unsettled {
            regions.insert(region.to_owned());
        }
    }
    regions
}

/// The alarms of `region` in `facts`, added (nothing read yet) when absent.
pub fn region_entry<'a>(facts: &'a mut Facts, region: &str) -> &'a mut RegionAlarms {
    let at = match facts.alarms.iter().position(|r| r.region == region) {
        Some(i) => i,
        None => {
            facts.alarms.push(RegionAlarms {
                region: region.to_owned(),
                alarms: None,
                composite_alarms: None,
                by_metric: None,
                by_name_prefix: None,
            });
            facts.alarms.len() - 1
        }
    };
    &mut facts.alarms[at]
}

/// The alarms read that watch one of `notified` ((region, metric) pairs),
/// with their region.
pub fn alarms_on<'f>(
    facts: &'f Facts,
    notified: &'f [(String, Metric)],
) -> impl Iterator<Item = (&'f str, &'f Alarm)> {
    facts
        .alarms
        .iter()
        .flat_map(|r| {
            r.alarms
                .iter()
                .flatten()
                .map(move |a| (r.region.as_str(), a))
        })
        .filter(|(region, a)| notified.iter().any(|(r, m)| r == region && watches(a, m)))
}

/// Whether `alarm` reaches someone through its own SNS actions, as far as the
/// facts read so far tell.
pub fn served(facts: &Facts, alarm: &Alarm) -> bool {
    alarm.actions_enabled == Some(true)
        && alarm
            .alarm_actions
            .iter()
            .filter(|a| Arn::parse(a).is_some_and(|p| p.service == "sns"))
            .any(|t| assess_topic(facts, t, alarm).status == Status::Pass)
}

/// Whether `composite` notifies whenever `alarm` is in ALARM (as far as its
/// rule can be read).
pub fn follows(composite: &CompositeAlarm, alarm: &Alarm) -> bool {
    let names_it = |n: &str| n == alarm.alarm_name || n == alarm.alarm_arn;
    composite.actions_enabled != Some(false)
        && AlarmRule::parse(&composite.alarm_rule)
            .ok()
            .and_then(|rule| rule.fires_with(&names_it))
            .is_some_and(|f| f.whenever_in_alarm)
}

/// Keeps a successful result; records a failure against `resource`.
pub fn keep<T>(
    result: Result<T, ApiError>,
    errors: &mut Vec<ApiError>,
    region: &str,
    resource: &str,
) -> Option<T> {
    match result {
        Ok(v) => Some(v),
        Err(e) => {
            errors.push(e.in_region(region).about(resource));
            None
        }
    }
}

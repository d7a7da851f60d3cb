//! The metric filter link: which target events its pattern catches, and
//! whether it publishes a usable count.

use super::alarm::assess_alarms;
use super::alarm_listing::listing_warning;
use super::noise::Noise;
use crate::check::assessment::FilterAssessment;
use crate::check::facts::Facts;
use crate::check::gap::{status_of, Gap};
use crate::check::gap_code::{GapCode, TargetEvent};
use crate::check::status::Status;
use crate::corpus::{self, CorpusEvent};
use crate::model::{Metric, MetricFilter};
use crate::pattern::{coverage, FilterPattern};

/// A metric filter that matches at least one target event (or cannot be
/// parsed), with its alarms; `None` for filters unrelated to KMS key events.
/// `facts` are those of the account that holds the filter (its alarms and
/// topics are there); `subject` is the account whose events must be caught.
pub fn assess_filter<'f>(
    facts: &'f Facts,
    subject: &str,
    region: &str,
    filter: &'f MetricFilter,
    targets: &[&CorpusEvent],
    noise: &[Noise],
) -> Option<FilterAssessment<'f>> {
    let mut link = FilterAssessment {
        filter,
        status: Status::Fail,
        canonical_pattern: None,
        catches: Vec::new(),
        misses: Vec::new(),
        caught: Vec::new(),
        metric: None,
        routine_matches: Vec::new(),
        metric_noisy: false,
        alarms: Vec::new(),
        gaps: Vec::new(),
    };
    let resource = format!("{}:{}", filter.log_group_name, filter.filter_name);
    let pattern = match FilterPattern::parse(&filter.filter_pattern) {
        Ok(p) => p,
        Err(e) => {
            link.misses = targets.iter().map(|t| t.id.clone()).collect();
            link.gaps.push(Gap::of(
                GapCode::FilterPatternUnparseable,
                Some(&resource),
                format!(
                    "kmswatch cannot parse the filter pattern ({e}), so what it matches is unknown"
                ),
                &[],
            ));
            link.status = status_of(&link.gaps);
            return Some(link);
        }
    };
    // The pattern runs on what the log group's transformer makes of each
    // record, which kmswatch does not read: it may catch every target event
    // or none, so the events it would cover are unknown (MANUAL), neither
    // caught nor missed.
    if filter.apply_on_transformed_logs == Some(true) {
        link.catches = TargetEvent::ALL.to_vec();
        link.gaps.push(Gap::of(
            GapCode::FilterOnTransformedLogs,
            Some(&resource),
            "the filter reads the log events as the log group's transformer rewrites them, \
             which kmswatch does not read, so what it matches is unknown",
            &[],
        ));
        link.status = status_of(&link.gaps);
        return Some(link);
    }
    let covered = coverage(&pattern, targets.iter().copied());
    // A filter that catches no target event is not part of the chain.
    covered.matched().next()?;
    link.misses = covered.missed().map(|e| e.id.clone()).collect();
    link.caught = covered.matched().map(|e| e.id.clone()).collect();
    link.catches = TargetEvent::ALL
        .into_iter()
        .filter(|t| {
            let n = t.event_name();
            !covered.missed_target_event_names.iter().any(|m| m == n)
                && covered.matched().any(|e| e.event_name == n)
        })
        .collect();
    link.canonical_pattern = Some(covered.pattern);
    link.routine_matches = corpus::routine()
        .filter(|e| pattern.matches(&e.line_in(subject)))
        .map(|e| e.id.clone())
        .collect();
    let Some(transformation) = filter.metric_transformations.first() else {
        link.gaps.push(Gap::of(
            GapCode::FilterNoMetric,
            Some(&resource),
            "the metric filter publishes no metric",
            &[],
        ));
        link.status = status_of(&link.gaps);
        return Some(link);
    };
    let metric = Metric {
        namespace: transformation.metric_namespace.clone(),
        metric_name: transformation.metric_name.clone(),
        dimensions: Default::default(),
    };
    link.metric = Some(metric.clone());
    let value = transformation
        .metric_value
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|v| *v > 0.0 && v.is_finite());
    if value.is_none() {
        link.gaps.push(Gap::of(
            GapCode::FilterMetricValueNotPositive,
            Some(&resource),
            format!(
                "the filter publishes {:?} per match, not a positive number",
                transformation.metric_value
            ),
            &[],
        ));
    }
    if !transformation.dimensions.is_empty() {
        link.gaps.push(Gap::of(
            GapCode::FilterHasDimensions,
            Some(&resource),
            "the filter publishes its metric with dimensions taken from the event, so an alarm watches only one dimension value",
            &[],
        ));
    }
    link.gaps.extend(listing_warning(facts, region, &metric));
    let noise = noise.iter().find(|n| n.metric == metric);
    link.metric_noisy = noise.is_some();
    match assess_alarms(
        facts,
        region,
        &metric,
        value.unwrap_or(1.0),
        transformation.default_value,
        noise,
        transformation.unit.as_deref(),
    ) {
        Err(gap) => link.gaps.push(gap),
        Ok(alarms) if alarms.is_empty() => link.gaps.push(Gap::of(
            GapCode::AlarmMissing,
            Some(&resource),
            format!(
                "no alarm watches metric {}/{}",
                metric.namespace, metric.metric_name
            ),
            &[],
        )),
        Ok(alarms) => link.alarms = alarms,
    }
    link.status = Status::all([
        status_of(&link.gaps),
        if link.alarms.is_empty() {
            Status::Pass
        } else {
            Status::any(link.alarms.iter().map(|a| a.status))
        },
    ]);
    Some(link)
}

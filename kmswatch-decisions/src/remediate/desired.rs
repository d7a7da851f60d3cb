//! The resources kmswatch writes, and how an existing resource of the same name
//! differs from them. A resource with no difference is left alone ("unchanged");
//! one with differences is a conflict unless the user adopts it.

use super::options::RemediateOptions;
#[cfg(doc)]
use crate::check::CIS_PATTERN;
use crate::model::{Alarm, Metric, MetricFilter, MetricTransformation};
use std::fmt::Debug;

/// Alarm statistic: the number of matching events in the period.
pub const ALARM_STATISTIC: &str = "Sum";
/// Alarm period in seconds.
pub const ALARM_PERIOD: i32 = 300;
/// Alarm threshold: one event.
pub const ALARM_THRESHOLD: f64 = 1.0;
/// Alarm comparison.
pub const ALARM_COMPARISON: &str = "GreaterThanOrEqualToThreshold";
/// Periods without KMS events carry no data, which must not breach.
pub const ALARM_TREAT_MISSING_DATA: &str = "notBreaching";

/// The metric filter `pattern` on `log_group_name` (the KMS control's is
/// [`CIS_PATTERN`]), publishing 1 per match to `metric`.
pub fn metric_filter(
    name: &str,
    log_group_name: &str,
    pattern: &str,
    metric: &Metric,
) -> MetricFilter {
    MetricFilter::new(
        name,
        log_group_name,
        pattern,
        vec![MetricTransformation {
            metric_name: metric.metric_name.clone(),
            metric_namespace: metric.namespace.clone(),
            metric_value: "1".to_owned(),
            default_value: None,
            dimensions: Default::default(),
            unit: None,
        }],
    )
}

/// An alarm that fires on one event of `metric` and notifies `actions`.
pub fn alarm(
    name: &str,
    arn: &str,
    metric: &Metric,
    actions: Vec<String>,
    options: &RemediateOptions,
) -> Alarm {
    Alarm {
        alarm_name: name.to_owned(),
        alarm_arn: arn.to_owned(),
        actions_enabled: Some(true),
        alarm_actions: actions,
        ok_actions: Vec::new(),
        insufficient_data_actions: Vec::new(),
        metric: Some(metric.clone()),
        statistic: Some(ALARM_STATISTIC.to_owned()),
        extended_statistic: None,
        period: Some(ALARM_PERIOD),
        metrics: Vec::new(),
        threshold: Some(ALARM_THRESHOLD),
        comparison_operator: ALARM_COMPARISON.to_owned(),
        evaluation_periods: 1,
        datapoints_to_alarm: Some(1),
        treat_missing_data: Some(ALARM_TREAT_MISSING_DATA.to_owned()),
        state_value: None,
        state_updated_timestamp: None,
        unit: None,
        alarm_description: None,
        tags: options.resource_tags(),
    }
}

/// Text shown as it is in a difference (no quotes, no type names).
#[derive(PartialEq)]
struct Shown(String);

impl Debug for Shown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// `namespace/name`, with its dimensions when it has any.
fn metric_text(metric: &Metric) -> String {
    format!(
        "{}/{}{}",
        metric.namespace,
        metric.metric_name,
        dimensions_text(&metric.dimensions)
    )
}

/// ` [Name=value, ...]`, or nothing without dimensions.
fn dimensions_text(dimensions: &std::collections::BTreeMap<String, String>) -> String {
    if dimensions.is_empty() {
        return String::new();
    }
    let dims: Vec<String> = dimensions.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!(" [{}]", dims.join(", "))
}

/// What a filter publishes, e.g. `kmswatch/RootUserUsage = 1 (default 0)`.
fn transformations_text(filter: &MetricFilter) -> Shown {
    let parts: Vec<String> = filter
        .metric_transformations
        .iter()
        .map(|t| {
            let mut text = format!(
                "{}/{} = {}",
                t.metric_namespace, t.metric_name, t.metric_value
            );
            if let Some(d) = t.default_value {
                text.push_str(&format!(" (default {d})"));
            }
            text.push_str(&dimensions_text(&t.dimensions));
            if let Some(unit) = &t.unit {
                text.push_str(&format!(" ({unit})"));
            }
            text
        })
        .collect();
    Shown(if parts.is_empty() {
        "none".to_owned()
    } else {
        parts.join("; ")
    })
}

fn differ<T: Debug + PartialEq>(out: &mut Vec<String>, what: &str, existing: T, desired: T) {
    if existing != desired {
        let show = |v: &T| {
            let text = format!("{v:?}");
            match text.strip_prefix("Some(").and_then(|t| t.strip_suffix(')')) {
                Some(inner) => inner.to_owned(),
                None if text == "None" => "unset".to_owned(),
                None => text,
            }
        };
        out.push(format!("{what}: {} → {}", show(&existing), show(&desired)));
    }
}

fn sorted(list: &[String]) -> Vec<&str> {
    let mut v: Vec<&str> = list.iter().map(String::as_str).collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// How `existing` differs from `desired` in what `PutMetricAlarm` sets (not
/// ARN, state or tags, which `DescribeAlarms` does not return).
pub fn alarm_differences(existing: &Alarm, desired: &Alarm) -> Vec<String> {
    let mut out = Vec::new();
    differ(
        &mut out,
        "actions enabled",
        existing.actions_enabled,
        desired.actions_enabled,
    );
    differ(&mut out, "unit", &existing.unit, &desired.unit);
    differ(
        &mut out,
        "alarm actions",
        sorted(&existing.alarm_actions),
        sorted(&desired.alarm_actions),
    );
    differ(
        &mut out,
        "OK actions",
        sorted(&existing.ok_actions),
        sorted(&desired.ok_actions),
    );
    differ(
        &mut out,
        "insufficient-data actions",
        sorted(&existing.insufficient_data_actions),
        sorted(&desired.insufficient_data_actions),
    );
    differ(
        &mut out,
        "metric",
        existing.metric.as_ref().map(|m| Shown(metric_text(m))),
        desired.metric.as_ref().map(|m| Shown(metric_text(m))),
    );
    differ(
        &mut out,
        "metric queries",
        &existing.metrics,
        &desired.metrics,
    );
    differ(
        &mut out,
        "statistic",
        &existing.statistic,
        &desired.statistic,
    );
    differ(
        &mut out,
        "extended statistic",
        &existing.extended_statistic,
        &desired.extended_statistic,
    );
    differ(&mut out, "period", existing.period, desired.period);
    differ(&mut out, "threshold", existing.threshold, desired.threshold);
    differ(
        &mut out,
        "comparison",
        &existing.comparison_operator,
        &desired.comparison_operator,
    );
    differ(
        &mut out,
        "evaluation periods",
        existing.evaluation_periods,
        desired.evaluation_periods,
    );
    differ(
        &mut out,
        "datapoints to alarm",
        existing
            .datapoints_to_alarm
            .unwrap_or(existing.evaluation_periods),
        desired
            .datapoints_to_alarm
            .unwrap_or(desired.evaluation_periods),
    );
    differ(
        &mut out,
        "treat missing data",
        existing.treat_missing_data.as_deref().unwrap_or("missing"),
        desired.treat_missing_data.as_deref().unwrap_or("missing"),
    );
    out
}

/// How `existing` differs from `desired` in pattern and metric.
pub fn filter_differences(existing: &MetricFilter, desired: &MetricFilter) -> Vec<String> {
    let mut out = Vec::new();
    differ(
        &mut out,
        "pattern",
        existing.filter_pattern.trim(),
        desired.filter_pattern.trim(),
    );
    if existing.metric_transformations != desired.metric_transformations {
        differ(
            &mut out,
            "metric transformation",
            transformations_text(existing),
            transformations_text(desired),
        );
    }
    out
}

/// Whether two JSON texts hold the same value (key order and spacing aside).
pub fn same_json(a: Option<&str>, b: &str) -> bool {
    let parse = |t: &str| serde_json::from_str::<serde_json::Value>(t).ok();
    a.and_then(parse).is_some_and(|a| Some(a) == parse(b))
}

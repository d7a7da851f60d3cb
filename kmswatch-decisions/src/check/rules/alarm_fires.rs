//! Does an alarm fire on ONE matching event, and only then?
//!
//! A metric filter publishes its metric value `v` for each matching event and,
//! when it has a default value `d`, publishes `d` for ingested events that do not
//! match. So in a period with one KMS event the alarm sees `v` plus any number of
//! `d`s; in a quiet period it sees only `d`s, or no data at all. The alarm is
//! good when every one-event period breaches, no quiet period breaches (else it
//! sits in ALARM and never notifies again), and one breaching period is enough.

use super::noise::Noise;
use crate::check::gap::Gap;
use crate::check::gap_code::GapCode;
use crate::model::{Alarm, Metric, MetricDataQuery};

/// How many default-value datapoints to assume next to the event: one, and many.
const DEFAULT_DATAPOINTS: [usize; 2] = [1, 100];

/// Whether `alarm` reads `metric` (directly or through a metric-math query).
pub fn watches(alarm: &Alarm, metric: &Metric) -> bool {
    alarm.metric.as_ref() == Some(metric)
        || alarm
            .metrics
            .iter()
            .any(|q| q.metric_stat.as_ref().is_some_and(|s| &s.metric == metric))
}

/// What the alarm evaluates: a statistic of the metric, and the value a
/// `FILL(m, c)` expression puts in periods without data.
struct Evaluated<'a> {
    stat: &'a str,
    fill: Option<f64>,
}

/// The gaps of an alarm on `metric`, which a filter publishes with `value` per
/// match and `default` otherwise.
///
/// A noisy metric (see [`super::noise`]) has routine matches in every period, so
/// a quiet period is one with routine matches and no KMS key event.
pub fn alarm_gaps(
    alarm: &Alarm,
    metric: &Metric,
    value: f64,
    default: Option<f64>,
    noise: Option<&Noise>,
) -> Vec<Gap> {
    let arn = Some(alarm.alarm_arn.as_str());
    let mut gaps = Vec::new();
    if alarm.actions_enabled == Some(false) {
        gaps.push(Gap::with_fix(
            GapCode::AlarmActionsDisabled,
            arn,
            "the alarm's actions are disabled, so it notifies no one",
            format!(
                "aws cloudwatch enable-alarm-actions --alarm-names {:?}",
                alarm.alarm_name
            ),
        ));
    }
    if alarm.alarm_actions.is_empty() {
        gaps.push(Gap::with_fix(
            GapCode::AlarmNoActions,
            arn,
            "the alarm has no alarm actions",
            "add an SNS topic with a confirmed subscriber to the alarm's AlarmActions",
        ));
    }
    let evaluated = match evaluated(alarm, metric) {
        Ok(e) => e,
        Err(gap) => {
            gaps.push(gap);
            return gaps;
        }
    };
    let Some(threshold) = alarm.threshold else {
        gaps.push(Gap::with_fix(
            GapCode::AlarmAnomalyDetection,
            arn,
            "the alarm compares against an anomaly detection band, which cannot be shown to fire on one event",
            "use a static threshold: Sum >= 1 over one period",
        ));
        return gaps;
    };
    let Some(breaches) = comparison(&alarm.comparison_operator) else {
        gaps.push(Gap::with_fix(
            GapCode::AlarmComparisonUnverified,
            arn,
            format!(
                "comparison operator {} is not a static threshold comparison",
                alarm.comparison_operator
            ),
            "use ComparisonOperator GreaterThanOrEqualToThreshold with Threshold 1",
        ));
        return gaps;
    };
    let needed = alarm
        .datapoints_to_alarm
        .unwrap_or(alarm.evaluation_periods);
    if needed != 1 {
        gaps.push(Gap::with_fix(
            GapCode::AlarmNeedsSeveralDatapoints,
            arn,
            format!("the alarm needs {needed} breaching periods; a single KMS event makes one"),
            "set DatapointsToAlarm (or EvaluationPeriods) to 1",
        ));
    }
    let one_event: Option<Vec<f64>> = match default {
        None => statistic(evaluated.stat, &[value]).map(|v| vec![v]),
        Some(d) => DEFAULT_DATAPOINTS
            .iter()
            .map(|&k| statistic(evaluated.stat, &with_defaults(Some(value), d, k)))
            .collect(),
    };
    let quiet: Option<Vec<f64>> = match (default, evaluated.fill) {
        (Some(d), _) => DEFAULT_DATAPOINTS
            .iter()
            .map(|&k| statistic(evaluated.stat, &with_defaults(None, d, k)))
            .collect(),
        (None, Some(fill)) => Some(vec![fill]),
        (None, None) => Some(Vec::new()),
    };
    let (Some(one_event), Some(quiet)) = (one_event, quiet) else {
        gaps.push(Gap::with_fix(
            GapCode::AlarmStatisticUnverified,
            arn,
            format!("statistic {} cannot be evaluated", evaluated.stat),
            "use the Sum statistic",
        ));
        return gaps;
    };
    let op = &alarm.comparison_operator;
    if let Some(v) = one_event.iter().find(|&&v| !breaches(v, threshold)) {
        gaps.push(Gap::with_fix(
            GapCode::AlarmDoesNotFireOnOneEvent,
            arn,
            format!(
                "one KMS event gives {} = {v}, which is not {op} {threshold}",
                evaluated.stat
            ),
            "use Statistic Sum, ComparisonOperator GreaterThanOrEqualToThreshold, Threshold 1",
        ));
    }
    let missing_breaches =
        quiet.is_empty() && alarm.treat_missing_data.as_deref() == Some("breaching");
    if let Some(v) = quiet.iter().find(|&&v| breaches(v, threshold)) {
        gaps.push(Gap::with_fix(
            GapCode::AlarmAlwaysInAlarm,
            arn,
            format!(
                "with no KMS event the alarm sees {} = {v}, which is {op} {threshold}: it stays in ALARM and never notifies again",
                evaluated.stat
            ),
            "use Threshold 1 with GreaterThanOrEqualToThreshold so that 0 does not breach",
        ));
    } else if missing_breaches {
        gaps.push(Gap::with_fix(
            GapCode::AlarmAlwaysInAlarm,
            arn,
            "TreatMissingData is breaching and the metric has no data without KMS events: the alarm stays in ALARM and never notifies again",
            "set TreatMissingData to notBreaching",
        ));
    } else if let Some((v, noise)) = noise.and_then(|n| {
        noisy_periods(evaluated.stat, value, default)
            .into_iter()
            .find(|v| breaches(*v, threshold))
            .map(|v| (v, n))
    }) {
        gaps.push(Gap::with_fix(
            GapCode::AlarmAlwaysInAlarm,
            arn,
            format!(
                "metric filter {} also matches routine traffic ({}), so without any KMS key event the alarm sees {} = {v}, which is {op} {threshold}: it stays in ALARM and a DisableKey or ScheduleKeyDeletion changes nothing{}",
                noise.filters().join(", "),
                noise.event_names().join(", "),
                evaluated.stat,
                in_alarm_since(alarm)
            ),
            format!(
                "narrow the pattern of {} to DisableKey and ScheduleKeyDeletion from kms.amazonaws.com (the CIS pattern), or publish it to another metric",
                noise.filters().join(", ")
            ),
        ));
    }
    gaps
}

/// The statistic in periods with `k` routine matches (each publishing `value`,
/// and `default` for the events that do not match) and no KMS key event.
fn noisy_periods(stat: &str, value: f64, default: Option<f64>) -> Vec<f64> {
    DEFAULT_DATAPOINTS
        .iter()
        .filter_map(|&k| {
            let mut values = vec![value; k];
            if let Some(d) = default {
                values.extend(std::iter::repeat_n(d, k));
            }
            statistic(stat, &values)
        })
        .collect()
}

/// ` (it is in ALARM now)` when the alarm's state says so.
/// For an alarm in ALARM since more than a day before `captured_at` (both
/// times known): the sentence that says so, which shows that its metric is
/// breaching all the time, not that a key event just happened.
pub fn in_alarm_for_over_a_day(alarm: &Alarm, captured_at: Option<&str>) -> Option<String> {
    if alarm.state_value.as_deref() != Some("ALARM") {
        return None;
    }
    let since = alarm.state_updated_timestamp.as_deref()?;
    let at = humantime::parse_rfc3339_weak(captured_at?).ok()?;
    let from = humantime::parse_rfc3339_weak(since).ok()?;
    let days = at.duration_since(from).ok()?.as_secs() / 86_400;
    (days >= 1).then(|| {
        format!(
            "; it has been in ALARM since {since} ({days} day{} before the facts were captured)",
            if days == 1 { "" } else { "s" }
        )
    })
}

fn in_alarm_since(alarm: &Alarm) -> &'static str {
    match alarm.state_value.as_deref() {
        Some("ALARM") => " (it is in ALARM now)",
        _ => "",
    }
}

fn with_defaults(event: Option<f64>, default: f64, count: usize) -> Vec<f64> {
    event
        .into_iter()
        .chain(std::iter::repeat_n(default, count))
        .collect()
}

/// Finds the statistic the alarm applies to `metric`.
fn evaluated<'a>(alarm: &'a Alarm, metric: &Metric) -> Result<Evaluated<'a>, Gap> {
    let arn = Some(alarm.alarm_arn.as_str());
    if alarm.metric.as_ref() == Some(metric) {
        let stat = alarm
            .statistic
            .as_deref()
            .or(alarm.extended_statistic.as_deref())
            .unwrap_or("");
        return Ok(Evaluated { stat, fill: None });
    }
    let unverified = |why: String| {
        Gap::with_fix(
            GapCode::AlarmExpressionUnverified,
            arn,
            why,
            "alarm directly on the metric, or on FILL(m1, 0) of it",
        )
    };
    let returned = alarm
        .metrics
        .iter()
        .find(|q| q.return_data == Some(true))
        .or_else(|| (alarm.metrics.len() == 1).then(|| &alarm.metrics[0]))
        .ok_or_else(|| unverified("the alarm's metric-math queries return nothing".into()))?;
    let reads_metric = |q: &'a MetricDataQuery| {
        q.metric_stat
            .as_ref()
            .filter(|s| &s.metric == metric)
            .map(|s| s.stat.as_str())
    };
    if let Some(stat) = reads_metric(returned) {
        return Ok(Evaluated { stat, fill: None });
    }
    let expression = returned.expression.as_deref().unwrap_or("").trim();
    let by_id = |id: &str| {
        alarm
            .metrics
            .iter()
            .find(|q| q.id == id.trim())
            .and_then(reads_metric)
    };
    if let Some(stat) = by_id(expression) {
        return Ok(Evaluated { stat, fill: None });
    }
    if let Some((id, fill)) = parse_fill(expression) {
        if let Some(stat) = by_id(id) {
            return Ok(Evaluated {
                stat,
                fill: Some(fill),
            });
        }
    }
    Err(unverified(format!(
        "metric-math expression {expression:?} cannot be shown to fire on one event"
    )))
}

/// `FILL(id, number)`.
fn parse_fill(expression: &str) -> Option<(&str, f64)> {
    let inner = expression
        .strip_prefix("FILL(")
        .or_else(|| expression.strip_prefix("FILL ("))?
        .strip_suffix(')')?;
    let (id, value) = inner.split_once(',')?;
    Some((id.trim(), value.trim().parse().ok()?))
}

fn comparison(op: &str) -> Option<fn(f64, f64) -> bool> {
    Some(match op {
        "GreaterThanOrEqualToThreshold" => |v, t| v >= t,
        "GreaterThanThreshold" => |v, t| v > t,
        "LessThanThreshold" => |v, t| v < t,
        "LessThanOrEqualToThreshold" => |v, t| v <= t,
        _ => return None,
    })
}

/// A CloudWatch statistic over one period's datapoints; `None` for one
/// kmswatch does not evaluate.
fn statistic(stat: &str, values: &[f64]) -> Option<f64> {
    let n = values.len() as f64;
    match stat {
        "Sum" => Some(values.iter().sum()),
        "SampleCount" => Some(n),
        "Average" => Some(values.iter().sum::<f64>() / n),
        "Minimum" => values.iter().copied().reduce(f64::min),
        "Maximum" => values.iter().copied().reduce(f64::max),
        p if p.starts_with('p') => {
            let q: f64 = p[1..].parse().ok().filter(|q| (0.0..=100.0).contains(q))?;
            let mut sorted = values.to_vec();
            sorted.sort_by(f64::total_cmp);
            let rank = ((q / 100.0) * n).ceil().max(1.0) as usize;
            sorted.get(rank - 1).copied()
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::MetricStat;

    fn metric() -> Metric {
        Metric {
            namespace: "CISBenchmark".into(),
            metric_name: "KMSKeyDisableOrDelete".into(),
            dimensions: Default::default(),
        }
    }

    fn alarm(stat: &str, op: &str, threshold: f64) -> Alarm {
        Alarm {
            alarm_name: "a".into(),
            alarm_arn: "arn:aws:cloudwatch:us-east-1:111122223333:alarm:a".into(),
            actions_enabled: Some(true),
            alarm_actions: vec!["arn:aws:sns:us-east-1:111122223333:t".into()],
            ok_actions: vec![],
            insufficient_data_actions: vec![],
            metric: Some(metric()),
            statistic: Some(stat.into()),
            extended_statistic: None,
            period: Some(300),
            metrics: vec![],
            threshold: Some(threshold),
            comparison_operator: op.into(),
            evaluation_periods: 1,
            datapoints_to_alarm: Some(1),
            treat_missing_data: Some("notBreaching".into()),
            state_value: None,
            state_updated_timestamp: None,
            unit: None,
            alarm_description: None,
            tags: Default::default(),
        }
    }

    fn codes(a: &Alarm, default: Option<f64>) -> Vec<String> {
        alarm_gaps(a, &metric(), 1.0, default, None)
            .into_iter()
            .map(|g| g.code.as_string())
            .collect()
    }

    #[test]
    fn sum_at_least_one_and_sum_above_zero_fire() {
        for d in [None, Some(0.0)] {
            assert!(codes(&alarm("Sum", "GreaterThanOrEqualToThreshold", 1.0), d).is_empty());
            assert!(codes(&alarm("Sum", "GreaterThanThreshold", 0.0), d).is_empty());
            assert!(codes(&alarm("Maximum", "GreaterThanOrEqualToThreshold", 1.0), d).is_empty());
        }
    }

    #[test]
    fn threshold_zero_with_default_zero_is_always_in_alarm() {
        let a = alarm("Sum", "GreaterThanOrEqualToThreshold", 0.0);
        assert_eq!(codes(&a, Some(0.0)), ["ALARM_ALWAYS_IN_ALARM"]);
        // Without a default value there is no datapoint to breach.
        assert!(codes(&a, None).is_empty());
    }

    #[test]
    fn threshold_above_one_event_does_not_fire() {
        let a = alarm("Sum", "GreaterThanOrEqualToThreshold", 2.0);
        assert_eq!(codes(&a, None), ["ALARM_DOES_NOT_FIRE_ON_ONE_EVENT"]);
    }

    #[test]
    fn average_and_minimum_fail_with_default_values() {
        assert_eq!(
            codes(
                &alarm("Average", "GreaterThanOrEqualToThreshold", 1.0),
                Some(0.0)
            ),
            ["ALARM_DOES_NOT_FIRE_ON_ONE_EVENT"]
        );
        assert!(codes(
            &alarm("Average", "GreaterThanOrEqualToThreshold", 1.0),
            None
        )
        .is_empty());
        assert_eq!(
            codes(
                &alarm("SampleCount", "GreaterThanOrEqualToThreshold", 1.0),
                Some(0.0)
            ),
            ["ALARM_ALWAYS_IN_ALARM"]
        );
    }

    #[test]
    fn several_datapoints_and_disabled_actions() {
        let mut a = alarm("Sum", "GreaterThanOrEqualToThreshold", 1.0);
        a.datapoints_to_alarm = Some(2);
        a.evaluation_periods = 3;
        a.actions_enabled = Some(false);
        assert_eq!(
            codes(&a, None),
            ["ALARM_ACTIONS_DISABLED", "ALARM_NEEDS_SEVERAL_DATAPOINTS"]
        );
        a.datapoints_to_alarm = None;
        a.evaluation_periods = 1;
        a.actions_enabled = Some(true);
        a.alarm_actions.clear();
        assert_eq!(codes(&a, None), ["ALARM_NO_ACTIONS"]);
    }

    #[test]
    fn missing_data_breaching_is_always_in_alarm() {
        let mut a = alarm("Sum", "GreaterThanOrEqualToThreshold", 1.0);
        a.treat_missing_data = Some("breaching".into());
        assert_eq!(codes(&a, None), ["ALARM_ALWAYS_IN_ALARM"]);
    }

    #[test]
    fn metric_math_identity_and_fill() {
        let mut a = alarm("Sum", "GreaterThanOrEqualToThreshold", 1.0);
        a.metric = None;
        a.statistic = None;
        a.metrics = vec![
            MetricDataQuery {
                id: "m1".into(),
                expression: None,
                metric_stat: Some(MetricStat {
                    metric: metric(),
                    period: 300,
                    stat: "Sum".into(),
                    unit: None,
                }),
                return_data: Some(false),
                account_id: None,
            },
            MetricDataQuery {
                id: "e1".into(),
                expression: Some("FILL(m1, 0)".into()),
                metric_stat: None,
                return_data: Some(true),
                account_id: None,
            },
        ];
        assert!(watches(&a, &metric()));
        assert!(codes(&a, None).is_empty());
        a.threshold = Some(0.0);
        assert_eq!(codes(&a, None), ["ALARM_ALWAYS_IN_ALARM"]);
        a.threshold = Some(1.0);
        a.metrics[1].expression = Some("RATE(m1)".into());
        assert_eq!(codes(&a, None), ["ALARM_EXPRESSION_UNVERIFIED"]);
        a.metrics[1].expression = Some("m1".into());
        assert!(codes(&a, None).is_empty());
    }

    #[test]
    fn percentiles() {
        let mut a = alarm("Sum", "GreaterThanOrEqualToThreshold", 1.0);
        a.statistic = None;
        a.extended_statistic = Some("p100".into());
        assert!(codes(&a, Some(0.0)).is_empty());
        a.extended_statistic = Some("p50".into());
        assert_eq!(codes(&a, Some(0.0)), ["ALARM_DOES_NOT_FIRE_ON_ONE_EVENT"]);
        a.extended_statistic = Some("tm99".into());
        assert_eq!(codes(&a, None), ["ALARM_STATISTIC_UNVERIFIED"]);
    }
}

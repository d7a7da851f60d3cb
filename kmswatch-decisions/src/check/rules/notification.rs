//! The JSON body CloudWatch publishes to SNS when an alarm enters ALARM: what a
//! subscription's `MessageBody` filter policy is matched against.
//!
//! Most fields follow from the alarm (name, ARN, account, actions, trigger).
//! A few cannot be known before the alarm fires, or their spelling is not
//! documented: the state change's time and reason, the previous state, when
//! the configuration last changed, the region's display name, the statistic's
//! case and the `TreatMissingData` text. The body therefore comes in
//! [`VARIANTS`] versions that differ in exactly those fields: a policy that
//! matches every version delivers, one that matches none drops the
//! notification, and one that matches some depends on what cannot be predicted.

use crate::model::{Alarm, Arn, CompositeAlarm, Metric, MetricDataQuery};
use serde_json::{json, Map, Value};

/// How many versions of the body [`alarm_notifications`] builds.
pub const VARIANTS: usize = 2;

/// The notification bodies of `alarm` entering ALARM, one per variant of the
/// fields that cannot be predicted.
pub fn alarm_notifications(alarm: &Alarm) -> [Value; VARIANTS] {
    [0, 1].map(|variant| body(alarm, variant))
}

fn body(alarm: &Alarm, variant: usize) -> Value {
    let arn = Arn::parse(&alarm.alarm_arn);
    let region = arn.as_ref().map(|a| a.region).unwrap_or_default();
    let pick = |choices: [&str; VARIANTS]| Value::from(choices[variant]);
    json!({
        "AlarmName": alarm.alarm_name,
        "AlarmDescription": alarm.alarm_description,
        "AWSAccountId": arn.as_ref().map(|a| a.account_id).unwrap_or_default(),
        "AlarmConfigurationUpdatedTimestamp":
            pick(["2026-11-02T09:14:07.311+0000", "2019-06-17T21:03:55.024+0000"]),
        "NewStateValue": "ALARM",
        "NewStateReason": pick([
            "Threshold Crossed: 1 out of the last 1 datapoints [1.0 (30/11/26 12:00:00)] was greater than or equal to the threshold (1.0) (minimum 1 datapoint for OK -> ALARM transition).",
            "Threshold Crossed: 1 datapoint [2.0 (01/07/19 08:25:00)] was greater than or equal to the threshold (1.0).",
        ]),
        "StateChangeTime": pick(["2026-11-30T12:05:41.528+0000", "2019-07-01T08:30:12.004+0000"]),
        "Region": match region_name(region) {
            Some(name) => Value::from(name),
            None => pick([region, ""]),
        },
        "AlarmArn": alarm.alarm_arn,
        "OldStateValue": pick(["OK", "INSUFFICIENT_DATA"]),
        "OKActions": alarm.ok_actions,
        "AlarmActions": alarm.alarm_actions,
        "InsufficientDataActions": alarm.insufficient_data_actions,
        "Trigger": trigger(alarm, variant),
    })
}

/// The notification bodies of composite alarm `composite` entering ALARM
/// because `child` (a metric alarm's ARN) did: no `Trigger`, but the rule and
/// the alarm that changed.
pub fn composite_notifications(composite: &CompositeAlarm, child: &str) -> [Value; VARIANTS] {
    [0, 1].map(|variant| {
        let arn = Arn::parse(&composite.alarm_arn);
        let region = arn.as_ref().map(|a| a.region).unwrap_or_default();
        let pick = |choices: [&str; VARIANTS]| Value::from(choices[variant]);
        let changed = pick(["2026-11-30T12:05:41.528+0000", "2019-07-01T08:30:12.004+0000"]);
        json!({
            "AlarmName": composite.alarm_name,
            "AlarmDescription": composite.alarm_description,
            "AWSAccountId": arn.as_ref().map(|a| a.account_id).unwrap_or_default(),
            "NewStateValue": "ALARM",
            "NewStateReason": pick([
                &format!("{child} transitioned to ALARM at Monday 30 November, 2026 12:05:41 UTC"),
                &format!("{child} transitioned to ALARM"),
            ]),
            "StateChangeTime": changed,
            "Region": match region_name(region) {
                Some(name) => Value::from(name),
                None => pick([region, ""]),
            },
            "AlarmArn": composite.alarm_arn,
            "OldStateValue": pick(["OK", "INSUFFICIENT_DATA"]),
            "OKActions": [],
            "AlarmActions": composite.alarm_actions,
            "InsufficientDataActions": [],
            "AlarmRule": composite.alarm_rule,
            "TriggeringChildren": [{"Arn": child, "State": {"Value": "ALARM", "Timestamp": changed}}],
        })
    })
}

fn trigger(alarm: &Alarm, variant: usize) -> Value {
    let mut t = Map::new();
    if let Some(metric) = &alarm.metric {
        t.insert("MetricName".into(), metric.metric_name.clone().into());
        t.insert("Namespace".into(), metric.namespace.clone().into());
        match (&alarm.statistic, &alarm.extended_statistic) {
            (Some(stat), _) => {
                t.insert("StatisticType".into(), "Statistic".into());
                let spelled = [statistic_constant(stat), stat.clone()];
                t.insert("Statistic".into(), spelled[variant].clone().into());
            }
            (None, Some(stat)) => {
                t.insert("StatisticType".into(), "ExtendedStatistic".into());
                t.insert("ExtendedStatistic".into(), stat.clone().into());
            }
            (None, None) => {}
        }
        t.insert("Unit".into(), alarm.unit.clone().into());
        t.insert("Dimensions".into(), dimensions(metric));
        t.insert("Period".into(), alarm.period.into());
    } else {
        let queries: Vec<Value> = alarm.metrics.iter().map(query).collect();
        t.insert("Metrics".into(), queries.into());
    }
    t.insert("EvaluationPeriods".into(), alarm.evaluation_periods.into());
    if let Some(n) = alarm.datapoints_to_alarm {
        t.insert("DatapointsToAlarm".into(), n.into());
    }
    t.insert(
        "ComparisonOperator".into(),
        alarm.comparison_operator.clone().into(),
    );
    t.insert("Threshold".into(), alarm.threshold.into());
    let missing = alarm.treat_missing_data.as_deref().unwrap_or("missing");
    let spelled = [
        format!("- TreatMissingData:                    {missing}"),
        missing.to_owned(),
    ];
    t.insert("TreatMissingData".into(), spelled[variant].clone().into());
    t.insert("EvaluateLowSampleCountPercentile".into(), "".into());
    Value::Object(t)
}

fn dimensions(metric: &Metric) -> Value {
    metric
        .dimensions
        .iter()
        .map(|(name, value)| json!({"value": value, "name": name}))
        .collect()
}

fn query(q: &MetricDataQuery) -> Value {
    let mut out = Map::new();
    out.insert("Id".into(), q.id.clone().into());
    if let Some(e) = &q.expression {
        out.insert("Expression".into(), e.clone().into());
    }
    if let Some(s) = &q.metric_stat {
        let mut stat = json!({
            "Metric": {
                "Dimensions": dimensions(&s.metric),
                "MetricName": s.metric.metric_name,
                "Namespace": s.metric.namespace,
            },
            "Period": s.period,
            "Stat": s.stat,
        });
        if let Some(unit) = &s.unit {
            stat["Unit"] = unit.clone().into();
        }
        out.insert("MetricStat".into(), stat);
    }
    if let Some(account) = &q.account_id {
        out.insert("AccountId".into(), account.clone().into());
    }
    out.insert("ReturnData".into(), q.return_data.unwrap_or(true).into());
    Value::Object(out)
}

/// `SampleCount` → `SAMPLE_COUNT`: the constant spelling.
fn statistic_constant(stat: &str) -> String {
    let mut out = String::new();
    for (i, c) in stat.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_uppercase());
    }
    out
}

/// The display name CloudWatch writes in `Region`, for the regions whose name
/// has not changed over the years; `None` for the others.
fn region_name(region: &str) -> Option<&'static str> {
    const NAMES: [(&str, &str); 13] = [
        ("us-east-1", "US East (N. Virginia)"),
        ("us-east-2", "US East (Ohio)"),
        ("us-west-1", "US West (N. California)"),
        ("us-west-2", "US West (Oregon)"),
        ("ap-south-1", "Asia Pacific (Mumbai)"),
        ("ap-northeast-1", "Asia Pacific (Tokyo)"),
        ("ap-northeast-2", "Asia Pacific (Seoul)"),
        ("ap-northeast-3", "Asia Pacific (Osaka)"),
        ("ap-southeast-1", "Asia Pacific (Singapore)"),
        ("ap-southeast-2", "Asia Pacific (Sydney)"),
        ("ap-east-1", "Asia Pacific (Hong Kong)"),
        ("ca-central-1", "Canada (Central)"),
        ("sa-east-1", "South America (Sao Paulo)"),
    ];
    NAMES.iter().find(|(r, _)| *r == region).map(|(_, n)| *n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alarm() -> Alarm {
        serde_json::from_value(json!({
            "alarm_name": "kms-key-events",
            "alarm_arn": "arn:aws:cloudwatch:eu-west-1:111122223333:alarm:kms-key-events",
            "actions_enabled": true,
            "alarm_actions": ["arn:aws:sns:eu-west-1:111122223333:alerts"],
            "metric": {"namespace": "CISBenchmark", "metric_name": "KmsKeyEvents"},
            "statistic": "SampleCount",
            "period": 300,
            "threshold": 1.0,
            "comparison_operator": "GreaterThanOrEqualToThreshold",
            "evaluation_periods": 1,
            "treat_missing_data": "notBreaching"
        }))
        .unwrap()
    }

    #[test]
    fn predictable_fields_agree_and_the_others_vary() {
        let [a, b] = alarm_notifications(&alarm());
        for key in [
            "AlarmName",
            "AWSAccountId",
            "AlarmArn",
            "NewStateValue",
            "AlarmActions",
        ] {
            assert_eq!(a[key], b[key], "{key}");
        }
        assert_eq!(a["AlarmDescription"], Value::Null);
        assert_eq!(a["Trigger"]["MetricName"], "KmsKeyEvents");
        assert_eq!(a["Trigger"]["Unit"], Value::Null);
        assert_eq!(a["Trigger"]["Threshold"], 1.0);
        assert_eq!(a["Trigger"]["Statistic"], "SAMPLE_COUNT");
        assert_eq!(b["Trigger"]["Statistic"], "SampleCount");
        for key in [
            "StateChangeTime",
            "OldStateValue",
            "NewStateReason",
            "Region",
        ] {
            assert_ne!(a[key], b[key], "{key}");
        }
        assert_ne!(
            a["Trigger"]["TreatMissingData"],
            b["Trigger"]["TreatMissingData"]
        );
    }

    #[test]
    fn known_region_names_are_certain_and_math_alarms_list_their_queries() {
        let mut alarm = alarm();
        alarm.alarm_arn = "arn:aws:cloudwatch:us-east-1:111122223333:alarm:m".into();
        alarm.metrics = serde_json::from_value(json!([
            {"id": "m1", "metric_stat": {"metric": {"namespace": "N", "metric_name": "M"},
             "period": 60, "stat": "Sum", "unit": "Count"}, "return_data": false,
             "account_id": "444455556666"},
            {"id": "e1", "expression": "FILL(m1, 0)"}
        ]))
        .unwrap();
        alarm.metric = None;
        let [a, b] = alarm_notifications(&alarm);
        assert_eq!(a["Region"], "US East (N. Virginia)");
        assert_eq!(a["Region"], b["Region"]);
        let queries = &a["Trigger"]["Metrics"];
        assert_eq!(queries[0]["MetricStat"]["Unit"], "Count");
        assert_eq!(queries[0]["AccountId"], "444455556666");
        assert_eq!(queries[1]["ReturnData"], true);
        assert!(a["Trigger"].get("MetricName").is_none());
    }
}

#[cfg(test)]
mod example {
    use super::alarm_notifications;
    use crate::model::Alarm;

    #[test]
    fn two_bodies_differ_only_in_what_cannot_be_predicted() {
        let alarm: Alarm = serde_json::from_value(serde_json::json!({
            "alarm_name": "kms", "alarm_arn": "arn:aws:cloudwatch:us-east-1:111122223333:alarm:kms",
            "comparison_operator": "GreaterThanOrEqualToThreshold", "evaluation_periods": 1
        }))
        .unwrap();
        let [first, second] = alarm_notifications(&alarm);
        assert_eq!(first["NewStateValue"], "ALARM");
        assert_eq!(first["AWSAccountId"], "111122223333");
        assert_ne!(first["OldStateValue"], second["OldStateValue"]);
    }
}

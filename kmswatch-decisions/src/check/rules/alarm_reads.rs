//! Does the alarm read the datapoints the metric filter publishes? Not when it
//! asks for another unit, nor when its metric-math query reads another
//! account's metric of the same name. And whether its actions run must be
//! known, not assumed.

use crate::check::gap::Gap;
use crate::check::gap_code::GapCode;
use crate::model::{Alarm, Arn, Metric};

/// The unit a filter publishes with when its transformation sets none.
pub const NO_UNIT: &str = "None";

/// The gaps of `alarm` reading `metric`, which a filter publishes with
/// `published_unit` (`None`: no unit set).
pub fn alarm_read_gaps(alarm: &Alarm, metric: &Metric, published_unit: Option<&str>) -> Vec<Gap> {
    let arn = Some(alarm.alarm_arn.as_str());
    let mut gaps = Vec::new();
    if alarm.actions_enabled.is_none() {
        gaps.push(Gap::of(
            GapCode::AlarmActionsEnabledUnknown,
            arn,
            "DescribeAlarms did not say whether the alarm's actions are enabled",
            &[],
        ));
    }
    let published = published_unit.unwrap_or(NO_UNIT);
    let own_queries: Vec<_> = alarm
        .metrics
        .iter()
        .filter_map(|q| q.metric_stat.as_ref().map(|s| (q, s)))
        .filter(|(_, s)| &s.metric == metric)
        .collect();
    let wanted = alarm
        .metric
        .as_ref()
        .filter(|m| *m == metric)
        .and(alarm.unit.as_deref())
        .into_iter()
        .chain(own_queries.iter().filter_map(|(_, s)| s.unit.as_deref()));
    if let Some(unit) = wanted.into_iter().find(|u| *u != published) {
        gaps.push(Gap::of(
            GapCode::AlarmUnitMismatch,
            arn,
            format!(
                "the alarm reads {}/{} with unit {unit}, but the metric filter publishes it with unit {published}: the alarm never sees a datapoint and stays INSUFFICIENT_DATA",
                metric.namespace, metric.metric_name
            ),
            &[],
        ));
    }
    let account = Arn::parse(&alarm.alarm_arn).map(|a| a.account_id);
    let other = |a: &Option<String>| a.as_deref().is_some_and(|a| Some(a) != account);
    if alarm.metric.as_ref() != Some(metric)
        && !own_queries.is_empty()
        && own_queries.iter().all(|(q, _)| other(&q.account_id))
    {
        let accounts: Vec<_> = own_queries
            .iter()
            .filter_map(|(q, _)| q.account_id.as_deref())
            .collect();
        gaps.push(Gap::of(
            GapCode::AlarmMetricOtherAccount,
            arn,
            format!(
                "the alarm's metric-math query reads {}/{} of account {}, not the metric this account's filter publishes",
                metric.namespace,
                metric.metric_name,
                accounts.join(", ")
            ),
            &[],
        ));
    }
    gaps
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn metric() -> Metric {
        Metric {
            namespace: "CIS".into(),
            metric_name: "KmsKeyEvents".into(),
            dimensions: Default::default(),
        }
    }

    fn alarm(extra: serde_json::Value) -> Alarm {
        let mut base = json!({
            "alarm_name": "kms", "alarm_arn": "arn:aws:cloudwatch:us-east-1:111122223333:alarm:kms",
            "actions_enabled": true,
            "metric": {"namespace": "CIS", "metric_name": "KmsKeyEvents"},
            "comparison_operator": "GreaterThanOrEqualToThreshold", "evaluation_periods": 1
        });
        base.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        serde_json::from_value(base).unwrap()
    }

    fn codes(a: &Alarm, unit: Option<&str>) -> Vec<String> {
        alarm_read_gaps(a, &metric(), unit)
            .iter()
            .map(|g| g.code.to_string())
            .collect()
    }

    #[test]
    fn units_must_match_what_the_filter_publishes() {
        assert!(codes(&alarm(json!({})), None).is_empty());
        assert!(codes(&alarm(json!({"unit": "None"})), None).is_empty());
        assert!(codes(&alarm(json!({"unit": "Count"})), Some("Count")).is_empty());
        assert_eq!(
            codes(&alarm(json!({"unit": "Bytes"})), None),
            ["ALARM_UNIT_MISMATCH"]
        );
        assert_eq!(
            codes(&alarm(json!({"unit": "None"})), Some("Count")),
            ["ALARM_UNIT_MISMATCH"]
        );
    }

    #[test]
    fn math_queries_of_another_account_do_not_read_this_metric() {
        let query = |account: Option<&str>, unit: Option<&str>| {
            json!({"metric": null, "metrics": [{
                "id": "m1",
                "metric_stat": {"metric": {"namespace": "CIS", "metric_name": "KmsKeyEvents"},
                                "period": 300, "stat": "Sum", "unit": unit},
                "account_id": account, "return_data": true}]})
        };
        assert!(codes(&alarm(query(None, None)), None).is_empty());
        assert!(codes(&alarm(query(Some("111122223333"), None)), None).is_empty());
        assert_eq!(
            codes(&alarm(query(Some("444455556666"), None)), None),
            ["ALARM_METRIC_OTHER_ACCOUNT"]
        );
        assert_eq!(
            codes(&alarm(query(None, Some("Seconds"))), None),
            ["ALARM_UNIT_MISMATCH"]
        );
    }

    #[test]
    fn unknown_actions_enabled_is_a_gap() {
        let mut a = alarm(json!({}));
        a.actions_enabled = None;
        assert_eq!(codes(&a, None), ["ALARM_ACTIONS_ENABLED_UNKNOWN"]);
    }
}

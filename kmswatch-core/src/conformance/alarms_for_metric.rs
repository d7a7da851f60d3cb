//! The alarms-by-metric behaviour: `DescribeAlarmsForMetric` finds the metric
//! alarms on exactly one metric, and nothing else.

use super::alarms::single_metric_alarm;
use super::fixture::{account_of, unique_name, Fixture};
use crate::model::{Alarm, Metric, MetricDataQuery, MetricStat};
use std::collections::BTreeMap;

/// The names of the alarms `describe_alarms_for_metric` answers, sorted.
async fn names_for(fixture: &dyn Fixture, region: &str, metric: &Metric) -> Vec<String> {
    let found = fixture
        .services()
        .alarms
        .describe_alarms_for_metric(region, metric)
        .await
        .expect("describe_alarms_for_metric");
    for alarm in &found {
        assert_eq!(alarm.metric.as_ref(), Some(metric), "{}", alarm.alarm_name);
    }
    let mut names: Vec<String> = found.into_iter().map(|a| a.alarm_name).collect();
    names.sort();
    names
}

/// Of a metric alarm on the metric, one on the same metric with a dimension,
/// a metric-math alarm reading it, one on another metric and one in another
/// region, only the first is an alarm on the metric.
pub async fn alarms_for_metric_are_exactly_its_metric_alarms(fixture: &dyn Fixture) {
    let account = account_of(fixture).await;
    let (region, other) = (fixture.region(), fixture.other_region());
    let prefix = unique_name("by-metric");
    let metric = Metric {
        namespace: prefix.clone(),
        metric_name: "KmsKeyEvents".into(),
        dimensions: BTreeMap::new(),
    };
    let with_dimension = Metric {
        dimensions: BTreeMap::from([("EventName".into(), "DisableKey".into())]),
        ..metric.clone()
    };
    let on = |region: &str, name: &str, metric: &Metric| Alarm {
        metric: Some(metric.clone()),
        ..single_metric_alarm(region, &account, &format!("{prefix}-{name}"))
    };
    let math = Alarm {
        metric: None,
        statistic: None,
        period: None,
        datapoints_to_alarm: None,
        unit: None,
        metrics: vec![MetricDataQuery {
            id: "m1".into(),
            expression: None,
            metric_stat: Some(MetricStat {
                metric: metric.clone(),
                period: 300,
                stat: "Sum".into(),
                unit: None,
            }),
            return_data: Some(true),
            account_id: None,
        }],
        ..single_metric_alarm(region, &account, &format!("{prefix}-math"))
    };
    let another = Metric {
        metric_name: "Other".into(),
        ..metric.clone()
    };
    let puts = [
        (region, on(region, "direct", &metric)),
        (region, on(region, "dimension", &with_dimension)),
        (region, math),
        (region, on(region, "another", &another)),
        (other, on(other, "elsewhere", &metric)),
    ];
    let alarms = fixture.services().alarms;
    for (region, alarm) in &puts {
        alarms
            .put_metric_alarm(region, alarm)
            .await
            .unwrap_or_else(|e| panic!("put_metric_alarm {}: {e}", alarm.alarm_name));
    }
    assert_eq!(
        names_for(fixture, region, &metric).await,
        vec![format!("{prefix}-direct")]
    );
    assert_eq!(
        names_for(fixture, region, &with_dimension).await,
        vec![format!("{prefix}-dimension")]
    );
    assert_eq!(
        names_for(fixture, other, &metric).await,
        vec![format!("{prefix}-elsewhere")]
    );
    let unused = Metric {
        metric_name: "Unused".into(),
        ..metric.clone()
    };
    assert_eq!(
        names_for(fixture, region, &unused).await,
        Vec::<String>::new()
    );
}

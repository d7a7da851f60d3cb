//! The alarm behaviours.

use super::fixture::{account_of, for_each, topic_arn, unique_name, Fixture};
use crate::model::{Alarm, Metric, MetricDataQuery, MetricStat};
use std::collections::BTreeMap;

/// A CIS 4.7 single-metric alarm with every field kmswatch models set.
pub(super) fn single_metric_alarm(region: &str, account: &str, name: &str) -> Alarm {
    Alarm {
        alarm_name: name.to_owned(),
        alarm_arn: format!("arn:aws:cloudwatch:{region}:{account}:alarm:{name}"),
        actions_enabled: Some(true),
        alarm_actions: vec![topic_arn(region, account, "kms-alerts")],
        ok_actions: vec![topic_arn(region, account, "kms-ok")],
        insufficient_data_actions: vec![topic_arn(region, account, "kms-data")],
        metric: Some(Metric {
            namespace: "CISBenchmark".into(),
            metric_name: "KMSKeyDisableOrScheduledDeletion".into(),
            dimensions: BTreeMap::from([("EventName".into(), "DisableKey".into())]),
        }),
        statistic: Some("Sum".into()),
        extended_statistic: None,
        period: Some(300),
        metrics: vec![],
        threshold: Some(1.0),
        comparison_operator: "GreaterThanOrEqualToThreshold".into(),
        evaluation_periods: 2,
        datapoints_to_alarm: Some(1),
        treat_missing_data: Some("notBreaching".into()),
        state_value: Some(NEW_ALARM_STATE.into()),
        state_updated_timestamp: None,
        unit: Some("Count".into()),
        alarm_description: Some("KMS key disabled or scheduled for deletion".into()),
        tags: BTreeMap::new(),
    }
}

/// The alarms whose names start with `prefix`, by name, each with its state
/// checked and then set to `INSUFFICIENT_DATA`: a new alarm starts there but
/// AWS may evaluate it to `OK` within seconds (moto starts at `OK`).
async fn alarms_named(fixture: &dyn Fixture, region: &str, prefix: &str) -> Vec<Alarm> {
    let mut alarms: Vec<Alarm> = fixture
        .services()
        .alarms
        .describe_alarms(region)
        .await
        .expect("describe_alarms")
        .into_iter()
        .filter(|a| a.alarm_name.starts_with(prefix))
        .collect();
    alarms.sort_by(|a, b| a.alarm_name.cmp(&b.alarm_name));
    for alarm in &mut alarms {
        let state = alarm.state_value.replace(NEW_ALARM_STATE.to_owned());
        assert!(
            matches!(state.as_deref(), Some("OK" | "ALARM" | "INSUFFICIENT_DATA")),
            "{}: state {state:?}",
            alarm.alarm_name
        );
        // When the state last changed is the service's clock, not the test's.
        alarm.state_updated_timestamp = None;
    }
    alarms
}

const NEW_ALARM_STATE: &str = "INSUFFICIENT_DATA";

/// Puts each alarm (tagged) and checks `describe_alarms` returns them as put:
/// ARN assigned, a state set, tags not read back.
async fn alarms_round_trip(fixture: &dyn Fixture, prefix: &str, expected: Vec<Alarm>) {
    let alarms = fixture.services().alarms;
    let region = fixture.region();
    for alarm in &expected {
        let tagged = Alarm {
            tags: BTreeMap::from([("managed-by".into(), "kmswatch".into())]),
            alarm_arn: String::new(),
            state_value: None,
            state_updated_timestamp: None,
            ..alarm.clone()
        };
        alarms
            .put_metric_alarm(region, &tagged)
            .await
            .unwrap_or_else(|e| panic!("put_metric_alarm {}: {e}", alarm.alarm_name));
    }
    assert_eq!(alarms_named(fixture, region, prefix).await, expected);
    assert_eq!(
        alarms_named(fixture, fixture.other_region(), prefix).await,
        vec![],
        "alarms are regional"
    );
}

/// A single-metric alarm — with a statistic, and with a percentile — comes back
/// from `describe_alarms` with every field `put_metric_alarm` set.
pub async fn single_metric_alarm_round_trip(fixture: &dyn Fixture) {
    let account = account_of(fixture).await;
    let region = fixture.region();
    let prefix = unique_name("single");
    let sum = single_metric_alarm(region, &account, &format!("{prefix}-a"));
    let percentile = Alarm {
        statistic: None,
        extended_statistic: Some("p99".into()),
        metric: Some(Metric {
            dimensions: BTreeMap::new(),
            ..sum.metric.clone().expect("metric")
        }),
        ok_actions: vec![],
        insufficient_data_actions: vec![],
        actions_enabled: Some(false),
        unit: None,
        alarm_description: None,
        threshold: Some(0.5),
        comparison_operator: "GreaterThanThreshold".into(),
        evaluation_periods: 1,
        datapoints_to_alarm: None,
        treat_missing_data: Some("breaching".into()),
        ..single_metric_alarm(region, &account, &format!("{prefix}-b"))
    };
    alarms_round_trip(fixture, &prefix, vec![sum, percentile]).await;
}

/// A metric-math alarm comes back with its queries (metric stats with their
/// unit and account, and expressions).
pub async fn metric_math_alarm_round_trip(fixture: &dyn Fixture) {
    let account = account_of(fixture).await;
    let region = fixture.region();
    let prefix = unique_name("math");
    let alarm = Alarm {
        metric: None,
        statistic: None,
        period: None,
        datapoints_to_alarm: None,
        metrics: vec![
            MetricDataQuery {
                id: "m1".into(),
                expression: None,
                metric_stat: Some(MetricStat {
                    metric: Metric {
                        namespace: "CISBenchmark".into(),
                        metric_name: "KMSKeyDisableOrScheduledDeletion".into(),
                        dimensions: BTreeMap::from([("EventName".into(), "DisableKey".into())]),
                    },
                    period: 300,
                    stat: "Sum".into(),
                    unit: Some("Count".into()),
                }),
                return_data: Some(false),
                account_id: Some(account.clone()),
            },
            MetricDataQuery {
                id: "e1".into(),
                expression: Some("FILL(m1, 0)".into()),
                metric_stat: None,
                return_data: Some(true),
                account_id: None,
            },
        ],
        unit: None,
        ..single_metric_alarm(region, &account, &format!("{prefix}-a"))
    };
    alarms_round_trip(fixture, &prefix, vec![alarm]).await;
}

/// Putting an alarm under an existing name replaces it.
pub async fn alarm_put_replaces(fixture: &dyn Fixture) {
    let account = account_of(fixture).await;
    let region = fixture.region();
    let prefix = unique_name("replace");
    let first = single_metric_alarm(region, &account, &prefix);
    let second = Alarm {
        threshold: Some(5.0),
        alarm_actions: vec![topic_arn(region, &account, "other")],
        ..first.clone()
    };
    let alarms = fixture.services().alarms;
    alarms
        .put_metric_alarm(region, &first)
        .await
        .expect("first put");
    alarms
        .put_metric_alarm(region, &second)
        .await
        .expect("second put");
    assert_eq!(alarms_named(fixture, region, &prefix).await, vec![second]);
}

/// More alarms than one `DescribeAlarms` page (100) are all returned, once.
pub async fn alarms_all_pages(fixture: &dyn Fixture) {
    const COUNT: usize = 105;
    let account = account_of(fixture).await;
    let region = fixture.region();
    let prefix = unique_name("page");
    let alarms = fixture.services().alarms;
    let alarm = |i: usize| single_metric_alarm(region, &account, &format!("{prefix}-{i:03}"));
    for_each(COUNT, |i| {
        let (alarms, alarm) = (alarms.clone(), alarm(i));
        async move {
            alarms
                .put_metric_alarm(region, &alarm)
                .await
                .unwrap_or_else(|e| panic!("put_metric_alarm {}: {e}", alarm.alarm_name))
        }
    })
    .await;
    let expected: Vec<_> = (0..COUNT).map(alarm).collect();
    assert_eq!(alarms_named(fixture, region, &prefix).await, expected);
}

/// `describe_alarms_named` returns exactly the metric alarms whose names
/// start with the prefix, in that region only.
pub async fn alarms_listed_by_name_prefix(fixture: &dyn Fixture) {
    let account = account_of(fixture).await;
    let region = fixture.region();
    let prefix = unique_name("named");
    let alarms = fixture.services().alarms;
    for name in ["a", "b", "other"] {
        let name = if name == "other" {
            format!("x-{prefix}")
        } else {
            format!("{prefix}-{name}")
        };
        let alarm = single_metric_alarm(region, &account, &name);
        alarms
            .put_metric_alarm(region, &alarm)
            .await
            .unwrap_or_else(|e| panic!("put_metric_alarm {name}: {e}"));
    }
    async fn names(alarms: &dyn crate::api::AlarmsApi, region: &str, prefix: &str) -> Vec<String> {
        let mut names: Vec<String> = alarms
            .describe_alarms_named(region, prefix)
            .await
            .unwrap_or_else(|e| panic!("describe_alarms_named {prefix}: {e}"))
            .into_iter()
            .map(|a| a.alarm_name)
            .collect();
        names.sort();
        names
    }
    let named = |region, prefix: String| {
        let alarms = alarms.clone();
        async move { names(alarms.as_ref(), region, &prefix).await }
    };
    assert_eq!(
        named(region, format!("{prefix}-")).await,
        [format!("{prefix}-a"), format!("{prefix}-b")]
    );
    assert_eq!(
        named(region, format!("{prefix}-b")).await,
        [format!("{prefix}-b")]
    );
    assert!(named(region, format!("{prefix}-c")).await.is_empty());
    assert!(
        named(fixture.other_region(), format!("{prefix}-"))
            .await
            .is_empty(),
        "alarms are regional"
    );
}

//! CloudWatch: `DescribeAlarms` and `PutMetricAlarm`.

use super::error::{required, Missing};
use super::AwsBackend;
use crate::api::{AlarmsApi, ApiResult};
use crate::model::{Alarm, CompositeAlarm, Metric, MetricDataQuery, MetricStat};
use crate::operation::Operation;
use async_trait::async_trait;
use aws_sdk_cloudwatch::operation::put_metric_alarm::builders::PutMetricAlarmFluentBuilder;
use aws_sdk_cloudwatch::types as sdk;
use std::collections::BTreeMap;

/// The largest `DescribeAlarms` page AWS serves.
const PAGE_SIZE: i32 = 100;

impl AwsBackend {
    /// `DescribeAlarms` for metric alarms (named `prefix…` when given),
    /// every page.
    async fn metric_alarms(&self, region: &str, prefix: Option<&str>) -> ApiResult<Vec<Alarm>> {
        let resource = prefix.map(crate::api::alarm_name_prefix_resource);
        let (client, call) = self.call(
            &self.cloudwatch,
            Operation::DescribeAlarms,
            region,
            resource.as_deref(),
        )?;
        let mut pages = client
            .describe_alarms()
            .alarm_types(sdk::AlarmType::MetricAlarm)
            .set_alarm_name_prefix(prefix.map(str::to_owned))
            .max_records(PAGE_SIZE)
            .into_paginator()
            .send();
        let mut alarms = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| call.sdk_error(e))?;
            for alarm in page.metric_alarms.unwrap_or_default() {
                alarms.push(alarm_from_sdk(alarm).map_err(|m| call.malformed(m))?);
            }
        }
        Ok(alarms)
    }
}

#[async_trait]
impl AlarmsApi for AwsBackend {
    /// `DescribeAlarms` for metric alarms, one request per 100 alarms.
    async fn describe_alarms(&self, region: &str) -> ApiResult<Vec<Alarm>> {
        self.metric_alarms(region, None).await
    }

    /// `DescribeAlarms` for metric alarms named `prefix…`, one request per 100.
    async fn describe_alarms_named(&self, region: &str, prefix: &str) -> ApiResult<Vec<Alarm>> {
        self.metric_alarms(region, Some(prefix)).await
    }

    /// One `PutMetricAlarm` request.
    async fn put_metric_alarm(&self, region: &str, alarm: &Alarm) -> ApiResult<()> {
        let (client, call) = self.call(
            &self.cloudwatch,
            Operation::PutMetricAlarm,
            region,
            Some(&alarm.alarm_name),
        )?;
        put_metric_alarm_request(client.put_metric_alarm(), alarm)
            .send()
            .await
            .map_err(|e| call.sdk_error(e))?;
        Ok(())
    }

    /// `DescribeAlarms` for composite alarms, one request per 100 alarms.
    async fn describe_composite_alarms(&self, region: &str) -> ApiResult<Vec<CompositeAlarm>> {
        self.composite_alarms(region).await
    }

    /// One `DescribeAlarmsForMetric` request (the operation has no pages).
    async fn describe_alarms_for_metric(
        &self,
        region: &str,
        metric: &Metric,
    ) -> ApiResult<Vec<Alarm>> {
        self.alarms_for_metric(region, metric).await
    }
}

fn dimensions_from_sdk(dimensions: Option<Vec<sdk::Dimension>>) -> BTreeMap<String, String> {
    dimensions
        .unwrap_or_default()
        .into_iter()
        .filter_map(|d| Some((d.name?, d.value?)))
        .collect()
}

pub(crate) fn dimensions_to_sdk(
    dimensions: &BTreeMap<String, String>,
) -> Option<Vec<sdk::Dimension>> {
    (!dimensions.is_empty()).then(|| {
        dimensions
            .iter()
            .map(|(name, value)| sdk::Dimension::builder().name(name).value(value).build())
            .collect()
    })
}

fn metric_from_sdk(
    namespace: Option<String>,
    metric_name: Option<String>,
    dimensions: Option<Vec<sdk::Dimension>>,
) -> Option<Metric> {
    Some(Metric {
        namespace: namespace?,
        metric_name: metric_name?,
        dimensions: dimensions_from_sdk(dimensions),
    })
}

fn metric_to_sdk(metric: &Metric) -> sdk::Metric {
    sdk::Metric::builder()
        .namespace(&metric.namespace)
        .metric_name(&metric.metric_name)
        .set_dimensions(dimensions_to_sdk(&metric.dimensions))
        .build()
}

fn query_from_sdk(query: sdk::MetricDataQuery) -> Result<MetricDataQuery, Missing> {
    let metric_stat = match query.metric_stat {
        None => None,
        Some(stat) => {
            let metric = required(stat.metric, "MetricStat.Metric")?;
            Some(MetricStat {
                metric: required(
                    metric_from_sdk(metric.namespace, metric.metric_name, metric.dimensions),
                    "MetricStat.Metric.MetricName",
                )?,
                period: required(stat.period, "MetricStat.Period")?,
                stat: required(stat.stat, "MetricStat.Stat")?,
                unit: stat.unit.map(|u| u.as_str().to_owned()),
            })
        }
    };
    Ok(MetricDataQuery {
        id: required(query.id, "MetricDataQuery.Id")?,
        expression: query.expression,
        metric_stat,
        return_data: query.return_data,
        account_id: query.account_id.filter(|a| !a.is_empty()),
    })
}

fn query_to_sdk(query: &MetricDataQuery) -> sdk::MetricDataQuery {
    sdk::MetricDataQuery::builder()
        .id(&query.id)
        .set_expression(query.expression.clone())
        .set_metric_stat(query.metric_stat.as_ref().map(|s| {
            sdk::MetricStat::builder()
                .metric(metric_to_sdk(&s.metric))
                .period(s.period)
                .stat(&s.stat)
                .set_unit(s.unit.as_deref().map(sdk::StandardUnit::from))
                .build()
        }))
        .set_return_data(query.return_data)
        .set_account_id(query.account_id.clone())
        .build()
}

/// A metric alarm from `DescribeAlarms` (tags are not read back).
/// An SDK timestamp as RFC 3339 (what the facts keep).
pub(crate) fn rfc3339(time: aws_smithy_types::DateTime) -> Option<String> {
    time.fmt(aws_smithy_types::date_time::Format::DateTime).ok()
}

pub(crate) fn alarm_from_sdk(alarm: sdk::MetricAlarm) -> Result<Alarm, Missing> {
    Ok(Alarm {
        alarm_name: required(alarm.alarm_name, "AlarmName")?,
        alarm_arn: required(alarm.alarm_arn, "AlarmArn")?,
        actions_enabled: alarm.actions_enabled,
        alarm_actions: alarm.alarm_actions.unwrap_or_default(),
        ok_actions: alarm.ok_actions.unwrap_or_default(),
        insufficient_data_actions: alarm.insufficient_data_actions.unwrap_or_default(),
        metric: metric_from_sdk(alarm.namespace, alarm.metric_name, alarm.dimensions),
        statistic: alarm.statistic.map(|s| s.as_str().to_owned()),
        extended_statistic: alarm.extended_statistic,
        period: alarm.period,
        metrics: alarm
            .metrics
            .unwrap_or_default()
            .into_iter()
            .map(query_from_sdk)
            .collect::<Result<_, _>>()?,
        threshold: alarm.threshold,
        comparison_operator: required(alarm.comparison_operator, "ComparisonOperator")?
            .as_str()
            .to_owned(),
        evaluation_periods: required(alarm.evaluation_periods, "EvaluationPeriods")?,
        datapoints_to_alarm: alarm.datapoints_to_alarm,
        treat_missing_data: alarm.treat_missing_data,
        state_value: alarm.state_value.map(|s| s.as_str().to_owned()),
        state_updated_timestamp: alarm.state_updated_timestamp.and_then(rfc3339),
        unit: alarm.unit.map(|u| u.as_str().to_owned()),
        alarm_description: alarm.alarm_description.filter(|d| !d.is_empty()),
        tags: BTreeMap::new(),
    })
}

fn non_empty(values: &[String]) -> Option<Vec<String>> {
    (!values.is_empty()).then(|| values.to_vec())
}

/// Fills a `PutMetricAlarm` request from an alarm; its ARN and state are AWS's
/// to decide and are not sent.
pub(crate) fn put_metric_alarm_request(
    request: PutMetricAlarmFluentBuilder,
    alarm: &Alarm,
) -> PutMetricAlarmFluentBuilder {
    let metric = alarm.metric.as_ref();
    request
        .alarm_name(&alarm.alarm_name)
        .set_actions_enabled(alarm.actions_enabled)
        .set_unit(alarm.unit.as_deref().map(sdk::StandardUnit::from))
        .set_alarm_description(alarm.alarm_description.clone())
        .set_alarm_actions(non_empty(&alarm.alarm_actions))
        .set_ok_actions(non_empty(&alarm.ok_actions))
        .set_insufficient_data_actions(non_empty(&alarm.insufficient_data_actions))
        .set_namespace(metric.map(|m| m.namespace.clone()))
        .set_metric_name(metric.map(|m| m.metric_name.clone()))
        .set_dimensions(metric.and_then(|m| dimensions_to_sdk(&m.dimensions)))
        .set_statistic(alarm.statistic.as_deref().map(sdk::Statistic::from))
        .set_extended_statistic(alarm.extended_statistic.clone())
        .set_period(alarm.period)
        .set_metrics(
            (!alarm.metrics.is_empty()).then(|| alarm.metrics.iter().map(query_to_sdk).collect()),
        )
        .set_threshold(alarm.threshold)
        .comparison_operator(sdk::ComparisonOperator::from(
            alarm.comparison_operator.as_str(),
        ))
        .evaluation_periods(alarm.evaluation_periods)
        .set_datapoints_to_alarm(alarm.datapoints_to_alarm)
        .set_treat_missing_data(alarm.treat_missing_data.clone())
        .set_tags((!alarm.tags.is_empty()).then(|| {
            alarm
                .tags
                .iter()
                .map(|(key, value)| sdk::Tag::builder().key(key).value(value).build())
                .collect()
        }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_cloudwatch::operation::put_metric_alarm::PutMetricAlarmInput;

    fn client() -> aws_sdk_cloudwatch::Client {
        let config = aws_sdk_cloudwatch::Config::builder()
            .region(aws_sdk_cloudwatch::config::Region::new("us-east-1"))
            .build();
        aws_sdk_cloudwatch::Client::from_conf(config)
    }

    const ARN: &str = "arn:aws:cloudwatch:us-east-1:111122223333:alarm:kms";

    fn single_metric() -> Alarm {
        Alarm {
            alarm_name: "kms".into(),
            alarm_arn: ARN.into(),
            actions_enabled: Some(true),
            alarm_actions: vec!["arn:aws:sns:us-east-1:111122223333:alerts".into()],
            ok_actions: vec!["arn:aws:sns:us-east-1:111122223333:ok".into()],
            insufficient_data_actions: vec![],
            metric: Some(Metric {
                namespace: "CIS".into(),
                metric_name: "KmsKeyDisabled".into(),
                dimensions: BTreeMap::from([("Source".into(), "kms".into())]),
            }),
            statistic: Some("Sum".into()),
            extended_statistic: None,
            period: Some(300),
            metrics: vec![],
            threshold: Some(1.0),
            comparison_operator: "GreaterThanOrEqualToThreshold".into(),
            evaluation_periods: 1,
            datapoints_to_alarm: Some(1),
            treat_missing_data: Some("notBreaching".into()),
            state_value: Some("OK".into()),
            state_updated_timestamp: None,
            unit: Some("Count".into()),
            alarm_description: Some("KMS key disabled or scheduled for deletion".into()),
            tags: BTreeMap::from([("owner".into(), "kmswatch".into())]),
        }
    }

    fn metric_math() -> Alarm {
        Alarm {
            metric: None,
            statistic: None,
            period: None,
            datapoints_to_alarm: None,
            treat_missing_data: None,
            unit: None,
            metrics: vec![
                MetricDataQuery {
                    id: "m1".into(),
                    expression: None,
                    metric_stat: Some(MetricStat {
                        metric: Metric {
                            namespace: "CIS".into(),
                            metric_name: "KmsKeyDisabled".into(),
                            dimensions: BTreeMap::new(),
                        },
                        period: 60,
                        stat: "p99".into(),
                        unit: Some("Bytes".into()),
                    }),
                    return_data: Some(false),
                    account_id: Some("444455556666".into()),
                },
                MetricDataQuery {
                    id: "e1".into(),
                    expression: Some("FILL(m1, 0)".into()),
                    metric_stat: None,
                    return_data: Some(true),
                    account_id: None,
                },
            ],
            tags: BTreeMap::new(),
            ..single_metric()
        }
    }

    /// What DescribeAlarms would answer for what PutMetricAlarm sent.
    fn described(input: &PutMetricAlarmInput, alarm: &Alarm) -> sdk::MetricAlarm {
        sdk::MetricAlarm::builder()
            .set_alarm_name(input.alarm_name.clone())
            .alarm_arn(ARN)
            .set_actions_enabled(input.actions_enabled)
            .set_alarm_actions(input.alarm_actions.clone())
            .set_ok_actions(input.ok_actions.clone())
            .set_insufficient_data_actions(input.insufficient_data_actions.clone())
            .set_namespace(input.namespace.clone())
            .set_metric_name(input.metric_name.clone())
            .set_dimensions(input.dimensions.clone())
            .set_statistic(input.statistic.clone())
            .set_extended_statistic(input.extended_statistic.clone())
            .set_period(input.period)
            .set_metrics(input.metrics.clone())
            .set_threshold(input.threshold)
            .set_comparison_operator(input.comparison_operator.clone())
            .set_evaluation_periods(input.evaluation_periods)
            .set_datapoints_to_alarm(input.datapoints_to_alarm)
            .set_treat_missing_data(input.treat_missing_data.clone())
            .set_state_value(alarm.state_value.as_deref().map(sdk::StateValue::from))
            .set_unit(input.unit.clone())
            .set_alarm_description(input.alarm_description.clone())
            .build()
    }

    #[test]
    fn alarms_round_trip_through_the_request() {
        for alarm in [single_metric(), metric_math()] {
            let request = put_metric_alarm_request(client().put_metric_alarm(), &alarm);
            let input = request.as_input().clone().build().unwrap();
            let back = alarm_from_sdk(described(&input, &alarm)).unwrap();
            assert_eq!(
                back,
                Alarm {
                    tags: BTreeMap::new(),
                    ..alarm.clone()
                }
            );
            let tags: BTreeMap<_, _> = input
                .tags
                .unwrap_or_default()
                .into_iter()
                .map(|t| (t.key.unwrap(), t.value.unwrap()))
                .collect();
            assert_eq!(tags, alarm.tags);
        }
    }

    #[test]
    fn single_metric_requests_send_no_queries_and_vice_versa() {
        let input = put_metric_alarm_request(client().put_metric_alarm(), &single_metric())
            .as_input()
            .clone()
            .build()
            .unwrap();
        assert_eq!(input.metrics, None);
        assert_eq!(input.insufficient_data_actions, None);
        let input = put_metric_alarm_request(client().put_metric_alarm(), &metric_math())
            .as_input()
            .clone()
            .build()
            .unwrap();
        assert_eq!(
            (input.namespace, input.statistic, input.period),
            (None, None, None)
        );
        assert_eq!(input.metrics.map(|m| m.len()), Some(2));
    }

    #[test]
    fn described_alarms_need_their_identity() {
        let bare = sdk::MetricAlarm::builder()
            .alarm_name("a")
            .alarm_arn(ARN)
            .comparison_operator(sdk::ComparisonOperator::LessThanThreshold)
            .evaluation_periods(3)
            .build();
        let alarm = alarm_from_sdk(bare).unwrap();
        assert_eq!(alarm.actions_enabled, None, "unknown, not enabled");
        assert_eq!(alarm.unit, None);
        assert_eq!(alarm.metric, None);
        assert_eq!(alarm.comparison_operator, "LessThanThreshold");
        let nameless = sdk::MetricAlarm::builder().alarm_arn(ARN).build();
        assert_eq!(alarm_from_sdk(nameless), Err(Missing("AlarmName")));
        let query = sdk::MetricDataQuery::builder()
            .id("m1")
            .metric_stat(sdk::MetricStat::builder().period(60).stat("Sum").build())
            .build();
        assert_eq!(query_from_sdk(query), Err(Missing("MetricStat.Metric")));
    }
}

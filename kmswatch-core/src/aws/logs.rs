//! CloudWatch Logs: `DescribeLogGroups`, `DescribeMetricFilters`, `PutMetricFilter`.

use super::error::{required, Missing};
use super::AwsBackend;
use crate::api::{ApiResult, LogsApi};
use crate::model::{normalize_log_group_arn, LogGroup, MetricFilter, MetricTransformation};
use crate::operation::Operation;
use async_trait::async_trait;
use aws_sdk_cloudwatchlogs::error::BuildError;
use aws_sdk_cloudwatchlogs::operation::put_metric_filter::builders::PutMetricFilterFluentBuilder;
use aws_sdk_cloudwatchlogs::types as sdk;

/// `DescribeLogGroups` and `DescribeMetricFilters` pages hold at most 50 entries.
const PAGE_SIZE: i32 = 50;

#[async_trait]
impl LogsApi for AwsBackend {
    /// `DescribeLogGroups` by name prefix, page after page until the exact name
    /// shows up (names sort, so usually one request).
    async fn describe_log_group(&self, region: &str, name: &str) -> ApiResult<Option<LogGroup>> {
        let (client, call) =
            self.call(&self.logs, Operation::DescribeLogGroups, region, Some(name))?;
        let mut pages = client
            .describe_log_groups()
            .log_group_name_prefix(name)
            .limit(PAGE_SIZE)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| call.sdk_error(e))?;
            for group in page.log_groups.unwrap_or_default() {
                if group.log_group_name.as_deref() == Some(name) {
                    return log_group_from_sdk(group)
                        .map(Some)
                        .map_err(|m| call.malformed(m));
                }
            }
        }
        Ok(None)
    }

    /// `DescribeMetricFilters`, one request per 50 filters.
    async fn describe_metric_filters(
        &self,
        region: &str,
        log_group_name: &str,
    ) -> ApiResult<Vec<MetricFilter>> {
        let (client, call) = self.call(
            &self.logs,
            Operation::DescribeMetricFilters,
            region,
            Some(log_group_name),
        )?;
        let filters = client
            .describe_metric_filters()
            .log_group_name(log_group_name)
            .limit(PAGE_SIZE)
            .into_paginator()
            .items()
            .send()
            .try_collect()
            .await
            .map_err(|e| call.sdk_error(e))?;
        filters
            .into_iter()
            .map(|f| metric_filter_from_sdk(f, log_group_name))
            .collect::<Result<_, _>>()
            .map_err(|m| call.malformed(m))
    }

    /// One `PutMetricFilter` request.
    async fn put_metric_filter(&self, region: &str, filter: &MetricFilter) -> ApiResult<()> {
        let resource = format!("{}/{}", filter.log_group_name, filter.filter_name);
        let (client, call) = self.call(
            &self.logs,
            Operation::PutMetricFilter,
            region,
            Some(&resource),
        )?;
        put_metric_filter_request(client.put_metric_filter(), filter)
            .map_err(|e| call.invalid("InvalidParameterException", e.to_string()))?
            .send()
            .await
            .map_err(|e| call.sdk_error(e))?;
        Ok(())
    }
}

/// A log group; its ARN without the `:*` that `arn` carries.
pub(crate) fn log_group_from_sdk(group: sdk::LogGroup) -> Result<LogGroup, Missing> {
    let arn = match group.log_group_arn {
        Some(arn) => arn,
        None => normalize_log_group_arn(&required(group.arn, "arn")?).to_owned(),
    };
    Ok(LogGroup {
        log_group_name: required(group.log_group_name, "logGroupName")?,
        arn,
    })
}

/// A metric filter; `log_group_name` is the group asked about, used when the
/// answer leaves it out.
pub(crate) fn metric_filter_from_sdk(
    filter: sdk::MetricFilter,
    log_group_name: &str,
) -> Result<MetricFilter, Missing> {
    Ok(MetricFilter {
        filter_name: required(filter.filter_name, "filterName")?,
        log_group_name: filter
            .log_group_name
            .unwrap_or_else(|| log_group_name.to_owned()),
        // A missing pattern is not the empty pattern (which matches every event).
        filter_pattern: required(filter.filter_pattern, "filterPattern")?,
        metric_transformations: filter
            .metric_transformations
            .unwrap_or_default()
            .into_iter()
            .map(|t| MetricTransformation {
                metric_name: t.metric_name,
                metric_namespace: t.metric_namespace,
                metric_value: t.metric_value,
                default_value: t.default_value,
                dimensions: t.dimensions.unwrap_or_default().into_iter().collect(),
                unit: t.unit.map(|u| u.as_str().to_owned()),
            })
            .collect(),
        // AWS answers false by default: recorded only when true.
        apply_on_transformed_logs: filter.apply_on_transformed_logs.then_some(true),
    })
}

/// Fills a `PutMetricFilter` request from a filter.
pub(crate) fn put_metric_filter_request(
    request: PutMetricFilterFluentBuilder,
    filter: &MetricFilter,
) -> Result<PutMetricFilterFluentBuilder, BuildError> {
    let transformations = filter
        .metric_transformations
        .iter()
        .map(|t| {
            sdk::MetricTransformation::builder()
                .metric_name(&t.metric_name)
                .metric_namespace(&t.metric_namespace)
                .metric_value(&t.metric_value)
                .set_default_value(t.default_value)
                .set_dimensions(
                    (!t.dimensions.is_empty()).then(|| t.dimensions.clone().into_iter().collect()),
                )
                .set_unit(t.unit.as_deref().map(sdk::StandardUnit::from))
                .build()
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(request
        .log_group_name(&filter.log_group_name)
        .filter_name(&filter.filter_name)
        .filter_pattern(&filter.filter_pattern)
        .set_metric_transformations(Some(transformations))
        .set_apply_on_transformed_logs(filter.apply_on_transformed_logs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn client() -> aws_sdk_cloudwatchlogs::Client {
        let config = aws_sdk_cloudwatchlogs::Config::builder()
            .region(aws_sdk_cloudwatchlogs::config::Region::new("us-east-1"))
            .build();
        aws_sdk_cloudwatchlogs::Client::from_conf(config)
    }

    fn filter() -> MetricFilter {
        MetricFilter::new(
            "kms",
            "ct",
            "{ ($.eventSource = kms.amazonaws.com) }",
            vec![MetricTransformation {
                metric_name: "KmsKeyDisabled".into(),
                metric_namespace: "CIS".into(),
                metric_value: "1".into(),
                default_value: None,
                dimensions: BTreeMap::from([("Source".into(), "$.eventSource".into())]),
                unit: Some("Count".into()),
            }],
        )
    }

    #[test]
    fn log_groups() {
        let group = sdk::LogGroup::builder()
            .log_group_name("ct")
            .arn("arn:aws:logs:us-east-1:111122223333:log-group:ct:*")
            .build();
        assert_eq!(
            log_group_from_sdk(group).unwrap(),
            LogGroup {
                log_group_name: "ct".into(),
                arn: "arn:aws:logs:us-east-1:111122223333:log-group:ct".into(),
            }
        );
        let group = sdk::LogGroup::builder()
            .log_group_name("ct")
            .arn("arn:aws:logs:us-east-1:111122223333:log-group:ct:*")
            .log_group_arn("arn:aws:logs:us-east-1:111122223333:log-group:ct")
            .build();
        assert_eq!(
            log_group_from_sdk(group).unwrap().arn,
            "arn:aws:logs:us-east-1:111122223333:log-group:ct"
        );
        let group = sdk::LogGroup::builder().log_group_name("ct").build();
        assert_eq!(log_group_from_sdk(group), Err(Missing("arn")));
    }

    #[test]
    fn metric_filters_round_trip_through_the_request() {
        let request = put_metric_filter_request(client().put_metric_filter(), &filter()).unwrap();
        let input = request.as_input();
        assert_eq!(input.get_log_group_name().as_deref(), Some("ct"));
        assert_eq!(input.get_filter_name().as_deref(), Some("kms"));
        // What PutMetricFilter sends is what DescribeMetricFilters returns.
        let described = sdk::MetricFilter::builder()
            .filter_name("kms")
            .log_group_name("ct")
            .set_filter_pattern(input.get_filter_pattern().clone())
            .set_metric_transformations(input.get_metric_transformations().clone())
            .build();
        assert_eq!(metric_filter_from_sdk(described, "ct").unwrap(), filter());
    }

    #[test]
    fn default_values_and_missing_group_name() {
        let mut with_default = filter();
        with_default.metric_transformations[0].dimensions.clear();
        with_default.metric_transformations[0].default_value = Some(0.0);
        with_default.metric_transformations[0].unit = None;
        let request =
            put_metric_filter_request(client().put_metric_filter(), &with_default).unwrap();
        let sent = request
            .as_input()
            .get_metric_transformations()
            .clone()
            .unwrap();
        assert_eq!(sent[0].default_value, Some(0.0));
        assert_eq!(sent[0].dimensions, None);
        assert_eq!(sent[0].unit, None);
        let described = sdk::MetricFilter::builder()
            .filter_name("kms")
            .set_filter_pattern(Some(with_default.filter_pattern.clone()))
            .set_metric_transformations(Some(sent))
            .build();
        assert_eq!(
            metric_filter_from_sdk(described, "ct").unwrap(),
            with_default
        );
        let nameless = sdk::MetricFilter::builder().build();
        assert_eq!(
            metric_filter_from_sdk(nameless, "ct"),
            Err(Missing("filterName"))
        );
    }
}

//! CloudWatch Logs.

use super::call::Call;
use super::forward::service_impls;
use crate::api_error::ApiResult;
use crate::model::{LogGroup, MetricFilter};
use crate::operation::Operation;
use async_trait::async_trait;

/// CloudWatch Logs.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait LogsApi: Send + Sync {
    /// The log group named exactly `name` in `region` of the caller's account,
    /// or `None` when there is none.
    async fn describe_log_group(&self, region: &str, name: &str) -> ApiResult<Option<LogGroup>>;
    /// Every metric filter of a log group (all pages).
    async fn describe_metric_filters(
        &self,
        region: &str,
        log_group_name: &str,
    ) -> ApiResult<Vec<MetricFilter>>;
    /// `PutMetricFilter`: creates or replaces the filter of that name.
    async fn put_metric_filter(&self, region: &str, filter: &MetricFilter) -> ApiResult<()>;
}
/// A metric filter as the resource of a call: `LOG_GROUP/FILTER`.
fn filter_resource(filter: &MetricFilter) -> String {
    format!("{}/{}", filter.log_group_name, filter.filter_name)
}

service_impls! {
    LogsApi;
    answers {
        fn describe_log_group(region: &str, name: &str) -> Option<LogGroup> =
            Call::read(Operation::DescribeLogGroups, region, Some(name));
        fn describe_metric_filters(region: &str, log_group_name: &str) -> Vec<MetricFilter> =
            Call::read(Operation::DescribeMetricFilters, region, Some(log_group_name));
    }
    no_answer {
        // A dynamic backend's error names the filter, not only its log group.
        fn put_metric_filter(region: &str, filter: &MetricFilter) =
            Call::write(Operation::PutMetricFilter, region, &filter.log_group_name),
            dynamic: Call::write(Operation::PutMetricFilter, region, &filter_resource(filter));
    }
}

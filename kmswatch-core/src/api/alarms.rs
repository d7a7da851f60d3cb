//! CloudWatch alarms.

use super::call::Call;
use super::forward::service_impls;
use crate::api_error::ApiResult;
use crate::api_error::{alarm_name_prefix_resource, metric_resource, COMPOSITE_ALARMS};
use crate::model::{Alarm, CompositeAlarm, Metric};
use crate::operation::Operation;
use async_trait::async_trait;

/// CloudWatch alarms.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait AlarmsApi: Send + Sync {
    /// Every metric alarm in `region` (all pages).
    async fn describe_alarms(&self, region: &str) -> ApiResult<Vec<Alarm>>;
    /// The metric alarms in `region` whose names start with `prefix`
    /// (`DescribeAlarms` with `AlarmNamePrefix`, all pages): whether a name
    /// is taken, without paging through every alarm. A backend without the
    /// narrow listing (a dynamic one) answers from [`AlarmsApi::describe_alarms`].
    async fn describe_alarms_named(&self, region: &str, prefix: &str) -> ApiResult<Vec<Alarm>> {
        let mut alarms = self.describe_alarms(region).await?;
        alarms.retain(|a| a.alarm_name.starts_with(prefix));
        Ok(alarms)
    }
    /// `PutMetricAlarm`: creates or replaces the alarm of that name (tags included).
    async fn put_metric_alarm(&self, region: &str, alarm: &Alarm) -> ApiResult<()>;
    /// Every composite alarm in `region` (`DescribeAlarms` with
    /// `AlarmTypes` `CompositeAlarm`, all pages).
    async fn describe_composite_alarms(&self, region: &str) -> ApiResult<Vec<CompositeAlarm>>;
    /// `DescribeAlarmsForMetric` in `region`: the metric alarms on exactly
    /// `metric` (namespace, name and dimensions), in one request. Metric-math
    /// and composite alarms that read the metric are not among them.
    async fn describe_alarms_for_metric(
        &self,
        region: &str,
        metric: &Metric,
    ) -> ApiResult<Vec<Alarm>>;
}

service_impls! {
    AlarmsApi;
    answers {
        fn describe_alarms(region: &str) -> Vec<Alarm> =
            Call::read(Operation::DescribeAlarms, region, None);
        fn describe_composite_alarms(region: &str) -> Vec<CompositeAlarm> =
            Call::read(Operation::DescribeAlarms, region, Some(COMPOSITE_ALARMS));
        fn describe_alarms_for_metric(region: &str, metric: &Metric) -> Vec<Alarm> =
            Call::read(Operation::DescribeAlarmsForMetric, region, Some(&metric_resource(metric)));
    }
    no_answer {
        fn put_metric_alarm(region: &str, alarm: &Alarm) =
            Call::write(Operation::PutMetricAlarm, region, &alarm.alarm_name);
    }
    defaulted {
        fn describe_alarms_named(region: &str, prefix: &str) -> Vec<Alarm> =
            Call::read(Operation::DescribeAlarms, region, Some(&alarm_name_prefix_resource(prefix)));
    }
}

//! CloudWatch alarms.

use super::call::Call;
use super::error::ApiResult;
use super::forward::service_impls;
use crate::model::{Alarm, CompositeAlarm, Metric};
use crate::operation::Operation;
use async_trait::async_trait;

/// The resource a composite-alarm `DescribeAlarms` call is about (errors and
/// layers tell it from the metric-alarm call of the same region by it).
pub const COMPOSITE_ALARMS: &str = "AlarmTypes=CompositeAlarm";

/// The resource of a `DescribeAlarms` listing by name prefix, as errors name
/// it: `AlarmNamePrefix=<prefix>`.
pub fn alarm_name_prefix_resource(prefix: &str) -> String {
    format!("AlarmNamePrefix={prefix}")
}

/// The resource a `DescribeAlarmsForMetric` call is about: the metric, as
/// `namespace/name` followed by its dimensions (`[Name=Value,...]`) when it has any.
///
/// ```
/// use kmswatch_core::api::metric_resource;
/// use kmswatch_core::model::Metric;
/// let metric = Metric { namespace: "CIS".into(), metric_name: "KmsKeyDisabled".into(), dimensions: Default::default() };
/// assert_eq!(metric_resource(&metric), "CIS/KmsKeyDisabled");
/// ```
pub fn metric_resource(metric: &Metric) -> String {
    let mut out = format!("{}/{}", metric.namespace, metric.metric_name);
    if !metric.dimensions.is_empty() {
        let dimensions: Vec<String> = metric
            .dimensions
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        out.push_str(&format!("[{}]", dimensions.join(",")));
    }
    out
}

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

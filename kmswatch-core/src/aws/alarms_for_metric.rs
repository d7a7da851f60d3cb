//! CloudWatch `DescribeAlarmsForMetric`: the metric alarms on one metric, in
//! one request, whatever the number of other alarms in the region.

use super::alarms::{alarm_from_sdk, dimensions_to_sdk};
use super::AwsBackend;
use crate::api::{metric_resource, ApiResult};
use crate::model::{Alarm, Metric};
use crate::operation::Operation;

impl AwsBackend {
    /// The metric alarms on exactly `metric` in `region`. CloudWatch matches
    /// the dimensions as given, and may answer alarms on the same name with
    /// other dimensions: only those on exactly `metric` are kept.
    pub(crate) async fn alarms_for_metric(
        &self,
        region: &str,
        metric: &Metric,
    ) -> ApiResult<Vec<Alarm>> {
        let resource = metric_resource(metric);
        let (client, call) = self.call(
            &self.cloudwatch,
            Operation::DescribeAlarmsForMetric,
            region,
            Some(&resource),
        )?;
        let answer = client
            .describe_alarms_for_metric()
            .namespace(&metric.namespace)
            .metric_name(&metric.metric_name)
            .set_dimensions(dimensions_to_sdk(&metric.dimensions))
            .send()
            .await
            .map_err(|e| call.sdk_error(e))?;
        let mut alarms = Vec::new();
        for alarm in answer.metric_alarms.unwrap_or_default() {
            let alarm = alarm_from_sdk(alarm).map_err(|m| call.malformed(m))?;
            if alarm.metric.as_ref() == Some(metric) {
                alarms.push(alarm);
            }
        }
        Ok(alarms)
    }
}

//! The in-memory answers that depend on how a region's alarms were read: a
//! region read by metric ([`MetricAlarms::ByMetric`]) answers
//! `DescribeAlarmsForMetric` for those metrics only, and no full listing.

use super::state::{Account, MetricAlarms};
use crate::api::{metric_resource, ApiError, ApiErrorKind, ApiResult};
use crate::model::{Alarm, Metric};
use crate::operation::Operation;

/// What the account does not know: unknown, never "none".
fn not_recorded(operation: Operation, region: &str, what: &str) -> ApiError {
    ApiError::new(
        operation,
        ApiErrorKind::Other,
        "AlarmsNotRecorded",
        format!("the snapshot this account was loaded from does not record {what}"),
    )
    .in_region(region)
}

/// `DescribeAlarmsForMetric`: the metric alarms on exactly `metric`, computed
/// from the region's alarms.
pub(super) fn alarms_for_metric(
    account: &Account,
    region: &str,
    metric: &Metric,
) -> ApiResult<Vec<Alarm>> {
    let Some(r) = account.alarm_region(region) else {
        return Ok(Vec::new());
    };
    if !r.metric_alarms.knows_alarms_on(metric) {
        return Err(not_recorded(
            Operation::DescribeAlarmsForMetric,
            region,
            &format!("the region's alarms on {}", metric_resource(metric)),
        )
        .about(&metric_resource(metric)));
    }
    Ok(r.metric_alarms
        .known()
        .into_iter()
        .flatten()
        .filter(|a| a.metric.as_ref() == Some(metric))
        .cloned()
        .collect())
}

/// `DescribeAlarms` (metric alarms): refused where only some metrics' alarms
/// were read.
pub(super) fn listing(account: &Account, region: &str) -> ApiResult<Vec<Alarm>> {
    match account.alarm_region(region).map(|r| &r.metric_alarms) {
        Some(MetricAlarms::ByMetric { .. }) => Err(not_recorded(
            Operation::DescribeAlarms,
            region,
            "the region's full list of alarms, only the alarms on some metrics",
        )),
        Some(MetricAlarms::Listed(alarms)) => Ok(alarms.clone()),
        Some(MetricAlarms::NotRead) | None => Ok(Vec::new()),
    }
}

/// `DescribeAlarms` with `AlarmNamePrefix`: refused where the region's alarms
/// named so were not all read.
pub(super) fn named(account: &Account, region: &str, prefix: &str) -> ApiResult<Vec<Alarm>> {
    match account.alarm_region(region) {
        None => Ok(Vec::new()),
        Some(r) => r.metric_alarms.named(prefix).ok_or_else(|| {
            not_recorded(
                Operation::DescribeAlarms,
                region,
                &format!("the alarms named {prefix}…, only the alarms on some metrics"),
            )
        }),
    }
}

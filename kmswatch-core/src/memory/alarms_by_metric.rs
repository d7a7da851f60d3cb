//! The in-memory answers that depend on how a region's alarms were read: a
//! region read by metric (see [`RegionAlarms::by_metric`]) answers
//! `DescribeAlarmsForMetric` for those metrics only, and no full listing.

use crate::api::{metric_resource, ApiError, ApiErrorKind, ApiResult};
use crate::check::facts::{Facts, RegionAlarms};
use crate::model::{Alarm, Metric};
use crate::operation::Operation;

/// What the facts say was not read: unknown, never "none".
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
    state: &Facts,
    region: &str,
    metric: &Metric,
) -> ApiResult<Vec<Alarm>> {
    let Some(r) = state.region_alarms(region) else {
        return Ok(Vec::new());
    };
    if !r.read_alarms_on(metric) {
        return Err(not_recorded(
            Operation::DescribeAlarmsForMetric,
            region,
            &format!("the region's alarms on {}", metric_resource(metric)),
        )
        .about(&metric_resource(metric)));
    }
    Ok(r.alarms
        .iter()
        .flatten()
        .filter(|a| a.metric.as_ref() == Some(metric))
        .cloned()
        .collect())
}

/// `DescribeAlarms` (metric alarms): refused where only some metrics' alarms
/// were read.
pub(super) fn listing(state: &Facts, region: &str) -> ApiResult<Vec<Alarm>> {
    match state.region_alarms(region) {
        Some(r) if r.by_metric.is_some() => Err(not_recorded(
            Operation::DescribeAlarms,
            region,
            "the region's full list of alarms, only the alarms on some metrics",
        )),
        Some(r) => Ok(r.alarms.clone().unwrap_or_default()),
        None => Ok(Vec::new()),
    }
}

/// After a put of `alarm` into a region read by metric, the alarms on its
/// metric are known as far as the verdict goes: the new alarm is among them.
pub(super) fn note_put(region: &mut RegionAlarms, alarm: &Alarm) {
    if let (Some(metrics), Some(metric)) = (region.by_metric.as_mut(), alarm.metric.as_ref()) {
        if !metrics.contains(metric) {
            metrics.push(metric.clone());
        }
    }
}

//! Alarms read by metric: `DescribeAlarmsForMetric` finds the metric alarms on
//! one metric, not the metric-math alarms that read it. Where a region's
//! alarms were read that way ([`RegionAlarms::by_metric`]) and no alarm found
//! completes the chain, an alarm that was not read might: the alarms are
//! unknown, never missing.

use super::unknown::{missing_gap, unknown_gap};
use crate::api_error::{metric_resource, COMPOSITE_ALARMS};
use crate::check::facts::{Facts, RegionAlarms};
use crate::check::gap::Gap;
use crate::check::gap_code::GapCode;
use crate::model::Metric;
use crate::operation::Operation;

/// Whether the alarms on `metric` that were read may not be all of them: the
/// region's alarms were read by metric only.
pub fn partial(region_alarms: &RegionAlarms) -> bool {
    region_alarms.by_metric.is_some()
}

/// The gap of a metric whose alarms were read by metric only (or not at all)
/// when none of those read completes the chain: the failed listing, else the
/// failed read by metric, else facts that never held the listing.
pub fn unlisted_gap(facts: &Facts, region: &str, metric: &Metric) -> Gap {
    let resource = metric_resource(metric);
    let listing = facts.errors.iter().find(|e| {
        e.operation == Operation::DescribeAlarms
            && e.region.as_deref() == Some(region)
            && e.resource.as_deref() != Some(COMPOSITE_ALARMS)
    });
    let by_metric = facts.error_for(
        Operation::DescribeAlarmsForMetric,
        Some(&resource),
        Some(region),
    );
    match listing.or(by_metric) {
        Some(e) => unknown_gap(
            facts,
            GapCode::AlarmsUnknown,
            e,
            None,
            &format!(
                "the alarms on {resource} that are not read by metric (metric math) are unknown"
            ),
        ),
        None => missing_gap(
            GapCode::AlarmsUnknown,
            region,
            &format!("the region's metric-math alarms on {resource} were not listed"),
        ),
    }
}

/// A warning when the alarms on `metric` could not be read by metric and the
/// region's alarms were listed instead: the verdict stands, but every check
/// pages through all of the region's alarms.
pub fn listing_warning(facts: &Facts, region: &str, metric: &Metric) -> Option<Gap> {
    let resource = metric_resource(metric);
    let listed = facts
        .region_alarms(region)
        .is_some_and(RegionAlarms::is_full_listing);
    let failed = facts.error_for(
        Operation::DescribeAlarmsForMetric,
        Some(&resource),
        Some(region),
    )?;
    listed.then(|| {
        Gap::of(
            GapCode::AlarmsReadByListing,
            Some(region),
            format!("the alarms on {resource} could not be read by metric, so every alarm of {region} was listed: {failed}"),
            &[],
        )
    })
}

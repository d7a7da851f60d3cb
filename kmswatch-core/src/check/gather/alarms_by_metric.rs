//! The alarms of the regions a chain reaches, read by metric first: one
//! `DescribeAlarmsForMetric` per candidate metric (a metric whose filter
//! catches a target event), whatever the number of other alarms in the
//! region. Metric-math and composite alarms cannot be found that way, so a
//! region where no alarm found completes the chain of one of its metrics is
//! listed after all ([`super::alarm_listing::list`]), once.

use crate::api::{metric_resource, ApiError, Services};
use crate::check::facts::{Facts, RegionAlarms};
use crate::model::{Alarm, Metric};
use futures::stream::{self, StreamExt};
use std::collections::BTreeMap;

/// Reads the alarms on each of `candidates` ((region, metric) pairs) into
/// `facts`, one region's alarms as one partial [`RegionAlarms`] (its
/// `by_metric` names the metrics read). A failed read is recorded and leaves
/// its metric out of `by_metric`.
pub async fn read(
    services: &Services,
    facts: &mut Facts,
    candidates: &[(String, Metric)],
    limit: usize,
) {
    // By index: a closure over references would not be `Send` for every
    // lifetime, which a gather shared between accounts needs.
    let answers: Vec<_> = stream::iter(0..candidates.len())
        .map(|i| async move {
            let (region, metric) = &candidates[i];
            let result = services
                .alarms
                .describe_alarms_for_metric(region, metric)
                .await;
            (region, metric, result)
        })
        .buffered(limit)
        .collect()
        .await;
    let mut by_region: BTreeMap<&str, (Vec<Alarm>, Vec<Metric>)> = BTreeMap::new();
    for (region, metric, result) in answers {
        let (alarms, metrics) = by_region.entry(region.as_str()).or_default();
        match result {
            Ok(found) => {
                for alarm in found {
                    if !alarms.iter().any(|a| a.alarm_arn == alarm.alarm_arn) {
                        alarms.push(alarm);
                    }
                }
                metrics.push(metric.clone());
            }
            Err(e) => facts.errors.push(failed(e, region, metric)),
        }
    }
    for (region, (alarms, metrics)) in by_region {
        facts.alarms.push(RegionAlarms {
            region: region.to_owned(),
            alarms: Some(alarms),
            composite_alarms: None,
            by_metric: Some(metrics),
            by_name_prefix: None,
        });
    }
}

fn failed(error: ApiError, region: &str, metric: &Metric) -> ApiError {
    let error = error.in_region(region);
    if error.resource.is_some() {
        error
    } else {
        error.about(&metric_resource(metric))
    }
}

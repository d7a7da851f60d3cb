//! Listing a region's metric alarms (`DescribeAlarms`, `AlarmTypes`
//! `MetricAlarm`, every page): what remediation reads, and the check's
//! fallback where reading by metric settles nothing.

use crate::api::Services;
use crate::check::facts::{Facts, RegionAlarms};
use futures::stream::{self, StreamExt};

/// Lists the metric alarms of `regions` into `facts`: a region's listing
/// replaces the alarms read by metric; a failed listing is recorded and
/// leaves what was read by metric (or no alarms: unknown).
pub async fn list(
    services: &Services,
    facts: &mut Facts,
    regions: impl IntoIterator<Item = String>,
    limit: usize,
) {
    let listed: Vec<_> = stream::iter(regions)
        .map(|r| async move {
            let result = services.alarms.describe_alarms(&r).await;
            (r, result)
        })
        .buffered(limit)
        .collect()
        .await;
    for (region, result) in listed {
        let at = match facts.alarms.iter().position(|r| r.region == region) {
            Some(i) => i,
            None => {
                facts.alarms.push(RegionAlarms {
                    region: region.clone(),
                    alarms: None,
                    composite_alarms: None,
                    by_metric: None,
                });
                facts.alarms.len() - 1
            }
        };
        match result {
            Ok(all) => {
                facts.alarms[at].alarms = Some(all);
                facts.alarms[at].by_metric = None;
            }
            Err(e) => facts.errors.push(e.in_region(&region)),
        }
    }
}

//! Listing a region's metric alarms (`DescribeAlarms`, `AlarmTypes`
//! `MetricAlarm`, every page): the check's fallback where reading by metric
//! settles nothing; and listing them by name prefix (`AlarmNamePrefix`):
//! whether the alarm name remediation will write is taken, without paging
//! through every alarm of the region.

use crate::api::{alarm_name_prefix_resource, ApiResult, Services};
use crate::check::facts::Facts;
use crate::check::reading::region_entry;
use crate::model::Alarm;
use futures::stream::{self, StreamExt};

/// Each region's metric alarms (named `prefix…` when given), `limit` regions at once.
async fn listings(
    services: &Services,
    regions: Vec<String>,
    prefix: Option<&str>,
    limit: usize,
) -> Vec<(String, ApiResult<Vec<Alarm>>)> {
    stream::iter(regions)
        .map(|r| async move {
            let result = match prefix {
                Some(prefix) => services.alarms.describe_alarms_named(&r, prefix).await,
                None => services.alarms.describe_alarms(&r).await,
            };
            (r, result)
        })
        .buffered(limit)
        .collect()
        .await
}

/// Lists the metric alarms of `regions` into `facts`: a region's listing
/// replaces the alarms read by metric; a failed listing is recorded and
/// leaves what was read by metric (or no alarms: unknown).
pub async fn list(
    services: &Services,
    facts: &mut Facts,
    regions: impl IntoIterator<Item = String>,
    limit: usize,
) {
    let listed = listings(services, regions.into_iter().collect(), None, limit).await;
    for (region, result) in listed {
        match result {
            Ok(all) => {
                let entry = region_entry(facts, &region);
                entry.alarms = Some(all);
                entry.by_metric = None;
                entry.by_name_prefix = None;
            }
            Err(e) => {
                region_entry(facts, &region);
                facts.errors.push(e.in_region(&region));
            }
        }
    }
}

/// Lists the metric alarms named `prefix…` in each of `regions` whose alarms
/// were not listed whole, adding them to the region's alarms and `prefix` to
/// its `by_name_prefix`. A failed listing is recorded (its resource
/// `AlarmNamePrefix=<prefix>`) and leaves the names unknown.
pub async fn list_named(
    services: &Services,
    facts: &mut Facts,
    regions: impl IntoIterator<Item = String>,
    prefix: &str,
    limit: usize,
) {
    let wanted: Vec<String> = regions
        .into_iter()
        .filter(|r| {
            !facts
                .region_alarms(r)
                .is_some_and(|a| a.name_listed(prefix))
        })
        .collect();
    let listed = listings(services, wanted, Some(prefix), limit).await;
    for (region, result) in listed {
        match result {
            Ok(found) => {
                let entry = region_entry(facts, &region);
                // Alarms read by metric stay; the region is still not listed whole.
                entry.by_metric.get_or_insert_with(Vec::new);
                let alarms = entry.alarms.get_or_insert_with(Vec::new);
                for alarm in found {
                    if !alarms.iter().any(|a| a.alarm_arn == alarm.alarm_arn) {
                        alarms.push(alarm);
                    }
                }
                entry
                    .by_name_prefix
                    .get_or_insert_with(Vec::new)
                    .push(prefix.to_owned());
            }
            Err(e) => {
                let e = e.in_region(&region);
                let e = if e.resource.is_some() {
                    e
                } else {
                    e.about(&alarm_name_prefix_resource(prefix))
                };
                facts.errors.push(e);
            }
        }
    }
}

//! Reading the key-event history: `LookupEvents` for [`WATCHED_EVENTS`] in
//! each region, through the service traits; the history document and its
//! verdict are `kmswatch-decisions`' ([`history_of`]).

use super::{history_of, lookup_period, History, Regions, WATCHED_EVENTS};
use crate::api::Services;
use futures::stream::{self, StreamExt};
use std::time::SystemTime;

/// Looks up [`WATCHED_EVENTS`] in each region over the `days` before `now`,
/// at most `max_in_flight` lookups at once (`days` must pass [`super::check_days`]).
pub async fn history(
    services: &Services,
    regions: &Regions,
    days: u32,
    now: SystemTime,
    max_in_flight: usize,
) -> History {
    let (start_time, end_time) = lookup_period(now, days);
    let lookups = regions
        .names
        .iter()
        .flat_map(|r| WATCHED_EVENTS.iter().map(move |e| (r, *e)));
    let (start, end) = (&start_time, &end_time);
    let answers: Vec<_> = stream::iter(lookups)
        .map(|(region, name)| async move {
            let answer = services
                .trails
                .lookup_events(region, name, start, end)
                .await;
            (region, answer)
        })
        .buffered(max_in_flight.max(1))
        .collect()
        .await;
    history_of(answers, regions, days, start_time, end_time)
}

//! CloudTrail's event history in memory: events recorded with
//! [`MemoryBackend::record_event`], answered by `LookupEvents`.

use super::state::HistoryEvent;
use super::MemoryBackend;
use crate::model::TrailEvent;
use std::time::SystemTime;

impl MemoryBackend {
    /// Adds an event to `region`'s event history, as CloudTrail records one
    /// for every management event.
    pub fn record_event(&self, region: &str, event: TrailEvent) {
        self.lock().history.push(HistoryEvent {
            region: region.to_owned(),
            event,
        });
    }

    /// `LookupEvents`: the events of `region` named `event_name` between
    /// `start_time` and `end_time` (RFC 3339; inclusive), newest first.
    pub(super) fn event_history(
        &self,
        region: &str,
        event_name: &str,
        start_time: &str,
        end_time: &str,
    ) -> Vec<TrailEvent> {
        let (start, end) = (time(start_time), time(end_time));
        let account = self.lock();
        let mut events: Vec<(Option<SystemTime>, TrailEvent)> = account
            .history
            .iter()
            .filter(|h| h.region == region && h.event.event_name == event_name)
            .map(|h| (time(&h.event.event_time), h.event.clone()))
            .filter(|(at, _)| match (at, start, end) {
                (Some(at), Some(start), Some(end)) => start <= *at && *at <= end,
                // An unreadable time is kept: the caller sees it and decides.
                _ => true,
            })
            .collect();
        events.sort_by_key(|e| std::cmp::Reverse(e.0));
        events.into_iter().map(|(_, e)| e).collect()
    }
}

fn time(text: &str) -> Option<SystemTime> {
    humantime::parse_rfc3339_weak(text).ok()
}

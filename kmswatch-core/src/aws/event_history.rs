//! CloudTrail `LookupEvents`: a region's event history, one event name at a
//! time (the API takes a single lookup attribute per request).

use super::error::required;
use super::AwsBackend;
use crate::api::ApiResult;
use crate::model::TrailEvent;
use crate::operation::Operation;
use aws_sdk_cloudtrail::primitives::DateTime;
use aws_sdk_cloudtrail::types::{LookupAttribute, LookupAttributeKey};

impl AwsBackend {
    /// `LookupEvents` with `EventName` = `event_name` between the two RFC 3339
    /// times, every page.
    pub(super) async fn lookup_events_by_name(
        &self,
        region: &str,
        event_name: &str,
        start_time: &str,
        end_time: &str,
    ) -> ApiResult<Vec<TrailEvent>> {
        let (client, call) = self.call(
            &self.cloudtrail,
            Operation::LookupEvents,
            region,
            Some(event_name),
        )?;
        let time = |text: &str| -> ApiResult<DateTime> {
            DateTime::from_str(text, aws_smithy_types::date_time::Format::DateTime)
                .map_err(|e| call.invalid("InvalidTime", format!("{text:?}: {e}")))
        };
        let attribute = LookupAttribute::builder()
            .attribute_key(LookupAttributeKey::EventName)
            .attribute_value(event_name)
            .build()
            .map_err(|e| call.invalid("InvalidLookupAttribute", e.to_string()))?;
        let mut pages = client
            .lookup_events()
            .lookup_attributes(attribute)
            .start_time(time(start_time)?)
            .end_time(time(end_time)?)
            .into_paginator()
            .send();
        let mut events = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| call.sdk_error(e))?;
            for event in page.events.unwrap_or_default() {
                events.push(event_from_sdk(event).map_err(|m| call.malformed(m))?);
            }
        }
        Ok(events)
    }
}

fn event_from_sdk(
    event: aws_sdk_cloudtrail::types::Event,
) -> Result<TrailEvent, super::error::Missing> {
    Ok(TrailEvent {
        event_id: required(event.event_id, "EventId")?,
        event_name: required(event.event_name, "EventName")?,
        event_time: required(
            event.event_time.and_then(super::alarms::rfc3339),
            "EventTime",
        )?,
        username: event.username,
        cloud_trail_event: event.cloud_trail_event,
    })
}

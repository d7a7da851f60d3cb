//! CloudTrail.

use super::call::Call;
use super::forward::service_impls;
use crate::api_error::ApiResult;
use crate::model::{EventSelectors, Trail, TrailEvent, TrailStatus};
use crate::operation::Operation;
use async_trait::async_trait;

/// CloudTrail.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait TrailsApi: Send + Sync {
    /// `DescribeTrails` in `region`, shadow trails included: every trail that
    /// logs in that region, wherever it is homed.
    async fn describe_trails(&self, region: &str) -> ApiResult<Vec<Trail>>;
    /// `GetTrailStatus`, called in the trail's home region.
    async fn get_trail_status(&self, region: &str, trail_arn: &str) -> ApiResult<TrailStatus>;
    /// `GetEventSelectors`, called in the trail's home region.
    async fn get_event_selectors(&self, region: &str, trail_arn: &str)
        -> ApiResult<EventSelectors>;
    /// `LookupEvents` in `region` with the one lookup attribute `EventName` =
    /// `event_name`, between `start_time` and `end_time` (RFC 3339), all
    /// pages: the region's event history (90 days at most).
    async fn lookup_events(
        &self,
        region: &str,
        event_name: &str,
        start_time: &str,
        end_time: &str,
    ) -> ApiResult<Vec<TrailEvent>>;
}

service_impls! {
    TrailsApi;
    answers {
        fn describe_trails(region: &str) -> Vec<Trail> =
            Call::read(Operation::DescribeTrails, region, None);
        fn get_trail_status(region: &str, trail_arn: &str) -> TrailStatus =
            Call::read(Operation::GetTrailStatus, region, Some(trail_arn));
        fn get_event_selectors(region: &str, trail_arn: &str) -> EventSelectors =
            Call::read(Operation::GetEventSelectors, region, Some(trail_arn));
        fn lookup_events(region: &str, event_name: &str, start_time: &str, end_time: &str)
            -> Vec<TrailEvent> = Call::read(Operation::LookupEvents, region, Some(event_name));
    }
    no_answer {}
}

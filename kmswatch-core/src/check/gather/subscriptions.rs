//! The attributes of a topic's confirmed subscriptions, read one at a time and
//! only until each alarm notifying the topic has a subscription that delivers
//! its notifications: one request for the usual topic with one subscriber.

use crate::api::{ApiError, ApiErrorKind, Services};
use crate::check::rules::subscription::{delivery, notification_bodies, Delivery};
use crate::model::{Alarm, Subscription, SubscriptionAttributes};
use crate::operation::Operation;
use serde_json::Value;

/// The attributes read from `subscriptions` (confirmed ones, in list order)
/// until every alarm of `alarms` has a delivering subscription and, when
/// `unconditional`, one subscription delivers whatever the alarm (no filter
/// policy). Failed reads are returned beside them.
pub async fn read_subscription_attributes(
    services: &Services,
    region: &str,
    subscriptions: &[Subscription],
    alarms: &[&Alarm],
    unconditional: bool,
) -> (Vec<SubscriptionAttributes>, Vec<ApiError>) {
    // One entry per requirement still open: an alarm's possible bodies, or no
    // body at all for "delivers whatever the alarm".
    let mut open: Vec<Vec<Value>> = alarms.iter().map(|a| notification_bodies(a)).collect();
    if unconditional || open.is_empty() {
        open.push(Vec::new());
    }
    let mut read = Vec::new();
    let mut errors = Vec::new();
    for s in subscriptions.iter().filter(|s| s.is_confirmed()) {
        if open.is_empty() {
            break;
        }
        let arn = s.subscription_arn.as_str();
        match services.topics.get_subscription_attributes(arn).await {
            Ok(Some(attributes)) => {
                open.retain(|bodies| delivery(&attributes, bodies) != Delivery::Delivers);
                read.push(attributes);
            }
            Ok(None) => errors.push(
                ApiError::new(
                    Operation::GetSubscriptionAttributes,
                    ApiErrorKind::NotFound,
                    "NotFound",
                    "the subscription was listed but no longer exists",
                )
                .in_region(region)
                .about(arn),
            ),
            Err(e) => errors.push(e.in_region(region).about(arn)),
        }
    }
    (read, errors)
}

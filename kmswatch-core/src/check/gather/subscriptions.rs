//! The attributes of a topic's confirmed subscriptions, read one at a time and
//! only until each alarm notifying the topic has a subscription that delivers
//! its notifications: one request for the usual topic with one subscriber.

use crate::api::{ApiError, ApiErrorKind, Services};
use crate::check::reading::{delivery, Delivery};
use crate::model::{Subscription, SubscriptionAttributes};
use crate::operation::Operation;
use serde_json::Value;

/// Reads the attributes of `subscriptions` (confirmed ones not in `known`, in
/// list order) until every entry of `wanted` (one notifier's possible bodies;
/// an empty entry: "whatever the alarm", i.e. no filter policy) has a
/// delivering subscription among `known` and those read. Returns those read,
/// and the failed reads.
pub async fn read_subscription_attributes(
    services: &Services,
    region: &str,
    subscriptions: &[Subscription],
    known: &[SubscriptionAttributes],
    mut wanted: Vec<Vec<Value>>,
) -> (Vec<SubscriptionAttributes>, Vec<ApiError>) {
    let delivers =
        |a: &SubscriptionAttributes, bodies: &Vec<Value>| delivery(a, bodies) == Delivery::Delivers;
    wanted.retain(|bodies| !known.iter().any(|a| delivers(a, bodies)));
    let mut read = Vec::new();
    let mut errors = Vec::new();
    let unread = subscriptions.iter().filter(|s| {
        s.is_confirmed()
            && !known
                .iter()
                .any(|a| a.subscription_arn == s.subscription_arn)
    });
    for s in unread {
        if wanted.is_empty() {
            break;
        }
        let arn = s.subscription_arn.as_str();
        match services.topics.get_subscription_attributes(arn).await {
            Ok(Some(attributes)) => {
                wanted.retain(|bodies| !delivers(&attributes, bodies));
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

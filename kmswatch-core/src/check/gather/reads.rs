//! The reads of one resource: a log group with its filters, a topic with its
//! subscriptions. A failed call is returned beside the partial facts.

use super::subscriptions::read_subscription_attributes;
use crate::api::{ApiError, ApiErrorKind, Services};
use crate::check::facts::{LogGroupFacts, TopicFacts};
use crate::model::Arn;
use serde_json::Value;

/// A log group's metric filters; whether it exists is learnt from them, or
/// from `DescribeLogGroups` when it has none.
pub async fn read_log_group(services: &Services, arn: String) -> (LogGroupFacts, Vec<ApiError>) {
    let mut errors = Vec::new();
    let mut group = LogGroupFacts {
        arn,
        exists: None,
        metric_filters: None,
    };
    let Some((region, _, name)) = group
        .location()
        .map(|(r, a, n)| (r.to_owned(), a, n.to_owned()))
    else {
        return (group, errors);
    };
    match services.logs.describe_metric_filters(&region, &name).await {
        Ok(filters) if !filters.is_empty() => {
            // Filters exist only on an existing log group.
            group.exists = Some(true);
            group.metric_filters = Some(filters);
        }
        Ok(_) => match services.logs.describe_log_group(&region, &name).await {
            Ok(found) => {
                group.exists = Some(found.is_some());
                group.metric_filters = found.map(|_| Vec::new());
            }
            Err(e) => errors.push(e.in_region(&region).about(&group.arn)),
        },
        Err(e) if e.kind == ApiErrorKind::NotFound => group.exists = Some(false),
        Err(e) => errors.push(e.in_region(&region).about(&group.arn)),
    }
    (group, errors)
}

/// A topic's attributes and subscriptions, read concurrently, then the
/// attributes of its confirmed subscriptions until each entry of `wanted` (the
/// possible bodies of one notifying alarm; empty: whatever the alarm) has one
/// that delivers.
pub async fn read_topic(
    services: &Services,
    arn: String,
    wanted: Vec<Vec<Value>>,
) -> (TopicFacts, Vec<ApiError>) {
    let region = Arn::parse(&arn)
        .map(|a| a.region.to_owned())
        .unwrap_or_default();
    let (attributes, subscriptions) = futures::join!(
        services.topics.get_topic_attributes(&arn),
        services.topics.list_subscriptions_by_topic(&arn)
    );
    let mut errors = Vec::new();
    let mut topic = TopicFacts {
        topic_arn: arn,
        exists: None,
        attributes: None,
        subscriptions: None,
        subscription_attributes: Vec::new(),
    };
    match attributes {
        Ok(Some(a)) => {
            topic.exists = Some(true);
            topic.attributes = Some(a);
        }
        Ok(None) => topic.exists = Some(false),
        Err(e) => errors.push(e.in_region(&region).about(&topic.topic_arn)),
    }
    match subscriptions {
        Ok(s) if topic.exists != Some(false) => topic.subscriptions = Some(s),
        Ok(_) => {}
        Err(e) if e.kind == ApiErrorKind::NotFound => topic.exists = Some(false),
        Err(e) => errors.push(e.in_region(&region).about(&topic.topic_arn)),
    }
    if let Some(subscriptions) = &topic.subscriptions {
        let (read, failed) =
            read_subscription_attributes(services, &region, subscriptions, &[], wanted).await;
        topic.subscription_attributes = read;
        errors.extend(failed);
    }
    (topic, errors)
}

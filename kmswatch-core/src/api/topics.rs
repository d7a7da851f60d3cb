//! SNS.

use super::call::Call;
use super::forward::service_impls;
use crate::api_error::ApiResult;
use crate::model::{Arn, Subscription, SubscriptionAttributes, TopicAttributes};
use crate::operation::Operation;
use async_trait::async_trait;
use std::collections::BTreeMap;

/// SNS.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait TopicsApi: Send + Sync {
    /// `GetTopicAttributes`; `None` when the topic does not exist.
    async fn get_topic_attributes(&self, topic_arn: &str) -> ApiResult<Option<TopicAttributes>>;
    /// Every subscription of the topic (all pages).
    async fn list_subscriptions_by_topic(&self, topic_arn: &str) -> ApiResult<Vec<Subscription>>;
    /// `CreateTopic` (idempotent in AWS for the same name and attributes); returns its ARN.
    async fn create_topic(
        &self,
        region: &str,
        name: &str,
        tags: &BTreeMap<String, String>,
    ) -> ApiResult<String>;
    /// `Subscribe`; returns the subscription ARN or `pending confirmation`.
    async fn subscribe(&self, topic_arn: &str, protocol: &str, endpoint: &str)
        -> ApiResult<String>;
    /// `SetTopicAttributes` with `Policy`.
    async fn set_topic_policy(&self, topic_arn: &str, policy: &str) -> ApiResult<()>;
    /// `GetSubscriptionAttributes` of a confirmed subscription (called in the
    /// region of its ARN); `None` when the subscription no longer exists.
    async fn get_subscription_attributes(
        &self,
        subscription_arn: &str,
    ) -> ApiResult<Option<SubscriptionAttributes>>;
    /// `SetTopicAttributes` with `KmsMasterKeyId`: encrypts the topic with that key.
    async fn set_topic_kms_key(&self, topic_arn: &str, key_id: &str) -> ApiResult<()>;
}

/// A read of a topic or subscription: SNS calls go to the region of its ARN.
fn read(operation: Operation, arn: &str) -> Call<'_> {
    let region = Arn::parse(arn).map(|a| a.region).unwrap_or_default();
    Call::read(operation, region, Some(arn))
}

/// A write of a topic, in the region of its ARN.
fn write(operation: Operation, topic_arn: &str) -> Call<'_> {
    Call {
        writes: true,
        ..read(operation, topic_arn)
    }
}

service_impls! {
    TopicsApi;
    answers {
        fn get_topic_attributes(topic_arn: &str) -> Option<TopicAttributes> =
            read(Operation::GetTopicAttributes, topic_arn);
        fn list_subscriptions_by_topic(topic_arn: &str) -> Vec<Subscription> =
            read(Operation::ListSubscriptionsByTopic, topic_arn);
        fn create_topic(region: &str, name: &str, tags: &BTreeMap<String, String>) -> String =
            Call::write(Operation::CreateTopic, region, name);
        fn subscribe(topic_arn: &str, protocol: &str, endpoint: &str) -> String =
            write(Operation::Subscribe, topic_arn);
        fn get_subscription_attributes(subscription_arn: &str) -> Option<SubscriptionAttributes> =
            read(Operation::GetSubscriptionAttributes, subscription_arn);
    }
    no_answer {
        fn set_topic_policy(topic_arn: &str, policy: &str) =
            write(Operation::SetTopicAttributes, topic_arn);
        fn set_topic_kms_key(topic_arn: &str, key_id: &str) =
            write(Operation::SetTopicAttributes, topic_arn);
    }
}

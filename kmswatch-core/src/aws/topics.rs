//! SNS: topics, their policies and subscriptions. Calls about an existing topic
//! go to the region in its ARN.

use super::error::{required, Call, Missing};
use super::AwsBackend;
use crate::api::{ApiErrorKind, ApiResult, TopicsApi};
use crate::model::{Arn, Subscription, SubscriptionAttributes, TopicAttributes};
use crate::operation::Operation;
use async_trait::async_trait;
use aws_sdk_sns::types as sdk;
use std::collections::{BTreeMap, HashMap};

impl AwsBackend {
    /// The SNS client and call description for a topic, in the topic's region.
    fn topic_call<'a>(
        &'a self,
        operation: Operation,
        topic_arn: &'a str,
    ) -> ApiResult<(aws_sdk_sns::Client, Call<'a>)> {
        match Arn::parse(topic_arn).filter(|arn| arn.service == "sns") {
            Some(arn) => self.call(&self.sns, operation, arn.region, Some(topic_arn)),
            None => {
                let (_, call) = self.call(&self.sns, operation, &self.region, Some(topic_arn))?;
                Err(call.invalid(
                    "InvalidParameter",
                    format!("{topic_arn:?} is not an SNS topic ARN"),
                ))
            }
        }
    }
}

#[async_trait]
impl TopicsApi for AwsBackend {
    /// One `GetTopicAttributes` request.
    async fn get_topic_attributes(&self, topic_arn: &str) -> ApiResult<Option<TopicAttributes>> {
        let (client, call) = self.topic_call(Operation::GetTopicAttributes, topic_arn)?;
        match client
            .get_topic_attributes()
            .topic_arn(topic_arn)
            .send()
            .await
        {
            Ok(output) => Ok(Some(topic_attributes_from_sdk(
                topic_arn,
                output.attributes.unwrap_or_default(),
            ))),
            Err(err) => match call.sdk_error(err) {
                err if err.kind == ApiErrorKind::NotFound => Ok(None),
                err => Err(err),
            },
        }
    }

    /// `ListSubscriptionsByTopic`, one request per 100 subscriptions.
    async fn list_subscriptions_by_topic(&self, topic_arn: &str) -> ApiResult<Vec<Subscription>> {
        let (client, call) = self.topic_call(Operation::ListSubscriptionsByTopic, topic_arn)?;
        let subscriptions = client
            .list_subscriptions_by_topic()
            .topic_arn(topic_arn)
            .into_paginator()
            .items()
            .send()
            .try_collect()
            .await
            .map_err(|e| call.sdk_error(e))?;
        subscriptions
            .into_iter()
            .map(subscription_from_sdk)
            .collect::<Result<_, _>>()
            .map_err(|m| call.malformed(m))
    }

    /// One `CreateTopic` request.
    async fn create_topic(
        &self,
        region: &str,
        name: &str,
        tags: &BTreeMap<String, String>,
    ) -> ApiResult<String> {
        let (client, call) = self.call(&self.sns, Operation::CreateTopic, region, Some(name))?;
        let tags =
            tags_to_sdk(tags).map_err(|e| call.invalid("InvalidParameter", e.to_string()))?;
        let output = client
            .create_topic()
            .name(name)
            .set_tags(tags)
            .send()
            .await
            .map_err(|e| call.sdk_error(e))?;
        required(output.topic_arn, "TopicArn").map_err(|m| call.malformed(m))
    }

    /// One `Subscribe` request (`ReturnSubscriptionArn` false: AWS answers
    /// `pending confirmation` until the endpoint confirms).
    async fn subscribe(
        &self,
        topic_arn: &str,
        protocol: &str,
        endpoint: &str,
    ) -> ApiResult<String> {
        let (client, call) = self.topic_call(Operation::Subscribe, topic_arn)?;
        let output = client
            .subscribe()
            .topic_arn(topic_arn)
            .protocol(protocol)
            .endpoint(endpoint)
            .return_subscription_arn(false)
            .send()
            .await
            .map_err(|e| call.sdk_error(e))?;
        required(output.subscription_arn, "SubscriptionArn").map_err(|m| call.malformed(m))
    }

    /// One `SetTopicAttributes` request.
    async fn set_topic_policy(&self, topic_arn: &str, policy: &str) -> ApiResult<()> {
        let (client, call) = self.topic_call(Operation::SetTopicAttributes, topic_arn)?;
        client
            .set_topic_attributes()
            .topic_arn(topic_arn)
            .attribute_name("Policy")
            .attribute_value(policy)
            .send()
            .await
            .map_err(|e| call.sdk_error(e))?;
        Ok(())
    }

    /// One `SetTopicAttributes` request.
    async fn set_topic_kms_key(&self, topic_arn: &str, key_id: &str) -> ApiResult<()> {
        let (client, call) = self.topic_call(Operation::SetTopicAttributes, topic_arn)?;
        client
            .set_topic_attributes()
            .topic_arn(topic_arn)
            .attribute_name("KmsMasterKeyId")
            .attribute_value(key_id)
            .send()
            .await
            .map_err(|e| call.sdk_error(e))?;
        Ok(())
    }
    /// One `GetSubscriptionAttributes` request, in the subscription's region.
    async fn get_subscription_attributes(
        &self,
        subscription_arn: &str,
    ) -> ApiResult<Option<SubscriptionAttributes>> {
        let (client, call) =
            self.topic_call(Operation::GetSubscriptionAttributes, subscription_arn)?;
        match client
            .get_subscription_attributes()
            .subscription_arn(subscription_arn)
            .send()
            .await
        {
            Ok(output) => subscription_attributes_from_sdk(
                subscription_arn,
                output.attributes.unwrap_or_default(),
            )
            .map(Some)
            .map_err(|m| call.malformed(m)),
            Err(err) => match call.sdk_error(err) {
                err if err.kind == ApiErrorKind::NotFound => Ok(None),
                err => Err(err),
            },
        }
    }
}

/// The attributes that decide delivery. `PendingConfirmation` must be `true`
/// or `false` when present (anything else is malformed); absent, it stays
/// unknown. Empty values count as unset.
pub(crate) fn subscription_attributes_from_sdk(
    subscription_arn: &str,
    mut attributes: HashMap<String, String>,
) -> Result<SubscriptionAttributes, Missing> {
    let mut take = |name: &str| attributes.remove(name).filter(|v| !v.is_empty());
    let pending_confirmation = match take("PendingConfirmation").as_deref() {
        None => None,
        Some("true") => Some(true),
        Some("false") => Some(false),
        Some(_) => return Err(Missing("PendingConfirmation as true or false")),
    };
    Ok(SubscriptionAttributes {
        subscription_arn: take("SubscriptionArn").unwrap_or_else(|| subscription_arn.to_owned()),
        pending_confirmation,
        filter_policy: take("FilterPolicy"),
        filter_policy_scope: take("FilterPolicyScope"),
    })
}

/// The attributes the decision uses; empty values count as unset.
pub(crate) fn topic_attributes_from_sdk(
    topic_arn: &str,
    mut attributes: HashMap<String, String>,
) -> TopicAttributes {
    let mut take = |name: &str| attributes.remove(name).filter(|v| !v.is_empty());
    TopicAttributes {
        topic_arn: take("TopicArn").unwrap_or_else(|| topic_arn.to_owned()),
        kms_master_key_id: take("KmsMasterKeyId"),
        policy: take("Policy"),
    }
}

/// A subscription as listed.
pub(crate) fn subscription_from_sdk(
    subscription: sdk::Subscription,
) -> Result<Subscription, Missing> {
    Ok(Subscription {
        subscription_arn: required(subscription.subscription_arn, "SubscriptionArn")?,
        protocol: required(subscription.protocol, "Protocol")?,
        endpoint: subscription.endpoint.unwrap_or_default(),
    })
}

/// `CreateTopic` tags, in key order; `None` when there are none.
pub(crate) fn tags_to_sdk(
    tags: &BTreeMap<String, String>,
) -> Result<Option<Vec<sdk::Tag>>, aws_sdk_sns::error::BuildError> {
    if tags.is_empty() {
        return Ok(None);
    }
    tags.iter()
        .map(|(key, value)| sdk::Tag::builder().key(key).value(value).build())
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::tests::backend;

    const TOPIC: &str = "arn:aws:sns:eu-west-1:111122223333:alerts";

    #[test]
    fn attributes() {
        let attributes = HashMap::from([
            ("TopicArn".to_owned(), TOPIC.to_owned()),
            ("KmsMasterKeyId".to_owned(), "alias/aws/sns".to_owned()),
            ("Policy".to_owned(), "{}".to_owned()),
            ("SubscriptionsConfirmed".to_owned(), "0".to_owned()),
        ]);
        assert_eq!(
            topic_attributes_from_sdk(TOPIC, attributes),
            TopicAttributes {
                topic_arn: TOPIC.into(),
                kms_master_key_id: Some("alias/aws/sns".into()),
                policy: Some("{}".into()),
            }
        );
        let sparse = HashMap::from([("KmsMasterKeyId".to_owned(), String::new())]);
        assert_eq!(
            topic_attributes_from_sdk(TOPIC, sparse),
            TopicAttributes {
                topic_arn: TOPIC.into(),
                ..TopicAttributes::default()
            }
        );
    }

    #[test]
    fn subscription_attributes() {
        const SUB: &str = "arn:aws:sns:eu-west-1:111122223333:alerts:1f0e";
        let attributes = HashMap::from([
            ("SubscriptionArn".to_owned(), SUB.to_owned()),
            ("PendingConfirmation".to_owned(), "false".to_owned()),
            ("FilterPolicy".to_owned(), r#"{"a":["b"]}"#.to_owned()),
            ("FilterPolicyScope".to_owned(), "MessageBody".to_owned()),
            ("RawMessageDelivery".to_owned(), "false".to_owned()),
        ]);
        assert_eq!(
            subscription_attributes_from_sdk(SUB, attributes),
            Ok(SubscriptionAttributes {
                subscription_arn: SUB.into(),
                pending_confirmation: Some(false),
                filter_policy: Some(r#"{"a":["b"]}"#.into()),
                filter_policy_scope: Some("MessageBody".into()),
            })
        );
        let sparse = subscription_attributes_from_sdk(SUB, HashMap::new()).unwrap();
        assert_eq!(sparse.pending_confirmation, None);
        assert_eq!(sparse.subscription_arn, SUB);
        let odd = HashMap::from([("PendingConfirmation".to_owned(), "maybe".to_owned())]);
        assert!(subscription_attributes_from_sdk(SUB, odd).is_err());
    }

    #[test]
    fn subscriptions() {
        let listed = sdk::Subscription::builder()
            .subscription_arn("PendingConfirmation")
            .protocol("email")
            .endpoint("sec@example.com")
            .topic_arn(TOPIC)
            .build();
        let subscription = subscription_from_sdk(listed).unwrap();
        assert!(!subscription.is_confirmed());
        assert_eq!(subscription.endpoint, "sec@example.com");
        let arnless = sdk::Subscription::builder().protocol("sqs").build();
        assert_eq!(
            subscription_from_sdk(arnless),
            Err(Missing("SubscriptionArn"))
        );
    }

    #[test]
    fn tags() {
        assert!(tags_to_sdk(&BTreeMap::new()).unwrap().is_none());
        let tags = BTreeMap::from([
            ("b".to_owned(), "2".to_owned()),
            ("a".to_owned(), "1".to_owned()),
        ]);
        let sent = tags_to_sdk(&tags).unwrap().unwrap();
        let keys: Vec<_> = sent.iter().map(|t| t.key.as_str()).collect();
        assert_eq!(keys, ["a", "b"]);
    }

    #[test]
    fn topic_calls_go_to_the_topic_region() {
        let backend = backend();
        let (client, call) = backend.topic_call(Operation::Subscribe, TOPIC).unwrap();
        assert_eq!(call.region, "eu-west-1");
        assert_eq!(
            client.config().region().map(|r| r.as_ref()),
            Some("eu-west-1")
        );
        let err = backend
            .topic_call(Operation::Subscribe, "alerts")
            .unwrap_err();
        assert_eq!(
            (err.kind, err.code.as_str()),
            (ApiErrorKind::InvalidRequest, "InvalidParameter")
        );
        let err = backend
            .topic_call(Operation::Subscribe, "arn:aws:sqs:eu-west-1:111122223333:q")
            .unwrap_err();
        assert_eq!(err.kind, ApiErrorKind::InvalidRequest);
    }

    #[tokio::test]
    async fn a_malformed_topic_arn_makes_no_request() {
        let backend = backend();
        let err = backend
            .get_topic_attributes("not-an-arn")
            .await
            .unwrap_err();
        assert_eq!(err.resource.as_deref(), Some("not-an-arn"));
        assert_eq!(err.region.as_deref(), Some("us-east-1"));
    }
}

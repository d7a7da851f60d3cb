//! The SNS topic behaviours.

use super::fixture::{account_of, for_each, topic_arn, unique_name, Fixture};
use std::collections::{BTreeMap, BTreeSet};

/// `create_topic` answers the same ARN for the same name and tags, in the
/// region asked for; the topic then has attributes.
pub async fn create_topic_is_idempotent(fixture: &dyn Fixture) {
    let account = account_of(fixture).await;
    let topics = fixture.services().topics;
    let tags = BTreeMap::from([("managed-by".to_owned(), "kmswatch".to_owned())]);
    for region in [fixture.region(), fixture.other_region()] {
        let name = unique_name("topic");
        let first = topics
            .create_topic(region, &name, &tags)
            .await
            .expect("create_topic");
        assert_eq!(first, topic_arn(region, &account, &name));
        let again = topics
            .create_topic(region, &name, &tags)
            .await
            .expect("create_topic again");
        assert_eq!(again, first, "create_topic is idempotent");
        let attributes = topics
            .get_topic_attributes(&first)
            .await
            .expect("get_topic_attributes")
            .expect("the topic exists");
        assert_eq!(attributes.topic_arn, first);
        assert_eq!(attributes.kms_master_key_id, None, "not encrypted");
    }
}

/// `get_topic_attributes` of a topic that does not exist is `None`.
pub async fn missing_topic_is_none(fixture: &dyn Fixture) {
    let account = account_of(fixture).await;
    let missing = topic_arn(fixture.other_region(), &account, &unique_name("missing"));
    let found = fixture
        .services()
        .topics
        .get_topic_attributes(&missing)
        .await
        .expect("get_topic_attributes");
    assert_eq!(found, None);
}

/// `set_topic_policy` replaces the policy; `get_topic_attributes` returns the
/// same JSON document (compared as JSON: AWS may reformat it).
pub async fn topic_policy_round_trip(fixture: &dyn Fixture) {
    let account = account_of(fixture).await;
    let topics = fixture.services().topics;
    let name = unique_name("policy");
    let arn = topics
        .create_topic(fixture.region(), &name, &BTreeMap::new())
        .await
        .expect("create_topic");
    let policy = serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "AllowCloudWatchAlarms",
            "Effect": "Allow",
            "Principal": {"Service": "cloudwatch.amazonaws.com"},
            "Action": "sns:Publish",
            "Resource": arn,
            "Condition": {"StringEquals": {"aws:SourceAccount": account}}
        }]
    });
    topics
        .set_topic_policy(&arn, &policy.to_string())
        .await
        .expect("set_topic_policy");
    let stored = topics
        .get_topic_attributes(&arn)
        .await
        .expect("get_topic_attributes")
        .expect("the topic exists")
        .policy
        .expect("the topic has a policy");
    let stored: serde_json::Value = serde_json::from_str(&stored).expect("the policy is JSON");
    assert_eq!(stored, policy);
}

/// `subscribe` answers `pending confirmation` for email and the subscription
/// ARN for SQS (confirmed at once in the same account); the listing shows both
/// with protocol and endpoint, the email one unconfirmed.
pub async fn subscriptions_listed(fixture: &dyn Fixture) {
    let account = account_of(fixture).await;
    let topics = fixture.services().topics;
    let region = fixture.other_region();
    let topic = topics
        .create_topic(region, &unique_name("subs"), &BTreeMap::new())
        .await
        .expect("create_topic");
    let email = "security@example.com";
    let queue = format!("arn:aws:sqs:{region}:{account}:{}", unique_name("q"));

    let answer = topics
        .subscribe(&topic, "email", email)
        .await
        .expect("subscribe email");
    if fixture.deviations().email_confirmed_immediately {
        assert!(answer.starts_with(&format!("{topic}:")), "{answer}");
    } else {
        assert_eq!(answer, "pending confirmation");
    }
    let answer = topics
        .subscribe(&topic, "sqs", &queue)
        .await
        .expect("subscribe sqs");
    assert!(
        answer.starts_with(&format!("{topic}:")),
        "an SQS subscription is confirmed: {answer}"
    );

    let mut listed = topics
        .list_subscriptions_by_topic(&topic)
        .await
        .expect("list_subscriptions_by_topic");
    listed.sort_by(|a, b| a.protocol.cmp(&b.protocol));
    let shape: Vec<_> = listed
        .iter()
        .map(|s| (s.protocol.as_str(), s.endpoint.as_str(), s.is_confirmed()))
        .collect();
    let email_confirmed = fixture.deviations().email_confirmed_immediately;
    assert_eq!(
        shape,
        vec![
            ("email", email, email_confirmed),
            ("sqs", queue.as_str(), true)
        ]
    );
    if !email_confirmed {
        assert_eq!(listed[0].subscription_arn, "PendingConfirmation");
    }
    assert_eq!(listed[1].subscription_arn, answer);
}

/// More subscriptions than one `ListSubscriptionsByTopic` page (100) are all
/// returned, once.
pub async fn subscriptions_all_pages(fixture: &dyn Fixture) {
    const COUNT: usize = 103;
    let account = account_of(fixture).await;
    let topics = fixture.services().topics;
    let region = fixture.region();
    let topic = topics
        .create_topic(region, &unique_name("many"), &BTreeMap::new())
        .await
        .expect("create_topic");
    let queue = |i: usize| format!("arn:aws:sqs:{region}:{account}:q{i:03}");
    for_each(COUNT, |i| {
        let (topics, topic, queue) = (topics.clone(), topic.clone(), queue(i));
        async move {
            topics
                .subscribe(&topic, "sqs", &queue)
                .await
                .expect("subscribe");
        }
    })
    .await;
    let listed: BTreeSet<String> = topics
        .list_subscriptions_by_topic(&topic)
        .await
        .expect("list_subscriptions_by_topic")
        .into_iter()
        .map(|s| s.endpoint)
        .collect();
    let expected: BTreeSet<String> = (0..COUNT).map(queue).collect();
    assert_eq!(listed.len(), COUNT);
    assert_eq!(listed, expected);
}

/// `get_subscription_attributes` of a confirmed subscription says it is
/// confirmed and has no filter policy; for a subscription that does not exist
/// it is `None`.
pub async fn subscription_attributes_of_confirmed(fixture: &dyn Fixture) {
    let account = account_of(fixture).await;
    let topics = fixture.services().topics;
    let region = fixture.region();
    let topic = topics
        .create_topic(region, &unique_name("attrs"), &BTreeMap::new())
        .await
        .expect("create_topic");
    let queue = format!("arn:aws:sqs:{region}:{account}:{}", unique_name("q"));
    let arn = topics
        .subscribe(&topic, "sqs", &queue)
        .await
        .expect("subscribe sqs");
    let attributes = topics
        .get_subscription_attributes(&arn)
        .await
        .expect("get_subscription_attributes")
        .expect("the subscription exists");
    assert_eq!(attributes.subscription_arn, arn);
    assert_eq!(attributes.pending_confirmation, Some(false));
    assert_eq!(attributes.filter_policy, None);
    let missing = format!("{topic}:00000000-0000-4000-8000-000000000000");
    let found = topics
        .get_subscription_attributes(&missing)
        .await
        .expect("get_subscription_attributes of a missing subscription");
    assert_eq!(found, None);
}

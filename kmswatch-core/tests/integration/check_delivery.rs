//! After the alarm: subscriptions that deliver (confirmation, filter policies),
//! alarm units, metric-math queries of another account, and facts that are
//! missing (ActionsEnabled, subscription attributes, a topic that answers for
//! another ARN). Each rule on the in-memory backend or on facts.

use crate::common;

use common::*;
use kmswatch_core::api::{AlarmsApi, ApiError, ApiErrorKind};
use kmswatch_core::check::{evaluate, report as report_of, Facts, Status};
use kmswatch_core::layer::Faults;
use kmswatch_core::memory::MemoryBackend;
use kmswatch_core::model::{MetricDataQuery, MetricStat, SubscriptionAttributes};
use kmswatch_core::operation::Operation;
use kmswatch_core::remediate::{plan, Action, RemediateError, RemediateOptions, Subscriber};
use std::sync::Arc;

/// The compliant account with its one subscription's attributes changed.
async fn subscribed_with(change: impl FnOnce(&mut SubscriptionAttributes)) -> Arc<MemoryBackend> {
    let mut facts = compliant().await.to_facts();
    let topic = facts
        .topics
        .iter_mut()
        .find(|t| t.topic_arn == topic_arn())
        .expect("topic");
    change(&mut topic.subscription_attributes[0]);
    Arc::new(MemoryBackend::from_facts(facts))
}

fn policy(text: &str, scope: Option<&str>) -> impl FnOnce(&mut SubscriptionAttributes) {
    let (text, scope) = (text.to_owned(), scope.map(str::to_owned));
    move |a| {
        a.filter_policy = Some(text);
        a.filter_policy_scope = scope;
    }
}

#[tokio::test]
async fn an_attribute_scoped_policy_drops_alarm_notifications() {
    for scope in [None, Some("MessageAttributes")] {
        let world = subscribed_with(policy(r#"{"severity": ["high"]}"#, scope)).await;
        let report = run(&world).await;
        assert_eq!(report.status, Status::Fail, "{:?}", codes(&report));
        assert!(has(&report, "SUBSCRIPTION_FILTER_DROPS_ALARMS"));
    }
    // A policy that holds for a message without attributes lets it through.
    let absent = r#"{"severity": [{"exists": false}]}"#;
    let world = subscribed_with(policy(absent, Some("MessageAttributes"))).await;
    assert_eq!(run(&world).await.status, Status::Pass);
}

#[tokio::test]
async fn a_message_body_policy_must_match_the_alarm_notification() {
    let matching = [
        r#"{"NewStateValue": ["ALARM"]}"#,
        r#"{"AlarmName": [{"prefix": "kms-"}], "Trigger": {"MetricName": ["KMSKeyDisableOrDelete"]}}"#,
        r#"{"$or": [{"NewStateValue": ["OK"]}, {"AWSAccountId": ["111122223333"]}]}"#,
        r#"{"Trigger": {"Threshold": [{"numeric": [">=", 1]}]}}"#,
        r#"{"AlarmArn": [{"suffix": ":alarm:kms-alarm"}], "NewStateReason": [{"prefix": "Threshold Crossed"}]}"#,
    ];
    for text in matching {
        let world = subscribed_with(policy(text, Some("MessageBody"))).await;
        let report = run(&world).await;
        assert_eq!(report.status, Status::Pass, "{text}: {:?}", codes(&report));
    }
    let dropping = [
        r#"{"NewStateValue": ["OK"]}"#,
        r#"{"AlarmName": [{"anything-but": "kms-alarm"}]}"#,
        r#"{"Trigger": {"Namespace": [{"equals-ignore-case": "aws/ec2"}]}}"#,
    ];
    for text in dropping {
        let world = subscribed_with(policy(text, Some("MessageBody"))).await;
        let report = run(&world).await;
        assert_eq!(report.status, Status::Fail, "{text}");
        assert!(has(&report, "SUBSCRIPTION_FILTER_DROPS_ALARMS"), "{text}");
    }
}

#[tokio::test]
async fn policies_kmswatch_cannot_decide_are_manual() {
    let undecided = [
        // Depends on the state the alarm left, which is not known in advance.
        r#"{"OldStateValue": ["OK"]}"#,
        // An operator SNS does not have.
        r#"{"AlarmName": [{"wildcard": "kms-*"}]}"#,
        // Not JSON.
        r#"{"AlarmName": "#,
    ];
    for text in undecided {
        let world = subscribed_with(policy(text, Some("MessageBody"))).await;
        let report = run(&world).await;
        assert_eq!(
            report.status,
            Status::Manual,
            "{text}: {:?}",
            codes(&report)
        );
        assert!(has(&report, "SUBSCRIPTION_FILTER_UNVERIFIED"), "{text}");
    }
}

#[tokio::test]
async fn confirmation_comes_from_the_attributes() {
    let world = subscribed_with(|a| a.pending_confirmation = Some(true)).await;
    let report = run(&world).await;
    assert_eq!(report.status, Status::Fail);
    assert!(has(&report, "TOPIC_NO_CONFIRMED_SUBSCRIPTION"));

    let world = subscribed_with(|a| a.pending_confirmation = None).await;
    let report = run(&world).await;
    assert_eq!(report.status, Status::Manual);
    assert!(has(&report, "SUBSCRIPTION_FILTER_UNVERIFIED"));
}

#[tokio::test]
async fn reading_stops_at_the_first_delivering_subscription() {
    // Two more subscriptions after the delivering one: none of them is read.
    let world = compliant().await;
    let topic = topic_arn();
    for q in ["b", "c"] {
        kmswatch_core::api::TopicsApi::subscribe(
            &*world,
            &topic,
            "sqs",
            &format!("arn:aws:sqs:{REGION}:{ACCOUNT}:{q}"),
        )
        .await
        .unwrap();
    }
    let report = run(&world).await;
    assert_eq!(report.status, Status::Pass);
    assert_eq!(report.api_calls, Some(9));

    // The first one drops the notifications: the second is read, and delivers.
    let mut facts = world.to_facts();
    let t = facts
        .topics
        .iter_mut()
        .find(|t| t.topic_arn == topic)
        .unwrap();
    t.subscription_attributes[0].filter_policy = Some(r#"{"a": ["b"]}"#.into());
    let world = Arc::new(MemoryBackend::from_facts(facts));
    let (facts, report) = kmswatch_core::check::check(&world.services(), REGION)
        .await
        .unwrap();
    assert_eq!(report.status, Status::Pass, "{:?}", codes(&report));
    assert_eq!(report.api_calls, Some(10));
    assert_eq!(
        facts.topic(&topic).unwrap().subscription_attributes.len(),
        2
    );
}

#[tokio::test]
async fn unknown_subscription_attributes_are_never_a_pass() {
    // A snapshot from before subscription attributes were read: MANUAL.
    let mut facts = compliant().await.to_facts();
    for t in &mut facts.topics {
        t.subscription_attributes.clear();
    }
    let assessment = evaluate(&facts);
    assert_eq!(assessment.status, Status::Manual);
    assert!(has(&report_of(&facts), "SUBSCRIPTION_ATTRIBUTES_UNKNOWN"));

    // The read failed: ERROR, naming the missing permission.
    let faults = Faults::new().fail(ApiError::new(
        Operation::GetSubscriptionAttributes,
        ApiErrorKind::AccessDenied,
        "AuthorizationError",
        "not authorized to perform sns:GetSubscriptionAttributes",
    ));
    let services = compliant().await.services().layer(faults);
    let (_, report) = kmswatch_core::check::check(&services, REGION)
        .await
        .unwrap();
    assert_eq!(report.status, Status::Error);
    assert!(has(&report, "SUBSCRIPTION_ATTRIBUTES_UNKNOWN"));
}

#[tokio::test]
async fn an_alarm_unit_must_be_the_unit_the_filter_publishes() {
    let world = compliant().await;
    let mut a = alarm("kms-alarm", "KMSKeyDisableOrDelete", &topic_arn());
    a.unit = Some("Bytes".into());
    world.put_metric_alarm(REGION, &a).await.unwrap();
    let report = run(&world).await;
    assert_eq!(report.status, Status::Fail);
    assert!(has(&report, "ALARM_UNIT_MISMATCH"));

    // A filter published without a unit publishes with unit None.
    a.unit = Some("None".into());
    world.put_metric_alarm(REGION, &a).await.unwrap();
    assert_eq!(run(&world).await.status, Status::Pass);

    let mut facts = world.to_facts();
    facts.log_groups[0].metric_filters.as_mut().unwrap()[0].metric_transformations[0].unit =
        Some("Count".into());
    assert_eq!(evaluate(&facts).status, Status::Fail);
    let alarms = facts.alarms[0].alarms.as_mut().unwrap();
    alarms[0].unit = Some("Count".into());
    assert_eq!(evaluate(&facts).status, Status::Pass);
}

#[tokio::test]
async fn a_metric_math_query_of_another_account_does_not_watch_this_metric() {
    let world = compliant().await;
    let mut math = alarm("kms-alarm", "KMSKeyDisableOrDelete", &topic_arn());
    let metric = math.metric.take().unwrap();
    math.statistic = None;
    math.period = None;
    math.metrics = vec![MetricDataQuery {
        id: "m1".into(),
        expression: None,
        metric_stat: Some(MetricStat {
            metric,
            period: 300,
            stat: "Sum".into(),
            unit: None,
        }),
        return_data: Some(true),
        account_id: Some("444455556666".into()),
    }];
    world.put_metric_alarm(REGION, &math).await.unwrap();
    let report = run(&world).await;
    assert_eq!(report.status, Status::Fail);
    assert!(has(&report, "ALARM_METRIC_OTHER_ACCOUNT"));

    math.metrics[0].account_id = Some(ACCOUNT.into());
    world.put_metric_alarm(REGION, &math).await.unwrap();
    assert_eq!(run(&world).await.status, Status::Pass);
}

#[tokio::test]
async fn missing_actions_enabled_is_unknown_not_enabled() {
    let mut facts = compliant().await.to_facts();
    facts.alarms[0].alarms.as_mut().unwrap()[0].actions_enabled = None;
    let report = report_of(&facts);
    assert_eq!(report.status, Status::Error);
    assert!(has(&report, "ALARM_ACTIONS_ENABLED_UNKNOWN"));

    // Snapshots that carry it load as before.
    let text = compliant().await.to_facts().to_json();
    assert!(text.contains("\"actions_enabled\": true"));
    assert_eq!(
        Facts::from_json(&text).unwrap().alarms[0]
            .alarms
            .as_ref()
            .unwrap()[0]
            .actions_enabled,
        Some(true)
    );
}

#[tokio::test]
async fn a_topic_must_be_where_its_arn_says() {
    // The alarm notifies a topic of another region.
    let world = compliant().await;
    let elsewhere = kmswatch_core::api::TopicsApi::create_topic(
        &*world,
        "eu-west-1",
        TOPIC,
        &Default::default(),
    )
    .await
    .unwrap();
    kmswatch_core::api::TopicsApi::subscribe(
        &*world,
        &elsewhere,
        "sqs",
        &format!("arn:aws:sqs:eu-west-1:{ACCOUNT}:secops"),
    )
    .await
    .unwrap();
    world
        .put_metric_alarm(
            REGION,
            &alarm("kms-alarm", "KMSKeyDisableOrDelete", &elsewhere),
        )
        .await
        .unwrap();
    let report = run(&world).await;
    assert_eq!(report.status, Status::Fail);
    assert!(has(&report, "TOPIC_IN_OTHER_REGION"));

    // The attributes read answer for the topic of another region.
    let mut facts = compliant().await.to_facts();
    let t = facts
        .topics
        .iter_mut()
        .find(|t| t.topic_arn == topic_arn())
        .unwrap();
    t.attributes.as_mut().unwrap().topic_arn = format!("arn:aws:sns:eu-west-1:{ACCOUNT}:{TOPIC}");
    let report = report_of(&facts);
    assert_eq!(report.status, Status::Error);
    assert!(has(&report, "TOPIC_ARN_MISMATCH"));
}

#[tokio::test]
async fn remediation_never_counts_a_filtered_subscription_as_a_subscriber() {
    let world = subscribed_with(policy(r#"{"severity": ["high"]}"#, None)).await;
    let facts =
        kmswatch_core::remediate::gather(&world.services(), REGION, &RemediateOptions::default())
            .await
            .unwrap();
    assert!(matches!(
        plan(&facts, &RemediateOptions::default()),
        Err(RemediateError::NoSubscriber)
    ));
    // Asked to use that topic, kmswatch adds a subscription beside the
    // filtered one and leaves the filter policy alone.
    let reuse = RemediateOptions {
        subscriber: Some(
            Subscriber::parse(&format!("sqs:arn:aws:sqs:{REGION}:{ACCOUNT}:other")).unwrap(),
        ),
        topic_arn: Some(topic_arn()),
        ..RemediateOptions::default()
    };
    let facts = kmswatch_core::remediate::gather(&world.services(), REGION, &reuse)
        .await
        .unwrap();
    let planned = plan(&facts, &reuse).unwrap();
    assert!(planned.actions.iter().any(
        |a| matches!(a, Action::Subscribe { topic_arn, .. } if *topic_arn == common::topic_arn())
    ));
    assert!(
        planned.notes.iter().any(|n| n.contains("filter policy")),
        "{:?}",
        planned.notes
    );
}

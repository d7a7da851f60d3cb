//! End to end on moto server: each broken example state is rebuilt in a fresh
//! moto account, remediated through the AWS SDK backend (the code path of
//! `kmswatch remediate --apply`), and checked again; a second run changes
//! nothing; a foreign alarm of the chosen name stops the run and is left alone.
//!
//! moto confirms every subscription at once, e-mail included, so the
//! "subscription pending" example is rebuilt as a topic with no subscription
//! (the same `TOPIC_NO_CONFIRMED_SUBSCRIPTION` gap).

use aws_config::SdkConfig;
use kmswatch_core::api::Services;
use kmswatch_core::aws::AwsBackend;
use kmswatch_core::check::{self, Facts, Status};
use kmswatch_core::model::{Arn, Metric};
use kmswatch_core::remediate::{self, RemediateError, RemediateOptions, Subscriber};
use kmswatch_tests::moto;

const REGION: &str = "us-east-1";
const EXAMPLE_ACCOUNT: &str = "111122223333";

struct Account {
    id: String,
    config: SdkConfig,
    services: Services,
}

async fn account() -> Account {
    let endpoint = moto::endpoint();
    let id = moto::unique_account_id();
    let config = moto::sdk_config_in_account(&endpoint, REGION, &id).await;
    let services = AwsBackend::new(config.clone())
        .expect("moto config has a region")
        .services();
    Account {
        id,
        config,
        services,
    }
}

/// The example, moved into `account`.
fn example(name: &str, account: &str) -> Facts {
    let path = format!("{}/examples/{name}.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(path)
        .unwrap()
        .replace(EXAMPLE_ACCOUNT, account);
    Facts::from_json(&text).unwrap()
}

/// Builds the state `facts` describes in the moto account.
async fn seed(a: &Account, facts: &Facts) {
    let logs = aws_sdk_cloudwatchlogs::Client::new(&a.config);
    for group in &facts.log_groups {
        let (_, _, name) = group.location().unwrap();
        logs.create_log_group()
            .log_group_name(name)
            .send()
            .await
            .unwrap();
        for f in group.metric_filters.iter().flatten() {
            a.services.logs.put_metric_filter(REGION, f).await.unwrap();
        }
    }
    let trails = aws_sdk_cloudtrail::Client::new(&a.config);
    for t in &facts.trails {
        let bucket = format!("{}-{}", t.trail.name, a.id);
        moto::create_bucket(&moto::endpoint(), REGION, &a.id, &bucket);
        trails
            .create_trail()
            .name(&t.trail.name)
            .s3_bucket_name(&bucket)
            .is_multi_region_trail(t.trail.is_multi_region_trail)
            .set_cloud_watch_logs_log_group_arn(t.trail.cloud_watch_logs_log_group_arn.clone())
            .set_cloud_watch_logs_role_arn(t.trail.cloud_watch_logs_role_arn.clone())
            .send()
            .await
            .unwrap();
        if t.status.as_ref().is_some_and(|s| s.is_logging) {
            trails
                .start_logging()
                .name(&t.trail.name)
                .send()
                .await
                .unwrap();
        }
    }
    for topic in &facts.topics {
        let name = Arn::parse(&topic.topic_arn).unwrap().resource.to_owned();
        let arn = a
            .services
            .topics
            .create_topic(REGION, &name, &Default::default())
            .await
            .unwrap();
        for s in topic
            .subscriptions
            .iter()
            .flatten()
            .filter(|s| s.is_confirmed())
        {
            a.services
                .topics
                .subscribe(&arn, &s.protocol, &s.endpoint)
                .await
                .unwrap();
        }
    }
    for region in &facts.alarms {
        for alarm in region.alarms.iter().flatten() {
            a.services
                .alarms
                .put_metric_alarm(&region.region, alarm)
                .await
                .unwrap();
        }
    }
}

fn sqs(account: &str) -> RemediateOptions {
    RemediateOptions {
        subscriber: Some(
            Subscriber::parse(&format!("sqs:arn:aws:sqs:{REGION}:{account}:kms-alerts")).unwrap(),
        ),
        ..RemediateOptions::default()
    }
}

/// Plan, preview, apply: what `kmswatch remediate --apply` does.
async fn remediate(
    a: &Account,
    options: &RemediateOptions,
) -> Result<remediate::Applied, RemediateError> {
    let facts = remediate::gather(&a.services, REGION, options).await?;
    let plan = remediate::plan(&facts, options)?;
    assert!(remediate::preview(&facts, &plan)?.reaches_pass());
    remediate::apply(&a.services, &facts, &plan).await
}

/// Every resource of the account the remediation may touch, in a comparable form.
async fn inventory(
    a: &Account,
    log_group: &str,
) -> (Vec<String>, Vec<String>, Vec<String>, Vec<String>) {
    let mut filters: Vec<String> = a
        .services
        .logs
        .describe_metric_filters(REGION, log_group)
        .await
        .unwrap()
        .into_iter()
        .map(|f| format!("{f:?}"))
        .collect();
    filters.sort();
    let mut alarms: Vec<String> = a
        .services
        .alarms
        .describe_alarms(REGION)
        .await
        .unwrap()
        .into_iter()
        .map(|mut x| {
            x.state_value = None;
            format!("{x:?}")
        })
        .collect();
    alarms.sort();
    let sns = aws_sdk_sns::Client::new(&a.config);
    let mut topics: Vec<String> = sns
        .list_topics()
        .send()
        .await
        .unwrap()
        .topics
        .unwrap_or_default()
        .into_iter()
        .filter_map(|t| t.topic_arn)
        .collect();
    topics.sort();
    let mut subscriptions = Vec::new();
    for t in &topics {
        for s in a
            .services
            .topics
            .list_subscriptions_by_topic(t)
            .await
            .unwrap()
        {
            subscriptions.push(format!("{t} {} {}", s.protocol, s.endpoint));
        }
    }
    subscriptions.sort();
    (filters, alarms, topics, subscriptions)
}

/// `subscribe`: whether the run names an endpoint (an SQS queue); without one
/// kmswatch reuses a topic that already reaches someone.
async fn broken_example_is_fixed(name: &str, subscribe: bool, expected_writes: usize) {
    broken_example_is_fixed_with(name, subscribe, None, expected_writes).await
}

/// As [`broken_example_is_fixed`], the alarm notifying the topic named
/// `topic` of the account (`--topic-arn`).
async fn broken_example_is_fixed_with(
    name: &str,
    subscribe: bool,
    topic: Option<&str>,
    expected_writes: usize,
) {
    let a = account().await;
    let mut facts = example(name, &a.id);
    seed(&a, &facts).await;
    // The seeded account fails the way the example does.
    let (_, before) = check::check(&a.services, REGION).await.unwrap();
    if name != "broken-subscription-pending" {
        facts.errors.clear();
        assert_eq!(
            before.status,
            check::evaluate(&facts).status,
            "{name}: {before:#?}"
        );
    }
    assert_eq!(before.status, Status::Fail, "{name}");

    let mut options = if subscribe {
        sqs(&a.id)
    } else {
        RemediateOptions::default()
    };
    options.topic_arn = topic.map(|t| format!("arn:aws:sns:{REGION}:{}:{t}", a.id));
    let applied = remediate(&a, &options).await.unwrap();
    assert_eq!(
        applied.executed.len(),
        expected_writes,
        "{name}: {:#?}",
        applied.executed
    );
    assert_eq!(
        applied.report_after.status,
        Status::Pass,
        "{name}: {:#?}",
        applied.report_after
    );
    let (_, after) = check::check(&a.services, REGION).await.unwrap();
    assert_eq!(after.status, Status::Pass, "{name}");

    let log_group = facts.log_groups[0].location().unwrap().2.to_owned();
    let first = inventory(&a, &log_group).await;
    let again = remediate(&a, &options).await.unwrap();
    assert!(
        again.executed.is_empty(),
        "{name}: second run wrote {:#?}",
        again.executed
    );
    let second = inventory(&a, &log_group).await;
    assert_eq!(first, second, "{name}: the second run changed resources");
}

#[tokio::test]
async fn alarm_without_actions() {
    // topic + subscription + kmswatch alarm
    broken_example_is_fixed("broken-alarm-no-actions", true, 3).await;
}

#[tokio::test]
async fn never_matching_pattern_with_its_topic_named() {
    // CIS filter + alarm on the topic named, which has a confirmed subscriber
    broken_example_is_fixed_with(
        "broken-never-matching-pattern",
        false,
        Some("security-alerts"),
        2,
    )
    .await;
}

#[tokio::test]
async fn never_matching_pattern_does_not_borrow_an_unrelated_topic() {
    // The never-matching filter is not a link of the chain: its alarm's topic
    // is one of the account's topics like any other.
    let a = account().await;
    seed(&a, &example("broken-never-matching-pattern", &a.id)).await;
    match remediate(&a, &RemediateOptions::default()).await {
        Err(RemediateError::NoSubscriber) => {}
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn pattern_misses_schedule_key_deletion() {
    // only the CIS filter, on the metric the working alarm watches
    broken_example_is_fixed("broken-pattern-misses-schedule", false, 1).await;
}

#[tokio::test]
async fn subscription_missing() {
    // only a subscription to the existing topic
    broken_example_is_fixed("broken-subscription-pending", true, 1).await;
}

#[tokio::test]
async fn threshold_zero() {
    // a kmswatch alarm next to the broken one, which is left alone
    broken_example_is_fixed("broken-threshold-zero", false, 1).await;
}

#[tokio::test]
async fn threshold_zero_with_a_new_subscriber() {
    // kmswatch's own topic + the subscription + a kmswatch alarm
    broken_example_is_fixed("broken-threshold-zero", true, 3).await;
}

#[tokio::test]
async fn never_matching_pattern_with_a_new_subscriber() {
    // topic + subscription + CIS filter + alarm
    broken_example_is_fixed("broken-never-matching-pattern", true, 4).await;
}

#[tokio::test]
async fn trail_not_logging_is_a_prerequisite() {
    let a = account().await;
    seed(&a, &example("broken-trail-not-logging", &a.id)).await;
    match remediate(&a, &sqs(&a.id)).await {
        Err(RemediateError::PrerequisiteMissing { gaps }) => {
            assert_eq!(gaps[0].code.as_string(), "TRAIL_NOT_LOGGING")
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn foreign_alarm_of_the_chosen_name_is_left_untouched() {
    let a = account().await;
    let facts = example("broken-never-matching-pattern", &a.id);
    seed(&a, &facts).await;
    let mut foreign = facts.alarms[0].alarms.as_ref().unwrap()[0].clone();
    foreign.alarm_name = remediate::options::DEFAULT_ALARM_NAME.to_owned();
    foreign.metric = Some(Metric {
        namespace: "Billing".into(),
        metric_name: "EstimatedCharges".into(),
        dimensions: Default::default(),
    });
    foreign.threshold = Some(1000.0);
    a.services
        .alarms
        .put_metric_alarm(REGION, &foreign)
        .await
        .unwrap();
    let log_group = facts.log_groups[0].location().unwrap().2.to_owned();
    let before = inventory(&a, &log_group).await;

    let err = remediate(&a, &sqs(&a.id)).await.unwrap_err();
    match &err {
        RemediateError::Conflict {
            resource,
            differences,
        } => {
            assert_eq!(
                resource,
                &format!("alarm {} in {REGION}", foreign.alarm_name)
            );
            assert!(
                differences.iter().any(|d| d.starts_with("metric")),
                "{differences:?}"
            );
        }
        other => panic!("{other}"),
    }
    assert!(err.to_string().contains("--adopt"));
    assert_eq!(
        inventory(&a, &log_group).await,
        before,
        "nothing may change"
    );
}

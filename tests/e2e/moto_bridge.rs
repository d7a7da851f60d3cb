//! The real AWS SDK for Rust against moto server through `tests/moto/server.py`.
//!
//! `aws-sdk-cloudwatch` speaks only Smithy RPCv2-CBOR, which the bridge translates
//! to moto's awsJson1_0; these tests pin down that every CloudWatch call and field
//! kmswatch relies on survives the round trip, that errors arrive as service errors
//! with a readable code, and that the other four SDKs reach moto directly through
//! the same endpoint. Each test works in an account of its own (see
//! `kmswatch_tests::moto`), so they run in parallel against one server.

use aws_sdk_cloudwatch::error::ProvideErrorMetadata;
use aws_sdk_cloudwatch::types::{
    ComparisonOperator, Dimension, Metric, MetricDataQuery, MetricStat, StateValue, Statistic,
};
use aws_sdk_cloudwatch::Client as CloudWatch;
use kmswatch_tests::moto;

const REGION: &str = "us-east-1";
const NAMESPACE: &str = "CISBenchmark";
const METRIC: &str = "KMSKeyDisableOrScheduledDeletion";

/// SDK configuration for moto in a fresh account, and that account id.
async fn isolated_config() -> (aws_config::SdkConfig, String) {
    let account = moto::unique_account_id();
    let config = moto::sdk_config_in_account(&moto::endpoint(), REGION, &account).await;
    (config, account)
}

fn topic_arn(account: &str) -> String {
    format!("arn:aws:sns:{REGION}:{account}:kms-alerts")
}

/// A `PutMetricAlarm` request for the CIS 4.7 metric with every field kmswatch reads.
fn cis_alarm(
    client: &CloudWatch,
    name: &str,
    account: &str,
) -> aws_sdk_cloudwatch::operation::put_metric_alarm::builders::PutMetricAlarmFluentBuilder {
    client
        .put_metric_alarm()
        .alarm_name(name)
        .namespace(NAMESPACE)
        .metric_name(METRIC)
        .dimensions(Dimension::builder().name("Account").value(account).build())
        .statistic(Statistic::Sum)
        .period(300)
        .evaluation_periods(1)
        .datapoints_to_alarm(1)
        .threshold(1.0)
        .comparison_operator(ComparisonOperator::GreaterThanOrEqualToThreshold)
        .treat_missing_data("notBreaching")
        .actions_enabled(true)
        .alarm_actions(topic_arn(account))
}

#[tokio::test]
async fn put_metric_alarm_round_trips_every_field_kmswatch_reads() {
    let (config, account) = isolated_config().await;
    let client = CloudWatch::new(&config);
    cis_alarm(&client, "kms-key-disable-or-delete", &account)
        .send()
        .await
        .expect("PutMetricAlarm");

    let out = client
        .describe_alarms()
        .alarm_names("kms-key-disable-or-delete")
        .send()
        .await
        .expect("DescribeAlarms");
    let [alarm] = out.metric_alarms() else {
        panic!("one alarm expected: {out:?}")
    };
    assert_eq!(alarm.alarm_name(), Some("kms-key-disable-or-delete"));
    assert_eq!(alarm.namespace(), Some(NAMESPACE));
    assert_eq!(alarm.metric_name(), Some(METRIC));
    let [dimension] = alarm.dimensions() else {
        panic!("one dimension expected: {alarm:?}")
    };
    assert_eq!(dimension.name(), Some("Account"));
    assert_eq!(dimension.value(), Some(account.as_str()));
    assert_eq!(alarm.statistic(), Some(&Statistic::Sum));
    assert_eq!(alarm.period(), Some(300));
    assert_eq!(alarm.threshold(), Some(1.0));
    assert_eq!(
        alarm.comparison_operator(),
        Some(&ComparisonOperator::GreaterThanOrEqualToThreshold)
    );
    assert_eq!(alarm.evaluation_periods(), Some(1));
    assert_eq!(alarm.datapoints_to_alarm(), Some(1));
    assert_eq!(alarm.treat_missing_data(), Some("notBreaching"));
    assert_eq!(alarm.actions_enabled(), Some(true));
    assert_eq!(alarm.alarm_actions(), [topic_arn(&account)]);
    assert_eq!(alarm.state_value(), Some(&StateValue::Ok));
    let updated = alarm
        .state_updated_timestamp()
        .expect("StateUpdatedTimestamp");
    let now = now_epoch_secs();
    assert!(
        (updated.secs() - now).abs() < 300,
        "StateUpdatedTimestamp {updated} is not about now ({now})"
    );
    assert!(alarm.alarm_arn().is_some_and(|arn| arn.contains(&account)));
}

fn now_epoch_secs() -> i64 {
    let since_epoch = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock after 1970");
    i64::try_from(since_epoch.as_secs()).expect("seconds fit i64")
}

#[tokio::test]
async fn describe_alarms_paginates_past_one_hundred_alarms() {
    let (config, account) = isolated_config().await;
    let client = CloudWatch::new(&config);
    for i in 0..130 {
        cis_alarm(&client, &format!("alarm-{i:03}"), &account)
            .send()
            .await
            .expect("PutMetricAlarm");
    }

    let first = client
        .describe_alarms()
        .max_records(100)
        .send()
        .await
        .expect("first page");
    assert_eq!(first.metric_alarms().len(), 100);
    assert!(first.next_token().is_some());

    let pages: Vec<_> = client
        .describe_alarms()
        .max_records(100)
        .into_paginator()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .expect("every page");
    assert_eq!(pages.len(), 2);
    let names: Vec<_> = pages
        .iter()
        .flat_map(|page| page.metric_alarms())
        .filter_map(|alarm| alarm.alarm_name())
        .collect();
    let expected: Vec<_> = (0..130).map(|i| format!("alarm-{i:03}")).collect();
    assert_eq!(names, expected);
}

#[tokio::test]
async fn describe_alarms_for_metric_finds_only_that_metric() {
    let (config, account) = isolated_config().await;
    let client = CloudWatch::new(&config);
    cis_alarm(&client, "on-metric", &account)
        .send()
        .await
        .expect("PutMetricAlarm");
    cis_alarm(&client, "on-other-metric", &account)
        .metric_name("SomethingElse")
        .send()
        .await
        .expect("PutMetricAlarm");

    // Dimensions are part of a metric's identity: as in CloudWatch, the
    // alarms on the metric are those with exactly the dimensions asked for.
    for (dimension, expected) in [(Some(account.as_str()), vec!["on-metric"]), (None, vec![])] {
        let out = client
            .describe_alarms_for_metric()
            .namespace(NAMESPACE)
            .metric_name(METRIC)
            .set_dimensions(
                dimension.map(|d| vec![Dimension::builder().name("Account").value(d).build()]),
            )
            .send()
            .await
            .expect("DescribeAlarmsForMetric");
        let names: Vec<_> = out
            .metric_alarms()
            .iter()
            .filter_map(|a| a.alarm_name())
            .collect();
        assert_eq!(names, expected);
    }
}

#[tokio::test]
async fn metric_math_alarm_round_trips_its_queries() {
    let (config, account) = isolated_config().await;
    let client = CloudWatch::new(&config);
    let stat = MetricStat::builder()
        .metric(
            Metric::builder()
                .namespace(NAMESPACE)
                .metric_name(METRIC)
                .dimensions(Dimension::builder().name("Account").value(&account).build())
                .build(),
        )
        .period(300)
        .stat("Sum")
        .build();
    client
        .put_metric_alarm()
        .alarm_name("math")
        .metrics(
            MetricDataQuery::builder()
                .id("m1")
                .metric_stat(stat)
                .return_data(false)
                .build(),
        )
        .metrics(
            MetricDataQuery::builder()
                .id("e1")
                .expression("FILL(m1, 0)")
                .label("filled")
                .return_data(true)
                .build(),
        )
        .evaluation_periods(1)
        .threshold(1.0)
        .comparison_operator(ComparisonOperator::GreaterThanOrEqualToThreshold)
        .alarm_actions(topic_arn(&account))
        .send()
        .await
        .expect("PutMetricAlarm with Metrics");

    let out = client
        .describe_alarms()
        .alarm_names("math")
        .send()
        .await
        .expect("DescribeAlarms");
    let [alarm] = out.metric_alarms() else {
        panic!("one alarm expected: {out:?}")
    };
    assert_eq!(alarm.metric_name(), None);
    let [m1, e1] = alarm.metrics() else {
        panic!("two queries expected: {alarm:?}")
    };
    assert_eq!(m1.id(), Some("m1"));
    assert_eq!(m1.return_data(), Some(false));
    let m1_stat = m1.metric_stat().expect("MetricStat");
    assert_eq!(m1_stat.stat(), Some("Sum"));
    assert_eq!(m1_stat.period(), Some(300));
    let m1_metric = m1_stat.metric().expect("Metric");
    assert_eq!(m1_metric.namespace(), Some(NAMESPACE));
    assert_eq!(m1_metric.metric_name(), Some(METRIC));
    assert_eq!(m1_metric.dimensions().len(), 1);
    assert_eq!(e1.expression(), Some("FILL(m1, 0)"));
    assert_eq!(e1.label(), Some("filled"));
    assert_eq!(e1.return_data(), Some(true));
}

#[tokio::test]
async fn invalid_input_is_a_service_error_with_a_code() {
    let (config, account) = isolated_config().await;
    let client = CloudWatch::new(&config);

    let err = cis_alarm(&client, "bad-operator", &account)
        .comparison_operator(ComparisonOperator::from("Bogus"))
        .send()
        .await
        .expect_err("an unknown ComparisonOperator is refused");
    let service = err
        .as_service_error()
        .expect("a service error, not a transport or parse failure");
    assert_eq!(service.code(), Some("ValidationError"));
    let message = service.message().unwrap_or_default();
    assert!(message.contains("comparisonOperator"), "{message}");

    let err = client
        .put_metric_alarm()
        .evaluation_periods(1)
        .send()
        .await
        .expect_err("AlarmName is required");
    let service = err.as_service_error().expect("a service error");
    assert_eq!(service.code(), Some("MissingParameter"));

    // An error moto itself raises, translated from its JSON error.
    let err = cis_alarm(&client, "bad-statistic", &account)
        .extended_statistic("x99")
        .send()
        .await
        .expect_err("moto refuses a non-percentile ExtendedStatistic");
    let service = err.as_service_error().expect("a service error");
    assert_eq!(service.code(), Some("InvalidParameterValue"));

    let err = client
        .set_alarm_state()
        .alarm_name("no-such-alarm")
        .state_value(StateValue::Alarm)
        .state_reason("test")
        .send()
        .await
        .expect_err("unknown alarm");
    assert!(
        err.as_service_error()
            .is_some_and(|e| e.is_resource_not_found()),
        "{err:?}"
    );
}

#[tokio::test]
async fn accounts_are_isolated() {
    let (config, account) = isolated_config().await;
    cis_alarm(&CloudWatch::new(&config), "mine", &account)
        .send()
        .await
        .expect("PutMetricAlarm");
    let (other, _) = isolated_config().await;
    let out = CloudWatch::new(&other)
        .describe_alarms()
        .send()
        .await
        .expect("DescribeAlarms");
    assert!(out.metric_alarms().is_empty(), "{out:?}");
}

#[tokio::test]
async fn sts_reports_the_isolated_account() {
    let (config, account) = isolated_config().await;
    let identity = aws_sdk_sts::Client::new(&config)
        .get_caller_identity()
        .send()
        .await
        .expect("GetCallerIdentity");
    assert_eq!(identity.account(), Some(account.as_str()));

    let default = moto::sdk_config(&moto::endpoint(), REGION).await;
    let identity = aws_sdk_sts::Client::new(&default)
        .get_caller_identity()
        .send()
        .await
        .expect("GetCallerIdentity");
    assert_eq!(identity.account(), Some(moto::DEFAULT_ACCOUNT_ID));
}

#[tokio::test]
async fn sns_topic_and_subscription() {
    let (config, account) = isolated_config().await;
    let sns = aws_sdk_sns::Client::new(&config);
    let topic = sns
        .create_topic()
        .name("kms-alerts")
        .send()
        .await
        .expect("CreateTopic");
    let arn = topic.topic_arn().expect("TopicArn").to_owned();
    assert_eq!(arn, topic_arn(&account));
    sns.subscribe()
        .topic_arn(&arn)
        .protocol("email")
        .endpoint("security@example.com")
        .send()
        .await
        .expect("Subscribe");

    let subscriptions = sns
        .list_subscriptions_by_topic()
        .topic_arn(&arn)
        .send()
        .await
        .expect("ListSubscriptionsByTopic");
    let [subscription] = subscriptions.subscriptions() else {
        panic!("one subscription expected: {subscriptions:?}")
    };
    assert_eq!(subscription.protocol(), Some("email"));
    assert_eq!(subscription.endpoint(), Some("security@example.com"));
    // moto confirms email subscriptions at once (AWS leaves them "PendingConfirmation").
    assert!(
        subscription
            .subscription_arn()
            .is_some_and(|s| s.starts_with(&arn)),
        "{subscription:?}"
    );
}

#[tokio::test]
async fn cloudtrail_trail_logging_to_cloudwatch_logs() {
    use aws_sdk_cloudtrail::types::{AdvancedEventSelector, AdvancedFieldSelector};

    let (config, account) = isolated_config().await;
    let endpoint = moto::endpoint();
    let bucket = format!("trail-{account}");
    moto::create_bucket(&endpoint, REGION, &account, &bucket);
    let logs = aws_sdk_cloudwatchlogs::Client::new(&config);
    logs.create_log_group()
        .log_group_name("cloudtrail")
        .send()
        .await
        .expect("CreateLogGroup");
    let group_arn = format!("arn:aws:logs:{REGION}:{account}:log-group:cloudtrail:*");

    let trail = aws_sdk_cloudtrail::Client::new(&config);
    trail
        .create_trail()
        .name("management")
        .s3_bucket_name(&bucket)
        .is_multi_region_trail(true)
        .cloud_watch_logs_log_group_arn(&group_arn)
        .cloud_watch_logs_role_arn(format!(
            "arn:aws:iam::{account}:role/CloudTrail_CloudWatchLogs_Role"
        ))
        .send()
        .await
        .expect("CreateTrail");
    trail
        .start_logging()
        .name("management")
        .send()
        .await
        .expect("StartLogging");

    let described = trail
        .describe_trails()
        .send()
        .await
        .expect("DescribeTrails");
    let [described] = described.trail_list() else {
        panic!("one trail expected: {described:?}")
    };
    assert_eq!(described.is_multi_region_trail(), Some(true));
    assert_eq!(
        described.cloud_watch_logs_log_group_arn(),
        Some(group_arn.as_str())
    );
    let trail_arn = described.trail_arn().expect("TrailARN").to_owned();

    let status = trail
        .get_trail_status()
        .name(&trail_arn)
        .send()
        .await
        .expect("GetTrailStatus");
    assert_eq!(status.is_logging(), Some(true));

    let selector = AdvancedEventSelector::builder()
        .name("Management events")
        .field_selectors(
            AdvancedFieldSelector::builder()
                .field("eventCategory")
                .equals("Management")
                .build()
                .expect("field selector"),
        )
        .build()
        .expect("event selector");
    trail
        .put_event_selectors()
        .trail_name("management")
        .advanced_event_selectors(selector)
        .send()
        .await
        .expect("PutEventSelectors");
    let selectors = trail
        .get_event_selectors()
        .trail_name(&trail_arn)
        .send()
        .await
        .expect("GetEventSelectors");
    let [advanced] = selectors.advanced_event_selectors() else {
        panic!("one advanced selector expected: {selectors:?}")
    };
    assert_eq!(advanced.field_selectors()[0].equals(), ["Management"]);
}

#[tokio::test]
async fn cloudwatch_logs_metric_filters_by_group_and_by_metric() {
    use aws_sdk_cloudwatchlogs::types::MetricTransformation;

    let (config, _) = isolated_config().await;
    let logs = aws_sdk_cloudwatchlogs::Client::new(&config);
    logs.create_log_group()
        .log_group_name("cloudtrail")
        .send()
        .await
        .expect("CreateLogGroup");
    let pattern =
        "{($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion))}";
    logs.put_metric_filter()
        .log_group_name("cloudtrail")
        .filter_name("kms-key-disable-or-delete")
        .filter_pattern(pattern)
        .metric_transformations(
            MetricTransformation::builder()
                .metric_name(METRIC)
                .metric_namespace(NAMESPACE)
                .metric_value("1")
                .build()
                .expect("metric transformation"),
        )
        .send()
        .await
        .expect("PutMetricFilter");

    let by_group = logs
        .describe_metric_filters()
        .log_group_name("cloudtrail")
        .send()
        .await
        .expect("DescribeMetricFilters by log group");
    let [filter] = by_group.metric_filters() else {
        panic!("one filter expected: {by_group:?}")
    };
    assert_eq!(filter.filter_pattern(), Some(pattern));
    assert_eq!(filter.log_group_name(), Some("cloudtrail"));
    let [transformation] = filter.metric_transformations() else {
        panic!("one transformation expected: {filter:?}")
    };
    assert_eq!(transformation.metric_name(), METRIC);
    assert_eq!(transformation.metric_namespace(), NAMESPACE);

    let by_metric = logs
        .describe_metric_filters()
        .metric_name(METRIC)
        .metric_namespace(NAMESPACE)
        .send()
        .await
        .expect("DescribeMetricFilters by metric");
    assert_eq!(by_metric.metric_filters().len(), 1);
}

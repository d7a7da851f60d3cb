//! The behaviour every backend of the service traits must show.
//!
//! One `pub async fn` per behaviour, exercising [`Services`] only; a backend
//! proves itself by passing all of them (object_store's `integration.rs`
//! shape). The in-memory backend runs them in this crate's tests; the AWS SDK
//! backend runs them against moto server in `tests/conformance_aws.rs`.
//!
//! # Wiring a backend
//!
//! Implement [`Fixture`] (the services plus the setup the traits cannot do:
//! creating log groups and trails), then generate one test per behaviour:
//!
//! ```ignore
//! struct MemoryFixture(std::sync::Arc<MemoryBackend>);
//! #[async_trait::async_trait]
//! impl kmswatch_core::conformance::Fixture for MemoryFixture { /* ... */ }
//!
//! async fn fixture() -> MemoryFixture {
//!     MemoryFixture(std::sync::Arc::new(MemoryBackend::new("111122223333", "us-east-1")))
//! }
//! kmswatch_core::conformance_tests!(fixture());
//! ```
//!
//! Every behaviour names what it creates with [`unique_name`], so behaviours
//! may share one fixture, run concurrently, and run again against a server that
//! kept the previous run's state. Behaviours panic (they are tests) with a
//! message naming what differed.
//!
//! Where an emulator knowingly differs from AWS, the fixture says so in
//! [`Fixture::deviations`] and the behaviour checks the emulator's variant;
//! every backend of kmswatch's own should keep [`Deviations::default`] (AWS).

use crate::api::{ApiErrorKind, Services};
use crate::model::{
    normalize_log_group_arn, AdvancedEventSelector, Alarm, Arn, EventSelector, EventSelectors,
    FieldSelector, Metric, MetricDataQuery, MetricFilter, MetricStat, MetricTransformation,
    ReadWriteType, Trail,
};
/// The attribute [`Fixture`] implementations need, re-exported so that a
/// test crate does not need its own `async-trait` dependency.
pub use async_trait::async_trait;
use futures::StreamExt;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicU64, Ordering};

/// A trail for [`Fixture::create_trail`] to create.
#[derive(Debug, Clone, PartialEq)]
pub struct TrailSpec {
    /// Trail name.
    pub name: String,
    /// The region to create it in.
    pub home_region: String,
    /// Whether it logs in every region.
    pub is_multi_region_trail: bool,
    /// The log group it delivers to, in the form CloudTrail takes
    /// (`arn:aws:logs:REGION:ACCOUNT:log-group:NAME:*`).
    pub cloud_watch_logs_log_group_arn: Option<String>,
    /// The role CloudTrail assumes for that.
    pub cloud_watch_logs_role_arn: Option<String>,
    /// Whether logging is started after creation.
    pub logging: bool,
    /// Selectors to put after creation; `None` leaves the trail's defaults
    /// (AWS: one classic selector, all management events).
    pub event_selectors: Option<EventSelectors>,
}

/// Known, accepted differences of an emulator from AWS. All `false` is AWS.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Deviations {
    /// Email subscriptions are confirmed as soon as they are made (moto), where
    /// AWS keeps them `PendingConfirmation` until the recipient confirms.
    pub email_confirmed_immediately: bool,
    /// A trail without custom selectors reports none (moto), where AWS reports
    /// its default classic selector (`All`, management events included).
    pub no_default_event_selectors: bool,
    /// `HasCustomEventSelectors` is always false (moto), where AWS sets it once
    /// selectors are put.
    pub has_custom_event_selectors_always_false: bool,
    /// `PutMetricFilter` under an existing name adds a second filter of that
    /// name (moto), where AWS replaces the filter.
    pub put_metric_filter_appends: bool,
}

/// A backend under test and the setup hooks the service traits lack.
///
/// Hooks panic when setup fails (they run inside tests).
#[async_trait]
pub trait Fixture: Send + Sync {
    /// The services under test; every call they make lands in one account.
    fn services(&self) -> Services;
    /// The region most behaviours work in.
    fn region(&self) -> &str;
    /// A second region, different from [`Fixture::region`], for cross-region behaviours.
    fn other_region(&self) -> &str;
    /// Creates an empty log group; returns its ARN without the `:*` suffix.
    async fn create_log_group(&self, region: &str, name: &str) -> String;
    /// Creates the trail (logging started, selectors put, as the spec says);
    /// returns its ARN, `arn:aws:cloudtrail:HOME:ACCOUNT:trail/NAME`.
    async fn create_trail(&self, trail: &TrailSpec) -> String;
    /// How this backend knowingly differs from AWS.
    fn deviations(&self) -> Deviations {
        Deviations::default()
    }
}

/// A name no other behaviour of this or an earlier run uses: `prefix`, then a
/// per-process clock reading and a counter, in characters every AWS name accepts.
pub fn unique_name(prefix: &str) -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    static RUN: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    let run = *RUN.get_or_init(|| {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or_default();
        (nanos ^ u64::from(std::process::id())) % 0xff_ffff_ffff
    });
    format!("{prefix}-{run:x}-{}", NEXT.fetch_add(1, Ordering::Relaxed))
}

/// Generates one `#[tokio::test]` per behaviour of this module; `$fixture` is
/// an expression evaluated afresh in each test to a future of a [`Fixture`].
///
/// ```ignore
/// kmswatch_core::conformance_tests!(my_fixture());
/// ```
#[macro_export]
macro_rules! conformance_tests {
    ($fixture:expr) => {
        $crate::conformance_tests!(@each $fixture;
            account_id_is_an_account,
            log_group_by_exact_name,
            metric_filter_round_trip,
            metric_filter_put_replaces,
            metric_filters_all_pages,
            single_metric_alarm_round_trip,
            metric_math_alarm_round_trip,
            alarm_put_replaces,
            alarms_all_pages,
            create_topic_is_idempotent,
            missing_topic_is_none,
            topic_policy_round_trip,
            subscriptions_listed,
            subscriptions_all_pages,
            trails_round_trip,
            trail_default_event_selectors,
            missing_trail_is_not_found
        );
    };
    (@each $fixture:expr; $($behaviour:ident),+) => {
        $(
            #[tokio::test]
            async fn $behaviour() {
                let fixture = $fixture.await;
                $crate::conformance::$behaviour(&fixture).await;
            }
        )+
    };
}

/// Runs every behaviour one after the other on one fixture.
pub async fn all(fixture: &dyn Fixture) {
    account_id_is_an_account(fixture).await;
    log_group_by_exact_name(fixture).await;
    metric_filter_round_trip(fixture).await;
    metric_filter_put_replaces(fixture).await;
    metric_filters_all_pages(fixture).await;
    single_metric_alarm_round_trip(fixture).await;
    metric_math_alarm_round_trip(fixture).await;
    alarm_put_replaces(fixture).await;
    alarms_all_pages(fixture).await;
    create_topic_is_idempotent(fixture).await;
    missing_topic_is_none(fixture).await;
    topic_policy_round_trip(fixture).await;
    subscriptions_listed(fixture).await;
    subscriptions_all_pages(fixture).await;
    trails_round_trip(fixture).await;
    trail_default_event_selectors(fixture).await;
    missing_trail_is_not_found(fixture).await;
}

/// Runs `make(i)` for `0..count`, a few at a time.
async fn for_each<F, Fut>(count: usize, make: F)
where
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    futures::stream::iter(0..count)
        .map(make)
        .buffer_unordered(8)
        .collect::<Vec<()>>()
        .await;
}

async fn account_of(fixture: &dyn Fixture) -> String {
    fixture
        .services()
        .account
        .account_id()
        .await
        .expect("account_id")
}

/// `account_id` answers the 12-digit id of the account.
pub async fn account_id_is_an_account(fixture: &dyn Fixture) {
    let account = account_of(fixture).await;
    assert!(
        account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()),
        "account id {account:?}"
    );
}

/// `describe_log_group` finds exactly the name asked for — not a sibling it is
/// a prefix of, nor one that is a prefix of it — with its ARN without `:*`;
/// a missing group is `None`.
pub async fn log_group_by_exact_name(fixture: &dyn Fixture) {
    let logs = fixture.services().logs;
    let region = fixture.region();
    let account = account_of(fixture).await;
    let base = format!("/kmswatch/{}", unique_name("lg"));
    let short = format!("{base}/a");
    let long = format!("{base}/ab");
    // The long one first, so a backend that returns the first prefix match fails.
    fixture.create_log_group(region, &long).await;
    let created = fixture.create_log_group(region, &short).await;
    let expected_arn = format!("arn:aws:logs:{region}:{account}:log-group:{short}");
    assert_eq!(created, expected_arn, "create_log_group answers the ARN");

    for name in [&short, &long] {
        let group = logs
            .describe_log_group(region, name)
            .await
            .expect("describe_log_group")
            .unwrap_or_else(|| panic!("log group {name} not found"));
        assert_eq!(group.log_group_name, *name);
        assert_eq!(
            group.arn,
            format!("arn:aws:logs:{region}:{account}:log-group:{name}")
        );
    }
    for missing in [format!("{base}/"), format!("{base}/abc"), base.clone()] {
        let found = logs
            .describe_log_group(region, &missing)
            .await
            .expect("describe_log_group");
        assert_eq!(found, None, "{missing} does not exist");
    }
    let elsewhere = logs
        .describe_log_group(fixture.other_region(), &short)
        .await
        .expect("describe_log_group in the other region");
    assert_eq!(elsewhere, None, "log groups are regional");
}

fn transformation(metric_name: &str) -> MetricTransformation {
    MetricTransformation {
        metric_name: metric_name.to_owned(),
        metric_namespace: "CISBenchmark".into(),
        metric_value: "1".into(),
        default_value: None,
        dimensions: BTreeMap::new(),
        unit: None,
    }
}

const KMS_PATTERN: &str = "{($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion))}";

async fn log_group(fixture: &dyn Fixture) -> String {
    let name = format!("/kmswatch/{}", unique_name("mf"));
    fixture.create_log_group(fixture.region(), &name).await;
    name
}

async fn filters_of(fixture: &dyn Fixture, log_group_name: &str) -> Vec<MetricFilter> {
    let mut filters = fixture
        .services()
        .logs
        .describe_metric_filters(fixture.region(), log_group_name)
        .await
        .expect("describe_metric_filters");
    filters.sort_by(|a, b| a.filter_name.cmp(&b.filter_name));
    filters
}

/// What `put_metric_filter` stores, `describe_metric_filters` returns exactly:
/// pattern text, metric, value, default value, dimensions and unit.
pub async fn metric_filter_round_trip(fixture: &dyn Fixture) {
    let group = log_group(fixture).await;
    assert_eq!(
        filters_of(fixture, &group).await,
        vec![],
        "a new log group has no filters"
    );

    let with_default = MetricFilter {
        filter_name: "a-default".into(),
        log_group_name: group.clone(),
        filter_pattern: KMS_PATTERN.into(),
        metric_transformations: vec![MetricTransformation {
            default_value: Some(0.0),
            ..transformation("KmsKeyDisabled")
        }],
    };
    // AWS refuses a default value together with dimensions, so they go apart.
    let with_dimensions = MetricFilter {
        filter_name: "b-dimensions".into(),
        log_group_name: group.clone(),
        filter_pattern: "{ $.eventSource = \"kms.amazonaws.com\" }".into(),
        metric_transformations: vec![MetricTransformation {
            metric_value: "$.requestParameters.pendingWindowInDays".into(),
            dimensions: BTreeMap::from([
                ("EventName".into(), "$.eventName".into()),
                ("Region".into(), "$.awsRegion".into()),
            ]),
            unit: Some("Count".into()),
            ..transformation("KmsKeyScheduled")
        }],
    };
    let plain_text = MetricFilter {
        filter_name: "c-text".into(),
        log_group_name: group.clone(),
        filter_pattern: "\"DisableKey\"".into(),
        metric_transformations: vec![transformation("KmsText")],
    };
    let logs = fixture.services().logs;
    for filter in [&with_default, &with_dimensions, &plain_text] {
        logs.put_metric_filter(fixture.region(), filter)
            .await
            .unwrap_or_else(|e| panic!("put_metric_filter {}: {e}", filter.filter_name));
    }
    assert_eq!(
        filters_of(fixture, &group).await,
        vec![with_default, with_dimensions, plain_text]
    );
}

/// Putting a filter under an existing name replaces it.
pub async fn metric_filter_put_replaces(fixture: &dyn Fixture) {
    let group = log_group(fixture).await;
    let logs = fixture.services().logs;
    let first = MetricFilter {
        filter_name: "kms".into(),
        log_group_name: group.clone(),
        filter_pattern: "{ $.eventName = DisableKey }".into(),
        metric_transformations: vec![transformation("First")],
    };
    let second = MetricFilter {
        filter_pattern: KMS_PATTERN.into(),
        metric_transformations: vec![transformation("Second")],
        ..first.clone()
    };
    logs.put_metric_filter(fixture.region(), &first)
        .await
        .expect("first put");
    logs.put_metric_filter(fixture.region(), &second)
        .await
        .expect("second put");
    let filters = filters_of(fixture, &group).await;
    if fixture.deviations().put_metric_filter_appends {
        assert!(filters.contains(&second), "{filters:?}");
    } else {
        assert_eq!(filters, vec![second]);
    }
}

/// More filters than one `DescribeMetricFilters` page (50) are all returned, once.
pub async fn metric_filters_all_pages(fixture: &dyn Fixture) {
    const COUNT: usize = 57;
    let group = log_group(fixture).await;
    let logs = fixture.services().logs;
    let filter = |i: usize| MetricFilter {
        filter_name: format!("f{i:03}"),
        log_group_name: group.clone(),
        filter_pattern: format!("{{ $.n = {i} }}"),
        metric_transformations: vec![transformation(&format!("M{i}"))],
    };
    for_each(COUNT, |i| {
        let (logs, filter) = (logs.clone(), filter(i));
        async move {
            logs.put_metric_filter(fixture.region(), &filter)
                .await
                .unwrap_or_else(|e| panic!("put_metric_filter {}: {e}", filter.filter_name))
        }
    })
    .await;
    let expected: Vec<_> = (0..COUNT).map(filter).collect();
    assert_eq!(filters_of(fixture, &group).await, expected);
}

fn topic_arn(region: &str, account: &str, name: &str) -> String {
    format!("arn:aws:sns:{region}:{account}:{name}")
}

/// A CIS 4.7 single-metric alarm with every field kmswatch models set.
fn single_metric_alarm(region: &str, account: &str, name: &str) -> Alarm {
    Alarm {
        alarm_name: name.to_owned(),
        alarm_arn: format!("arn:aws:cloudwatch:{region}:{account}:alarm:{name}"),
        actions_enabled: true,
        alarm_actions: vec![topic_arn(region, account, "kms-alerts")],
        ok_actions: vec![topic_arn(region, account, "kms-ok")],
        insufficient_data_actions: vec![topic_arn(region, account, "kms-data")],
        metric: Some(Metric {
            namespace: "CISBenchmark".into(),
            metric_name: "KMSKeyDisableOrScheduledDeletion".into(),
            dimensions: BTreeMap::from([("EventName".into(), "DisableKey".into())]),
        }),
        statistic: Some("Sum".into()),
        extended_statistic: None,
        period: Some(300),
        metrics: vec![],
        threshold: Some(1.0),
        comparison_operator: "GreaterThanOrEqualToThreshold".into(),
        evaluation_periods: 2,
        datapoints_to_alarm: Some(1),
        treat_missing_data: Some("notBreaching".into()),
        state_value: Some(NEW_ALARM_STATE.into()),
        tags: BTreeMap::new(),
    }
}

/// The alarms whose names start with `prefix`, by name, each with its state
/// checked and then set to `INSUFFICIENT_DATA`: a new alarm starts there but
/// AWS may evaluate it to `OK` within seconds (moto starts at `OK`).
async fn alarms_named(fixture: &dyn Fixture, region: &str, prefix: &str) -> Vec<Alarm> {
    let mut alarms: Vec<Alarm> = fixture
        .services()
        .alarms
        .describe_alarms(region)
        .await
        .expect("describe_alarms")
        .into_iter()
        .filter(|a| a.alarm_name.starts_with(prefix))
        .collect();
    alarms.sort_by(|a, b| a.alarm_name.cmp(&b.alarm_name));
    for alarm in &mut alarms {
        let state = alarm.state_value.replace(NEW_ALARM_STATE.to_owned());
        assert!(
            matches!(state.as_deref(), Some("OK" | "ALARM" | "INSUFFICIENT_DATA")),
            "{}: state {state:?}",
            alarm.alarm_name
        );
    }
    alarms
}

const NEW_ALARM_STATE: &str = "INSUFFICIENT_DATA";

/// Puts each alarm (tagged) and checks `describe_alarms` returns them as put:
/// ARN assigned, a state set, tags not read back.
async fn alarms_round_trip(fixture: &dyn Fixture, prefix: &str, expected: Vec<Alarm>) {
    let alarms = fixture.services().alarms;
    let region = fixture.region();
    for alarm in &expected {
        let tagged = Alarm {
            tags: BTreeMap::from([("managed-by".into(), "kmswatch".into())]),
            alarm_arn: String::new(),
            state_value: None,
            ..alarm.clone()
        };
        alarms
            .put_metric_alarm(region, &tagged)
            .await
            .unwrap_or_else(|e| panic!("put_metric_alarm {}: {e}", alarm.alarm_name));
    }
    assert_eq!(alarms_named(fixture, region, prefix).await, expected);
    assert_eq!(
        alarms_named(fixture, fixture.other_region(), prefix).await,
        vec![],
        "alarms are regional"
    );
}

/// A single-metric alarm — with a statistic, and with a percentile — comes back
/// from `describe_alarms` with every field `put_metric_alarm` set.
pub async fn single_metric_alarm_round_trip(fixture: &dyn Fixture) {
    let account = account_of(fixture).await;
    let region = fixture.region();
    let prefix = unique_name("single");
    let sum = single_metric_alarm(region, &account, &format!("{prefix}-a"));
    let percentile = Alarm {
        statistic: None,
        extended_statistic: Some("p99".into()),
        metric: Some(Metric {
            dimensions: BTreeMap::new(),
            ..sum.metric.clone().expect("metric")
        }),
        ok_actions: vec![],
        insufficient_data_actions: vec![],
        actions_enabled: false,
        threshold: Some(0.5),
        comparison_operator: "GreaterThanThreshold".into(),
        evaluation_periods: 1,
        datapoints_to_alarm: None,
        treat_missing_data: Some("breaching".into()),
        ..single_metric_alarm(region, &account, &format!("{prefix}-b"))
    };
    alarms_round_trip(fixture, &prefix, vec![sum, percentile]).await;
}

/// A metric-math alarm comes back with its queries (metric stats and expressions).
pub async fn metric_math_alarm_round_trip(fixture: &dyn Fixture) {
    let account = account_of(fixture).await;
    let region = fixture.region();
    let prefix = unique_name("math");
    let alarm = Alarm {
        metric: None,
        statistic: None,
        period: None,
        datapoints_to_alarm: None,
        metrics: vec![
            MetricDataQuery {
                id: "m1".into(),
                expression: None,
                metric_stat: Some(MetricStat {
                    metric: Metric {
                        namespace: "CISBenchmark".into(),
                        metric_name: "KMSKeyDisableOrScheduledDeletion".into(),
                        dimensions: BTreeMap::from([("EventName".into(), "DisableKey".into())]),
                    },
                    period: 300,
                    stat: "Sum".into(),
                }),
                return_data: Some(false),
            },
            MetricDataQuery {
                id: "e1".into(),
                expression: Some("FILL(m1, 0)".into()),
                metric_stat: None,
                return_data: Some(true),
            },
        ],
        ..single_metric_alarm(region, &account, &format!("{prefix}-a"))
    };
    alarms_round_trip(fixture, &prefix, vec![alarm]).await;
}

/// Putting an alarm under an existing name replaces it.
pub async fn alarm_put_replaces(fixture: &dyn Fixture) {
    let account = account_of(fixture).await;
    let region = fixture.region();
    let prefix = unique_name("replace");
    let first = single_metric_alarm(region, &account, &prefix);
    let second = Alarm {
        threshold: Some(5.0),
        alarm_actions: vec![topic_arn(region, &account, "other")],
        ..first.clone()
    };
    let alarms = fixture.services().alarms;
    alarms
        .put_metric_alarm(region, &first)
        .await
        .expect("first put");
    alarms
        .put_metric_alarm(region, &second)
        .await
        .expect("second put");
    assert_eq!(alarms_named(fixture, region, &prefix).await, vec![second]);
}

/// More alarms than one `DescribeAlarms` page (100) are all returned, once.
pub async fn alarms_all_pages(fixture: &dyn Fixture) {
    const COUNT: usize = 105;
    let account = account_of(fixture).await;
    let region = fixture.region();
    let prefix = unique_name("page");
    let alarms = fixture.services().alarms;
    let alarm = |i: usize| single_metric_alarm(region, &account, &format!("{prefix}-{i:03}"));
    for_each(COUNT, |i| {
        let (alarms, alarm) = (alarms.clone(), alarm(i));
        async move {
            alarms
                .put_metric_alarm(region, &alarm)
                .await
                .unwrap_or_else(|e| panic!("put_metric_alarm {}: {e}", alarm.alarm_name))
        }
    })
    .await;
    let expected: Vec<_> = (0..COUNT).map(alarm).collect();
    assert_eq!(alarms_named(fixture, region, &prefix).await, expected);
}

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

fn trail_of<'a>(trails: &'a [Trail], arn: &str) -> Option<&'a Trail> {
    trails.iter().find(|t| t.trail_arn == arn)
}

/// A multi-region trail shows in `describe_trails` of its home region and of
/// another (as a shadow trail, with its home region); a single-region trail
/// only at home. Status and selectors are read in the home region.
pub async fn trails_round_trip(fixture: &dyn Fixture) {
    let account = account_of(fixture).await;
    let (home, other) = (fixture.region(), fixture.other_region());
    let trails = fixture.services().trails;
    let group_name = format!("/kmswatch/{}", unique_name("ct"));
    let group_arn = fixture.create_log_group(home, &group_name).await;
    let role = format!("arn:aws:iam::{account}:role/CloudTrail_CloudWatchLogs_Role");
    let classic = EventSelectors {
        event_selectors: vec![EventSelector {
            read_write_type: ReadWriteType::WriteOnly,
            include_management_events: true,
            exclude_management_event_sources: vec![],
        }],
        advanced_event_selectors: vec![],
    };
    let multi = TrailSpec {
        name: unique_name("multi"),
        home_region: home.to_owned(),
        is_multi_region_trail: true,
        cloud_watch_logs_log_group_arn: Some(format!("{group_arn}:*")),
        cloud_watch_logs_role_arn: Some(role.clone()),
        logging: true,
        event_selectors: Some(classic.clone()),
    };
    let advanced = EventSelectors {
        event_selectors: vec![],
        advanced_event_selectors: vec![AdvancedEventSelector {
            name: Some("Management events".into()),
            field_selectors: vec![FieldSelector {
                field: "eventCategory".into(),
                equals: vec!["Management".into()],
                ..FieldSelector::default()
            }],
        }],
    };
    let single = TrailSpec {
        name: unique_name("single"),
        is_multi_region_trail: false,
        cloud_watch_logs_log_group_arn: None,
        cloud_watch_logs_role_arn: None,
        logging: false,
        event_selectors: Some(advanced.clone()),
        ..multi.clone()
    };
    let multi_arn = fixture.create_trail(&multi).await;
    let single_arn = fixture.create_trail(&single).await;
    for spec in [&multi, &single] {
        let arn = if spec.is_multi_region_trail {
            &multi_arn
        } else {
            &single_arn
        };
        assert_eq!(
            *arn,
            format!("arn:aws:cloudtrail:{home}:{account}:trail/{}", spec.name)
        );
    }

    let custom = !fixture.deviations().has_custom_event_selectors_always_false;
    let at_home = trails
        .describe_trails(home)
        .await
        .expect("describe_trails at home");
    let found = trail_of(&at_home, &multi_arn).expect("the multi-region trail at home");
    assert_eq!(
        Trail {
            cloud_watch_logs_log_group_arn: found
                .cloud_watch_logs_log_group_arn
                .as_deref()
                .map(|a| normalize_log_group_arn(a).to_owned()),
            ..found.clone()
        },
        Trail {
            name: multi.name.clone(),
            trail_arn: multi_arn.clone(),
            home_region: home.to_owned(),
            is_multi_region_trail: true,
            is_organization_trail: false,
            cloud_watch_logs_log_group_arn: Some(group_arn.clone()),
            cloud_watch_logs_role_arn: Some(role),
            has_custom_event_selectors: custom,
        }
    );
    let found = trail_of(&at_home, &single_arn).expect("the single-region trail at home");
    assert!(!found.is_multi_region_trail);
    assert_eq!(found.cloud_watch_logs_log_group_arn, None);
    assert_eq!(found.has_custom_event_selectors, custom);

    let away = trails
        .describe_trails(other)
        .await
        .expect("describe_trails elsewhere");
    let shadow = trail_of(&away, &multi_arn).expect("the multi-region trail's shadow");
    assert_eq!(
        shadow.home_region, home,
        "a shadow trail names its home region"
    );
    assert_eq!(
        trail_of(&away, &single_arn),
        None,
        "a single-region trail stays home"
    );

    let status = trails
        .get_trail_status(home, &multi_arn)
        .await
        .expect("status");
    assert!(status.is_logging);
    let status = trails
        .get_trail_status(home, &single_arn)
        .await
        .expect("status");
    assert!(!status.is_logging);
    assert_eq!(
        trails
            .get_event_selectors(home, &multi_arn)
            .await
            .expect("selectors"),
        classic
    );
    assert_eq!(
        trails
            .get_event_selectors(home, &single_arn)
            .await
            .expect("selectors"),
        advanced
    );
}

/// A trail without custom selectors reports AWS's default selector.
pub async fn trail_default_event_selectors(fixture: &dyn Fixture) {
    let spec = TrailSpec {
        name: unique_name("plain"),
        home_region: fixture.other_region().to_owned(),
        is_multi_region_trail: false,
        cloud_watch_logs_log_group_arn: None,
        cloud_watch_logs_role_arn: None,
        logging: true,
        event_selectors: None,
    };
    let arn = fixture.create_trail(&spec).await;
    let trails = fixture.services().trails;
    let listed = trails
        .describe_trails(&spec.home_region)
        .await
        .expect("describe_trails");
    let trail = trail_of(&listed, &arn).expect("the trail");
    assert!(!trail.has_custom_event_selectors);
    let selectors = trails
        .get_event_selectors(&spec.home_region, &arn)
        .await
        .expect("get_event_selectors");
    let expected = if fixture.deviations().no_default_event_selectors {
        EventSelectors::default()
    } else {
        EventSelectors {
            event_selectors: vec![EventSelector {
                read_write_type: ReadWriteType::All,
                include_management_events: true,
                exclude_management_event_sources: vec![],
            }],
            advanced_event_selectors: vec![],
        }
    };
    assert_eq!(selectors, expected);
}

/// Status and selectors of a trail that does not exist fail as `NotFound`,
/// naming the trail.
pub async fn missing_trail_is_not_found(fixture: &dyn Fixture) {
    let account = account_of(fixture).await;
    let region = fixture.region();
    let arn = format!(
        "arn:aws:cloudtrail:{region}:{account}:trail/{}",
        unique_name("gone")
    );
    let trails = fixture.services().trails;
    let err = trails
        .get_trail_status(region, &arn)
        .await
        .expect_err("no such trail");
    assert_eq!(err.kind, ApiErrorKind::NotFound, "{err}");
    assert_eq!(err.resource.as_deref(), Some(arn.as_str()));
    assert_eq!(err.operation, "GetTrailStatus");
    let err = trails
        .get_event_selectors(region, &arn)
        .await
        .expect_err("no such trail");
    assert_eq!(err.kind, ApiErrorKind::NotFound, "{err}");
    assert_eq!(Arn::parse(&arn).map(|a| a.region), Some(region));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_names_are_unique_and_valid_everywhere() {
        let a = unique_name("x");
        let b = unique_name("x");
        assert_ne!(a, b);
        assert!(a.starts_with("x-"));
        assert!(
            a.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-'),
            "{a}"
        );
        assert!(a.len() < 64);
    }
}

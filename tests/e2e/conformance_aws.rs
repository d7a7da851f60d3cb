//! The backend conformance suite (`kmswatch_core::conformance`) run against the
//! AWS SDK backend talking to moto server (`tests/moto/server.py`).
//!
//! Each test gets an account of its own on the one shared server, so the tests
//! run in parallel without seeing each other's trails, alarms or topics.

use aws_config::{Region, SdkConfig};
use kmswatch_core::api::Services;
use kmswatch_core::aws::AwsBackend;
use kmswatch_core::conformance::{
    async_trait, Deviations, EventRuleSpec, Fixture, KeySpec, TrailSpec,
};
use kmswatch_tests::moto;

const REGION: &str = "us-east-1";
const OTHER_REGION: &str = "eu-west-1";

/// The AWS backend on moto, in a fresh moto account, plus raw SDK clients for
/// the setup the service traits cannot do.
struct MotoFixture {
    endpoint: String,
    account_id: String,
    config: SdkConfig,
    services: Services,
}

impl MotoFixture {
    fn regional(&self, region: &str) -> SdkConfig {
        self.config
            .to_builder()
            .region(Region::new(region.to_owned()))
            .build()
    }
}

async fn fixture() -> MotoFixture {
    let endpoint = moto::endpoint();
    let account_id = moto::unique_account_id();
    let config = moto::sdk_config_in_account(&endpoint, REGION, &account_id).await;
    let services = AwsBackend::new(config.clone())
        .expect("moto config has a region")
        .services();
    MotoFixture {
        endpoint,
        account_id,
        config,
        services,
    }
}

#[async_trait]
impl Fixture for MotoFixture {
    fn services(&self) -> Services {
        self.services.clone()
    }

    fn region(&self) -> &str {
        REGION
    }

    fn other_region(&self) -> &str {
        OTHER_REGION
    }

    async fn create_log_group(&self, region: &str, name: &str) -> String {
        let logs = aws_sdk_cloudwatchlogs::Client::new(&self.regional(region));
        logs.create_log_group()
            .log_group_name(name)
            .send()
            .await
            .unwrap_or_else(|e| panic!("CreateLogGroup {name}: {e:?}"));
        format!("arn:aws:logs:{region}:{}:log-group:{name}", self.account_id)
    }

    async fn create_key(&self, key: &KeySpec) -> String {
        let kms = aws_sdk_kms::Client::new(&self.regional(&key.region));
        let created = kms
            .create_key()
            .policy(&key.policy)
            .send()
            .await
            .unwrap_or_else(|e| panic!("CreateKey {}: {e:?}", key.alias));
        let metadata = created.key_metadata.expect("CreateKey answers the key");
        kms.create_alias()
            .alias_name(format!("alias/{}", key.alias))
            .target_key_id(&metadata.key_id)
            .send()
            .await
            .unwrap_or_else(|e| panic!("CreateAlias {}: {e:?}", key.alias));
        if !key.enabled {
            kms.disable_key()
                .key_id(&metadata.key_id)
                .send()
                .await
                .unwrap_or_else(|e| panic!("DisableKey {}: {e:?}", key.alias));
        }
        metadata.arn.expect("CreateKey answers the key ARN")
    }

    async fn create_event_rule(&self, rule: &EventRuleSpec) -> String {
        use aws_sdk_eventbridge::types::{RuleState, Target};
        let events = aws_sdk_eventbridge::Client::new(&self.regional(&rule.region));
        let state = if rule.enabled {
            RuleState::Enabled
        } else {
            RuleState::Disabled
        };
        let put = events
            .put_rule()
            .name(&rule.name)
            .event_pattern(&rule.event_pattern)
            .state(state)
            .send()
            .await
            .unwrap_or_else(|e| panic!("PutRule {}: {e:?}", rule.name));
        let targets = rule.targets.iter().map(|(id, arn)| {
            Target::builder()
                .id(id)
                .arn(arn)
                .build()
                .expect("id and arn")
        });
        events
            .put_targets()
            .rule(&rule.name)
            .set_targets(Some(targets.collect()))
            .send()
            .await
            .unwrap_or_else(|e| panic!("PutTargets {}: {e:?}", rule.name));
        put.rule_arn.expect("PutRule answers the rule ARN")
    }

    async fn create_trail(&self, trail: &TrailSpec) -> String {
        use aws_sdk_cloudtrail::types as ct;
        let region = trail.home_region.as_str();
        let bucket = format!("{}-trail-logs", trail.name.to_lowercase());
        moto::create_bucket(&self.endpoint, region, &self.account_id, &bucket);
        let client = aws_sdk_cloudtrail::Client::new(&self.regional(region));
        let created = client
            .create_trail()
            .name(&trail.name)
            .s3_bucket_name(&bucket)
            .is_multi_region_trail(trail.is_multi_region_trail)
            .set_cloud_watch_logs_log_group_arn(trail.cloud_watch_logs_log_group_arn.clone())
            .set_cloud_watch_logs_role_arn(trail.cloud_watch_logs_role_arn.clone())
            .send()
            .await
            .unwrap_or_else(|e| panic!("CreateTrail {}: {e:?}", trail.name));
        if trail.logging {
            client
                .start_logging()
                .name(&trail.name)
                .send()
                .await
                .unwrap_or_else(|e| panic!("StartLogging {}: {e:?}", trail.name));
        }
        if let Some(selectors) = &trail.event_selectors {
            let classic = selectors.event_selectors.iter().map(|s| {
                ct::EventSelector::builder()
                    .read_write_type(ct::ReadWriteType::from(match s.read_write_type {
                        kmswatch_core::model::ReadWriteType::All => "All",
                        kmswatch_core::model::ReadWriteType::ReadOnly => "ReadOnly",
                        kmswatch_core::model::ReadWriteType::WriteOnly => "WriteOnly",
                    }))
                    .include_management_events(s.include_management_events)
                    .set_exclude_management_event_sources(
                        (!s.exclude_management_event_sources.is_empty())
                            .then(|| s.exclude_management_event_sources.clone()),
                    )
                    .build()
            });
            let advanced = selectors.advanced_event_selectors.iter().map(|s| {
                let fields = s.field_selectors.iter().map(|f| {
                    let values = |v: &Vec<String>| (!v.is_empty()).then(|| v.clone());
                    ct::AdvancedFieldSelector::builder()
                        .field(&f.field)
                        .set_equals(values(&f.equals))
                        .set_not_equals(values(&f.not_equals))
                        .set_starts_with(values(&f.starts_with))
                        .set_not_starts_with(values(&f.not_starts_with))
                        .set_ends_with(values(&f.ends_with))
                        .set_not_ends_with(values(&f.not_ends_with))
                        .build()
                        .expect("field selectors have a field")
                });
                ct::AdvancedEventSelector::builder()
                    .set_name(s.name.clone())
                    .set_field_selectors(Some(fields.collect()))
                    .build()
                    .expect("advanced selectors have field selectors")
            });
            client
                .put_event_selectors()
                .trail_name(&trail.name)
                .set_event_selectors(non_empty(classic.collect()))
                .set_advanced_event_selectors(non_empty(advanced.collect()))
                .send()
                .await
                .unwrap_or_else(|e| panic!("PutEventSelectors {}: {e:?}", trail.name));
        }
        created.trail_arn.expect("CreateTrail answers the ARN")
    }

    fn deviations(&self) -> Deviations {
        Deviations {
            email_confirmed_immediately: true,
            no_default_event_selectors: true,
            has_custom_event_selectors_always_false: true,
            put_metric_filter_appends: true,
        }
    }
}

fn non_empty<T>(values: Vec<T>) -> Option<Vec<T>> {
    (!values.is_empty()).then_some(values)
}

/// The whole behaviour suite on the AWS SDK backend.
#[tokio::test]
async fn conformance() {
    kmswatch_core::conformance::all(&fixture().await).await;
}

/// The backend's errors on moto: a refused connection is a transport error
/// naming the endpoint, not a panic or a service error.
#[tokio::test]
async fn unreachable_endpoint_is_a_transport_error() {
    let config = moto::sdk_config("http://127.0.0.1:9", REGION).await;
    let services = AwsBackend::new(config).expect("region").services();
    let err = services.trails.describe_trails(REGION).await.unwrap_err();
    assert_eq!(
        err.kind,
        kmswatch_core::api::ApiErrorKind::Transport,
        "{err}"
    );
    assert!(
        err.message.contains("http://127.0.0.1:9"),
        "{}",
        err.message
    );
    assert_eq!(err.region.as_deref(), Some(REGION));
}

/// Calls about an existing topic go to the region in its ARN, whatever the
/// backend's default region.
#[tokio::test]
async fn topic_calls_follow_the_topic_arn() {
    let fixture = fixture().await;
    let topics = fixture.services.topics.clone();
    let arn = topics
        .create_topic(OTHER_REGION, "elsewhere", &Default::default())
        .await
        .expect("create_topic");
    assert!(
        arn.starts_with(&format!("arn:aws:sns:{OTHER_REGION}:")),
        "{arn}"
    );
    let attributes = topics.get_topic_attributes(&arn).await.expect("get");
    assert!(attributes.is_some());
    // The same name in the default region is another, missing topic.
    let home = arn.replace(OTHER_REGION, REGION);
    assert_eq!(topics.get_topic_attributes(&home).await.expect("get"), None);
}

/// Carries `ENDPOINT ACCOUNT` to [`connect_in_a_clean_environment`].
const CHILD_VAR: &str = "KMSWATCH_TEST_CONNECT_CHILD";

/// `session::connect` with explicit options reaches the endpoint named, in the
/// region named, with the credentials of the environment: run in a child
/// process whose environment holds only those, so that the answer cannot come
/// from anywhere else (the bridge puts a request signed with a 12-digit
/// access key id in that moto account).
#[test]
fn connect_uses_the_explicit_endpoint_region_and_environment_credentials() {
    let endpoint = moto::endpoint();
    let account = moto::unique_account_id();
    // The test's name in this binary: its module path without the crate's.
    let child_test = match module_path!().split_once("::") {
        Some((_, module)) => format!("{module}::connect_in_a_clean_environment"),
        None => "connect_in_a_clean_environment".to_owned(),
    };
    let mut child = std::process::Command::new(std::env::current_exe().expect("test binary"));
    child
        .args(["--exact", &child_test, "--ignored"])
        .args(["--test-threads", "1", "--nocapture"])
        .env(CHILD_VAR, format!("{endpoint} {account}"))
        .env("AWS_ACCESS_KEY_ID", &account)
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_CONFIG_FILE", "/nonexistent/kmswatch/config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/kmswatch/credentials",
        )
        .env("AWS_EC2_METADATA_DISABLED", "true");
    for var in [
        "AWS_SESSION_TOKEN",
        "AWS_PROFILE",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "AWS_ENDPOINT_URL",
    ] {
        child.env_remove(var);
    }
    let out = child.output().expect("run the test binary");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("1 passed"),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The child half of the test above; fails when run on its own.
#[tokio::test]
#[ignore = "run in a child process by connect_uses_the_explicit_endpoint_region_and_environment_credentials"]
async fn connect_in_a_clean_environment() {
    let spec = std::env::var(CHILD_VAR).expect("run by its parent test");
    let (endpoint, account_id) = spec.split_once(' ').expect("ENDPOINT ACCOUNT");
    let options = kmswatch_core::session::AccountOptions {
        region: Some(OTHER_REGION.to_owned()),
        profile: None,
        endpoint_url: Some(endpoint.to_owned()),
        timeout: None,
        max_concurrency: None,
        log_account_role: None,
    };
    let account = kmswatch_core::session::connect(&options)
        .await
        .expect("connect");
    assert_eq!(account.region, OTHER_REGION);
    let (facts, report) = kmswatch_core::session::check(&account)
        .await
        .expect("the account is identified");
    assert_eq!(facts.account_id, account_id);
    assert_eq!(report.region, OTHER_REGION);
    assert!(report.api_calls >= Some(2), "{:?}", report.api_calls);
}

/// A profile that does not exist fails `connect` with a typed error.
#[tokio::test]
async fn connect_refuses_an_unknown_profile() {
    let options = kmswatch_core::aws::AwsOptions {
        region: Some(REGION.to_owned()),
        profile: Some("kmswatch-no-such-profile".to_owned()),
        endpoint_url: None,
    };
    let err = kmswatch_core::aws::connect(&options).await.unwrap_err();
    assert!(
        matches!(err, kmswatch_core::aws::ConnectError::ProfileNotFound { ref name, .. } if name == "kmswatch-no-such-profile"),
        "{err}"
    );
}

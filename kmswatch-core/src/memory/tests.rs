//! The memory backend passes the same behaviour suite as the AWS backend, and
//! keeps to the partition of the account it holds.

use super::*;
use crate::conformance::{async_trait, EventRuleSpec, Fixture, KeySpec, TrailSpec};
use crate::model::Key;
use crate::model::{EventSelector, ReadWriteType};
use kmswatch_decisions::check::facts::{KeyFacts, TrailFacts};

struct MemoryFixture {
    backend: Arc<MemoryBackend>,
    services: Services,
}

impl MemoryFixture {
    fn new() -> Self {
        let backend = Arc::new(MemoryBackend::new("111122223333", "us-east-1"));
        MemoryFixture {
            services: backend.services(),
            backend,
        }
    }
}

#[async_trait]
impl Fixture for MemoryFixture {
    fn services(&self) -> Services {
        self.services.clone()
    }

    fn region(&self) -> &str {
        "us-east-1"
    }

    fn other_region(&self) -> &str {
        "eu-west-1"
    }

    async fn create_log_group(&self, region: &str, name: &str) -> String {
        self.backend.create_log_group(region, name)
    }

    async fn create_event_rule(&self, spec: &EventRuleSpec) -> String {
        let targets = spec
            .targets
            .iter()
            .map(|(id, arn)| crate::model::RuleTarget {
                id: id.clone(),
                arn: arn.clone(),
                transforms_input: false,
            })
            .collect();
        let state = if spec.enabled { "ENABLED" } else { "DISABLED" };
        self.backend.put_event_rule(
            &spec.region,
            &spec.name,
            state,
            &spec.event_pattern,
            targets,
        )
    }

    async fn create_key(&self, spec: &KeySpec) -> String {
        let key_id = crate::conformance::unique_name("key");
        let arn = self
            .backend
            .arn("kms", &spec.region, &format!("key/{key_id}"));
        let key = Key {
            key_id,
            arn: arn.clone(),
            key_manager: Some("CUSTOMER".into()),
            key_state: Some(if spec.enabled { "Enabled" } else { "Disabled" }.into()),
            ..Key::default()
        };
        // The key as its ARN names it, and as its alias does.
        for name in [arn.clone(), format!("alias/{}", spec.alias)] {
            self.backend.put_key(KeyFacts {
                key_id: name,
                region: spec.region.clone(),
                exists: Some(true),
                key: Some(key.clone()),
                policy: Some(spec.policy.clone()),
            });
        }
        arn
    }

    async fn create_trail(&self, spec: &TrailSpec) -> String {
        let arn = self.backend.arn(
            "cloudtrail",
            &spec.home_region,
            &format!("trail/{}", spec.name),
        );
        let trail = Trail {
            name: spec.name.clone(),
            trail_arn: arn.clone(),
            home_region: spec.home_region.clone(),
            is_multi_region_trail: spec.is_multi_region_trail,
            is_organization_trail: false,
            cloud_watch_logs_log_group_arn: spec.cloud_watch_logs_log_group_arn.clone(),
            cloud_watch_logs_role_arn: spec.cloud_watch_logs_role_arn.clone(),
            has_custom_event_selectors: spec.event_selectors.is_some(),
        };
        // AWS gives a new trail one classic selector for all management events.
        let selectors = spec
            .event_selectors
            .clone()
            .unwrap_or_else(|| EventSelectors {
                event_selectors: vec![EventSelector {
                    read_write_type: ReadWriteType::All,
                    include_management_events: true,
                    exclude_management_event_sources: vec![],
                }],
                advanced_event_selectors: vec![],
            });
        let status = TrailStatus {
            is_logging: spec.logging,
            latest_cloud_watch_logs_delivery_error: None,
            latest_cloud_watch_logs_delivery_time: None,
        };
        self.backend.put_trail(trail, Some(status), Some(selectors));
        arn
    }
}

#[tokio::test]
async fn conformance() {
    crate::conformance::all(&MemoryFixture::new()).await;
}

/// Wrappers change nothing a backend does: the suite passes through a stack
/// of them, and every call went through each.
#[tokio::test]
async fn conformance_through_layers() {
    use crate::layer::{CallCount, ConcurrencyLimit, Faults};
    let count = Arc::new(CallCount::default());
    let mut fixture = MemoryFixture::new();
    fixture.services = fixture
        .services
        .clone()
        .layer(count.clone())
        .layer(ConcurrencyLimit::new(2))
        .layer(Faults::new().seeded(1));
    crate::conformance::all(&fixture).await;
    assert!(count.get() > 100, "{} calls", count.get());
}

#[test]
fn partitions_follow_the_region_of_an_empty_account() {
    for (region, partition) in [
        ("us-east-1", "aws"),
        ("cn-northwest-1", "aws-cn"),
        ("us-gov-west-1", "aws-us-gov"),
        ("us-iso-east-1", "aws-iso"),
        ("us-isob-east-1", "aws-iso-b"),
        ("eu-isoe-west-1", "aws-iso-e"),
    ] {
        let account = MemoryBackend::new("111122223333", region);
        let arn = account.create_log_group(region, "trail-logs");
        assert_eq!(
            arn,
            format!("arn:{partition}:logs:{region}:111122223333:log-group:trail-logs")
        );
    }
}

#[tokio::test]
async fn arns_are_made_in_the_partition_of_the_snapshot() {
    let mut facts = Facts::new("111122223333", "cn-north-1");
    let trail_arn = "arn:aws-cn:cloudtrail:cn-north-1:111122223333:trail/main";
    facts.trails.push(TrailFacts {
        trail: Trail {
            name: "main".into(),
            trail_arn: trail_arn.into(),
            home_region: "cn-north-1".into(),
            is_multi_region_trail: true,
            is_organization_trail: false,
            cloud_watch_logs_log_group_arn: None,
            cloud_watch_logs_role_arn: None,
            has_custom_event_selectors: false,
        },
        status: None,
        event_selectors: None,
    });
    let account = Arc::new(MemoryBackend::from_facts(facts));
    let services = account.services();
    let topic = services
        .topics
        .create_topic("cn-north-1", "alerts", &Default::default())
        .await
        .unwrap();
    assert_eq!(topic, "arn:aws-cn:sns:cn-north-1:111122223333:alerts");
    let group = account.create_log_group("cn-north-1", "ct");
    assert!(group.starts_with("arn:aws-cn:logs:"), "{group}");
    let filter =
        crate::model::MetricFilter::new("kms", "ct", "{ $.eventName = DisableKey }", vec![]);
    services
        .logs
        .put_metric_filter("cn-north-1", &filter)
        .await
        .unwrap();
    let found = services
        .logs
        .describe_log_group("cn-north-1", "ct")
        .await
        .unwrap();
    assert_eq!(found.map(|g| g.arn), Some(group));
    let alarm: crate::model::Alarm = serde_json::from_value(serde_json::json!({
        "alarm_name": "kms", "alarm_arn": "", "actions_enabled": true,
        "comparison_operator": "GreaterThanOrEqualToThreshold", "evaluation_periods": 1
    }))
    .unwrap();
    services
        .alarms
        .put_metric_alarm("cn-north-1", &alarm)
        .await
        .unwrap();
    let alarms = services.alarms.describe_alarms("cn-north-1").await.unwrap();
    assert_eq!(
        alarms[0].alarm_arn,
        "arn:aws-cn:cloudwatch:cn-north-1:111122223333:alarm:kms"
    );
    assert_eq!(account.to_facts().trails[0].trail.trail_arn, trail_arn);
    assert!(
        services
            .trails
            .describe_trails("cn-north-1")
            .await
            .unwrap()
            .len()
            == 1
    );
}

//! Gather on mockall mocks: a compliant account is read by metric and never
//! listed, whatever else the region holds; an alarm that reaches no one gets
//! its region listed, once.

use super::*;
use crate::api::{
    AccountApi, AlarmsApi, EventsApi, KeysApi, LogsApi, MockAlarmsApi, TopicsApi, TrailsApi,
};
use crate::memory::MemoryBackend;
use crate::model::{Alarm, EventSelector, EventSelectors, MetricTransformation, ReadWriteType};
use crate::model::{MetricFilter, Trail, TrailStatus};
use futures::executor::block_on;
use mockall::predicate::always;
use std::collections::BTreeMap;
use std::sync::Arc;

const ACCOUNT: &str = "111122223333";
const REGION: &str = "eu-west-1";

fn metric() -> Metric {
    Metric {
        namespace: "CISBenchmark".into(),
        metric_name: "KmsKeyEvents".into(),
        dimensions: BTreeMap::new(),
    }
}

/// A compliant account in memory, its alarm notifying `alarm_actions`.
async fn account(alarm_actions: Vec<String>) -> Arc<MemoryBackend> {
    let world = Arc::new(MemoryBackend::new(ACCOUNT, REGION));
    world.put_trail(
        Trail {
            name: "main".into(),
            trail_arn: format!("arn:aws:cloudtrail:{REGION}:{ACCOUNT}:trail/main"),
            home_region: REGION.into(),
            is_multi_region_trail: true,
            is_organization_trail: false,
            cloud_watch_logs_log_group_arn: Some(format!(
                "arn:aws:logs:{REGION}:{ACCOUNT}:log-group:ct:*"
            )),
            cloud_watch_logs_role_arn: None,
            has_custom_event_selectors: false,
        },
        Some(TrailStatus {
            is_logging: true,
            latest_cloud_watch_logs_delivery_error: None,
            latest_cloud_watch_logs_delivery_time: None,
        }),
        Some(EventSelectors {
            event_selectors: vec![EventSelector {
                read_write_type: ReadWriteType::All,
                include_management_events: true,
                exclude_management_event_sources: vec![],
            }],
            advanced_event_selectors: vec![],
        }),
    );
    world.create_log_group(REGION, "ct");
    let filter = MetricFilter::new("kms", "ct", "{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }", vec![MetricTransformation {
            metric_name: metric().metric_name,
            metric_namespace: metric().namespace,
            metric_value: "1".into(),
            default_value: None,
            dimensions: BTreeMap::new(),
            unit: None,
        }]);
    world.put_metric_filter(REGION, &filter).await.unwrap();
    let topic = world
        .create_topic(REGION, "alerts", &BTreeMap::new())
        .await
        .unwrap();
    world
        .subscribe(&topic, "sqs", &format!("arn:aws:sqs:{REGION}:{ACCOUNT}:q"))
        .await
        .unwrap();
    let alarm = Alarm {
        alarm_name: "kms".into(),
        alarm_arn: String::new(),
        actions_enabled: Some(true),
        alarm_actions,
        ok_actions: vec![],
        insufficient_data_actions: vec![],
        metric: Some(metric()),
        statistic: Some("Sum".into()),
        extended_statistic: None,
        period: Some(300),
        metrics: vec![],
        threshold: Some(1.0),
        comparison_operator: "GreaterThanOrEqualToThreshold".into(),
        evaluation_periods: 1,
        datapoints_to_alarm: Some(1),
        treat_missing_data: Some("notBreaching".into()),
        state_value: None,
        state_updated_timestamp: None,
        unit: None,
        alarm_description: None,
        tags: BTreeMap::new(),
    };
    world.put_metric_alarm(REGION, &alarm).await.unwrap();
    world
}

fn topic() -> String {
    format!("arn:aws:sns:{REGION}:{ACCOUNT}:alerts")
}

/// The account's services, with mocked alarms: by metric from `world`, and
/// `listings` / `composite_listings` full listings allowed (each answered
/// from `world`).
fn services(world: &Arc<MemoryBackend>, listings: usize, composite_listings: usize) -> Services {
    let mut alarms = MockAlarmsApi::new();
    let w = world.clone();
    alarms
        .expect_describe_alarms_for_metric()
        .with(
            mockall::predicate::eq(REGION),
            mockall::predicate::eq(metric()),
        )
        .times(1)
        .returning(move |r, m| block_on(w.describe_alarms_for_metric(r, m)));
    let w = world.clone();
    alarms
        .expect_describe_alarms()
        .with(always())
        .times(listings)
        .returning(move |r| block_on(w.describe_alarms(r)));
    let w = world.clone();
    alarms
        .expect_describe_composite_alarms()
        .times(composite_listings)
        .returning(move |r| block_on(w.describe_composite_alarms(r)));
    let account: Arc<dyn AccountApi> = world.clone();
    let trails: Arc<dyn TrailsApi> = world.clone();
    let logs: Arc<dyn LogsApi> = world.clone();
    let topics: Arc<dyn TopicsApi> = world.clone();
    let keys: Arc<dyn KeysApi> = world.clone();
    let events: Arc<dyn EventsApi> = world.clone();
    Services::from_parts(
        account,
        trails,
        logs,
        Arc::new(alarms),
        topics,
        keys,
        events,
    )
}

#[tokio::test]
async fn a_compliant_account_is_never_listed() {
    let world = account(vec![topic()]).await;
    let facts = gather(&services(&world, 0, 0), REGION).await.unwrap();
    assert!(facts.errors.is_empty(), "{:?}", facts.errors);
    assert_eq!(
        crate::check::evaluate(&facts).status,
        crate::check::Status::Pass
    );
    assert_eq!(facts.alarms[0].by_metric, Some(vec![metric()]));
}

#[tokio::test]
async fn an_alarm_that_reaches_no_one_gets_its_region_listed_once() {
    let world = account(vec![format!("arn:aws:sns:{REGION}:{ACCOUNT}:gone")]).await;
    let facts = gather(&services(&world, 1, 1), REGION).await.unwrap();
    assert_eq!(
        crate::check::evaluate(&facts).status,
        crate::check::Status::Fail
    );
    assert!(facts.alarms[0].is_full_listing());
}

/// Mocked alarms for remediation's gather: by metric from `world` (`by_metric`
/// times), `listings` full listings, and `named` listings by the default
/// alarm name.
fn remediation_services(
    world: &Arc<MemoryBackend>,
    by_metric: usize,
    listings: usize,
    named: usize,
) -> Services {
    let mut alarms = MockAlarmsApi::new();
    let w = world.clone();
    alarms
        .expect_describe_alarms_for_metric()
        .times(by_metric)
        .returning(move |r, m| block_on(w.describe_alarms_for_metric(r, m)));
    let w = world.clone();
    alarms
        .expect_describe_alarms()
        .times(listings)
        .returning(move |r| block_on(w.describe_alarms(r)));
    let w = world.clone();
    alarms
        .expect_describe_alarms_named()
        .with(
            mockall::predicate::eq(REGION),
            mockall::predicate::eq(crate::remediate::options::DEFAULT_ALARM_NAME),
        )
        .times(named)
        .returning(move |r, p| block_on(w.describe_alarms_named(r, p)));
    let w = world.clone();
    alarms
        .expect_describe_composite_alarms()
        .times(0)
        .returning(move |r| block_on(w.describe_composite_alarms(r)));
    Services::from_parts(
        world.clone(),
        world.clone(),
        world.clone(),
        Arc::new(alarms),
        world.clone(),
        world.clone(),
        world.clone(),
    )
}

/// `count` alarms on metrics no filter publishes.
async fn unrelated_alarms(world: &MemoryBackend, count: usize) {
    for n in 0..count {
        let alarm = Alarm {
            alarm_name: format!("app-{n}"),
            metric: Some(Metric {
                namespace: "App".into(),
                metric_name: format!("Latency{n}"),
                dimensions: BTreeMap::new(),
            }),
            ..world.to_facts().alarms[0].alarms.as_ref().unwrap()[0].clone()
        };
        world.put_metric_alarm(REGION, &alarm).await.unwrap();
    }
}

#[tokio::test]
async fn remediation_of_a_compliant_account_lists_its_alarm_name_not_every_alarm() {
    let world = account(vec![topic()]).await;
    unrelated_alarms(&world, 200).await;
    let scope = crate::remediate::scope(&Default::default());
    let facts = gather_with(&remediation_services(&world, 1, 0, 1), REGION, &scope)
        .await
        .unwrap();
    assert!(facts.errors.is_empty(), "{:?}", facts.errors);
    let region = &facts.alarms[0];
    assert_eq!(
        region.by_name_prefix,
        Some(vec![
            crate::remediate::options::DEFAULT_ALARM_NAME.to_owned()
        ])
    );
    // The alarm on the filter's metric, none of the 200 others.
    assert_eq!(region.alarms.as_ref().map(Vec::len), Some(1));
    assert!(region.name_listed(crate::remediate::options::DEFAULT_ALARM_NAME));
    assert!(!region.name_listed("app-1"));
    assert!(!region.is_full_listing());
}

#[tokio::test]
async fn a_taken_alarm_name_is_found_by_its_prefix_where_no_filter_catches_the_events() {
    let world = account(vec![topic()]).await;
    // The filter no longer catches KMS events: nothing to read by metric.
    let mut broken = world.to_facts().log_groups[0]
        .metric_filters
        .clone()
        .unwrap()[0]
        .clone();
    broken.filter_pattern = "{ $.eventName = CreateKey }".into();
    world.put_metric_filter(REGION, &broken).await.unwrap();
    unrelated_alarms(&world, 50).await;
    let taken = Alarm {
        alarm_name: crate::remediate::options::DEFAULT_ALARM_NAME.into(),
        ..world.to_facts().alarms[0].alarms.as_ref().unwrap()[0].clone()
    };
    world.put_metric_alarm(REGION, &taken).await.unwrap();
    let scope = crate::remediate::scope(&Default::default());
    let facts = gather_with(&remediation_services(&world, 0, 0, 1), REGION, &scope)
        .await
        .unwrap();
    let region = facts.region_alarms(REGION).unwrap();
    let names: Vec<&str> = region
        .alarms
        .iter()
        .flatten()
        .map(|a| a.alarm_name.as_str())
        .collect();
    assert_eq!(names, [crate::remediate::options::DEFAULT_ALARM_NAME]);
    assert!(region.name_listed(crate::remediate::options::DEFAULT_ALARM_NAME));
    assert_eq!(region.by_metric, Some(vec![]));
}

#[tokio::test]
async fn alarms_read_by_metric_only_cannot_say_whether_the_name_is_taken() {
    let world = account(vec![topic()]).await;
    let facts = gather(&services(&world, 0, 0), REGION).await.unwrap();
    let region = &facts.alarms[0];
    assert!(!region.name_listed(crate::remediate::options::DEFAULT_ALARM_NAME));
}

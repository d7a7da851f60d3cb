//! Gather on mockall mocks: a compliant account is read by metric and never
//! listed, whatever else the region holds; an alarm that reaches no one gets
//! its region listed, once.

use super::*;
use crate::api::{
    AccountApi, AlarmsApi, EventsApi, KeysApi, LogsApi, MockAlarmsApi, TopicsApi, TrailsApi,
};
use crate::memory::MemoryBackend;
use crate::model::{Alarm, EventSelector, EventSelectors, MetricTransformation, ReadWriteType};
use crate::model::{Trail, TrailStatus};
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
    let filter = MetricFilter {
        filter_name: "kms".into(),
        log_group_name: "ct".into(),
        filter_pattern: "{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }".into(),
        metric_transformations: vec![MetricTransformation {
            metric_name: metric().metric_name,
            metric_namespace: metric().namespace,
            metric_value: "1".into(),
            default_value: None,
            dimensions: BTreeMap::new(),
            unit: None,
        }],
    };
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

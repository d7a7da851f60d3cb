//! Gather on mockall mocks: which calls are made, and which are not.

use super::*;
use crate::api::ApiErrorKind;
use crate::api::{
    MockAccountApi, MockAlarmsApi, MockEventsApi, MockKeysApi, MockLogsApi, MockTopicsApi,
    MockTrailsApi,
};
use crate::model::{EventSelectors, MetricFilter, MetricTransformation, Trail, TrailStatus};
use crate::operation::Operation;
use mockall::predicate::eq;
use std::sync::Arc;

const ACCOUNT: &str = "111122223333";

fn shadow_trail() -> Trail {
    Trail {
        name: "org".into(),
        trail_arn: format!("arn:aws:cloudtrail:eu-west-1:{ACCOUNT}:trail/main"),
        home_region: "eu-west-1".into(),
        is_multi_region_trail: true,
        is_organization_trail: false,
        cloud_watch_logs_log_group_arn: Some(format!(
            "arn:aws:logs:eu-west-1:{ACCOUNT}:log-group:ct:*"
        )),
        cloud_watch_logs_role_arn: None,
        has_custom_event_selectors: false,
    }
}

fn services(
    trails: MockTrailsApi,
    logs: MockLogsApi,
    alarms: MockAlarmsApi,
    topics: MockTopicsApi,
) -> Services {
    let mut account = MockAccountApi::new();
    account.expect_account_id().returning(|| Ok(ACCOUNT.into()));
    Services::from_parts(
        Arc::new(account),
        Arc::new(trails),
        Arc::new(logs),
        Arc::new(alarms),
        Arc::new(topics),
        // A mock with no expectation: any KMS call fails the test.
        Arc::new(MockKeysApi::new()),
        Arc::new(no_event_rules()),
    )
}

#[tokio::test]
async fn shadow_trail_is_read_in_its_home_region_and_unrelated_filters_cost_no_alarm_calls() {
    let mut trails = MockTrailsApi::new();
    trails
        .expect_describe_trails()
        .with(eq("us-east-1"))
        .times(1)
        .returning(|_| Ok(vec![shadow_trail()]));
    trails
        .expect_get_trail_status()
        .withf(|region, _| region == "eu-west-1")
        .times(1)
        .returning(|_, _| {
            Ok(TrailStatus {
                is_logging: true,
                latest_cloud_watch_logs_delivery_error: None,
                latest_cloud_watch_logs_delivery_time: None,
            })
        });
    trails
        .expect_get_event_selectors()
        .withf(|region, _| region == "eu-west-1")
        .times(1)
        .returning(|_, _| Ok(EventSelectors::default()));
    let mut logs = MockLogsApi::new();
    logs.expect_describe_metric_filters()
        .with(eq("eu-west-1"), eq("ct"))
        .times(1)
        .returning(|_, _| {
            Ok(vec![MetricFilter::new(
                "root",
                "ct",
                "{ $.eventName = ConsoleLogin }",
                vec![MetricTransformation {
                    metric_name: "m".into(),
                    metric_namespace: "n".into(),
                    metric_value: "1".into(),
                    default_value: None,
                    dimensions: Default::default(),
                    unit: None,
                }],
            )])
        });
    // No filter catches a KMS event: no alarm or topic call at all.
    let alarms = MockAlarmsApi::new();
    let topics = MockTopicsApi::new();
    let facts = gather(&services(trails, logs, alarms, topics), "us-east-1")
        .await
        .unwrap();
    assert!(facts.errors.is_empty());
    assert!(facts.alarms.is_empty());
    assert_eq!(facts.log_groups[0].exists, Some(true));
}

#[tokio::test]
async fn single_region_trails_cost_no_further_calls_and_errors_are_recorded() {
    let mut trails = MockTrailsApi::new();
    let mut single = shadow_trail();
    single.is_multi_region_trail = false;
    trails
        .expect_describe_trails()
        .returning(move |_| Ok(vec![single.clone()]));
    let facts = gather(
        &services(
            trails,
            MockLogsApi::new(),
            MockAlarmsApi::new(),
            MockTopicsApi::new(),
        ),
        "eu-west-1",
    )
    .await
    .unwrap();
    assert_eq!(facts.trails.len(), 1);
    assert!(facts.trails[0].status.is_none());

    let mut trails = MockTrailsApi::new();
    trails.expect_describe_trails().returning(|_| {
        Err(ApiError::new(
            Operation::DescribeTrails,
            ApiErrorKind::AccessDenied,
            "AccessDeniedException",
            "no",
        ))
    });
    let facts = gather(
        &services(
            trails,
            MockLogsApi::new(),
            MockAlarmsApi::new(),
            MockTopicsApi::new(),
        ),
        "eu-west-1",
    )
    .await
    .unwrap();
    assert_eq!(facts.errors.len(), 1);
    assert_eq!(facts.errors[0].region.as_deref(), Some("eu-west-1"));
    assert_eq!(
        crate::check::evaluate(&facts).status,
        crate::check::Status::Error
    );
}

/// EventBridge with no rule in any region (read when the chain does not pass).
fn no_event_rules() -> MockEventsApi {
    let mut events = MockEventsApi::new();
    events.expect_list_rules().returning(|_| Ok(Vec::new()));
    events
}

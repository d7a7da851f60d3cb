//! mockall expectation tests of `apply`: the service traits have no delete call
//! at all, and these tests pin down that `apply` makes exactly the planned
//! writes — none on a compliant account, never a put over a resource kmswatch
//! did not create, and nothing when the preview would not pass.

use super::{apply, gather, plan, Action, RemediateError, RemediateOptions, Subscriber};
use crate::api::{AccountApi, AlarmsApi, LogsApi, TopicsApi, TrailsApi};
use crate::api::{
    MockAccountApi, MockAlarmsApi, MockEventsApi, MockKeysApi, MockLogsApi, MockTopicsApi,
    MockTrailsApi, Services,
};
use crate::check::{Facts, Status};
use crate::memory::MemoryBackend;
use futures::executor::block_on;
use std::sync::{Arc, Mutex};

fn example(name: &str) -> Facts {
    let path = format!("{}/../examples/{name}.json", env!("CARGO_MANIFEST_DIR"));
    Facts::load(path.as_ref()).unwrap()
}

type WriteLog = Arc<Mutex<Vec<String>>>;

/// Mocks whose reads answer from `account`. With `writes` the writes go to
/// `account` too and are logged; without, a write has no expectation and panics.
fn mocked(account: &Arc<MemoryBackend>, writes: Option<&WriteLog>) -> Services {
    let mut sts = MockAccountApi::new();
    let a = account.clone();
    sts.expect_account_id()
        .returning(move || block_on(a.account_id()));

    let mut trails = MockTrailsApi::new();
    let a = account.clone();
    trails
        .expect_describe_trails()
        .returning(move |r| block_on(a.describe_trails(r)));
    let a = account.clone();
    trails
        .expect_get_trail_status()
        .returning(move |r, t| block_on(a.get_trail_status(r, t)));
    let a = account.clone();
    trails
        .expect_get_event_selectors()
        .returning(move |r, t| block_on(a.get_event_selectors(r, t)));

    let mut logs = MockLogsApi::new();
    let a = account.clone();
    logs.expect_describe_log_group()
        .returning(move |r, n| block_on(a.describe_log_group(r, n)));
    let a = account.clone();
    logs.expect_describe_metric_filters()
        .returning(move |r, n| block_on(a.describe_metric_filters(r, n)));

    let mut alarms = MockAlarmsApi::new();
    let a = account.clone();
    alarms
        .expect_describe_alarms()
        .returning(move |r| block_on(a.describe_alarms(r)));
    let a = account.clone();
    alarms
        .expect_describe_composite_alarms()
        .returning(move |r| block_on(a.describe_composite_alarms(r)));
    let a = account.clone();
    alarms
        .expect_describe_alarms_for_metric()
        .returning(move |r, m| block_on(a.describe_alarms_for_metric(r, m)));
    let a = account.clone();
    alarms
        .expect_describe_alarms_named()
        .returning(move |r, p| block_on(a.describe_alarms_named(r, p)));

    let mut topics = MockTopicsApi::new();
    let a = account.clone();
    topics
        .expect_get_topic_attributes()
        .returning(move |t| block_on(a.get_topic_attributes(t)));
    let a = account.clone();
    topics
        .expect_list_subscriptions_by_topic()
        .returning(move |t| block_on(a.list_subscriptions_by_topic(t)));
    let a = account.clone();
    topics
        .expect_get_subscription_attributes()
        .returning(move |s| block_on(a.get_subscription_attributes(s)));

    if let Some(log) = writes {
        let (a, l) = (account.clone(), log.clone());
        logs.expect_put_metric_filter().returning(move |r, f| {
            l.lock()
                .unwrap()
                .push(format!("PutMetricFilter {}", f.filter_name));
            block_on(a.put_metric_filter(r, f))
        });
        let (a, l) = (account.clone(), log.clone());
        alarms.expect_put_metric_alarm().returning(move |r, alarm| {
            l.lock()
                .unwrap()
                .push(format!("PutMetricAlarm {}", alarm.alarm_name));
            block_on(a.put_metric_alarm(r, alarm))
        });
        let (a, l) = (account.clone(), log.clone());
        topics.expect_create_topic().returning(move |r, n, t| {
            l.lock().unwrap().push(format!("CreateTopic {n}"));
            block_on(a.create_topic(r, n, t))
        });
        let (a, l) = (account.clone(), log.clone());
        topics.expect_subscribe().returning(move |t, p, e| {
            l.lock().unwrap().push(format!("Subscribe {p}:{e}"));
            block_on(a.subscribe(t, p, e))
        });
        let (a, l) = (account.clone(), log.clone());
        topics.expect_set_topic_policy().returning(move |t, p| {
            l.lock().unwrap().push(format!("SetTopicAttributes {t}"));
            block_on(a.set_topic_policy(t, p))
        });
    }
    Services::from_parts(
        Arc::new(sts),
        Arc::new(trails),
        Arc::new(logs),
        Arc::new(alarms),
        Arc::new(topics),
        // A mock with no expectation: any KMS call fails the test.
        Arc::new(MockKeysApi::new()),
        Arc::new(no_event_rules()),
    )
}

fn sqs() -> RemediateOptions {
    RemediateOptions {
        subscriber: Some(
            Subscriber::parse("sqs:arn:aws:sqs:us-east-1:111122223333:alerts").unwrap(),
        ),
        ..RemediateOptions::default()
    }
}

// The mocks answer with `block_on` over the in-memory backend, so the tests
// drive `apply` on tokio rather than on a nested futures executor.
#[tokio::test]
async fn compliant_account_gets_no_write() {
    let account = Arc::new(MemoryBackend::from_facts(example("compliant")));
    let services = mocked(&account, None);
    let facts = gather(&services, "us-east-1", &sqs()).await.unwrap();
    let plan = plan(&facts, &sqs()).unwrap();
    assert!(plan.is_empty());
    let applied = apply(&services, &facts, &plan).await.unwrap();
    assert!(applied.executed.is_empty());
    assert_eq!(applied.report_after.status, Status::Pass);
}

#[tokio::test]
async fn apply_makes_exactly_the_planned_writes_and_never_overwrites() {
    for name in [
        "broken-alarm-no-actions",
        "broken-never-matching-pattern",
        "broken-pattern-misses-schedule",
        "broken-subscription-pending",
        "broken-threshold-zero",
    ] {
        let before = example(name);
        let account = Arc::new(MemoryBackend::from_facts(before.clone()));
        let log = WriteLog::default();
        let services = mocked(&account, Some(&log));
        let facts = gather(&services, "us-east-1", &sqs()).await.unwrap();
        let plan = plan(&facts, &sqs()).unwrap();
        let applied = apply(&services, &facts, &plan).await.unwrap();
        assert_eq!(applied.report_after.status, Status::Pass, "{name}");
        let writes = log.lock().unwrap().clone();
        assert_eq!(writes.len(), plan.actions.len(), "{name}: {writes:?}");
        // Every alarm and filter existing before is exactly as it was.
        let after = account.to_facts();
        for region in &before.alarms {
            for old in region.alarms.iter().flatten() {
                let now = after
                    .region_alarms(&region.region)
                    .and_then(|r| r.alarms.as_ref())
                    .unwrap();
                assert!(
                    now.contains(old),
                    "{name}: alarm {} changed",
                    old.alarm_name
                );
            }
        }
        for group in &before.log_groups {
            for old in group.metric_filters.iter().flatten() {
                let now = after
                    .log_group(&group.arn)
                    .and_then(|g| g.metric_filters.as_ref())
                    .unwrap();
                assert!(
                    now.contains(old),
                    "{name}: filter {} changed",
                    old.filter_name
                );
            }
        }
        for action in &plan.actions {
            if let Action::PutMetricAlarm { alarm, .. } = action {
                assert!(
                    alarm.alarm_name.starts_with("kmswatch-"),
                    "{name}: {}",
                    alarm.alarm_name
                );
            }
        }
        // And a second run writes nothing: the mocks without write expectations
        // would panic on any write.
        let quiet = mocked(&account, None);
        let facts = gather(&quiet, "us-east-1", &sqs()).await.unwrap();
        let again = super::plan(&facts, &sqs()).unwrap();
        assert!(again.is_empty(), "{name}: {:?}", again.actions);
        apply(&quiet, &facts, &again).await.unwrap();
    }
}

#[tokio::test]
async fn a_plan_that_would_not_pass_writes_nothing() {
    let facts = example("broken-threshold-zero");
    let mut plan = plan(&facts, &RemediateOptions::default()).unwrap();
    // Tamper with the plan: an alarm on a metric no filter publishes.
    if let Action::PutMetricAlarm { alarm, .. } = &mut plan.actions[0] {
        alarm.metric.as_mut().unwrap().metric_name = "Nothing".into();
    }
    let account = Arc::new(MemoryBackend::from_facts(facts.clone()));
    let services = mocked(&account, None);
    let err = apply(&services, &facts, &plan).await.unwrap_err();
    assert!(
        matches!(
            err,
            RemediateError::NotPassAfterPreview {
                predicted: Status::Fail,
                ..
            }
        ),
        "{err}"
    );
}

/// EventBridge with no rule in any region (read when the chain does not pass).
fn no_event_rules() -> MockEventsApi {
    let mut events = MockEventsApi::new();
    events.expect_list_rules().returning(|_| Ok(Vec::new()));
    events
}

/// A plan that passes only once an e-mail is confirmed ends FAIL when
/// applied: the dry run exits as `--apply` does (1); one that passes at once
/// exits 0 both ways.
#[tokio::test]
async fn a_dry_run_exits_as_apply_does() {
    let email = RemediateOptions {
        subscriber: Some(Subscriber::email("secops@example.com").unwrap()),
        ..RemediateOptions::default()
    };
    for (options, code) in [(email, 1), (sqs(), 0)] {
        let account = Arc::new(MemoryBackend::from_facts(example(
            "broken-alarm-no-actions",
        )));
        let services = account.services();
        let (dry, _) = super::run(&services, "us-east-1", &options, false)
            .await
            .unwrap();
        let (applied, _) = super::run(&services, "us-east-1", &options, true)
            .await
            .unwrap();
        assert_eq!(applied.status_after.map(Status::exit_code), Some(code));
        assert_eq!((dry.exit_code(), applied.exit_code()), (code, code));
    }
}

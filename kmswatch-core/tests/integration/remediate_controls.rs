//! Remediation per CIS monitoring control (`remediate --control`) on the
//! in-memory backend: one filter and one alarm per control that does not
//! pass, on the chain's log group, every alarm notifying one topic; the
//! safety rules of the KMS plan (never overwrite, idempotent, the preview
//! judges every control).

use crate::common;

use common::*;
use kmswatch_core::api::{AlarmsApi, LogsApi, Services};
use kmswatch_core::check::{Facts, Status};
use kmswatch_core::controls::{self, Control};
use kmswatch_core::memory::MemoryBackend;
use kmswatch_core::remediate::options::{control_metric_name, control_resource_name};
use kmswatch_core::remediate::{
    self, apply, export, Action, Change, RemediateError, RemediateOptions, Subscriber, Via,
};
use std::sync::Arc;

/// The options of a plan for `ids`, subscribing a queue.
fn options(ids: &[&str]) -> RemediateOptions {
    RemediateOptions {
        subscriber: Some(
            Subscriber::parse(&format!("sqs:arn:aws:sqs:{REGION}:{ACCOUNT}:alerts")).unwrap(),
        ),
        controls: ids.iter().map(|id| (*id).to_owned()).collect(),
        ..RemediateOptions::default()
    }
}

async fn gather(services: &Services, options: &RemediateOptions) -> Facts {
    remediate::gather(services, REGION, options).await.unwrap()
}

fn names(actions: &[Action], kind: &str) -> Vec<String> {
    actions
        .iter()
        .filter_map(|a| match (a, kind) {
            (Action::PutMetricFilter { filter, .. }, "filter") => Some(filter.filter_name.clone()),
            (Action::PutMetricAlarm { alarm, .. }, "alarm") => Some(alarm.alarm_name.clone()),
            (Action::CreateTopic { topic_arn, .. }, "topic") => Some(topic_arn.clone()),
            _ => None,
        })
        .collect()
}

fn family() -> Vec<&'static Control> {
    controls::ALL.to_vec()
}

#[tokio::test]
async fn the_whole_family_gets_a_filter_and_alarm_each_then_nothing() {
    // The compliant account passes the KMS control only.
    let world = compliant().await;
    let services = world.services();
    let options = options(&["cis"]);
    let facts = gather(&services, &options).await;
    let plan = remediate::plan(&facts, &options).unwrap();
    assert_eq!(plan.status_before, Status::Fail);
    assert_eq!(plan.controls.len(), 15);
    let filters = names(&plan.actions, "filter");
    let alarms = names(&plan.actions, "alarm");
    assert_eq!(filters.len(), 14, "{filters:?}");
    assert_eq!(
        alarms, filters,
        "each control's alarm has its filter's name"
    );
    assert!(filters.contains(&"kmswatch-unauthorized-api-calls".to_owned()));
    // The KMS control passes already: nothing of it is written.
    assert!(!filters.iter().any(|f| f.contains("kms-key")));
    // One new topic, notified by every new alarm.
    let topics = names(&plan.actions, "topic");
    assert_eq!(topics.len(), 1, "{topics:?}");
    for action in &plan.actions {
        if let Action::PutMetricAlarm { alarm, .. } = action {
            assert_eq!(alarm.alarm_actions, topics);
        }
    }
    // Each filter has its control's CIS pattern and metric.
    for c in controls::ALL.iter().filter(|c| !c.is_kms()) {
        let found = plan.actions.iter().any(|a| {
            matches!(a, Action::PutMetricFilter { filter, .. }
                if filter.filter_name == control_resource_name(c)
                    && filter.filter_pattern == c.cis_pattern
                    && filter.metric_transformations[0].metric_name == control_metric_name(c))
        });
        assert!(found, "no filter for {}", c.cis);
    }
    let preview = remediate::preview(&facts, &plan).unwrap();
    assert_eq!(preview.status, Status::Pass, "{}", preview.report.summary);
    assert!(preview
        .report
        .controls
        .iter()
        .all(|v| v.status == Status::Pass));

    let applied = apply(&services, &facts, &plan).await.unwrap();
    assert_eq!(applied.report_after.status, Status::Pass);
    let after = check_controls(&world, &family()).await.1;
    assert_eq!(after.status, Status::Pass, "{}", after.summary);

    // Idempotent: a second plan writes nothing.
    let again = remediate::plan(&gather(&services, &options).await, &options).unwrap();
    assert!(again.is_empty(), "{:#?}", again.actions);
    assert!(
        again.notes[0].starts_with("already PASS"),
        "{:?}",
        again.notes
    );
}

#[tokio::test]
async fn only_the_failing_controls_are_fixed_and_the_kms_plan_shares_its_topic() {
    // No KMS filter either: the KMS plan makes the topic the others share.
    let world = Arc::new(MemoryBackend::new(ACCOUNT, REGION));
    world.put_trail(trail(), Some(status(true)), Some(all_management()));
    world.create_log_group(REGION, GROUP);
    let services = world.services();
    // 4.10 already has a working chain of its own, through the account's topic.
    let groups = controls::find("4.10").unwrap();
    world
        .put_metric_filter(
            REGION,
            &filter("groups", groups.cis_pattern, "GroupChanges"),
        )
        .await
        .unwrap();
    let topic = {
        use kmswatch_core::api::TopicsApi;
        let t = world
            .create_topic(REGION, TOPIC, &Default::default())
            .await
            .unwrap();
        world
            .subscribe(&t, "sqs", &format!("arn:aws:sqs:{REGION}:{ACCOUNT}:secops"))
            .await
            .unwrap();
        t
    };
    world
        .put_metric_alarm(REGION, &alarm("groups", "GroupChanges", &topic))
        .await
        .unwrap();
    let options = options(&["4.1", "4.3", "CloudWatch.7", "4.10"]);
    let facts = gather(&services, &options).await;
    let plan = remediate::plan(&facts, &options).unwrap();
    assert_eq!(plan.controls, ["4.1", "4.3", "4.7", "4.10"]);
    assert_eq!(
        names(&plan.actions, "filter"),
        [
            "kmswatch-kms-key-disable-or-deletion",
            "kmswatch-unauthorized-api-calls",
            "kmswatch-root-user-usage"
        ]
    );
    let created = names(&plan.actions, "topic");
    assert_eq!(created.len(), 1);
    let alarm_topics: Vec<&Vec<String>> = plan
        .actions
        .iter()
        .filter_map(|a| match a {
            Action::PutMetricAlarm { alarm, .. } => Some(&alarm.alarm_actions),
            _ => None,
        })
        .collect();
    assert_eq!(alarm_topics.len(), 3);
    assert!(alarm_topics.iter().all(|t| **t == created));
    let applied = apply(&services, &facts, &plan).await.unwrap();
    assert_eq!(applied.report_after.status, Status::Pass);
    let asked = options.selected_controls().unwrap();
    assert_eq!(check_controls(&world, &asked).await.1.status, Status::Pass);
}

#[tokio::test]
async fn a_filter_of_the_same_name_is_never_overwritten_without_adopt() {
    let world = compliant().await;
    let c = controls::find("4.2").unwrap();
    let name = control_resource_name(c);
    // Someone else's filter of kmswatch's name, with a weaker pattern.
    world
        .put_metric_filter(
            REGION,
            &filter(&name, "{ $.eventName = ConsoleLogin }", "Logins"),
        )
        .await
        .unwrap();
    let services = world.services();
    let options = options(&["4.2"]);
    let facts = gather(&services, &options).await;
    let err = remediate::plan(&facts, &options).unwrap_err();
    assert!(
        matches!(&err, RemediateError::Conflict { resource, .. } if resource.contains(&name)),
        "{err}"
    );
    let adopted = RemediateOptions {
        adopt: true,
        ..options
    };
    let plan = remediate::plan(&facts, &adopted).unwrap();
    assert!(plan.actions.iter().any(|a| matches!(a,
        Action::PutMetricFilter { change: Change::Update, filter, .. } if filter.filter_name == name)));
    assert_eq!(
        remediate::preview(&facts, &plan).unwrap().status,
        Status::Pass
    );
}

#[tokio::test]
async fn a_plan_that_would_leave_a_control_failing_is_refused_before_any_write() {
    let world = compliant().await;
    let services = world.services();
    let options = options(&["4.4"]);
    let facts = gather(&services, &options).await;
    let mut plan = remediate::plan(&facts, &options).unwrap();
    // The same plan without its alarm: the preview judges 4.4, not only 4.7.
    plan.actions
        .retain(|a| !matches!(a, Action::PutMetricAlarm { .. }));
    let err = apply(&services, &facts, &plan).await.unwrap_err();
    assert!(
        matches!(err, RemediateError::NotPassAfterPreview { .. }),
        "{err}"
    );
    let after = gather(&services, &options).await;
    let groups = &after.log_groups[0];
    assert!(
        groups
            .metric_filters
            .iter()
            .flatten()
            .all(|f| !f.filter_name.starts_with("kmswatch-")),
        "nothing is written"
    );
}

#[tokio::test]
async fn unknown_alarm_names_and_eventbridge_are_refused() {
    // A snapshot of the KMS control lists the alarms of the KMS name only.
    let facts = Facts::load("../examples/compliant.json".as_ref()).unwrap();
    let mut listed_by_name = facts.clone();
    for region in &mut listed_by_name.alarms {
        region.by_metric = Some(Vec::new());
        region.by_name_prefix = Some(vec![remediate::options::DEFAULT_ALARM_NAME.to_owned()]);
    }
    let err = remediate::plan(&listed_by_name, &options(&["4.9"])).unwrap_err();
    assert!(
        matches!(&err, RemediateError::FactsIncomplete { gaps }
            if gaps[0].message.contains("kmswatch-aws-config-configuration-changes")),
        "{err}"
    );
    let eventbridge = RemediateOptions {
        via: Via::Eventbridge,
        ..options(&["4.9"])
    };
    assert!(matches!(
        remediate::plan(&facts, &eventbridge),
        Err(RemediateError::InvalidOption(_))
    ));
    let unknown = options(&["4.99"]);
    assert!(matches!(
        remediate::plan(&facts, &unknown),
        Err(RemediateError::InvalidOption(m)) if m.contains("4.99")
    ));
}

#[tokio::test]
async fn new_filters_count_against_the_limit_of_the_log_group() {
    let world = compliant().await;
    // 90 filters: room for 10 more, not for 14.
    for n in 1..90 {
        world
            .put_metric_filter(
                REGION,
                &filter(&format!("other-{n}"), "{ $.eventName = X }", "X"),
            )
            .await
            .unwrap();
    }
    let services = world.services();
    let options = options(&["cis"]);
    let facts = gather(&services, &options).await;
    assert!(matches!(
        remediate::plan(&facts, &options),
        Err(RemediateError::FilterLimit { .. })
    ));
    let few = self::options(&["4.1", "4.2", "4.3"]);
    assert!(remediate::plan(&gather(&services, &few).await, &few).is_ok());
}

#[tokio::test]
async fn the_kms_plan_alone_is_unchanged_and_exports_cover_every_control() {
    let facts = Facts::load("../examples/broken-threshold-zero.json".as_ref()).unwrap();
    let kms_only = remediate::plan(&facts, &options(&["4.7"])).unwrap();
    let default = remediate::plan(&facts, &options(&[])).unwrap();
    assert_eq!(kms_only, default);
    assert!(!kms_only.to_json().contains("\"controls\""));
    let compliant = Facts::load("../examples/compliant.json".as_ref()).unwrap();
    let plan = remediate::plan(&compliant, &options(&["cis"])).unwrap();
    let hcl = export::terraform(&plan);
    let template = export::cloudformation(&plan);
    for c in controls::ALL.iter().filter(|c| !c.is_kms()) {
        let name = control_resource_name(c);
        assert!(
            hcl.contains(&format!("\"{name}\"")),
            "{name} not in terraform"
        );
        assert!(template.contains(&name), "{name} not in cloudformation");
    }
}

#[tokio::test]
async fn a_trail_without_kms_events_still_carries_the_other_controls() {
    let world = Arc::new(MemoryBackend::new(ACCOUNT, REGION));
    let mut selectors = all_management();
    selectors.event_selectors[0].exclude_management_event_sources =
        vec!["kms.amazonaws.com".to_owned()];
    world.put_trail(trail(), Some(status(true)), Some(selectors));
    world.create_log_group(REGION, GROUP);
    let services = world.services();
    let others = options(&["4.10"]);
    let plan = remediate::plan(&gather(&services, &others).await, &others).unwrap();
    assert_eq!(
        names(&plan.actions, "filter"),
        ["kmswatch-security-group-changes"]
    );
    // A control with KMS targets (4.1 counts refused KMS calls too), or the
    // KMS control, cannot be fixed by a filter: the trail must log KMS
    // events first.
    let with_kms = options(&["4.1", "4.10"]);
    assert!(matches!(
        remediate::plan(&gather(&services, &with_kms).await, &with_kms),
        Err(RemediateError::PrerequisiteMissing { .. })
    ));
}

#[tokio::test]
async fn a_conflict_says_what_differs_in_words() {
    let world = compliant().await;
    let c = controls::find("4.3").unwrap();
    let name = control_resource_name(c);
    world
        .put_metric_filter(REGION, &filter(&name, "{ $.x = 1 }", "X"))
        .await
        .unwrap();
    let services = world.services();
    let options = options(&["4.3"]);
    let facts = gather(&services, &options).await;
    let err = remediate::plan(&facts, &options).unwrap_err().to_string();
    assert!(
        err.contains(
            "metric transformation: CISBenchmark/X = 1 (default 0) → kmswatch/RootUserUsage = 1"
        ),
        "{err}"
    );
    assert!(!err.contains("MetricTransformation {"), "{err}");
}

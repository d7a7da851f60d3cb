//! Safe writes of `--apply`: a target changed after the plan stops the run
//! without being overwritten; two runs at once end with one set of resources.

use crate::common;

use kmswatch_core::api::Services;
use kmswatch_core::check::{self, Facts, Status};
use kmswatch_core::memory::MemoryBackend;
use kmswatch_core::remediate::{self, Action, RemediateError, RemediateOptions, Subscriber};
use std::path::Path;
use std::sync::Arc;

const QUEUE: &str = "arn:aws:sqs:us-east-1:111122223333:q";

fn example(name: &str) -> Facts {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    Facts::load(&dir.join(name)).expect("example")
}

fn options() -> RemediateOptions {
    RemediateOptions {
        subscriber: Some(Subscriber::parse(&format!("sqs:{QUEUE}")).unwrap()),
        ..RemediateOptions::default()
    }
}

fn planned_alarm(plan: &remediate::Plan) -> (String, kmswatch_core::model::Alarm) {
    plan.actions
        .iter()
        .find_map(|a| match a {
            Action::PutMetricAlarm { region, alarm, .. } => {
                Some((region.clone(), (**alarm).clone()))
            }
            _ => None,
        })
        .expect("the plan writes an alarm")
}

#[tokio::test]
async fn an_alarm_created_by_someone_else_meanwhile_is_not_overwritten() {
    let facts = example("broken-alarm-no-actions.json");
    let plan = remediate::plan(&facts, &options()).unwrap();
    let world = Arc::new(MemoryBackend::from_facts(facts.clone()));
    let services = Services::new(world.clone());
    // Between plan and apply, someone creates an alarm of that name.
    let (region, mut theirs) = planned_alarm(&plan);
    theirs.threshold = Some(5.0);
    theirs.alarm_actions.clear();
    services
        .alarms
        .put_metric_alarm(&region, &theirs)
        .await
        .unwrap();

    let err = remediate::apply(&services, &facts, &plan)
        .await
        .unwrap_err();
    let RemediateError::ChangedSincePlan(stop) = &err else {
        panic!("expected a stop, got {err}")
    };
    assert!(stop.reason.contains("was created since the plan"), "{err}");
    let now = services.alarms.describe_alarms(&region).await.unwrap();
    let kept = now
        .iter()
        .find(|a| a.alarm_name == theirs.alarm_name)
        .unwrap();
    assert_eq!(
        kept.threshold,
        Some(5.0),
        "their alarm is left as they made it"
    );
}

#[tokio::test]
async fn a_filter_changed_meanwhile_is_not_overwritten() {
    let facts = example("broken-pattern-misses-schedule.json");
    let plan = remediate::plan(&facts, &options()).unwrap();
    let (region, mut filter) = plan
        .actions
        .iter()
        .find_map(|a| match a {
            Action::PutMetricFilter { region, filter, .. } => {
                Some((region.clone(), filter.clone()))
            }
            _ => None,
        })
        .expect("the plan writes a filter");
    let world = Arc::new(MemoryBackend::from_facts(facts.clone()));
    let services = Services::new(world.clone());
    filter.filter_pattern = "{ $.eventName = Something }".into();
    services
        .logs
        .put_metric_filter(&region, &filter)
        .await
        .unwrap();
    let err = remediate::apply(&services, &facts, &plan)
        .await
        .unwrap_err();
    assert!(matches!(err, RemediateError::ChangedSincePlan(_)), "{err}");
}

#[tokio::test]
async fn two_runs_at_once_end_with_one_set_of_resources() {
    let facts = example("broken-alarm-no-actions.json");
    let options = options();
    let plan = remediate::plan(&facts, &options).unwrap();
    let world = Arc::new(MemoryBackend::from_facts(facts.clone()));
    let services = Services::new(world.clone());
    let (a, b) = tokio::join!(
        remediate::apply(&services, &facts, &plan),
        remediate::apply(&services, &facts, &plan)
    );
    // Each run either finishes or stops on what the other wrote; none duplicates.
    for run in [&a, &b] {
        if let Err(e) = run {
            assert!(matches!(e, RemediateError::ChangedSincePlan(_)), "{e}");
        }
    }
    assert!(a.is_ok() || b.is_ok(), "at least one run finishes");
    let [filters, alarms, topics, subscriptions] =
        common::kmswatch_resources(&world.to_facts(), &options, QUEUE);
    assert_eq!((alarms, topics, subscriptions), (1, 1, 1));
    assert!(filters <= 1);
    let (after, report) = check::check(&services, &facts.region).await.unwrap();
    assert_eq!(report.status, Status::Pass);
    assert!(remediate::plan(&after, &options)
        .unwrap()
        .actions
        .is_empty());
}

#[tokio::test]
async fn a_stale_plan_applied_again_writes_nothing_twice() {
    let facts = example("broken-alarm-no-actions.json");
    let plan = remediate::plan(&facts, &options()).unwrap();
    let world = Arc::new(MemoryBackend::from_facts(facts.clone()));
    let services = Services::new(world.clone());
    remediate::apply(&services, &facts, &plan).await.unwrap();
    // The same plan, from the same (now stale) facts: every target is already
    // as planned.
    let again = remediate::apply(&services, &facts, &plan).await.unwrap();
    assert!(
        again
            .executed
            .iter()
            .filter(|e| e.action.contains("alarm"))
            .all(|e| e.result.as_deref() == Some("already as planned: not written again")),
        "{:?}",
        again.executed
    );
    assert_eq!(again.report_after.status, Status::Pass);
}

#[test]
fn adopt_changes_only_what_the_fix_needs() {
    // The example's alarm has no actions; give it settings of its owner's.
    let mut facts = example("broken-alarm-no-actions.json");
    let theirs = &mut facts.alarms[0].alarms.as_mut().unwrap()[0];
    theirs.alarm_description = Some("owned by the platform team".into());
    theirs.ok_actions = vec!["arn:aws:sns:us-east-1:111122223333:ok-pager".into()];
    let theirs = theirs.clone();
    let adopting = RemediateOptions {
        adopt: true,
        ..options()
    };
    let plan = remediate::plan(&facts, &adopting).unwrap();
    let (_, updated) = planned_alarm(&plan);
    assert_eq!(updated.alarm_name, theirs.alarm_name, "fixed in place");
    assert!(
        !updated.alarm_actions.is_empty(),
        "the fix: it notifies now"
    );
    assert_eq!(updated.alarm_description, theirs.alarm_description);
    assert_eq!(updated.ok_actions, theirs.ok_actions);
}

//! `remediate --via eventbridge` on the in-memory backend: a rule and a topic
//! in every region that holds customer managed keys, nothing where a rule
//! passes already, a clear refusal where the facts do not allow a plan.

use crate::common;

use common::*;
use kmswatch_core::api::{Services, TopicsApi};
use kmswatch_core::check::facts::KeyFacts;
use kmswatch_core::check::{self, Facts, MonitorKind, Status};
use kmswatch_core::keys::Regions;
use kmswatch_core::memory::MemoryBackend;
use kmswatch_core::model::{Key, RuleTarget};
use kmswatch_core::remediate::{
    self, export, Action, RemediateError, RemediateOptions, Subscriber, Via,
};
use std::collections::BTreeMap;
use std::sync::Arc;

const OTHER: &str = "eu-west-1";

/// A failing CIS chain (a logging multi-region trail, no metric filter) and
/// customer managed keys in `key_regions`.
pub(crate) fn world(key_regions: &[&str]) -> Arc<MemoryBackend> {
    let world = Arc::new(MemoryBackend::new(ACCOUNT, REGION));
    world.put_trail(trail(), Some(status(true)), Some(all_management()));
    world.create_log_group(REGION, GROUP);
    for (i, region) in key_regions.iter().enumerate() {
        let arn = format!("arn:aws:kms:{region}:{ACCOUNT}:key/k{i}");
        world.put_key(KeyFacts {
            key_id: arn.clone(),
            region: (*region).into(),
            exists: Some(true),
            key: Some(Key {
                key_id: format!("k{i}"),
                arn,
                key_manager: Some("CUSTOMER".into()),
                key_state: Some("Enabled".into()),
                ..Key::default()
            }),
            policy: None,
        });
    }
    world
}

fn options() -> RemediateOptions {
    RemediateOptions {
        via: Via::Eventbridge,
        subscriber: Some(
            Subscriber::parse(&format!("sqs:arn:aws:sqs:{REGION}:{ACCOUNT}:oncall")).unwrap(),
        ),
        ..RemediateOptions::default()
    }
}

fn enabled() -> Regions {
    Regions::partition(vec![REGION.into(), OTHER.into(), "ap-southeast-2".into()])
}

async fn gather(services: &Services, options: &RemediateOptions) -> Facts {
    remediate::gather_eventbridge(services, REGION, options, enabled())
        .await
        .unwrap()
}

fn names(actions: &[Action]) -> Vec<String> {
    actions
        .iter()
        .map(|a| {
            let json = serde_json::to_value(a).unwrap();
            json["action"].as_str().unwrap().to_owned()
        })
        .collect()
}

async fn accepted(services: &Services) -> (Status, Status) {
    let scope = check::Scope {
        key_listing: check::KeyListing::Read(enabled()),
        ..check::Scope::check()
    };
    let (facts, report) = check::check_with(services, REGION, &scope).await.unwrap();
    let cis = report.status;
    (
        cis,
        check::accept(report, &facts, &[MonitorKind::Eventbridge]).status,
    )
}

#[tokio::test]
async fn a_rule_and_a_topic_in_each_region_with_keys_then_nothing() {
    let world = world(&[REGION, OTHER]);
    let services = world.services();
    let options = options();
    let facts = gather(&services, &options).await;
    let run = remediate::dry_run(&facts, &options).unwrap();
    assert_eq!(
        names(&run.plan.actions),
        [
            "create_topic",
            "create_topic",
            "merge_topic_policy",
            "merge_topic_policy",
            "subscribe",
            "subscribe",
            "put_event_rule",
            "put_event_rule",
            "put_event_targets",
            "put_event_targets"
        ]
    );
    assert_eq!(run.predicted_status, Status::Pass, "{:#?}", run.diff);
    assert!(run.plan.to_json().contains(r#""via": "eventbridge""#));
    let rule = run.plan.actions.iter().find_map(|a| match a {
        Action::PutEventRule { region, rule, .. } if region == OTHER => Some(rule.clone()),
        _ => None,
    });
    let rule = rule.expect("a rule in the other region");
    assert_eq!(rule.name, "kmswatch-kms-key-disable-or-deletion");
    assert_eq!(rule.state, "ENABLED");
    assert_eq!(
        rule.tags.get("kmswatch:managed").map(String::as_str),
        Some("true")
    );

    assert_eq!(accepted(&services).await, (Status::Fail, Status::Fail));
    let applied = remediate::apply(&services, &facts, &run.plan)
        .await
        .unwrap();
    assert_eq!(applied.report_after.status, Status::Pass);
    assert_eq!(
        applied.report_after.accepted_by.as_deref(),
        Some("eventbridge")
    );
    // The CIS verdict stays what the CIS text asks.
    assert_eq!(accepted(&services).await, (Status::Fail, Status::Pass));

    let again = gather(&services, &options).await;
    let second = remediate::plan(&again, &options).unwrap();
    assert!(second.actions.is_empty(), "{:#?}", second.actions);
}

#[tokio::test]
async fn a_region_whose_rule_passes_gets_nothing() {
    let world = world(&[REGION, OTHER]);
    let topic = world
        .create_topic(OTHER, "kms-events", &BTreeMap::new())
        .await
        .unwrap();
    let policy = format!(
        r#"{{"Statement":[{{"Effect":"Allow","Principal":{{"Service":"events.amazonaws.com"}},"Action":"sns:Publish","Resource":"{topic}"}}]}}"#
    );
    world.set_topic_policy(&topic, &policy).await.unwrap();
    world
        .subscribe(&topic, "sqs", &format!("arn:aws:sqs:{OTHER}:{ACCOUNT}:q"))
        .await
        .unwrap();
    world.put_event_rule(
        OTHER,
        "theirs",
        "ENABLED",
        remediate::eventbridge::EVENT_PATTERN,
        vec![RuleTarget {
            id: "t".into(),
            arn: topic,
            transforms_input: false,
        }],
    );
    let options = options();
    let facts = gather(&world.services(), &options).await;
    let plan = remediate::plan(&facts, &options).unwrap();
    assert!(plan
        .actions
        .iter()
        .all(|a| serde_json::to_string(a).unwrap().contains(REGION)));
    assert!(
        plan.notes.iter().any(|n| n.contains("theirs")),
        "{:#?}",
        plan.notes
    );
}

#[tokio::test]
async fn unknown_key_regions_and_a_missing_trail_refuse_to_plan() {
    let world = world(&[REGION]);
    let options = options();
    // The facts of a plain gather do not list keys: no guess.
    let facts = remediate::gather(&world.services(), REGION, &options)
        .await
        .unwrap();
    match remediate::plan(&facts, &options) {
        Err(RemediateError::FactsIncomplete { gaps }) => {
            assert_eq!(gaps[0].code.as_string(), "EVENTBRIDGE_KEY_REGIONS_UNKNOWN")
        }
        other => panic!("{other:?}"),
    }
    let stopped = world_without_logging();
    let facts = gather(&stopped.services(), &options).await;
    match remediate::plan(&facts, &options) {
        Err(RemediateError::PrerequisiteMissing { gaps }) => {
            assert_eq!(gaps[0].code.as_string(), "EVENTBRIDGE_NO_TRAIL")
        }
        other => panic!("{other:?}"),
    }
}

fn world_without_logging() -> Arc<MemoryBackend> {
    let world = Arc::new(MemoryBackend::new(ACCOUNT, REGION));
    world.put_trail(trail(), Some(status(false)), Some(all_management()));
    world.create_log_group(REGION, GROUP);
    world
}

#[tokio::test]
async fn a_topic_encrypted_with_the_aws_managed_key_is_refused() {
    let world = world(&[REGION]);
    let topic = world
        .create_topic(REGION, "aws-key", &BTreeMap::new())
        .await
        .unwrap();
    world
        .set_topic_kms_key(&topic, "alias/aws/sns")
        .await
        .unwrap();
    let options = RemediateOptions {
        topic_arn: Some(topic.clone()),
        ..options()
    };
    let facts = gather(&world.services(), &options).await;
    match remediate::plan(&facts, &options) {
        Err(RemediateError::InvalidOption(message)) => {
            assert!(message.contains("alias/aws/sns"), "{message}")
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn the_metric_filter_plan_is_unchanged_and_exports_cover_the_rules() {
    let world = world(&[REGION, OTHER]);
    let metric = RemediateOptions {
        via: Via::MetricFilter,
        ..options()
    };
    let facts = remediate::gather(&world.services(), REGION, &metric)
        .await
        .unwrap();
    let plan = remediate::plan(&facts, &metric).unwrap();
    assert!(!plan.to_json().contains("\"via\""));
    assert!(names(&plan.actions).contains(&"put_metric_filter".to_owned()));
    assert!(!names(&plan.actions).contains(&"put_event_rule".to_owned()));

    let options = options();
    let facts = gather(&world.services(), &options).await;
    let plan = remediate::plan(&facts, &options).unwrap();
    let hcl = export::terraform(&plan);
    assert_eq!(
        hcl.matches("resource \"aws_cloudwatch_event_rule\"")
            .count(),
        2
    );
    assert_eq!(
        hcl.matches("resource \"aws_cloudwatch_event_target\"")
            .count(),
        2
    );
    assert!(hcl.contains(
        "aws_cloudwatch_event_rule.kmswatch_kms_key_disable_or_deletion_event_rule.name"
    ));
    let yaml = export::cloudformation(&plan);
    assert_eq!(yaml.matches("Type: AWS::Events::Rule").count(), 2);
    assert!(yaml.contains("Targets:"));
    assert!(!yaml.contains("EventTarget:"));
}

#[tokio::test]
async fn rules_that_cannot_be_read_are_not_overwritten() {
    use kmswatch_core::api::{ApiError, ApiErrorKind};
    use kmswatch_core::layer::Faults;
    use kmswatch_core::operation::Operation;
    let world = world(&[REGION]);
    let denied = ApiError::new(
        Operation::ListRules,
        ApiErrorKind::AccessDenied,
        "AccessDeniedException",
        "not allowed",
    );
    let services = world.services().layer(Faults::new().fail(denied));
    let options = options();
    let facts = gather(&services, &options).await;
    match remediate::plan(&facts, &options) {
        Err(RemediateError::FactsIncomplete { gaps }) => {
            assert_eq!(gaps[0].code.as_string(), "EVENTBRIDGE_UNKNOWN")
        }
        other => panic!("{other:?}"),
    }
}

//! `--accept eventbridge` against the regions that hold customer managed
//! keys (in-memory backend): every such region needs a passing rule, an
//! unlisted region is unknown, and no key anywhere leaves the check region.

use crate::common;

use common::*;
use kmswatch_core::api::{ApiError, ApiErrorKind, Services, TopicsApi};
use kmswatch_core::check::facts::KeyFacts;
use kmswatch_core::check::{
    self, Facts, KeyListing, KeyRegions, MonitorKind, Report, Scope, Status,
};
use kmswatch_core::keys::Regions;
use kmswatch_core::layer::{FaultRule, Faults};
use kmswatch_core::memory::MemoryBackend;
use kmswatch_core::model::{Key, RuleTarget};
use kmswatch_core::operation::Operation;
use std::collections::BTreeMap;
use std::sync::Arc;

const RULE: &str = r#"{"source": ["aws.kms"], "detail-type": ["AWS API Call via CloudTrail"], "detail": {"eventSource": ["kms.amazonaws.com"], "eventName": ["DisableKey", "ScheduleKeyDeletion"]}}"#;
const OTHER: &str = "eu-west-1";
const OPT_IN: &str = "ap-east-1";

/// A failing CIS chain (a logging trail, no metric filter) with an SNS topic
/// EventBridge may publish to and a confirmed subscriber in each of `regions`.
async fn world(regions: &[&str]) -> Arc<MemoryBackend> {
    let world = Arc::new(MemoryBackend::new(ACCOUNT, REGION));
    world.put_trail(trail(), Some(status(true)), Some(all_management()));
    world.create_log_group(REGION, GROUP);
    for region in regions {
        let topic = world
            .create_topic(region, "kms-events", &BTreeMap::new())
            .await
            .unwrap();
        let policy = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Service":"events.amazonaws.com"}},"Action":"sns:Publish","Resource":"{topic}"}}]}}"#
        );
        world.set_topic_policy(&topic, &policy).await.unwrap();
        world
            .subscribe(
                &topic,
                "sqs",
                &format!("arn:aws:sqs:{region}:{ACCOUNT}:oncall"),
            )
            .await
            .unwrap();
    }
    world
}

fn put_rule(world: &MemoryBackend, region: &str) {
    let target = RuleTarget {
        id: "alert".into(),
        arn: format!("arn:aws:sns:{region}:{ACCOUNT}:kms-events"),
        transforms_input: false,
    };
    world.put_event_rule(region, "kms-keys", "ENABLED", RULE, vec![target]);
}

fn put_key(world: &MemoryBackend, region: &str, id: &str, manager: &str) {
    let arn = format!("arn:aws:kms:{region}:{ACCOUNT}:key/{id}");
    world.put_key(KeyFacts {
        key_id: arn.clone(),
        region: region.into(),
        exists: Some(true),
        key: Some(Key {
            key_id: id.into(),
            arn,
            key_manager: Some(manager.into()),
            key_state: Some("Enabled".into()),
            ..Key::default()
        }),
        policy: None,
    });
}

/// The account's enabled regions as the session lists them when none is named.
fn regions() -> Regions {
    Regions::partition(vec![REGION.into(), OTHER.into(), OPT_IN.into()])
}

async fn accepted(services: &Services) -> (Facts, Report) {
    let scope = Scope {
        key_listing: KeyListing::Read(regions()),
        ..Scope::check()
    };
    let (facts, report) = check::check_with(services, REGION, &scope).await.unwrap();
    let report = check::accept(report, &facts, &[MonitorKind::Eventbridge]);
    (facts, report)
}

fn warnings(report: &Report, code: &str) -> Vec<String> {
    report
        .warnings
        .iter()
        .filter(|g| g.code.as_string() == code)
        .map(|g| g.resource.clone().unwrap_or_default())
        .collect()
}

/// An opt-in region that is not enabled answers every call so.
fn not_enabled() -> Faults {
    Faults::new().fail(FaultRule::new(
        ApiError::new(
            Operation::ListKeys,
            ApiErrorKind::AccessDenied,
            "UnrecognizedClientException",
            "The security token included in the request is invalid.",
        )
        .in_region(OPT_IN),
    ))
}

#[tokio::test]
async fn a_rule_in_every_region_with_keys_passes() {
    let world = world(&[REGION, OTHER]).await;
    put_key(&world, REGION, "a", "CUSTOMER");
    put_key(&world, OTHER, "b", "CUSTOMER");
    put_rule(&world, REGION);
    put_rule(&world, OTHER);
    let (facts, report) = accepted(&world.services().layer(not_enabled())).await;
    assert_eq!(
        check::key_regions(&facts),
        KeyRegions::Known([REGION.to_owned(), OTHER.to_owned()].into())
    );
    assert_eq!(facts.key_regions.as_ref().unwrap().skipped, [OPT_IN]);
    assert_eq!(report.status, Status::Pass, "{:#?}", report.warnings);
    assert_eq!(report.accepted_by.as_deref(), Some("eventbridge"));
    assert!(report.warnings.is_empty(), "{:#?}", report.warnings);
}

#[tokio::test]
async fn a_region_with_keys_and_no_rule_is_named() {
    let world = world(&[REGION, OTHER]).await;
    put_key(&world, REGION, "a", "CUSTOMER");
    put_key(&world, OTHER, "b", "CUSTOMER");
    put_rule(&world, REGION);
    let (_, report) = accepted(&world.services().layer(not_enabled())).await;
    assert_eq!(report.status, Status::Fail);
    assert_eq!(report.accepted_by, None);
    assert_eq!(
        warnings(&report, "EVENTBRIDGE_KEY_REGION_UNMONITORED"),
        [OTHER]
    );
    let other = report.monitored_by.iter().find(|m| m.region == OTHER);
    assert_eq!(
        other.map(|m| m.status),
        Some(Status::Fail),
        "its rules were read"
    );
}

#[tokio::test]
async fn a_region_whose_keys_cannot_be_listed_is_unknown() {
    let world = world(&[REGION, OTHER]).await;
    put_key(&world, REGION, "a", "CUSTOMER");
    put_rule(&world, REGION);
    put_rule(&world, OTHER);
    let denied = ApiError::new(
        Operation::ListKeys,
        ApiErrorKind::AccessDenied,
        "AccessDeniedException",
        "not allowed",
    )
    .in_region(OTHER);
    let services = world
        .services()
        .layer(not_enabled().fail(FaultRule::new(denied)));
    let (facts, report) = accepted(&services).await;
    assert_eq!(
        check::key_regions(&facts),
        KeyRegions::Unknown(vec![OTHER.into()])
    );
    assert_eq!(report.status, Status::Fail);
    assert_eq!(
        warnings(&report, "EVENTBRIDGE_KEY_REGIONS_UNKNOWN"),
        [OTHER]
    );
    assert!(facts
        .error_for(Operation::ListKeys, None, Some(OTHER))
        .is_some());
}

#[tokio::test]
async fn a_key_that_cannot_be_described_leaves_its_region_unknown() {
    let world = world(&[REGION]).await;
    put_rule(&world, REGION);
    put_key(&world, OTHER, "b", "CUSTOMER");
    let denied = ApiError::new(
        Operation::DescribeKey,
        ApiErrorKind::AccessDenied,
        "AccessDeniedException",
        "not allowed",
    )
    .in_region(OTHER);
    let services = world
        .services()
        .layer(not_enabled().fail(FaultRule::new(denied)));
    let (facts, report) = accepted(&services).await;
    assert_eq!(
        check::key_regions(&facts),
        KeyRegions::Unknown(vec![OTHER.into()])
    );
    assert_eq!(report.status, Status::Fail);
}

#[tokio::test]
async fn without_customer_managed_keys_the_check_region_decides() {
    let world = world(&[REGION]).await;
    put_key(&world, OTHER, "managed", "AWS");
    put_rule(&world, REGION);
    let (facts, report) = accepted(&world.services().layer(not_enabled())).await;
    assert_eq!(
        check::key_regions(&facts),
        KeyRegions::Known(Default::default())
    );
    assert_eq!(report.status, Status::Pass, "{:#?}", report.warnings);

    let bare = world_without_rule().await;
    let (_, report) = accepted(&bare.services().layer(not_enabled())).await;
    assert_eq!(report.status, Status::Fail);
    assert_eq!(
        warnings(&report, "EVENTBRIDGE_KEY_REGION_UNMONITORED"),
        [REGION]
    );
}

async fn world_without_rule() -> Arc<MemoryBackend> {
    world(&[REGION]).await
}

#[tokio::test]
async fn a_passing_chain_lists_no_key() {
    let world = compliant().await;
    put_key(&world, OTHER, "b", "CUSTOMER");
    let denied = ApiError::new(
        Operation::ListKeys,
        ApiErrorKind::AccessDenied,
        "AccessDeniedException",
        "should not be called",
    );
    let (facts, report) = accepted(&world.services().layer(Faults::new().fail(denied))).await;
    assert_eq!(report.status, Status::Pass);
    assert_eq!(facts.key_regions, None);
    assert!(facts.errors.is_empty(), "{:#?}", facts.errors);
}

#[tokio::test]
async fn the_fact_survives_a_snapshot_and_older_snapshots_are_unknown() {
    let world = world(&[REGION, OTHER]).await;
    put_key(&world, OTHER, "b", "CUSTOMER");
    put_rule(&world, REGION);
    put_rule(&world, OTHER);
    let (facts, report) = accepted(&world.services().layer(not_enabled())).await;
    assert_eq!(report.status, Status::Pass);
    let again = Facts::from_json(&facts.to_json()).unwrap();
    assert_eq!(again, facts);
    let replayed = check::accept(check::report(&again), &again, &[MonitorKind::Eventbridge]);
    assert_eq!(replayed.status, Status::Pass);

    let mut older = facts.clone();
    older.key_regions = None;
    let before = check::accept(check::report(&older), &older, &[MonitorKind::Eventbridge]);
    assert_eq!(before.status, Status::Fail);
    assert_eq!(warnings(&before, "EVENTBRIDGE_KEY_REGIONS_UNKNOWN"), [""]);
}

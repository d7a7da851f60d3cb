//! Keys at risk, their history and the response, on the memory backend.

use kmswatch_core::api::{ApiError, ApiErrorKind, Services};
use kmswatch_core::check::facts::KeyFacts;
use kmswatch_core::check::Status;
use kmswatch_core::corpus;
use kmswatch_core::keys::{
    decide, history, inventory, key_event, recommend, respond, Decision, Regions, Response,
};
use kmswatch_core::layer::Faults;
use kmswatch_core::memory::MemoryBackend;
use kmswatch_core::model::{Key, TrailEvent};
use kmswatch_core::operation::Operation;
use std::sync::Arc;
use std::time::SystemTime;

const ACCOUNT: &str = "111122223333";

fn now() -> SystemTime {
    humantime::parse_rfc3339("2026-03-10T12:00:00Z").unwrap()
}

fn arn(region: &str, id: &str) -> String {
    format!("arn:aws:kms:{region}:{ACCOUNT}:key/{id}")
}

fn key(region: &str, id: &str, state: &str) -> Key {
    Key {
        key_id: id.into(),
        arn: arn(region, id),
        key_manager: Some("CUSTOMER".into()),
        key_state: Some(state.into()),
        ..Key::default()
    }
}

fn put(world: &MemoryBackend, region: &str, name: &str, key: Key) {
    world.put_key(KeyFacts {
        key_id: name.into(),
        region: region.into(),
        exists: Some(true),
        key: Some(key),
        policy: None,
    });
}

/// An account with keys in two regions: pending deletion, disabled, enabled
/// with an alias, an AWS managed key, and a multi-Region primary and replica.
fn world() -> Arc<MemoryBackend> {
    let world = Arc::new(MemoryBackend::new(ACCOUNT, "us-east-1"));
    let pending = Key {
        deletion_date: Some("2026-03-17T11:00:00Z".into()),
        ..key("us-east-1", "pending", "PendingDeletion")
    };
    put(&world, "us-east-1", &pending.arn.clone(), pending);
    let disabled = key("us-east-1", "disabled", "Disabled");
    put(&world, "us-east-1", &disabled.arn.clone(), disabled);
    let app = key("us-east-1", "app", "Enabled");
    put(&world, "us-east-1", &app.arn.clone(), app.clone());
    put(&world, "us-east-1", "alias/app", app);
    let managed = Key {
        key_manager: Some("AWS".into()),
        ..key("us-east-1", "aws-sns", "Enabled")
    };
    put(&world, "us-east-1", "alias/aws/sns", managed);
    let primary = Key {
        multi_region: Some(true),
        multi_region_key_type: Some("PRIMARY".into()),
        primary_key_arn: Some(arn("us-east-1", "mrk-1")),
        replica_key_arns: vec![arn("eu-west-1", "mrk-1")],
        pending_deletion_window_in_days: Some(7),
        ..key("us-east-1", "mrk-1", "PendingReplicaDeletion")
    };
    put(&world, "us-east-1", &primary.arn.clone(), primary);
    let replica = Key {
        multi_region: Some(true),
        multi_region_key_type: Some("REPLICA".into()),
        primary_key_arn: Some(arn("us-east-1", "mrk-1")),
        deletion_date: Some("2026-03-11T13:00:00Z".into()),
        ..key("eu-west-1", "mrk-1", "PendingDeletion")
    };
    put(&world, "eu-west-1", &replica.arn.clone(), replica);
    world
}

fn both() -> Regions {
    Regions::named(vec!["us-east-1".into(), "eu-west-1".into()])
}

#[tokio::test]
async fn every_customer_managed_key_with_its_risk_and_days_left() {
    let world = world();
    let found = inventory(&world.services(), &both(), now(), 4).await;
    assert_eq!(found.status, Status::Fail);
    assert!(found.errors.is_empty(), "{:?}", found.errors);
    let arns: Vec<&str> = found.keys.iter().map(|k| k.arn.as_str()).collect();
    // Soonest deletion first, then replica deletion, disabled, the rest; the
    // AWS managed key is left out.
    assert_eq!(
        arns,
        [
            arn("eu-west-1", "mrk-1"),
            arn("us-east-1", "pending"),
            arn("us-east-1", "mrk-1"),
            arn("us-east-1", "disabled"),
            arn("us-east-1", "app"),
        ]
    );
    let replica = &found.keys[0];
    assert_eq!(replica.days_left, Some(1));
    assert_eq!(replica.multi_region_key_type.as_deref(), Some("REPLICA"));
    assert_eq!(
        replica.primary_key_arn.as_deref(),
        Some(arn("us-east-1", "mrk-1").as_str())
    );
    // 6 days and 23 hours: 6 whole days.
    assert_eq!(found.keys[1].days_left, Some(6));
    let primary = &found.keys[2];
    assert_eq!(primary.risk.as_deref(), Some("pending_replica_deletion"));
    assert_eq!(primary.days_left, None);
    assert_eq!(primary.pending_deletion_window_in_days, Some(7));
    assert_eq!(primary.replica_key_arns, [arn("eu-west-1", "mrk-1")]);
    assert_eq!(found.keys[3].risk.as_deref(), Some("disabled"));
    assert_eq!(found.keys[4].risk, None);
    assert_eq!(found.keys[4].aliases, Some(vec!["alias/app".to_owned()]));
    assert!(found.summary.contains("1 day(s)"), "{}", found.summary);
}

#[tokio::test]
async fn no_key_pending_deletion_passes() {
    let world = Arc::new(MemoryBackend::new(ACCOUNT, "us-east-1"));
    put(&world, "us-east-1", "k", key("us-east-1", "k", "Disabled"));
    let found = inventory(&world.services(), &both(), now(), 4).await;
    assert_eq!(found.status, Status::Pass);
    assert_eq!(found.keys.len(), 1);
}

fn fail(operation: Operation, region: &str, code: &str) -> ApiError {
    ApiError::new(operation, ApiError::kind_of_code(code), code, "no").in_region(region)
}

#[tokio::test]
async fn opt_in_regions_fail_softly_unless_named() {
    let world = world();
    let faults = Faults::new().fail(fail(
        Operation::ListKeys,
        "eu-west-1",
        "UnrecognizedClientException",
    ));
    let services: Services = world.services().layer(Arc::new(faults));
    let names = vec!["us-east-1".to_owned(), "eu-west-1".to_owned()];
    let partition = inventory(&services, &Regions::partition(names), now(), 4).await;
    assert_eq!(partition.regions, ["us-east-1"]);
    assert_eq!(partition.regions_skipped.len(), 1);
    assert_eq!(partition.regions_skipped[0].region, "eu-west-1");
    assert!(partition.errors.is_empty());
    let named = inventory(&services, &both(), now(), 4).await;
    assert!(named.regions_skipped.is_empty());
    assert_eq!(named.errors.len(), 1);
    assert_eq!(named.errors[0].code, "UnrecognizedClientException");
}

#[tokio::test]
async fn a_region_that_cannot_be_read_is_an_error_not_a_pass() {
    let world = Arc::new(MemoryBackend::new(ACCOUNT, "us-east-1"));
    let faults = Faults::new().fail(fail(
        Operation::ListKeys,
        "us-east-1",
        "AccessDeniedException",
    ));
    let services = world.services().layer(Arc::new(faults));
    let found = inventory(&services, &both(), now(), 4).await;
    assert_eq!(found.status, Status::Error);
    assert_eq!(found.errors[0].kind, ApiErrorKind::AccessDenied);
}

#[test]
fn the_state_decides_the_response() {
    let pending = key("us-east-1", "k", "PendingDeletion");
    let disabled = key("us-east-1", "k", "Disabled");
    let enabled = key("us-east-1", "k", "Enabled");
    let replica = key("us-east-1", "k", "PendingReplicaDeletion");
    assert_eq!(
        decide(Response::CancelDeletion, Some(&pending)),
        Decision::Act
    );
    assert_eq!(
        decide(Response::CancelDeletion, Some(&replica)),
        Decision::Act
    );
    assert_eq!(decide(Response::Enable, Some(&disabled)), Decision::Act);
    assert!(matches!(
        decide(Response::Enable, Some(&enabled)),
        Decision::NothingToDo(_)
    ));
    for (action, key) in [
        (Response::CancelDeletion, Some(&disabled)),
        (Response::CancelDeletion, Some(&enabled)),
        (Response::Enable, Some(&pending)),
        (Response::Enable, None),
    ] {
        assert!(
            matches!(decide(action, key), Decision::Refuse(_)),
            "{action} on {key:?}"
        );
    }
    let Decision::Refuse(why) = decide(Response::Enable, Some(&pending)) else {
        panic!("enable of a key pending deletion is refused");
    };
    assert!(why.contains("cancel-deletion"), "{why}");
    let managed = Key {
        key_manager: Some("AWS".into()),
        ..disabled
    };
    assert!(matches!(
        decide(Response::Enable, Some(&managed)),
        Decision::Refuse(_)
    ));
}

#[tokio::test]
async fn cancel_then_enable_reads_the_state_before_and_after() {
    let world = world();
    let services = world.services();
    let pending = arn("us-east-1", "pending");
    let dry = respond(&services, Response::CancelDeletion, &pending, false)
        .await
        .unwrap();
    assert!(!dry.applied && !dry.refused);
    assert_eq!(dry.after.key_state.as_deref(), Some("PendingDeletion"));
    let refused = respond(&services, Response::Enable, &pending, true)
        .await
        .unwrap();
    assert!(refused.refused && !refused.applied);
    assert_eq!(refused.exit_code(), 1);
    let canceled = respond(&services, Response::CancelDeletion, &pending, true)
        .await
        .unwrap();
    assert!(canceled.applied);
    assert_eq!(
        canceled.before.key_state.as_deref(),
        Some("PendingDeletion")
    );
    assert_eq!(canceled.after.key_state.as_deref(), Some("Disabled"));
    assert_eq!(canceled.after.deletion_date, None);
    assert!(canceled
        .next_step
        .as_deref()
        .unwrap()
        .contains("respond enable"));
    let enabled = respond(&services, Response::Enable, &pending, true)
        .await
        .unwrap();
    assert_eq!(enabled.after.key_state.as_deref(), Some("Enabled"));
    assert_eq!(enabled.exit_code(), 0);
    let again = respond(&services, Response::CancelDeletion, &pending, true)
        .await
        .unwrap();
    assert!(again.refused);
    let json: serde_json::Value = serde_json::from_str(&again.to_json()).unwrap();
    assert_eq!(json["schema"], "kmswatch.respond/v1");
    assert_eq!(json["refused"], true);
}

#[tokio::test]
async fn respond_wants_a_key_arn() {
    let world = world();
    let err = respond(&world.services(), Response::Enable, "alias/app", false)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("not a KMS key ARN"), "{err}");
}

fn record_of(event: &corpus::CorpusEvent) -> serde_json::Value {
    serde_json::from_str(&event.line).unwrap()
}

fn recorded(id: &str) -> TrailEvent {
    let record = record_of(
        corpus::kms_key_lifecycle()
            .iter()
            .find(|e| e.id == id)
            .unwrap(),
    );
    TrailEvent {
        event_id: record["eventID"].as_str().unwrap().into(),
        event_name: record["eventName"].as_str().unwrap().into(),
        event_time: record["eventTime"].as_str().unwrap().into(),
        username: None,
        cloud_trail_event: Some(record.to_string()),
    }
}

#[tokio::test]
async fn history_names_who_when_which_key_and_from_where() {
    let world = Arc::new(MemoryBackend::new(ACCOUNT, "us-east-1"));
    world.record_event("us-east-1", recorded("disable-key-iam-user"));
    let old = TrailEvent {
        event_id: "old".into(),
        event_time: "2025-01-01T00:00:00Z".into(),
        ..recorded("disable-key-iam-user")
    };
    world.record_event("us-east-1", old);
    let found = history(&world.services(), &both(), 30, now(), 4).await;
    assert_eq!(found.status, Status::Fail);
    assert_eq!(found.events.len(), 1, "the old event is outside 30 days");
    let event = &found.events[0];
    assert_eq!(event.event_name, "DisableKey");
    assert_eq!(
        event.user_identity_arn.as_deref(),
        Some("arn:aws:iam::111122223333:user/Alice")
    );
    assert_eq!(event.source_ip_address.as_deref(), Some("192.0.2.0"));
    assert!(event.user_agent.as_deref().unwrap().starts_with("aws-cli/"));
    assert_eq!(
        event.key_arn.as_deref(),
        Some("arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab")
    );
    assert_eq!(event.monitoring_at_the_time, "unknown");
    assert!(found.note.contains("unknown"));
    assert_eq!(found.start_time, "2026-02-08T12:00:00Z");
    let quiet = history(&world.services(), &both(), 1, now(), 4).await;
    assert_eq!(quiet.status, Status::Pass);
}

#[tokio::test]
async fn a_failed_lookup_is_an_error() {
    let world = Arc::new(MemoryBackend::new(ACCOUNT, "us-east-1"));
    let denied = fail(
        Operation::LookupEvents,
        "us-east-1",
        "AccessDeniedException",
    );
    let services = world.services().layer(Arc::new(Faults::new().fail(denied)));
    let found = history(&services, &both(), 90, now(), 4).await;
    assert_eq!(found.status, Status::Error);
    assert_eq!(found.errors.len(), 2, "one lookup per event name");
    // The summary names where the lookups failed, and counts only the regions read.
    assert!(
        found.summary.contains("in 1 region(s) read")
            && found.summary.contains("2 lookup(s) failed in us-east-1"),
        "{}",
        found.summary
    );
    let only = Regions::named(vec!["us-east-1".into()]);
    let none_read = history(&services, &only, 90, now(), 4).await;
    assert!(
        !none_read.summary.contains("0 region"),
        "{}",
        none_read.summary
    );
    assert!(
        none_read.summary.contains("failed in us-east-1"),
        "{}",
        none_read.summary
    );
}

#[test]
fn a_record_without_resources_builds_the_key_arn() {
    let mut event = recorded("disable-key-iam-user");
    let mut record: serde_json::Value =
        serde_json::from_str(event.cloud_trail_event.as_deref().unwrap()).unwrap();
    record.as_object_mut().unwrap().remove("resources");
    record["errorCode"] = "AccessDenied".into();
    event.cloud_trail_event = Some(record.to_string());
    let parsed = key_event("us-east-1", &event);
    assert_eq!(
        parsed.key_arn.as_deref(),
        Some("arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab")
    );
    assert!(!parsed.succeeded());
}

fn eventbridge(record: &serde_json::Value) -> serde_json::Value {
    serde_json::json!({
        "version": "0",
        "source": "aws.kms",
        "detail-type": "AWS API Call via CloudTrail",
        "region": record["awsRegion"],
        "detail": record,
    })
}

#[test]
fn the_handler_recommends_the_response_to_each_event() {
    for target in corpus::targets() {
        let record = record_of(target);
        let recommendation = recommend(&eventbridge(&record));
        let name = record["eventName"].as_str().unwrap();
        let expected: &[Response] = match name {
            "ScheduleKeyDeletion" => &[Response::CancelDeletion, Response::Enable],
            _ => &[Response::Enable],
        };
        let actions: Vec<Response> = recommendation.actions.iter().map(|a| a.action).collect();
        assert_eq!(actions, expected, "{}", target.id);
        let key = &recommendation.actions[0].key_arn;
        assert!(key.starts_with("arn:aws") && key.contains(":key/"), "{key}");
        assert!(recommendation.actions[0].command.contains("--apply"));
    }
    let routine = corpus::routine().next().unwrap();
    assert!(recommend(&eventbridge(&record_of(routine)))
        .actions
        .is_empty());
    let unrelated = serde_json::json!({"source": "aws.ec2", "detail-type": "x", "detail": {}});
    let none = recommend(&unrelated);
    assert!(none.actions.is_empty() && none.event.is_none());
    assert!(recommend(&serde_json::json!([1, 2])).actions.is_empty());
}

#[tokio::test]
async fn the_keys_document_counts_its_calls_and_names_the_account() {
    use kmswatch_core::session::{keys_document, Account, FixedClock};
    let world = world();
    let account = Account::new(world.services(), "us-east-1");
    let clock = FixedClock("2026-03-10T12:00:00Z".into());
    let document = keys_document(&account, &both(), &clock, now())
        .await
        .unwrap();
    // GetCallerIdentity, ListKeys and ListAliases in two regions, and one
    // DescribeKey per key listed (five in us-east-1, one in eu-west-1).
    assert_eq!(document.api_calls, Some(1 + 4 + 6));
    let json: serde_json::Value = serde_json::from_str(&document.to_json()).unwrap();
    assert_eq!(json["schema"], "kmswatch.keys/v1");
    assert_eq!(json["account_id"], ACCOUNT);
    assert_eq!(json["status"], "FAIL");
    assert_eq!(json["generated_at"], "2026-03-10T12:00:00Z");
    assert_eq!(json["keys"].as_array().unwrap().len(), 5);
}

#[test]
fn regions_are_the_partitions_unless_named_and_typos_are_refused() {
    use kmswatch_core::session::{regions, Account};
    let world = Arc::new(MemoryBackend::new(ACCOUNT, "eu-west-1"));
    let account = Account::new(world.services(), "eu-west-1");
    let default = regions(&account, None).unwrap();
    assert!(!default.named);
    assert!(default.names.iter().any(|r| r == "us-east-1"));
    assert!(!default.names.iter().any(|r| r == "cn-north-1"));
    let named = regions(
        &account,
        Some(vec!["eu-west-1".into(), " us-east-2".into()]),
    )
    .unwrap();
    assert!(named.named);
    assert_eq!(named.names, ["eu-west-1", "us-east-2"]);
    let typo = regions(&account, Some(vec!["us-est-1".into()])).unwrap_err();
    assert!(
        typo.to_string().contains("did you mean us-east-1"),
        "{typo}"
    );
    assert!(regions(&account, Some(vec![])).is_err());
    assert!(regions(&account, Some(vec!["https://x".into()])).is_err());
}

/// Records the most calls in flight below it; each call yields once so that
/// concurrent calls overlap.
#[derive(Default)]
struct InFlight {
    now: std::sync::atomic::AtomicUsize,
    peak: std::sync::atomic::AtomicUsize,
}

impl kmswatch_core::layer::Layer for InFlight {
    fn around<'a, T: kmswatch_core::layer::Reply>(
        &'a self,
        _call: kmswatch_core::layer::Call<'a>,
        next: kmswatch_core::layer::Next<'a, T>,
    ) -> kmswatch_core::layer::Next<'a, T> {
        use std::sync::atomic::Ordering::SeqCst;
        Box::pin(async move {
            let now = self.now.fetch_add(1, SeqCst) + 1;
            self.peak.fetch_max(now, SeqCst);
            tokio::task::yield_now().await;
            let result = next.await;
            self.now.fetch_sub(1, SeqCst);
            result
        })
    }
}

#[tokio::test]
async fn regions_and_keys_are_read_a_bounded_number_at_a_time() {
    let world = Arc::new(MemoryBackend::new(ACCOUNT, "us-east-1"));
    let regions: Vec<String> = [
        "us-east-1",
        "us-east-2",
        "us-west-1",
        "us-west-2",
        "eu-west-1",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    for (i, region) in regions.iter().enumerate() {
        for n in 0..4 {
            let id = format!("k{i}-{n}");
            put(
                &world,
                region,
                &arn(region, &id),
                key(region, &id, "Enabled"),
            );
        }
    }
    for bound in [1, 3] {
        let in_flight = Arc::new(InFlight::default());
        let services = world.services().layer(in_flight.clone());
        let found = inventory(&services, &Regions::named(regions.clone()), now(), bound).await;
        assert_eq!(found.keys.len(), 20);
        let peak = in_flight.peak.load(std::sync::atomic::Ordering::SeqCst);
        // ListKeys and ListAliases of one region go together.
        assert!(peak <= 2 * bound, "bound {bound}: {peak} in flight");
        assert!(peak >= bound, "bound {bound}: only {peak} in flight");
    }
}

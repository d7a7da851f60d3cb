//! Can CloudWatch publish to the alert topic: its encryption key (rule 2) and
//! its access policy (rule 3), on the in-memory backend (gather + evaluate).

use crate::common;

use common::*;
use kmswatch_core::api::{ApiError, ApiErrorKind};
use kmswatch_core::check::{report, Facts, KeyFacts, Report, Status};
use kmswatch_core::layer::Faults;
use kmswatch_core::memory::MemoryBackend;
use kmswatch_core::model::Key;
use kmswatch_core::operation::Operation;
use std::sync::Arc;

const KEY_ID: &str = "3f6b2a1c-8d4e-4b7a-9c2e-5a1d7e9f0b4c";

fn key_arn() -> String {
    format!("arn:aws:kms:{REGION}:{ACCOUNT}:key/{KEY_ID}")
}

/// A key policy: the account's root may do anything, plus `extra` statements.
fn key_policy(extra: &str) -> String {
    let root = format!(
        r#"{{"Sid":"Root","Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{ACCOUNT}:root"}},"Action":"kms:*","Resource":"*"}}"#
    );
    let statements = if extra.is_empty() {
        root
    } else {
        format!("{root},{extra}")
    };
    format!(r#"{{"Version":"2012-10-17","Statement":[{statements}]}}"#)
}

const CLOUDWATCH_USES_KEY: &str = r#"{"Sid":"CloudWatch","Effect":"Allow","Principal":{"Service":"cloudwatch.amazonaws.com"},"Action":["kms:Decrypt","kms:GenerateDataKey*"],"Resource":"*"}"#;

fn key(state: &str, manager: &str, policy: Option<String>) -> KeyFacts {
    KeyFacts {
        key_id: key_arn(),
        region: REGION.into(),
        exists: Some(true),
        key: Some(Key {
            key_id: KEY_ID.into(),
            arn: key_arn(),
            key_manager: Some(manager.into()),
            key_state: Some(state.into()),
            ..Key::default()
        }),
        policy,
    }
}

/// The compliant account with its topic's `KmsMasterKeyId` and policy changed.
fn world_with(
    kms_master_key_id: Option<&str>,
    topic_policy: Option<Option<String>>,
) -> Arc<MemoryBackend> {
    let facts = futures::executor::block_on(compliant()).to_facts();
    let mut facts = facts;
    let attributes = facts.topics[0].attributes.as_mut().unwrap();
    attributes.kms_master_key_id = kms_master_key_id.map(str::to_owned);
    if let Some(policy) = topic_policy {
        attributes.policy = policy;
    }
    Arc::new(MemoryBackend::from_facts(facts))
}

fn encrypted(key: Option<KeyFacts>) -> Arc<MemoryBackend> {
    let world = world_with(Some(&key_arn()), None);
    if let Some(k) = key {
        world.put_key(k);
    }
    world
}

async fn run_with(world: &Arc<MemoryBackend>, faults: Faults) -> Report {
    let services = world.services().layer(faults);
    kmswatch_core::check::check(&services, REGION)
        .await
        .unwrap()
        .1
}

/// Every gap of the report with its message.
fn messages(report: &Report) -> String {
    serde_json::to_string(&report.chains).unwrap()
}

fn denied(operation: Operation, resource: &str) -> ApiError {
    ApiError::new(
        operation,
        ApiErrorKind::AccessDenied,
        "AccessDeniedException",
        "not authorized",
    )
    .in_region(REGION)
    .about(resource)
}

/// A fault on any KMS call: a check that passes with it made none.
fn no_kms_calls() -> Faults {
    Faults::new()
        .fail(ApiError::new(
            Operation::DescribeKey,
            ApiErrorKind::Other,
            "Called",
            "DescribeKey was called",
        ))
        .fail(ApiError::new(
            Operation::GetKeyPolicy,
            ApiErrorKind::Other,
            "Called",
            "GetKeyPolicy was called",
        ))
}

#[tokio::test]
async fn an_unencrypted_topic_with_the_default_policy_passes_without_kms_calls() {
    let report = run_with(&compliant().await, no_kms_calls()).await;
    assert_eq!(report.status, Status::Pass, "{:?}", codes(&report));
    assert_eq!(report.api_calls, Some(9));
}

#[tokio::test]
async fn the_aws_managed_key_fails_by_alias_alias_arn_or_key_manager_without_kms_calls() {
    for alias in [
        "alias/aws/sns".to_owned(),
        format!("arn:aws:kms:{REGION}:{ACCOUNT}:alias/aws/sns"),
    ] {
        let report = run_with(&world_with(Some(&alias), None), no_kms_calls()).await;
        assert_eq!(report.status, Status::Fail, "{alias}");
        assert!(codes(&report).contains(&"TOPIC_ENCRYPTED_WITH_AWS_MANAGED_KEY".to_owned()));
    }
    // Named by key id, it takes DescribeKey to see that AWS manages it.
    let report = run(&encrypted(Some(key("Enabled", "AWS", None)))).await;
    assert_eq!(report.status, Status::Fail);
    assert!(codes(&report).contains(&"TOPIC_ENCRYPTED_WITH_AWS_MANAGED_KEY".to_owned()));
    // DescribeKey (no GetKeyPolicy), GetSubscriptionAttributes, the composite
    // alarms and the listing of metric alarms, since the alarm reaches no one
    // on its own, and EventBridge's ListRules, since the chain fails.
    assert_eq!(report.api_calls, Some(13), "DescribeKey, no GetKeyPolicy");
}

#[tokio::test]
async fn a_customer_key_cloudwatch_may_use_passes_with_the_warning() {
    let world = encrypted(Some(key(
        "Enabled",
        "CUSTOMER",
        Some(key_policy(CLOUDWATCH_USES_KEY)),
    )));
    let report = run(&world).await;
    assert_eq!(report.status, Status::Pass, "{:?}", codes(&report));
    assert_eq!(
        report.api_calls,
        Some(11),
        "DescribeKey, GetKeyPolicy and GetSubscriptionAttributes"
    );
    let warnings: Vec<_> = report.warnings.iter().map(|w| w.code.as_string()).collect();
    assert_eq!(warnings, ["TOPIC_ENCRYPTED_WITH_CMK"]);
}

#[tokio::test]
async fn wildcards_in_the_key_policy_count() {
    for statement in [
        r#"{"Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*"}"#,
        r#"{"Effect":"Allow","Principal":{"Service":["sns.amazonaws.com","cloudwatch.amazonaws.com"]},"Action":["KMS:Decrypt","kms:GenerateDataKey*"],"Resource":"*","Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"}}}"#,
    ] {
        let world = encrypted(Some(key(
            "Enabled",
            "CUSTOMER",
            Some(key_policy(statement)),
        )));
        assert_eq!(run(&world).await.status, Status::Pass, "{statement}");
    }
}

#[tokio::test]
async fn a_key_policy_without_cloudwatch_or_with_a_deny_fails() {
    let decrypt_only = r#"{"Effect":"Allow","Principal":{"Service":"cloudwatch.amazonaws.com"},"Action":"kms:Decrypt","Resource":"*"}"#;
    let deny = r#"{"Sid":"NoCloudWatch","Effect":"Deny","Principal":{"Service":"cloudwatch.amazonaws.com"},"Action":"kms:Decrypt","Resource":"*"}"#;
    for (policy, expected) in [
        (key_policy(""), "kms:Decrypt"),
        (key_policy(decrypt_only), "kms:GenerateDataKey"),
        (
            key_policy(&format!("{CLOUDWATCH_USES_KEY},{deny}")),
            "\\\"NoCloudWatch\\\" denies it",
        ),
    ] {
        let report = run(&encrypted(Some(key("Enabled", "CUSTOMER", Some(policy))))).await;
        assert_eq!(report.status, Status::Fail);
        assert!(codes(&report).contains(&"TOPIC_KEY_NOT_USABLE_BY_CLOUDWATCH".to_owned()));
        assert!(
            messages(&report).contains(expected),
            "{expected}: {}",
            messages(&report)
        );
    }
}

#[tokio::test]
async fn a_deny_with_conditions_kmswatch_cannot_evaluate_is_manual() {
    let deny = r#"{"Effect":"Deny","Principal":"*","Action":"kms:*","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalOrgID":"o-abc"}}}"#;
    let policy = key_policy(&format!("{CLOUDWATCH_USES_KEY},{deny}"));
    let report = run(&encrypted(Some(key("Enabled", "CUSTOMER", Some(policy))))).await;
    assert_eq!(report.status, Status::Manual, "{:?}", codes(&report));
    assert!(codes(&report).contains(&"TOPIC_KEY_UNKNOWN".to_owned()));
}

#[tokio::test]
async fn a_disabled_pending_deletion_or_missing_key_fails() {
    for state in ["Disabled", "PendingDeletion"] {
        let policy = Some(key_policy(CLOUDWATCH_USES_KEY));
        let report = run(&encrypted(Some(key(state, "CUSTOMER", policy)))).await;
        assert_eq!(report.status, Status::Fail, "{state}");
        assert!(codes(&report).contains(&"TOPIC_KEY_NOT_ENABLED".to_owned()));
        assert!(messages(&report).contains(state));
    }
    let report = run(&encrypted(None)).await;
    assert_eq!(report.status, Status::Fail);
    assert!(codes(&report).contains(&"TOPIC_KEY_NOT_ENABLED".to_owned()));
    assert!(messages(&report).contains("does not exist"));
}

#[tokio::test]
async fn an_unreadable_key_or_key_policy_is_manual_never_pass() {
    let good = || {
        Some(key(
            "Enabled",
            "CUSTOMER",
            Some(key_policy(CLOUDWATCH_USES_KEY)),
        ))
    };
    for operation in [Operation::DescribeKey, Operation::GetKeyPolicy] {
        let faults = Faults::new().fail(denied(operation, &key_arn()));
        let report = run_with(&encrypted(good()), faults).await;
        assert_eq!(
            report.status,
            Status::Manual,
            "{operation}: {:?}",
            codes(&report)
        );
        assert!(codes(&report).contains(&"TOPIC_KEY_UNKNOWN".to_owned()));
        assert!(messages(&report).contains(&format!("kms:{operation}")));
    }
    // A throttled read is an error, not a judgement call.
    let throttled = ApiError::new(
        Operation::DescribeKey,
        ApiErrorKind::Throttling,
        "ThrottlingException",
        "slow down",
    );
    let report = run_with(&encrypted(good()), Faults::new().fail(throttled)).await;
    assert_eq!(report.status, Status::Error);
}

#[tokio::test]
async fn a_key_of_another_account_is_manual_without_get_key_policy() {
    let other = "arn:aws:kms:us-east-1:999988887777:key/0000";
    let world = world_with(Some(other), None);
    let mut k = key("Enabled", "CUSTOMER", None);
    k.key_id = other.into();
    k.key.as_mut().unwrap().arn = other.into();
    world.put_key(k);
    let faults = Faults::new().fail(ApiError::new(
        Operation::GetKeyPolicy,
        ApiErrorKind::Other,
        "Called",
        "called",
    ));
    let report = run_with(&world, faults).await;
    assert_eq!(report.status, Status::Manual, "{:?}", codes(&report));
    assert!(messages(&report).contains("account 999988887777"));
}

#[test]
fn a_snapshot_without_keys_leaves_a_customer_key_unknown() {
    let mut facts = futures::executor::block_on(compliant()).to_facts();
    facts.topics[0]
        .attributes
        .as_mut()
        .unwrap()
        .kms_master_key_id = Some(key_arn());
    let text = facts.to_json();
    assert!(
        !text.contains("\"keys\""),
        "no keys read: the field is left out"
    );
    let loaded = Facts::from_json(&text).unwrap();
    let report = report(&loaded);
    assert_eq!(report.status, Status::Manual);
    assert!(codes(&report).contains(&"TOPIC_KEY_UNKNOWN".to_owned()));
}

#[test]
fn keys_survive_the_snapshot_round_trip() {
    let world = encrypted(Some(key(
        "Enabled",
        "CUSTOMER",
        Some(key_policy(CLOUDWATCH_USES_KEY)),
    )));
    let facts = world.to_facts();
    assert_eq!(Facts::from_json(&facts.to_json()).unwrap(), facts);
}

fn topic_policy(extra: &str) -> String {
    let arn = topic_arn();
    let default = format!(
        r#"{{"Sid":"__default_statement_ID","Effect":"Allow","Principal":{{"AWS":"*"}},"Action":["SNS:Subscribe","SNS:Publish"],"Resource":"{arn}","Condition":{{"StringEquals":{{"AWS:SourceOwner":"{ACCOUNT}"}}}}}}"#
    );
    let statements = if extra.is_empty() {
        default
    } else {
        format!("{default},{extra}")
    };
    format!(r#"{{"Version":"2008-10-17","Statement":[{statements}]}}"#)
}

async fn with_topic_policy(policy: Option<String>) -> Report {
    run(&world_with(None, Some(policy))).await
}

#[tokio::test]
async fn the_default_topic_policy_and_a_service_statement_pass() {
    assert_eq!(
        with_topic_policy(Some(topic_policy(""))).await.status,
        Status::Pass
    );
    let alarm = format!("arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:kms-alarm");
    let service_only = format!(
        r#"{{"Statement":[{{"Effect":"Allow","Principal":{{"Service":"cloudwatch.amazonaws.com"}},"Action":"sns:publish","Resource":"{}","Condition":{{"ArnLike":{{"aws:SourceArn":"{alarm}"}},"StringEqualsIfExists":{{"aws:SourceAccount":"{ACCOUNT}"}}}}}}]}}"#,
        topic_arn()
    );
    let report = with_topic_policy(Some(service_only)).await;
    assert_eq!(report.status, Status::Pass, "{:?}", codes(&report));
}

#[tokio::test]
async fn a_deny_of_publish_fails_and_one_for_another_account_does_not() {
    let deny = r#"{"Sid":"NoPublish","Effect":"Deny","Principal":"*","Action":"SNS:Publish","Resource":"*"}"#;
    let report = with_topic_policy(Some(topic_policy(deny))).await;
    assert_eq!(report.status, Status::Fail);
    assert!(codes(&report).contains(&"TOPIC_POLICY_DENIES_CLOUDWATCH".to_owned()));
    assert!(messages(&report).contains("NoPublish"));
    let foreign = r#"{"Effect":"Deny","Principal":"*","Action":"SNS:*","Resource":"*","Condition":{"StringNotEquals":{"aws:SourceAccount":"111122223333"}}}"#;
    assert_eq!(
        with_topic_policy(Some(topic_policy(foreign))).await.status,
        Status::Pass
    );
}

#[tokio::test]
async fn a_policy_allowing_cloudwatch_nothing_fails() {
    let owner_only = format!(
        r#"{{"Statement":[{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{ACCOUNT}:root"}},"Action":"SNS:Subscribe","Resource":"{}"}}]}}"#,
        topic_arn()
    );
    let report = with_topic_policy(Some(owner_only)).await;
    assert_eq!(report.status, Status::Fail);
    assert!(codes(&report).contains(&"TOPIC_POLICY_DENIES_CLOUDWATCH".to_owned()));
    // An Allow whose condition kmswatch cannot evaluate does not count.
    let vpce = r#"{"Statement":[{"Sid":"Vpce","Effect":"Allow","Principal":"*","Action":"SNS:Publish","Resource":"*","Condition":{"StringEquals":{"aws:SourceVpce":"vpce-1"}}}]}"#;
    let report = with_topic_policy(Some(vpce.into())).await;
    assert_eq!(report.status, Status::Fail);
    assert!(messages(&report).contains("cannot evaluate"));
}

#[tokio::test]
async fn an_unknown_missing_or_malformed_topic_policy_is_manual() {
    let guarded = r#"{"Sid":"OrgOnly","Effect":"Deny","Principal":"*","Action":"SNS:Publish","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalOrgID":"o-abc"}}}"#;
    let report = with_topic_policy(Some(topic_policy(guarded))).await;
    assert_eq!(report.status, Status::Manual, "{:?}", codes(&report));
    assert!(codes(&report).contains(&"TOPIC_POLICY_UNKNOWN".to_owned()));
    let report = with_topic_policy(None).await;
    assert_eq!(report.status, Status::Manual);
    assert!(codes(&report).contains(&"TOPIC_POLICY_UNKNOWN".to_owned()));
    for malformed in [
        "{\"Statement\": [",
        r#"{"Statement":[{"Effect":"Maybe","Principal":"*","Action":"*"}]}"#,
    ] {
        let report = with_topic_policy(Some(malformed.into())).await;
        assert_eq!(report.status, Status::Manual, "{malformed}");
        assert!(messages(&report).contains("cannot be read"), "{malformed}");
    }
}

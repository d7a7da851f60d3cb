//! Remediation never uses a topic CloudWatch cannot publish to: it creates its
//! own (unencrypted) topic instead, refuses a `--topic-arn` that fails, and
//! stops on unknown facts; a topic that only lacks the Allow gets kmswatch's
//! statement, conditioned on the account.

use kmswatch_core::check::{Facts, Status};
use kmswatch_core::remediate::{
    dry_run, plan, Action, RemediateError, RemediateOptions, Subscriber,
};

const ACCOUNT: &str = "111122223333";
const TOPIC: &str = "arn:aws:sns:us-east-1:111122223333:security-alerts";
const OWN_TOPIC: &str = "arn:aws:sns:us-east-1:111122223333:kmswatch-kms-key-alerts";

fn example(name: &str) -> Facts {
    let path = format!("{}/../examples/{name}.json", env!("CARGO_MANIFEST_DIR"));
    Facts::load(path.as_ref()).unwrap()
}

fn email() -> RemediateOptions {
    RemediateOptions {
        subscriber: Some(Subscriber::email("secops@example.com").unwrap()),
        ..RemediateOptions::default()
    }
}

fn topic_arn_option(arn: &str) -> RemediateOptions {
    RemediateOptions {
        topic_arn: Some(arn.to_owned()),
        ..RemediateOptions::default()
    }
}

const BROKEN: [&str; 4] = [
    "broken-topic-aws-managed-key",
    "broken-topic-key-disabled",
    "broken-topic-key-policy-lacks-cloudwatch",
    "broken-topic-policy-denies-publish",
];

#[test]
fn a_topic_cloudwatch_cannot_publish_to_is_replaced_by_a_new_unencrypted_one() {
    for name in BROKEN {
        let facts = example(name);
        let done = dry_run(&facts, &email()).unwrap();
        let created: Vec<_> = done
            .plan
            .actions
            .iter()
            .filter_map(|a| match a {
                Action::CreateTopic { topic_arn, .. } => Some(topic_arn.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(created, [OWN_TOPIC], "{name}");
        assert!(
            !done
                .plan
                .actions
                .iter()
                .any(|a| matches!(a, Action::Subscribe { topic_arn, .. } if topic_arn == TOPIC)),
            "{name}: the broken topic is not reused"
        );
        assert_eq!(
            done.predicted_status_once_confirmed,
            Some(Status::Pass),
            "{name}"
        );
    }
}

#[test]
fn without_a_subscriber_no_broken_topic_is_picked() {
    for name in BROKEN {
        let err = plan(&example(name), &RemediateOptions::default()).unwrap_err();
        assert!(matches!(err, RemediateError::NoSubscriber), "{name}: {err}");
    }
}

#[test]
fn a_topic_arn_cloudwatch_cannot_publish_to_is_refused_naming_the_gap() {
    for (name, code) in [
        (
            "broken-topic-aws-managed-key",
            "TOPIC_ENCRYPTED_WITH_AWS_MANAGED_KEY",
        ),
        ("broken-topic-key-disabled", "TOPIC_KEY_NOT_ENABLED"),
        (
            "broken-topic-key-policy-lacks-cloudwatch",
            "TOPIC_KEY_NOT_USABLE_BY_CLOUDWATCH",
        ),
        (
            "broken-topic-policy-denies-publish",
            "TOPIC_POLICY_DENIES_CLOUDWATCH",
        ),
    ] {
        let mut facts = example(name);
        // A chain without an alarm, so that the topic is only the option's.
        facts.alarms[0].alarms = Some(Vec::new());
        let err = plan(&facts, &topic_arn_option(TOPIC)).unwrap_err();
        match &err {
            RemediateError::InvalidOption(text) => {
                assert!(
                    text.contains(TOPIC) && text.contains(code),
                    "{name}: {text}"
                );
            }
            other => panic!("{name}: {other}"),
        }
        assert_eq!(err.exit_code(), 2);
    }
}

#[test]
fn a_topic_whose_policy_is_unknown_stops_the_plan_as_facts_incomplete() {
    let mut facts = example("compliant");
    facts.alarms[0].alarms = Some(Vec::new());
    let guarded = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"SNS:Publish"},{"Effect":"Deny","Principal":"*","Action":"SNS:Publish","Condition":{"StringNotEquals":{"aws:PrincipalOrgID":"o-1"}}}]}"#;
    facts.topics[0].attributes.as_mut().unwrap().policy = Some(guarded.into());
    let err = plan(&facts, &topic_arn_option(TOPIC)).unwrap_err();
    assert!(
        matches!(err, RemediateError::FactsIncomplete { .. }),
        "{err}"
    );
    assert!(err.to_string().contains("TOPIC_POLICY_UNKNOWN"), "{err}");
    assert_eq!(err.exit_code(), 3);
}

#[test]
fn kmswatch_own_topic_that_cloudwatch_cannot_publish_to_is_a_conflict() {
    let mut facts = example("broken-topic-policy-denies-publish");
    let mut own = facts.topics[0].clone();
    own.topic_arn = OWN_TOPIC.into();
    let attributes = own.attributes.as_mut().unwrap();
    attributes.topic_arn = OWN_TOPIC.into();
    attributes.policy = Some(
        attributes
            .policy
            .as_ref()
            .unwrap()
            .replace(TOPIC, OWN_TOPIC),
    );
    facts.topics.push(own);
    let err = plan(&facts, &email()).unwrap_err();
    assert!(matches!(err, RemediateError::Conflict { .. }), "{err}");
    assert!(
        err.to_string().contains("TOPIC_POLICY_DENIES_CLOUDWATCH"),
        "{err}"
    );
}

#[test]
fn a_topic_that_only_lacks_the_allow_gets_the_statement_conditioned_on_the_account() {
    let mut facts = example("compliant");
    facts.alarms[0].alarms = Some(Vec::new());
    let owner_only = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"Owner","Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{ACCOUNT}:root"}},"Action":"SNS:Subscribe","Resource":"{TOPIC}"}}]}}"#
    );
    facts.topics[0].attributes.as_mut().unwrap().policy = Some(owner_only);
    let done = dry_run(&facts, &topic_arn_option(TOPIC)).unwrap();
    let merged = done
        .plan
        .actions
        .iter()
        .find_map(|a| match a {
            Action::MergeTopicPolicy { topic_arn, policy } if topic_arn == TOPIC => {
                Some(policy.clone())
            }
            _ => None,
        })
        .expect("a merged policy");
    let doc: serde_json::Value = serde_json::from_str(&merged).unwrap();
    let ours = &doc["Statement"][1];
    assert_eq!(ours["Principal"]["Service"], "cloudwatch.amazonaws.com");
    assert_eq!(
        ours["Condition"]["StringEquals"]["aws:SourceAccount"],
        ACCOUNT
    );
    assert_eq!(
        doc["Statement"][0]["Sid"], "Owner",
        "existing statements kept"
    );
    assert_eq!(done.predicted_status, Status::Pass);
}

const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/3f6b2a1c-8d4e-4b7a-9c2e-5a1d7e9f0b4c";

/// The broken-topic-key-disabled account with its key enabled or not: the key's
/// policy lets CloudWatch use it.
pub(crate) fn with_key(enabled: bool) -> Facts {
    let mut facts = example("broken-topic-key-disabled");
    if enabled {
        facts.keys[0].key.as_mut().unwrap().key_state = Some("Enabled".into());
    }
    // The existing topic is unencrypted, so that kmswatch's topic is the question.
    facts.topics[0]
        .attributes
        .as_mut()
        .unwrap()
        .kms_master_key_id = None;
    facts.alarms[0].alarms = Some(Vec::new());
    facts
}

fn kms_key(key: &str) -> RemediateOptions {
    RemediateOptions {
        kms_key: Some(key.to_owned()),
        ..email()
    }
}

#[test]
fn kms_key_encrypts_the_new_topic_when_cloudwatch_may_use_it() {
    let facts = with_key(true);
    let done = dry_run(&facts, &kms_key(KEY)).unwrap();
    let created = done
        .plan
        .actions
        .iter()
        .find_map(|a| match a {
            Action::CreateTopic {
                topic_arn,
                kms_master_key_id,
                ..
            } => Some((topic_arn.clone(), kms_master_key_id.clone())),
            _ => None,
        })
        .expect("a new topic");
    assert_eq!(created, (OWN_TOPIC.to_owned(), Some(KEY.to_owned())));
    assert_eq!(done.predicted_status_once_confirmed, Some(Status::Pass));
    let terraform = kmswatch_core::remediate::export::terraform(&done.plan);
    assert!(
        terraform.contains(&format!("kms_master_key_id = \"{KEY}\"")),
        "{terraform}"
    );
    let template = kmswatch_core::remediate::export::cloudformation(&done.plan);
    assert!(
        template.contains(&format!("KmsMasterKeyId: \"{KEY}\"")),
        "{template}"
    );
    // Without --kms-key the topic is created unencrypted.
    let plain = plan(&facts, &email()).unwrap();
    assert!(plain.actions.iter().any(|a| matches!(
        a,
        Action::CreateTopic {
            kms_master_key_id: None,
            ..
        }
    )));
}

#[test]
fn kms_key_cloudwatch_cannot_use_is_refused_and_an_unread_one_is_unknown() {
    let cases = [
        (with_key(false), KEY, "TOPIC_KEY_NOT_ENABLED"),
        (
            with_key(true),
            "alias/aws/sns",
            "TOPIC_ENCRYPTED_WITH_AWS_MANAGED_KEY",
        ),
    ];
    for (facts, key, code) in cases {
        let err = plan(&facts, &kms_key(key)).unwrap_err();
        assert!(
            matches!(&err, RemediateError::InvalidOption(t) if t.contains(code) && t.contains("--kms-key")),
            "{key}: {err}"
        );
    }
    let mut lacking = with_key(true);
    let policy = lacking.keys[0].policy.as_mut().unwrap();
    *policy = policy.replace("cloudwatch.amazonaws.com", "events.amazonaws.com");
    let err = plan(&lacking, &kms_key(KEY)).unwrap_err();
    assert!(
        err.to_string()
            .contains("TOPIC_KEY_NOT_USABLE_BY_CLOUDWATCH"),
        "{err}"
    );
    let other = "arn:aws:kms:us-east-1:111122223333:key/not-read";
    let err = plan(&with_key(true), &kms_key(other)).unwrap_err();
    assert!(
        matches!(err, RemediateError::FactsIncomplete { .. }),
        "{err}"
    );
}

#[tokio::test]
async fn remediate_reads_the_kms_key_and_applies_it_to_the_new_topic() {
    let world = std::sync::Arc::new(kmswatch_core::memory::MemoryBackend::from_facts(with_key(
        true,
    )));
    let options = RemediateOptions {
        subscriber: Some(
            Subscriber::parse("sqs:arn:aws:sqs:us-east-1:111122223333:alerts").unwrap(),
        ),
        kms_key: Some(KEY.to_owned()),
        ..RemediateOptions::default()
    };
    let gathered = kmswatch_core::remediate::gather(&world.services(), "us-east-1", &options)
        .await
        .unwrap();
    assert!(gathered
        .key("us-east-1", KEY)
        .is_some_and(|k| k.policy.is_some()));
    let (done, applied) =
        kmswatch_core::remediate::run(&world.services(), "us-east-1", &options, true)
            .await
            .unwrap();
    assert_eq!(
        done.status_after,
        Some(Status::Pass),
        "{:?}",
        done.summary_after
    );
    let after = applied.unwrap().facts_after;
    let own = after.topic(OWN_TOPIC).unwrap();
    assert_eq!(
        own.attributes
            .as_ref()
            .unwrap()
            .kms_master_key_id
            .as_deref(),
        Some(KEY)
    );
}

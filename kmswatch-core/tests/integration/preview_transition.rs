//! The preview, computed on facts, against what the in-memory backend makes
//! of the same plan: the account a snapshot describes loaded into it, the
//! plan executed there through the service traits, the account gathered
//! again (and once more after its endpoints confirm). Both must predict the
//! same verdicts, report, diff and facts, for every bundled snapshot under
//! many options and for the accounts the remediation tests build.

use crate::common;

use common::*;
use kmswatch_core::api::{AlarmsApi, ApiError, ApiErrorKind};
use kmswatch_core::check::{self, Facts};
use kmswatch_core::keys::Regions;
use kmswatch_core::memory::MemoryBackend;
use kmswatch_core::operation::Operation;
use kmswatch_core::remediate::{
    self, assume_no_other_alarms, judge, preview, verdict_scope, Plan, Preview, RemediateError,
    RemediateOptions, Subscriber, Via,
};
use std::sync::Arc;

/// The oracle: the plan executed on the in-memory backend loaded with
/// `facts`, the account gathered again and judged.
async fn simulated(facts: &Facts, plan: &Plan) -> Result<Preview, RemediateError> {
    let account = Arc::new(MemoryBackend::from_facts(assume_no_other_alarms(facts)));
    let services = account.services();
    remediate::execute(&services, &plan.actions)
        .await
        .map_err(|e| match e {
            RemediateError::ApplyFailed(e) => RemediateError::Api(e.source),
            other => other,
        })?;
    let scope = verdict_scope(facts, plan);
    let verdict = |mut after: Facts| {
        after.linked = facts.linked.clone();
        judge(check::report(&after), &after, plan)
    };
    let after = check::gather_with(&services, &facts.region, &scope).await?;
    let report = verdict(after.clone());
    let (status_once_confirmed, confirmed) = if plan.pending_confirmation.is_empty() {
        (None, None)
    } else {
        for p in &plan.pending_confirmation {
            account.confirm_subscriptions(&p.topic_arn);
        }
        let confirmed = check::gather_with(&services, &facts.region, &scope).await?;
        (Some(verdict(confirmed.clone()).status), Some(confirmed))
    };
    Ok(Preview {
        status: report.status,
        status_once_confirmed,
        report,
        diff: remediate::preview::diff(facts, plan),
        facts_after: Some((after, confirmed)),
    })
}

/// How a case ended, for the counts that keep the comparison from being empty.
#[derive(Debug, PartialEq)]
enum Outcome {
    /// Planned and previewed alike (with how many actions).
    Previewed(usize),
    /// Planned, and both refused the plan the same way.
    PreviewFailed,
    /// No plan: neither path got as far as a preview.
    NotPlanned,
}

/// Plans `facts` with `options` and asserts both previews agree.
async fn compare(case: &str, facts: &Facts, options: &RemediateOptions) -> Outcome {
    let plan = match remediate::plan(facts, options) {
        Ok(plan) => plan,
        Err(refused) => {
            // The dry run plans first: it refuses exactly as planning does.
            let dry = remediate::dry_run(facts, options).expect_err(case);
            assert_eq!(dry.to_string(), refused.to_string(), "{case}");
            return Outcome::NotPlanned;
        }
    };
    let expected = simulated(facts, &plan).await;
    let actual = preview(facts, &plan);
    match (actual, expected) {
        (Ok(actual), Ok(expected)) => {
            assert_eq!(actual.status, expected.status, "{case}: status");
            assert_eq!(
                actual.status_once_confirmed, expected.status_once_confirmed,
                "{case}: status once confirmed"
            );
            let (after, confirmed) = actual.facts_after.clone().expect("facts after");
            let (want_after, want_confirmed) = expected.facts_after.clone().expect("facts after");
            assert_eq!(after, want_after, "{case}: facts after");
            assert_eq!(confirmed, want_confirmed, "{case}: facts once confirmed");
            assert_eq!(actual.report, expected.report, "{case}: report");
            assert_eq!(actual.diff, expected.diff, "{case}: diff");
            assert_eq!(actual, expected, "{case}");
            Outcome::Previewed(plan.actions.len())
        }
        (Err(actual), Err(expected)) => {
            assert_eq!(actual.to_string(), expected.to_string(), "{case}");
            Outcome::PreviewFailed
        }
        (actual, expected) => panic!(
            "{case}: the preview gives {:?}, the in-memory backend {:?}",
            actual.map(|p| p.status),
            expected.map(|p| p.status)
        ),
    }
}

/// The option sets every snapshot is planned with, named.
fn option_sets(facts: &Facts) -> Vec<(&'static str, RemediateOptions)> {
    let (region, account) = (&facts.region, &facts.account_id);
    let subscriber = |text: String| Some(Subscriber::parse(&text).unwrap());
    let sqs = subscriber(format!("sqs:arn:aws:sqs:{region}:{account}:alerts"));
    vec![
        ("default", RemediateOptions::default()),
        (
            "adopt",
            RemediateOptions {
                adopt: true,
                ..RemediateOptions::default()
            },
        ),
        (
            "email",
            RemediateOptions {
                subscriber: subscriber("email:secops@example.com".into()),
                ..RemediateOptions::default()
            },
        ),
        (
            "https",
            RemediateOptions {
                subscriber: subscriber("https:https://hooks.example.com/kms".into()),
                ..RemediateOptions::default()
            },
        ),
        (
            "sqs",
            RemediateOptions {
                subscriber: sqs.clone(),
                ..RemediateOptions::default()
            },
        ),
        (
            "lambda",
            RemediateOptions {
                subscriber: subscriber(format!(
                    "lambda:arn:aws:lambda:{region}:{account}:function:page"
                )),
                ..RemediateOptions::default()
            },
        ),
        (
            "kms key",
            RemediateOptions {
                subscriber: sqs.clone(),
                // A key the snapshot read, where it read one.
                kms_key: Some(facts.keys.first().map_or_else(
                    || format!("arn:aws:kms:{region}:{account}:key/alerts"),
                    |k| k.key_id.clone(),
                )),
                ..RemediateOptions::default()
            },
        ),
        (
            "eventbridge",
            RemediateOptions {
                subscriber: sqs.clone(),
                via: Via::Eventbridge,
                ..RemediateOptions::default()
            },
        ),
        (
            "every cis control",
            RemediateOptions {
                subscriber: sqs.clone(),
                controls: vec!["cis".into()],
                ..RemediateOptions::default()
            },
        ),
        (
            "topic name",
            RemediateOptions {
                subscriber: sqs,
                topic_name: "kms-alerts-elsewhere".into(),
                ..RemediateOptions::default()
            },
        ),
    ]
}

#[tokio::test]
async fn every_example_under_every_option_set_previews_as_the_backend_does() {
    let mut outcomes = Vec::new();
    let paths = example_paths();
    assert!(paths.len() >= 20, "the bundled snapshots: {paths:?}");
    for path in &paths {
        let facts = Facts::load(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for (name, options) in option_sets(&facts) {
            let case = format!("{} with {name}", path.display());
            outcomes.push(compare(&case, &facts, &options).await);
        }
    }
    let previewed: Vec<usize> = outcomes
        .iter()
        .filter_map(|o| match o {
            Outcome::Previewed(actions) => Some(*actions),
            _ => None,
        })
        .collect();
    assert_eq!(outcomes.len(), paths.len() * 10);
    // Most cases write something: the comparison is not of empty plans.
    assert!(
        previewed.iter().filter(|n| **n > 0).count() >= 100,
        "{outcomes:?}"
    );
}

fn example(name: &str) -> Facts {
    let path = format!("{}/../examples/{name}.json", env!("CARGO_MANIFEST_DIR"));
    Facts::load(path.as_ref()).unwrap()
}

/// The failing chain of the remediation tests: a logging multi-region
/// trail and its log group, no filter.
fn failing() -> Arc<MemoryBackend> {
    let world = Arc::new(MemoryBackend::new(ACCOUNT, REGION));
    world.put_trail(trail(), Some(status(true)), Some(all_management()));
    world.create_log_group(REGION, GROUP);
    world
}

fn subscribed(text: &str, options: RemediateOptions) -> RemediateOptions {
    RemediateOptions {
        subscriber: Some(Subscriber::parse(text).unwrap()),
        ..options
    }
}

fn queue() -> String {
    format!("sqs:arn:aws:sqs:{REGION}:{ACCOUNT}:alerts")
}

async fn gathered(world: &Arc<MemoryBackend>, options: &RemediateOptions) -> Facts {
    remediate::gather(&world.services(), REGION, options)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_accounts_of_the_remediation_tests_preview_as_the_backend_does() {
    let mut cases: Vec<(&str, Facts, RemediateOptions)> = Vec::new();

    let every = subscribed(
        &queue(),
        RemediateOptions {
            controls: vec!["cis".into()],
            ..RemediateOptions::default()
        },
    );
    let world = compliant().await;
    cases.push((
        "all fifteen controls",
        gathered(&world, &every).await,
        every,
    ));

    let world = Arc::new(MemoryBackend::new(ACCOUNT, REGION));
    let mut selectors = all_management();
    selectors.event_selectors[0].exclude_management_event_sources =
        vec!["kms.amazonaws.com".to_owned()];
    world.put_trail(trail(), Some(status(true)), Some(selectors));
    world.create_log_group(REGION, GROUP);
    let others = subscribed(
        &queue(),
        RemediateOptions {
            controls: vec!["4.10".into()],
            ..RemediateOptions::default()
        },
    );
    cases.push(("no kms events", gathered(&world, &others).await, others));

    let mut merge = example("broken-threshold-zero");
    merge.topics[0].attributes.as_mut().unwrap().policy = Some(
        r#"{"Version":"2012-10-17","Statement":[{"Sid":"OnlyEvents","Effect":"Allow","Principal":{"Service":"events.amazonaws.com"},"Action":"sns:Publish","Resource":"*"}]}"#.into(),
    );
    cases.push(("policy merge", merge, RemediateOptions::default()));

    let world = compliant().await;
    let mut silent = alarm("kms-alarm", "KMSKeyDisableOrDelete", &topic_arn());
    silent.threshold = Some(0.0);
    silent.actions_enabled = Some(false);
    world.put_metric_alarm(REGION, &silent).await.unwrap();
    let adopt = RemediateOptions {
        adopt: true,
        ..RemediateOptions::default()
    };
    cases.push(("adopted alarm", gathered(&world, &adopt).await, adopt));

    let email = subscribed("email:secops@example.com", RemediateOptions::default());
    let world = failing();
    cases.push(("pending e-mail", gathered(&world, &email).await, email));

    let https = subscribed(
        "https:https://hooks.example.com/kms",
        RemediateOptions::default(),
    );
    let world = failing();
    cases.push(("pending https", gathered(&world, &https).await, https));

    // The account of the key tests: an enabled key whose policy lets
    // CloudWatch use it, for kmswatch's new topic.
    let keyed = crate::remediate_topic_access::with_key(true);
    let encrypted = subscribed(
        &queue(),
        RemediateOptions {
            kms_key: Some(keyed.keys[0].key_id.clone()),
            ..RemediateOptions::default()
        },
    );
    cases.push(("encrypted topic", keyed, encrypted));

    let eventbridge = subscribed(
        &queue(),
        RemediateOptions {
            via: Via::Eventbridge,
            ..RemediateOptions::default()
        },
    );
    let world = crate::remediate_eventbridge::world(&[REGION, "eu-west-1"]);
    let enabled = Regions::partition(vec![REGION.into(), "eu-west-1".into()]);
    let facts = remediate::gather_eventbridge(&world.services(), REGION, &eventbridge, enabled)
        .await
        .unwrap();
    cases.push(("eventbridge, two regions", facts, eventbridge));

    // A write the account refuses: both predictions fail the same way.
    let queue_only = subscribed(&queue(), RemediateOptions::default());
    let mut refused = gathered(&failing(), &queue_only).await;
    refused.errors.push(
        ApiError::new(
            Operation::PutMetricAlarm,
            ApiErrorKind::AccessDenied,
            "AccessDenied",
            "not authorized to perform cloudwatch:PutMetricAlarm",
        )
        .in_region(REGION)
        .about(&queue_only.alarm_name),
    );
    cases.push(("refused write", refused, queue_only.clone()));

    let world = failing();
    world.put_trail(trail(), Some(status(false)), Some(all_management()));
    cases.push((
        "trail not logging",
        gathered(&world, &queue_only).await,
        queue_only.clone(),
    ));

    let world = compliant().await;
    let other = alarm(
        "kms-alarm",
        "KMSKeyDisableOrDelete",
        "arn:aws:sns:us-east-1:111122223333:gone",
    );
    world.put_metric_alarm(REGION, &other).await.unwrap();
    cases.push((
        "alarm on a missing topic",
        gathered(&world, &queue_only).await,
        queue_only,
    ));

    let mut outcomes = Vec::new();
    for (case, facts, options) in &cases {
        outcomes.push((*case, compare(case, facts, options).await));
    }
    let expected_refusals = ["refused write"];
    for (case, outcome) in &outcomes {
        match outcome {
            Outcome::PreviewFailed => assert!(expected_refusals.contains(case), "{case}"),
            Outcome::Previewed(n) => assert!(*n > 0, "{case}: nothing to compare"),
            Outcome::NotPlanned => assert_eq!(*case, "trail not logging"),
        }
    }
    assert!(outcomes.contains(&("refused write", Outcome::PreviewFailed)));
}

/// A plan whose e-mail subscription is still pending, on an account gathered
/// as `remediate` reads it (its alarms read by metric and by name prefix):
/// FAIL right after applying, as the check then says, and PASS once
/// confirmed — not ERROR because the check looks further for another alarm
/// that notifies.
#[tokio::test]
async fn a_pending_subscription_is_predicted_fail_then_pass() {
    let email = subscribed("email:secops@example.com", RemediateOptions::default());
    let facts = gathered(&failing(), &email).await;
    assert!(
        !facts.alarms.is_empty() && facts.alarms.iter().all(|r| r.by_metric.is_some()),
        "the case needs alarms read by metric: {:?}",
        facts.alarms
    );
    let plan = remediate::plan(&facts, &email).unwrap();
    let predicted = preview(&facts, &plan).unwrap();
    assert_eq!(
        predicted.status,
        check::Status::Fail,
        "{:?}",
        codes(&predicted.report)
    );
    assert_eq!(predicted.status_once_confirmed, Some(check::Status::Pass));
}

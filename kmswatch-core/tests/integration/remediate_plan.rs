//! `plan` for each state the check can report, with the exact actions; the
//! preview of every plan; and idempotency on the in-memory backend.

use kmswatch_core::check::{Facts, Status, CIS_PATTERN};
use kmswatch_core::memory::MemoryBackend;
use kmswatch_core::model::{Metric, MetricFilter};
use kmswatch_core::remediate::{
    self, plan, preview, Action, Change, Plan, RemediateError, RemediateOptions, Subscriber,
};
use std::sync::Arc;

const TOPIC: &str = "arn:aws:sns:us-east-1:111122223333:security-alerts";
const OWN_TOPIC: &str = "arn:aws:sns:us-east-1:111122223333:kmswatch-kms-key-alerts";
const SQS: &str = "arn:aws:sqs:us-east-1:111122223333:alerts";

fn example(name: &str) -> Facts {
    let path = format!("{}/../examples/{name}.json", env!("CARGO_MANIFEST_DIR"));
    Facts::load(path.as_ref()).unwrap()
}

fn with(subscriber: Option<&str>, adopt: bool) -> RemediateOptions {
    RemediateOptions {
        subscriber: subscriber.map(|s| Subscriber::parse(s).unwrap()),
        adopt,
        ..RemediateOptions::default()
    }
}

/// One line per action with everything that distinguishes it.
fn signature(plan: &Plan) -> Vec<String> {
    plan.actions
        .iter()
        .map(|a| match a {
            Action::CreateTopic {
                name,
                topic_arn,
                tags,
                ..
            } => {
                assert_eq!(
                    tags.get("kmswatch:managed").map(String::as_str),
                    Some("true")
                );
                format!("create_topic {name} {topic_arn}")
            }
            Action::MergeTopicPolicy { topic_arn, .. } => format!("merge_topic_policy {topic_arn}"),
            Action::Subscribe {
                topic_arn,
                protocol,
                endpoint,
            } => {
                format!("subscribe {}:{endpoint} {topic_arn}", protocol.as_str())
            }
            Action::PutMetricFilter { change, filter, .. } => {
                let t = &filter.metric_transformations[0];
                assert_eq!(filter.filter_pattern, CIS_PATTERN);
                assert_eq!(t.metric_value, "1");
                format!(
                    "put_metric_filter {change:?} {} on {} -> {}/{}",
                    filter.filter_name, filter.log_group_name, t.metric_namespace, t.metric_name
                )
            }
            Action::PutMetricAlarm { change, alarm, .. } => {
                assert_eq!(alarm.statistic.as_deref(), Some("Sum"));
                assert_eq!(alarm.period, Some(300));
                assert_eq!(alarm.threshold, Some(1.0));
                assert_eq!(alarm.comparison_operator, "GreaterThanOrEqualToThreshold");
                assert_eq!(
                    (alarm.evaluation_periods, alarm.datapoints_to_alarm),
                    (1, Some(1))
                );
                assert_eq!(alarm.treat_missing_data.as_deref(), Some("notBreaching"));
                assert_eq!(alarm.actions_enabled, Some(true));
                let m = alarm.metric.as_ref().unwrap();
                format!(
                    "put_metric_alarm {change:?} {} on {}/{} -> {}",
                    alarm.alarm_name,
                    m.namespace,
                    m.metric_name,
                    alarm.alarm_actions.join(",")
                )
            }
            Action::PutEventRule { region, rule, .. } => {
                format!("put_event_rule {} in {region}", rule.name)
            }
            Action::PutEventTargets { region, rule, .. } => {
                format!("put_event_targets {rule} in {region}")
            }
        })
        .collect()
}

/// Plans, checks the preview passes (now or once confirmed), returns the signature.
fn planned(facts: &Facts, options: &RemediateOptions) -> (Plan, Vec<String>) {
    let plan = plan(facts, options).unwrap();
    let preview = preview(facts, &plan).unwrap();
    assert!(preview.reaches_pass(), "preview: {:#?}", preview.report);
    let sig = signature(&plan);
    (plan, sig)
}

#[test]
fn compliant_needs_nothing() {
    let (plan, sig) = planned(
        &example("compliant"),
        &with(Some(&format!("sqs:{SQS}")), false),
    );
    assert!(sig.is_empty());
    assert_eq!(plan.status_before, Status::Pass);
}

#[test]
fn alarm_without_actions_gets_a_kmswatch_alarm_and_topic() {
    let facts = example("broken-alarm-no-actions");
    assert_eq!(
        plan(&facts, &RemediateOptions::default()),
        Err(RemediateError::NoSubscriber)
    );
    let (plan, sig) = planned(&facts, &with(Some(&format!("sqs:{SQS}")), false));
    assert_eq!(
        sig,
        [
            format!("create_topic kmswatch-kms-key-alerts {OWN_TOPIC}"),
            format!("subscribe sqs:{SQS} {OWN_TOPIC}"),
            format!("put_metric_alarm Create kmswatch-kms-key-disable-or-deletion on CISBenchmark/KMSKeyDisableOrScheduledDeletion -> {OWN_TOPIC}"),
        ]
    );
    assert!(plan.pending_confirmation.is_empty());
    assert!(plan.notes.iter().any(
        |n| n.contains("KMSKeyDisableOrScheduledDeletion (ALARM_NO_ACTIONS) is left as it is")
    ));
}

#[test]
fn alarm_without_actions_is_fixed_in_place_with_adopt() {
    let (_, sig) = planned(
        &example("broken-alarm-no-actions"),
        &with(Some(&format!("sqs:{SQS}")), true),
    );
    assert_eq!(
        sig,
        [
            format!("create_topic kmswatch-kms-key-alerts {OWN_TOPIC}"),
            format!("subscribe sqs:{SQS} {OWN_TOPIC}"),
            format!("put_metric_alarm Update KMSKeyDisableOrScheduledDeletion on CISBenchmark/KMSKeyDisableOrScheduledDeletion -> {OWN_TOPIC}"),
        ]
    );
}

#[test]
fn email_subscription_predicts_fail_until_confirmed() {
    let facts = example("broken-alarm-no-actions");
    let (plan, _) = planned(&facts, &with(Some("email:secops@example.com"), false));
    assert_eq!(plan.pending_confirmation.len(), 1);
    assert!(plan.pending_confirmation[0].created_by_plan);
    let preview = preview(&facts, &plan).unwrap();
    assert_eq!(preview.status, Status::Fail);
    assert_eq!(preview.status_once_confirmed, Some(Status::Pass));
}

#[test]
fn never_matching_pattern_gets_the_cis_filter_and_an_alarm_on_the_topic_named() {
    let facts = example("broken-never-matching-pattern");
    // The topic has a confirmed subscriber, but only an alarm on a filter
    // that catches nothing notifies it: it is not the chain's, and kmswatch
    // does not pick it without --topic-arn.
    assert_eq!(
        plan(&facts, &RemediateOptions::default()),
        Err(RemediateError::NoSubscriber)
    );
    let (_, sig) = planned(
        &facts,
        &RemediateOptions {
            topic_arn: Some(TOPIC.to_owned()),
            ..RemediateOptions::default()
        },
    );
    assert_eq!(
        sig,
        [
            "put_metric_filter Create kmswatch-kms-key-disable-or-deletion on aws-cloudtrail-logs-111122223333 -> kmswatch/KMSKeyDisableOrScheduledDeletion".to_owned(),
            format!("put_metric_alarm Create kmswatch-kms-key-disable-or-deletion on kmswatch/KMSKeyDisableOrScheduledDeletion -> {TOPIC}"),
        ]
    );
}

#[test]
fn pattern_missing_an_event_gets_only_a_filter_on_the_alarmed_metric() {
    let (_, sig) = planned(
        &example("broken-pattern-misses-schedule"),
        &RemediateOptions::default(),
    );
    assert_eq!(
        sig,
        ["put_metric_filter Create kmswatch-kms-key-disable-or-deletion on aws-cloudtrail-logs-111122223333 -> CISBenchmark/KMSKeyDisableOrScheduledDeletion"]
    );
    // Explicit metric names are honoured: then the new metric needs its own alarm.
    let options = RemediateOptions {
        metric_namespace: Some("Security".into()),
        metric_name: Some("KmsKeyEvents".into()),
        ..RemediateOptions::default()
    };
    let (_, sig) = planned(&example("broken-pattern-misses-schedule"), &options);
    assert_eq!(
        sig,
        [
            "put_metric_filter Create kmswatch-kms-key-disable-or-deletion on aws-cloudtrail-logs-111122223333 -> Security/KmsKeyEvents".to_owned(),
            format!("put_metric_alarm Create kmswatch-kms-key-disable-or-deletion on Security/KmsKeyEvents -> {TOPIC}"),
        ]
    );
}

#[test]
fn pending_subscription_needs_only_a_subscription() {
    let facts = example("broken-subscription-pending");
    // Nothing kmswatch can create: the existing subscriber must click the link.
    let (plan, sig) = planned(&facts, &RemediateOptions::default());
    assert!(sig.is_empty());
    assert_eq!(plan.pending_confirmation.len(), 1);
    assert!(!plan.pending_confirmation[0].created_by_plan);
    // The same address again: still only the confirmation, no second subscription.
    let (plan, sig) = planned(&facts, &with(Some("email:secops@example.com"), false));
    assert!(sig.is_empty());
    assert_eq!(plan.pending_confirmation.len(), 1);
    // An AWS endpoint is confirmed at once: PASS right after applying.
    let lambda = "arn:aws:lambda:us-east-1:111122223333:function:page-oncall";
    let (plan, sig) = planned(&facts, &with(Some(&format!("lambda:{lambda}")), false));
    assert_eq!(sig, [format!("subscribe lambda:{lambda} {TOPIC}")]);
    assert_eq!(preview(&facts, &plan).unwrap().status, Status::Pass);
}

#[test]
fn threshold_zero_gets_a_new_alarm_or_is_fixed_with_adopt() {
    let facts = example("broken-threshold-zero");
    let (_, sig) = planned(&facts, &RemediateOptions::default());
    assert_eq!(
        sig,
        [format!("put_metric_alarm Create kmswatch-kms-key-disable-or-deletion on CISBenchmark/KMSKeyDisableOrScheduledDeletion -> {TOPIC}")]
    );
    let (_, sig) = planned(&facts, &with(None, true));
    assert_eq!(
        sig,
        [format!("put_metric_alarm Update KMSKeyDisableOrScheduledDeletion on CISBenchmark/KMSKeyDisableOrScheduledDeletion -> {TOPIC}")]
    );
}

#[test]
fn trail_level_gaps_are_prerequisites() {
    for (name, code) in [
        ("broken-trail-not-logging", "TRAIL_NOT_LOGGING"),
        ("broken-single-region-trail", "TRAIL_NOT_MULTI_REGION"),
        ("manual-organization-trail", "LOG_GROUP_OTHER_ACCOUNT"),
    ] {
        match plan(&example(name), &with(Some("email:a@example.com"), true)) {
            Err(RemediateError::PrerequisiteMissing { gaps }) => {
                let codes: Vec<String> = gaps.iter().map(|g| g.code.as_string()).collect();
                assert_eq!(codes, [code], "{name}");
            }
            other => panic!("{name}: {other:?}"),
        }
    }
    let mut none = example("compliant");
    none.trails.clear();
    match plan(&none, &RemediateOptions::default()) {
        Err(e @ RemediateError::PrerequisiteMissing { .. }) => {
            assert!(e.to_string().contains("NO_TRAIL"))
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn unknown_alarms_stop_the_plan() {
    let err = plan(
        &example("error-access-denied"),
        &with(Some("email:a@example.com"), false),
    )
    .unwrap_err();
    assert!(
        matches!(err, RemediateError::FactsIncomplete { .. }),
        "{err}"
    );
    assert_eq!(err.exit_code(), 3);
}

#[test]
fn a_foreign_alarm_of_the_chosen_name_is_a_conflict() {
    let mut facts = example("broken-threshold-zero");
    let alarms = facts.alarms[0].alarms.as_mut().unwrap();
    let mut foreign = alarms[0].clone();
    foreign.alarm_name = "kmswatch-kms-key-disable-or-deletion".into();
    foreign.metric = Some(Metric {
        namespace: "Other".into(),
        metric_name: "Other".into(),
        dimensions: Default::default(),
    });
    alarms.push(foreign);
    match plan(&facts, &RemediateOptions::default()) {
        Err(e @ RemediateError::Conflict { .. }) => {
            let text = e.to_string();
            assert!(
                text.contains("alarm kmswatch-kms-key-disable-or-deletion in us-east-1"),
                "{text}"
            );
            assert!(text.contains("metric"), "{text}");
            assert_eq!(e.exit_code(), 1);
        }
        other => panic!("{other:?}"),
    }
    // Another name avoids it.
    let options = RemediateOptions {
        alarm_name: "kms-key-events".into(),
        ..RemediateOptions::default()
    };
    assert_eq!(plan(&facts, &options).unwrap().actions.len(), 1);
}

#[test]
fn a_foreign_filter_of_the_chosen_name_is_a_conflict_unless_adopted() {
    let mut facts = example("broken-never-matching-pattern");
    let options = RemediateOptions {
        filter_name: "KMSKeyDisableOrScheduledDeletion".into(),
        topic_arn: Some(TOPIC.into()),
        ..RemediateOptions::default()
    };
    let err = plan(&facts, &options).unwrap_err();
    assert!(err.to_string().contains("metric filter KMSKeyDisableOrScheduledDeletion on log group aws-cloudtrail-logs-111122223333"), "{err}");
    let adopted = plan(
        &facts,
        &RemediateOptions {
            adopt: true,
            ..options.clone()
        },
    )
    .unwrap();
    assert!(matches!(
        adopted.actions[0],
        Action::PutMetricFilter {
            change: Change::Update,
            ..
        }
    ));
    // The limit of 100 filters per log group.
    let filters = facts.log_groups[0].metric_filters.as_mut().unwrap();
    for i in filters.len()..100 {
        filters.push(MetricFilter {
            filter_name: format!("f{i}"),
            filter_pattern: "ERROR".into(),
            ..filters[1].clone()
        });
    }
    let default_names = RemediateOptions {
        topic_arn: Some(TOPIC.into()),
        ..RemediateOptions::default()
    };
    assert_eq!(
        plan(&facts, &default_names),
        Err(RemediateError::FilterLimit {
            log_group: "aws-cloudtrail-logs-111122223333".into()
        })
    );
}

#[test]
fn a_restrictive_topic_policy_is_merged_not_replaced() {
    let mut facts = example("broken-threshold-zero");
    let policy = r#"{"Version":"2012-10-17","Statement":[{"Sid":"OnlyEvents","Effect":"Allow","Principal":{"Service":"events.amazonaws.com"},"Action":"sns:Publish","Resource":"*"}]}"#;
    facts.topics[0].attributes.as_mut().unwrap().policy = Some(policy.into());
    let plan = plan(&facts, &RemediateOptions::default()).unwrap();
    let merged = plan
        .actions
        .iter()
        .find_map(|a| match a {
            Action::MergeTopicPolicy { topic_arn, policy } if topic_arn == TOPIC => {
                Some(policy.clone())
            }
            _ => None,
        })
        .expect("a policy merge");
    let doc: serde_json::Value = serde_json::from_str(&merged).unwrap();
    let sids: Vec<&str> = doc["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["Sid"].as_str())
        .collect();
    assert_eq!(sids, ["OnlyEvents", remediate::policy::STATEMENT_SID]);
    assert!(preview(&facts, &plan).unwrap().reaches_pass());
}

#[test]
fn topic_arn_in_another_region_is_refused() {
    let options = RemediateOptions {
        topic_arn: Some("arn:aws:sns:eu-west-1:111122223333:alerts".into()),
        ..RemediateOptions::default()
    };
    let err = plan(&example("broken-threshold-zero"), &options).unwrap_err();
    assert!(matches!(err, RemediateError::InvalidOption(_)), "{err}");
}

#[test]
fn an_identical_resource_is_unchanged_and_a_second_plan_is_empty() {
    for (name, subscriber) in [
        ("broken-alarm-no-actions", Some(format!("sqs:{SQS}"))),
        ("broken-never-matching-pattern", None),
        ("broken-pattern-misses-schedule", None),
        ("broken-threshold-zero", None),
        (
            "broken-alarm-no-actions",
            Some("email:oncall@example.com".to_owned()),
        ),
    ] {
        let facts = example(name);
        let mut options = with(subscriber.as_deref(), false);
        if name == "broken-never-matching-pattern" {
            options.topic_arn = Some(TOPIC.into());
        }
        let first = plan(&facts, &options).unwrap();
        let account = Arc::new(MemoryBackend::from_facts(facts.clone()));
        let services = account.services();
        let again = futures::executor::block_on(async {
            remediate::execute(&services, &first.actions).await.unwrap();
            remediate::gather(&services, "us-east-1", &options)
                .await
                .unwrap()
        });
        let second = plan(&again, &options).unwrap();
        assert!(second.actions.is_empty(), "{name}: {:#?}", second.actions);
        // Either it passes now, or only the e-mail confirmation is missing.
        assert!(
            second.status_before == Status::Pass || !second.pending_confirmation.is_empty(),
            "{name}"
        );
    }
}

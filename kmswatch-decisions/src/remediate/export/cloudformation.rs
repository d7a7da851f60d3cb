//! The plan as a CloudFormation template (YAML): `AWS::Logs::MetricFilter`,
//! `AWS::CloudWatch::Alarm`, `AWS::SNS::Topic`, `AWS::SNS::Subscription` and
//! `AWS::SNS::TopicPolicy`; with `--via eventbridge`, `AWS::Events::Rule`
//! (its targets inline).

use super::{created_rule, created_topic, header, identifiers, regions, targets_of, words};
use crate::remediate::plan::{Action, Change, Plan};
use std::collections::BTreeMap;
use std::fmt::Write;

/// The plan as a CloudFormation template. Scalars are written as JSON strings,
/// which YAML reads verbatim. Adopted resources carry `DeletionPolicy: Retain`
/// and must be brought into the stack with a resource import.
///
/// ```
/// use kmswatch_decisions::check::Facts;
/// use kmswatch_decisions::remediate::{export, plan, RemediateOptions};
/// let facts = Facts::load("../examples/broken-threshold-zero.json".as_ref()).unwrap();
/// let yaml = export::cloudformation(&plan(&facts, &RemediateOptions::default()).unwrap());
/// assert!(yaml.contains("Type: AWS::CloudWatch::Alarm"));
/// ```
pub fn cloudformation(plan: &Plan) -> String {
    let regions = regions(plan);
    if regions.len() == 1 {
        return template(plan, regions[0]);
    }
    // A stack lives in one region: one template per region, to deploy each in
    // its own (or as a StackSet).
    let mut out = String::new();
    for (i, region) in regions.iter().enumerate() {
        let mut part = plan.clone();
        part.actions
            .retain(|a| super::action_region(a) == Some(region));
        if i > 0 {
            out.push_str("---\n");
        }
        let _ = writeln!(
            out,
            "# Template {} of {}: the resources of {region}; deploy it in {region}.",
            i + 1,
            regions.len()
        );
        out.push_str(&template(&part, region));
    }
    out
}

/// One template, for the actions of `region`, which refuses to deploy elsewhere.
fn template(plan: &Plan, region: &str) -> String {
    let ids = identifiers(plan, |kind, name| {
        words(name).chain(words(kind)).map(capitalized).collect()
    });
    let topic = |arn: &str| match created_topic(plan, arn) {
        Some(i) => format!("!Ref {}", ids[i]),
        None => quote(arn),
    };
    let mut out = String::new();
    for line in header(plan) {
        let _ = writeln!(out, "# {line}");
    }
    out.push_str("AWSTemplateFormatVersion: \"2010-09-09\"\n");
    let _ = writeln!(
        out,
        "Description: {}",
        quote("kmswatch: alarm on KMS key disabling and scheduled deletion (CIS 4.7, Security Hub CloudWatch.7)")
    );
    // The resources belong where the account's log group is: a stack made in
    // another region fails at once instead of alarming on an empty metric.
    let _ = writeln!(
        out,
        "Rules:\n  DeployedInItsRegion:\n    Assertions:\n      - Assert: !Equals [!Ref \"AWS::Region\", {}]\n        AssertDescription: {}",
        quote(region),
        quote(&format!("This template creates resources for {region}: deploy it there."))
    );
    if plan.actions.is_empty() {
        // A template needs at least one resource; a wait condition handle is
        // free and does nothing.
        out.push_str(
            "Resources:\n  # Nothing to change: CloudFormation requires one resource.\n  \
             NothingToChange:\n    Type: AWS::CloudFormation::WaitConditionHandle\n",
        );
        return out;
    }
    out.push_str("Resources:\n");
    for (action, id) in plan.actions.iter().zip(&ids) {
        if let Action::PutEventTargets { region, rule, .. } = action {
            // A rule's targets are part of AWS::Events::Rule.
            if created_rule(plan, region, rule).is_none() {
                let _ = writeln!(
                    out,
                    "  # {}: CloudFormation cannot add a target to a rule outside the stack; run `aws events put-targets` for it.",
                    action.describe()
                );
            }
            continue;
        }
        let _ = writeln!(out, "  {id}:");
        match action {
            Action::CreateTopic {
                name,
                tags,
                kms_master_key_id,
                ..
            } => {
                out.push_str("    Type: AWS::SNS::Topic\n    Properties:\n");
                let _ = writeln!(out, "      TopicName: {}", quote(name));
                if let Some(key) = kms_master_key_id {
                    let _ = writeln!(out, "      KmsMasterKeyId: {}", quote(key));
                }
                tags_list(&mut out, tags);
            }
            Action::MergeTopicPolicy { topic_arn, policy } => {
                out.push_str(
                    "    # The whole existing policy with kmswatch's statement appended: every\n    \
                     # existing statement is kept.\n    Type: AWS::SNS::TopicPolicy\n    Properties:\n",
                );
                let _ = writeln!(out, "      Topics:\n        - {}", topic(topic_arn));
                let _ = writeln!(out, "      PolicyDocument: {policy}");
            }
            Action::Subscribe {
                topic_arn,
                protocol,
                endpoint,
            } => {
                out.push_str("    Type: AWS::SNS::Subscription\n    Properties:\n");
                let _ = writeln!(out, "      TopicArn: {}", topic(topic_arn));
                let _ = writeln!(out, "      Protocol: {}", quote(protocol.as_str()));
                let _ = writeln!(out, "      Endpoint: {}", quote(endpoint));
            }
            Action::PutMetricFilter { change, filter, .. } => {
                retain_if_adopted(&mut out, *change);
                out.push_str("    Type: AWS::Logs::MetricFilter\n    Properties:\n");
                let _ = writeln!(out, "      FilterName: {}", quote(&filter.filter_name));
                let _ = writeln!(out, "      LogGroupName: {}", quote(&filter.log_group_name));
                let _ = writeln!(
                    out,
                    "      FilterPattern: {}",
                    quote(&filter.filter_pattern)
                );
                out.push_str("      MetricTransformations:\n");
                for t in &filter.metric_transformations {
                    let _ = writeln!(out, "        - MetricName: {}", quote(&t.metric_name));
                    let _ = writeln!(
                        out,
                        "          MetricNamespace: {}",
                        quote(&t.metric_namespace)
                    );
                    let _ = writeln!(out, "          MetricValue: {}", quote(&t.metric_value));
                }
            }
            Action::PutMetricAlarm { change, alarm, .. } => {
                retain_if_adopted(&mut out, *change);
                out.push_str("    Type: AWS::CloudWatch::Alarm\n    Properties:\n");
                let _ = writeln!(out, "      AlarmName: {}", quote(&alarm.alarm_name));
                let _ = writeln!(
                    out,
                    "      AlarmDescription: {}",
                    quote("A KMS key was disabled or scheduled for deletion (CIS 4.7)")
                );
                if let Some(m) = &alarm.metric {
                    let _ = writeln!(out, "      Namespace: {}", quote(&m.namespace));
                    let _ = writeln!(out, "      MetricName: {}", quote(&m.metric_name));
                }
                if let Some(s) = &alarm.statistic {
                    let _ = writeln!(out, "      Statistic: {s}");
                }
                if let Some(p) = alarm.period {
                    let _ = writeln!(out, "      Period: {p}");
                }
                let _ = writeln!(out, "      EvaluationPeriods: {}", alarm.evaluation_periods);
                if let Some(d) = alarm.datapoints_to_alarm {
                    let _ = writeln!(out, "      DatapointsToAlarm: {d}");
                }
                if let Some(t) = alarm.threshold {
                    let _ = writeln!(out, "      Threshold: {t}");
                }
                let _ = writeln!(
                    out,
                    "      ComparisonOperator: {}",
                    alarm.comparison_operator
                );
                if let Some(t) = &alarm.treat_missing_data {
                    let _ = writeln!(out, "      TreatMissingData: {t}");
                }
                if let Some(enabled) = alarm.actions_enabled {
                    let _ = writeln!(out, "      ActionsEnabled: {enabled}");
                }
                for (name, list) in [
                    ("AlarmActions", &alarm.alarm_actions),
                    ("OKActions", &alarm.ok_actions),
                    ("InsufficientDataActions", &alarm.insufficient_data_actions),
                ] {
                    if !list.is_empty() {
                        let _ = writeln!(out, "      {name}:");
                        for a in list {
                            let _ = writeln!(out, "        - {}", topic(a));
                        }
                    }
                }
                tags_list(&mut out, &alarm.tags);
            }
            Action::PutEventRule {
                region,
                change,
                rule,
            } => {
                retain_if_adopted(&mut out, *change);
                out.push_str("    Type: AWS::Events::Rule\n    Properties:\n");
                let _ = writeln!(out, "      Name: {}", quote(&rule.name));
                if let Some(d) = &rule.description {
                    let _ = writeln!(out, "      Description: {}", quote(d));
                }
                out.push_str("      EventBusName: \"default\"\n");
                let _ = writeln!(out, "      EventPattern: {}", rule.event_pattern);
                let _ = writeln!(out, "      State: {}", quote(&rule.state));
                let targets: Vec<_> = targets_of(plan, region, &rule.name).collect();
                if !targets.is_empty() {
                    out.push_str("      Targets:\n");
                    for t in targets {
                        let _ = writeln!(
                            out,
                            "        - Id: {}\n          Arn: {}",
                            quote(&t.id),
                            topic(&t.arn)
                        );
                    }
                }
            }
            Action::PutEventTargets { .. } => {}
        }
    }
    out
}

fn retain_if_adopted(out: &mut String, change: Change) {
    if change == Change::Update {
        out.push_str(
            "    # Exists already (adopted with --adopt): import it into the stack.\n    \
             DeletionPolicy: Retain\n    UpdateReplacePolicy: Retain\n",
        );
    }
}

fn tags_list(out: &mut String, tags: &BTreeMap<String, String>) {
    if tags.is_empty() {
        return;
    }
    out.push_str("      Tags:\n");
    for (k, v) in tags {
        let _ = writeln!(
            out,
            "        - Key: {}\n          Value: {}",
            quote(k),
            quote(v)
        );
    }
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

/// A YAML double-quoted scalar (a JSON string is one).
fn quote(text: &str) -> String {
    serde_json::Value::from(text).to_string()
}

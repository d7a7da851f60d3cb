//! The plan as Terraform HCL for the AWS provider:
//! `aws_cloudwatch_log_metric_filter`, `aws_cloudwatch_metric_alarm`,
//! `aws_sns_topic`, `aws_sns_topic_subscription` and `aws_sns_topic_policy`.

use super::{created_topic, header, identifiers, words};
use crate::remediate::plan::{Action, Change, Plan};
use std::collections::BTreeMap;
use std::fmt::Write;

/// The plan as a Terraform configuration. Adopted resources get an `import`
/// block (Terraform 1.5+), so that `terraform apply` takes them over instead of
/// failing on a name that exists.
///
/// ```
/// use kmswatch_core::check::Facts;
/// use kmswatch_core::remediate::{export, plan, RemediateOptions};
/// let facts = Facts::load("../examples/broken-pattern-misses-schedule.json".as_ref()).unwrap();
/// let hcl = export::terraform(&plan(&facts, &RemediateOptions::default()).unwrap());
/// assert!(hcl.contains(r#"resource "aws_cloudwatch_log_metric_filter""#));
/// ```
pub fn terraform(plan: &Plan) -> String {
    let ids = identifiers(plan, |kind, name| {
        let mut id: Vec<String> = words(name).map(str::to_ascii_lowercase).collect();
        id.push(kind.to_owned());
        id.join("_")
    });
    let topic = |arn: &str| match created_topic(plan, arn) {
        Some(i) => format!("aws_sns_topic.{}.arn", ids[i]),
        None => quote(arn),
    };
    let mut out = String::new();
    for line in header(plan) {
        let _ = writeln!(out, "# {line}");
    }
    out.push_str("\nterraform {\n  required_providers {\n    aws = {\n      source = \"hashicorp/aws\"\n    }\n  }\n}\n");
    for (action, id) in plan.actions.iter().zip(&ids) {
        out.push('\n');
        match action {
            Action::CreateTopic {
                name,
                tags,
                region,
                kms_master_key_id,
                ..
            } => {
                let _ = writeln!(
                    out,
                    "# region {region}\nresource \"aws_sns_topic\" \"{id}\" {{"
                );
                attribute(&mut out, "name", &quote(name));
                if let Some(key) = kms_master_key_id {
                    attribute(&mut out, "kms_master_key_id", &quote(key));
                }
                tags_block(&mut out, tags);
                out.push_str("}\n");
            }
            Action::MergeTopicPolicy { topic_arn, policy } => {
                let _ = writeln!(
                    out,
                    "# The whole existing policy, with kmswatch's statement appended: every\n\
                     # existing statement is kept. Terraform manages the whole policy from now on.\n\
                     resource \"aws_sns_topic_policy\" \"{id}\" {{"
                );
                attribute(&mut out, "arn", &topic(topic_arn));
                attribute(&mut out, "policy", &quote(policy));
                out.push_str("}\n");
            }
            Action::Subscribe {
                topic_arn,
                protocol,
                endpoint,
            } => {
                let _ = writeln!(out, "resource \"aws_sns_topic_subscription\" \"{id}\" {{");
                attribute(&mut out, "topic_arn", &topic(topic_arn));
                attribute(&mut out, "protocol", &quote(protocol.as_str()));
                attribute(&mut out, "endpoint", &quote(endpoint));
                out.push_str("}\n");
            }
            Action::PutMetricFilter {
                region,
                change,
                filter,
            } => {
                if *change == Change::Update {
                    import(
                        &mut out,
                        "aws_cloudwatch_log_metric_filter",
                        id,
                        &format!("{}:{}", filter.log_group_name, filter.filter_name),
                    );
                }
                let _ = writeln!(
                    out,
                    "# region {region}\nresource \"aws_cloudwatch_log_metric_filter\" \"{id}\" {{"
                );
                attribute(&mut out, "name", &quote(&filter.filter_name));
                attribute(&mut out, "log_group_name", &quote(&filter.log_group_name));
                attribute(&mut out, "pattern", &quote(&filter.filter_pattern));
                for t in &filter.metric_transformations {
                    out.push_str("\n  metric_transformation {\n");
                    let _ = writeln!(out, "    name      = {}", quote(&t.metric_name));
                    let _ = writeln!(out, "    namespace = {}", quote(&t.metric_namespace));
                    let _ = writeln!(out, "    value     = {}", quote(&t.metric_value));
                    out.push_str("  }\n");
                }
                out.push_str("}\n");
            }
            Action::PutMetricAlarm {
                region,
                change,
                alarm,
            } => {
                if *change == Change::Update {
                    import(
                        &mut out,
                        "aws_cloudwatch_metric_alarm",
                        id,
                        &alarm.alarm_name,
                    );
                }
                let _ = writeln!(
                    out,
                    "# region {region}\nresource \"aws_cloudwatch_metric_alarm\" \"{id}\" {{"
                );
                attribute(&mut out, "alarm_name", &quote(&alarm.alarm_name));
                attribute(
                    &mut out,
                    "alarm_description",
                    &quote("A KMS key was disabled or scheduled for deletion (CIS 4.7)"),
                );
                if let Some(m) = &alarm.metric {
                    attribute(&mut out, "namespace", &quote(&m.namespace));
                    attribute(&mut out, "metric_name", &quote(&m.metric_name));
                }
                if let Some(s) = &alarm.statistic {
                    attribute(&mut out, "statistic", &quote(s));
                }
                if let Some(p) = alarm.period {
                    attribute(&mut out, "period", &p.to_string());
                }
                attribute(
                    &mut out,
                    "evaluation_periods",
                    &alarm.evaluation_periods.to_string(),
                );
                if let Some(d) = alarm.datapoints_to_alarm {
                    attribute(&mut out, "datapoints_to_alarm", &d.to_string());
                }
                if let Some(t) = alarm.threshold {
                    attribute(&mut out, "threshold", &t.to_string());
                }
                attribute(
                    &mut out,
                    "comparison_operator",
                    &quote(&alarm.comparison_operator),
                );
                if let Some(t) = &alarm.treat_missing_data {
                    attribute(&mut out, "treat_missing_data", &quote(t));
                }
                if let Some(enabled) = alarm.actions_enabled {
                    attribute(&mut out, "actions_enabled", &enabled.to_string());
                }
                for (name, list) in [
                    ("alarm_actions", &alarm.alarm_actions),
                    ("ok_actions", &alarm.ok_actions),
                    (
                        "insufficient_data_actions",
                        &alarm.insufficient_data_actions,
                    ),
                ] {
                    if !list.is_empty() {
                        let items: Vec<String> = list.iter().map(|a| topic(a)).collect();
                        attribute(&mut out, name, &format!("[{}]", items.join(", ")));
                    }
                }
                tags_block(&mut out, &alarm.tags);
                out.push_str("}\n");
            }
        }
    }
    out
}

fn attribute(out: &mut String, name: &str, value: &str) {
    let _ = writeln!(out, "  {name} = {value}");
}

fn import(out: &mut String, kind: &str, id: &str, import_id: &str) {
    let _ = writeln!(
        out,
        "# Exists already: adopted with --adopt.\nimport {{\n  to = {kind}.{id}\n  id = {}\n}}\n",
        quote(import_id)
    );
}

fn tags_block(out: &mut String, tags: &BTreeMap<String, String>) {
    if tags.is_empty() {
        return;
    }
    out.push_str("\n  tags = {\n");
    for (k, v) in tags {
        let _ = writeln!(out, "    {} = {}", quote(k), quote(v));
    }
    out.push_str("  }\n");
}

/// An HCL quoted string: JSON-style escapes, and `${` / `%{` escaped so that
/// patterns and policies are never read as templates.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn quoting_escapes_templates() {
        assert_eq!(quote(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(quote("${x} %{y} $.z"), r#""$${x} %%{y} $.z""#);
    }
}

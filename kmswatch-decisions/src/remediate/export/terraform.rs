//! The plan as Terraform HCL for the AWS provider:
//! `aws_cloudwatch_log_metric_filter`, `aws_cloudwatch_metric_alarm`,
//! `aws_sns_topic`, `aws_sns_topic_subscription` and `aws_sns_topic_policy`;
//! with `--via eventbridge`, `aws_cloudwatch_event_rule` and
//! `aws_cloudwatch_event_target`.

use super::{action_region, created_rule, created_topic, header, identifiers, regions, words};
use crate::remediate::plan::{Action, Change, Plan};
use std::collections::BTreeMap;
use std::fmt::Write;

/// The plan as a Terraform configuration. Adopted resources get an `import`
/// block (Terraform 1.5+), so that `terraform apply` takes them over instead of
/// failing on a name that exists.
///
/// ```
/// use kmswatch_decisions::check::Facts;
/// use kmswatch_decisions::remediate::{export, plan, RemediateOptions};
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
    // The resources land where the plan says, whatever the default provider's
    // region: the first region is the default provider's, any other an alias.
    let regions = regions(plan);
    for (i, region) in regions.iter().enumerate() {
        out.push_str("\nprovider \"aws\" {\n");
        if i > 0 {
            attribute(&mut out, "alias", &quote(&alias(region)));
        }
        attribute(&mut out, "region", &quote(region));
        out.push_str("}\n");
    }
    for (action, id) in plan.actions.iter().zip(&ids) {
        out.push('\n');
        let provider = action_region(action)
            .filter(|r| Some(r) != regions.first())
            .map(|r| format!("aws.{}", alias(r)));
        let start = out.len();
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
            Action::PutEventRule {
                region,
                change,
                rule,
            } => {
                if *change == Change::Update {
                    // The import id of a rule on the default bus is its name.
                    import(&mut out, "aws_cloudwatch_event_rule", id, &rule.name);
                }
                let _ = writeln!(
                    out,
                    "# region {region}\nresource \"aws_cloudwatch_event_rule\" \"{id}\" {{"
                );
                attribute(&mut out, "name", &quote(&rule.name));
                if let Some(d) = &rule.description {
                    attribute(&mut out, "description", &quote(d));
                }
                attribute(&mut out, "event_pattern", &quote(&rule.event_pattern));
                attribute(&mut out, "state", &quote(&rule.state));
                tags_block(&mut out, &rule.tags);
                out.push_str("}\n");
            }
            Action::PutEventTargets {
                region,
                rule,
                targets,
            } => {
                let rule_ref = match created_rule(plan, region, rule) {
                    Some(i) => format!("aws_cloudwatch_event_rule.{}.name", ids[i]),
                    None => quote(rule),
                };
                for (n, target) in targets.iter().enumerate() {
                    let name = match n {
                        0 => id.clone(),
                        n => format!("{id}_{}", n + 1),
                    };
                    let _ = writeln!(
                        out,
                        "# region {region}\nresource \"aws_cloudwatch_event_target\" \"{name}\" {{"
                    );
                    attribute(&mut out, "rule", &rule_ref);
                    attribute(&mut out, "target_id", &quote(&target.id));
                    attribute(&mut out, "arn", &topic(&target.arn));
                    out.push_str("}\n");
                }
            }
        }
        if let Some(provider) = provider {
            with_provider(&mut out, start, &provider);
        }
    }
    format(&out)
}

/// A provider alias for a region: `eu-west-1` → `eu_west_1`.
fn alias(region: &str) -> String {
    region.replace('-', "_")
}

/// Makes the resource block written from `start` on use `provider`.
fn with_provider(out: &mut String, start: usize, provider: &str) {
    if let Some(open) = out[start..].find("resource \"") {
        if let Some(eol) = out[start + open..].find('\n') {
            let at = start + open + eol + 1;
            out.insert_str(at, &format!("  provider = {provider}\n"));
        }
    }
}

/// As `terraform fmt` lays it out: the `=` of consecutive one-line attributes
/// of a block aligned one column after the longest name.
pub fn format(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::with_capacity(text.len() + 256);
    let mut i = 0;
    while i < lines.len() {
        let Some((indent, _, _)) = attribute_parts(lines[i]) else {
            out.push_str(lines[i]);
            out.push('\n');
            i += 1;
            continue;
        };
        // A run of attributes at the same indentation, none of which opens a
        // multi-line value (those end the run, as in `terraform fmt`).
        let mut end = i;
        while end < lines.len() {
            match attribute_parts(lines[end]) {
                Some((ind, _, value)) if ind == indent => {
                    end += 1;
                    if value.ends_with('{') || value.ends_with('[') {
                        break;
                    }
                }
                _ => break,
            }
        }
        let width = lines[i..end]
            .iter()
            .filter_map(|l| attribute_parts(l).map(|(_, name, _)| name.chars().count()))
            .max()
            .unwrap_or(0);
        for line in &lines[i..end] {
            if let Some((ind, name, value)) = attribute_parts(line) {
                let pad = width - name.chars().count();
                let _ = writeln!(out, "{ind}{name}{} = {value}", " ".repeat(pad));
            }
        }
        i = end;
    }
    out
}

/// `(indentation, name, value)` of an attribute line `name = value`, where the
/// name is an identifier or a quoted map key.
fn attribute_parts(line: &str) -> Option<(&str, &str, &str)> {
    let name_start = line.len() - line.trim_start().len();
    let (indent, rest) = line.split_at(name_start);
    let (name, value) = rest.split_once(" = ")?;
    let name = name.trim_end();
    let identifier = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    let quoted = name.len() >= 2 && name.starts_with('"') && name.ends_with('"');
    (identifier || quoted).then_some((indent, name, value))
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
    use super::{format, quote};

    #[test]
    fn attributes_align_as_terraform_fmt_aligns_them() {
        let text = "resource \"x\" \"y\" {\n  name = \"a\"\n  log_group_name = \"b\"\n\n  tags = {\n    \"k\" = \"v\"\n    \"long-key\" = \"w\"\n  }\n}\n";
        assert_eq!(
            format(text),
            "resource \"x\" \"y\" {\n  name           = \"a\"\n  log_group_name = \"b\"\n\n  tags = {\n    \"k\"        = \"v\"\n    \"long-key\" = \"w\"\n  }\n}\n"
        );
    }

    #[test]
    fn quoting_escapes_templates() {
        assert_eq!(quote(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(quote("${x} %{y} $.z"), r#""$${x} %%{y} $.z""#);
    }
}

//! `kmswatch remediate`: plan the fix, preview it, and (with `--apply`) apply it
//! and check again.
//!
//! Dry run is the default: the plan, the diff and the predicted verdict are
//! printed and nothing is written. `--export terraform|cloudformation` prints the
//! same plan as infrastructure as code instead.
//!
//! Exit codes:
//! - without `--apply`: 0 when the account passes right after applying the plan
//!   (also when it passes already), 1 otherwise — a plan that passes only once
//!   a subscription is confirmed exits 1, as `--apply` does;
//! - with `--apply`: the verdict of the check run afterwards — 0 PASS, 1 FAIL
//!   (e.g. an e-mail subscription awaiting confirmation), 3 ERROR or MANUAL;
//! - 1 when kmswatch will not remediate as things are: a trail prerequisite is
//!   missing, a resource of the chosen name exists with different settings
//!   (without `--adopt`), the log group has 100 metric filters, or the plan would
//!   not pass;
//! - 2 for usage and input errors, including a new topic with no subscriber
//!   (pass `--email`, `--subscribe` or `--topic-arn`);
//! - 3 when an AWS call fails or a fact the plan needs is unknown.

// RemediateError carries the failed AWS call whole (as kmswatch-core does); it
// is returned once per run, so its size does not matter.
#![allow(clippy::result_large_err)]

use crate::account::{AccountArgs, LogAccountArgs};
use crate::control_arg::control_id;
use crate::exit;
use crate::format_arg::Format;
use crate::stdout;
use crate::terminal;
use clap::{Args, ValueEnum};
use kmswatch_core::controls::DEFAULT_CONTROL;
use kmswatch_core::redact;
use kmswatch_core::remediate::{self, export, Applied, RemediateOptions, Remediation};
use kmswatch_core::session::{
    self, parse_tags, Failure, RemediationFlags, SnapshotSource, Stopped,
};
use std::fmt::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Infrastructure-as-code formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// Terraform HCL (AWS provider resources).
    Terraform,
    /// A CloudFormation template (YAML).
    Cloudformation,
}

/// `kmswatch remediate`.
#[derive(Args, Debug)]
pub struct RemediateArgs {
    #[command(flatten)]
    account: AccountArgs,
    #[command(flatten)]
    links: LogAccountArgs,
    /// Plan from a snapshot file instead of the live account (dry run or export only).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["region", "profile", "endpoint_url", "timeout", "max_concurrency", "apply", "log_account_role"])]
    snapshot: Option<PathBuf>,
    /// Subscribe this e-mail address (it must confirm before the account passes).
    #[arg(long, value_name = "ADDR", conflicts_with = "subscribe")]
    email: Option<String>,
    /// Subscribe an endpoint: email:ADDR, https:URL, sqs:QUEUE_ARN or lambda:FUNCTION_ARN.
    #[arg(long, value_name = "PROTOCOL:ENDPOINT")]
    subscribe: Option<String>,
    /// Notify this existing SNS topic instead of creating one.
    #[arg(long, value_name = "ARN")]
    topic_arn: Option<String>,
    /// Apply the plan, then check again. Without it nothing is written.
    #[arg(long)]
    apply: bool,
    /// Print the plan as infrastructure as code instead (nothing is written).
    #[arg(long, value_enum, value_name = "FORMAT", conflicts_with = "apply")]
    export: Option<ExportFormat>,
    /// Take over a filter, alarm or topic of the chosen name that exists with
    /// different settings, and fix alarms kmswatch did not create in place.
    #[arg(long)]
    adopt: bool,
    /// Name of the metric filter to create.
    #[arg(long, value_name = "NAME", default_value = remediate::options::DEFAULT_FILTER_NAME)]
    filter_name: String,
    /// Name of the alarm to create.
    #[arg(long, value_name = "NAME", default_value = remediate::options::DEFAULT_ALARM_NAME)]
    alarm_name: String,
    /// Name of the SNS topic to create.
    #[arg(long, value_name = "NAME", default_value = remediate::options::DEFAULT_TOPIC_NAME)]
    topic_name: String,
    /// Metric namespace (default: reuse the metric of a working alarm, else `kmswatch`).
    #[arg(long, value_name = "NAMESPACE")]
    metric_namespace: Option<String>,
    /// Metric name (default: reuse, else `KMSKeyDisableOrScheduledDeletion`).
    #[arg(long, value_name = "NAME")]
    metric_name: Option<String>,
    /// Encrypt the topic kmswatch creates with this KMS key (id, ARN or alias); its key
    /// policy must let cloudwatch.amazonaws.com use it (kms:Decrypt, kms:GenerateDataKey*).
    #[arg(long, value_name = "KEY")]
    kms_key: Option<String>,
    /// Tag for created alarms and topics (repeatable); `kmswatch:managed=true` is always set.
    #[arg(long = "tag", value_name = "KEY=VALUE")]
    tags: Vec<String>,
    /// What to build: `metric-filter` (the CIS chain: filter, alarm, topic) or
    /// `eventbridge` (a rule and a topic in every region that holds customer
    /// managed keys; PASS for `check --accept eventbridge` only).
    #[arg(long, value_name = "KIND", value_parser = ["metric-filter", "eventbridge"], default_value = "metric-filter")]
    via: String,
    /// Name of the EventBridge rule to create (with --via eventbridge).
    #[arg(long, value_name = "NAME", default_value = remediate::options::DEFAULT_RULE_NAME)]
    rule_name: String,
    /// CIS CloudWatch monitoring controls to make pass: CIS numbers (4.1 to
    /// 4.15, 3.x of v1.2.0, 5.x of v6.0.0), Security Hub ids (CloudWatch.1
    /// to CloudWatch.14), or `cis` for all fifteen; comma-separated or
    /// repeated. Each control other than 4.7 that does not pass gets its own
    /// metric filter (its CIS pattern) and alarm, both named `kmswatch-NAME`
    /// (e.g. `kmswatch-unauthorized-api-calls`), on the chain's log group,
    /// every alarm notifying one topic; --filter-name, --alarm-name and
    /// --metric-name name 4.7's.
    #[arg(
        long = "control",
        value_name = "ID,...",
        value_delimiter = ',',
        default_value = DEFAULT_CONTROL,
        value_parser = control_id
    )]
    control: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::TABLE)]
    format: Format,
    /// Keep subscription endpoints whole in the plan (by default
    /// `https://host/…`, `a…@example.com`; exports always keep them).
    #[arg(long)]
    show_endpoints: bool,
}

impl RemediateArgs {
    fn options(&self) -> Result<RemediateOptions, Failure> {
        let flags = RemediationFlags {
            email: self.email.clone(),
            subscribe: self.subscribe.clone(),
            topic_arn: self.topic_arn.clone(),
            filter_name: Some(self.filter_name.clone()),
            alarm_name: Some(self.alarm_name.clone()),
            topic_name: Some(self.topic_name.clone()),
            metric_namespace: self.metric_namespace.clone(),
            metric_name: self.metric_name.clone(),
            tags: parse_tags(&self.tags)?,
            adopt: self.adopt,
            kms_key: self.kms_key.clone(),
            via: Some(self.via.clone()),
            rule_name: Some(self.rule_name.clone()),
            control: self.control.clone(),
        };
        Ok(flags.options()?)
    }

    fn remediate(&self) -> Result<(Remediation, Option<Applied>), Stopped> {
        let options = self.options().map_err(Stopped::early)?;
        match &self.snapshot {
            Some(path) => {
                let facts = session::load_snapshot(&SnapshotSource::from_arg(path))
                    .map_err(Stopped::early)?;
                Ok((session::remediate_snapshot(&facts, &options)?, None))
            }
            None => {
                let run = async {
                    let account = session::connect(&self.account.options_with(&self.links))
                        .await
                        .map_err(Stopped::early)?;
                    session::remediate_run(&account, &options, self.apply).await
                };
                // The runtime's own failure to start is the only Failure here.
                session::block_on(async { Ok(run.await) })
                    .unwrap_or_else(|failure| Err(Stopped::early(failure)))
            }
        }
    }

    /// Flags that parse but do not go together.
    fn incompatible(&self) -> Option<&'static str> {
        if self.export.is_some() && self.format == Format::JSON {
            return Some(
                "--export prints Terraform or CloudFormation, not JSON: drop --format json \
                 (or drop --export for the kmswatch.plan/v1 document)",
            );
        }
        None
    }
}

/// Runs `kmswatch remediate`.
pub fn run(args: RemediateArgs) -> ExitCode {
    let json = args.format == Format::JSON;
    if let Some(why) = args.incompatible() {
        return exit::usage(why, json);
    }
    let (remediation, applied) = match args.remediate() {
        Ok(outcome) => outcome,
        Err(stopped) => {
            let pairs = match (&stopped.remediation, args.show_endpoints) {
                (Some(r), false) => r.plan.endpoints(),
                _ => Vec::new(),
            };
            eprintln!(
                "kmswatch: {}",
                redact::replace_all(&stopped.failure.message(), &pairs)
            );
            exit::debug_detail(&stopped.failure);
            if json {
                stdout::line(&redact::replace_all(&stopped.to_json(), &pairs));
            }
            return ExitCode::from(stopped.exit_code());
        }
    };
    if let Some(format) = args.export {
        for note in &remediation.plan.notes {
            eprintln!("kmswatch: note: {note}");
        }
        match format {
            ExportFormat::Terraform => stdout::write(&export::terraform(&remediation.plan)),
            ExportFormat::Cloudformation => {
                stdout::write(&export::cloudformation(&remediation.plan))
            }
        }
        return ExitCode::from(remediation.exit_code());
    }
    let pairs = if args.show_endpoints {
        Vec::new()
    } else {
        remediation.plan.endpoints()
    };
    match args.format {
        Format::JSON => stdout::line(&redact::replace_all(&remediation.to_json(), &pairs)),
        _ if terminal::get().quiet => stdout::line(&verdict_line(&remediation, applied.as_ref())),
        _ => stdout::write(&terminal::finish(&redact::replace_all(
            &table(&remediation, applied.as_ref(), args.snapshot.is_some()),
            &pairs,
        ))),
    }
    ExitCode::from(remediation.exit_code())
}

/// `-q`: the one line that matters — the verdict after applying, or the one
/// the dry run predicts.
fn verdict_line(r: &Remediation, applied: Option<&Applied>) -> String {
    match applied {
        Some(a) => format!(
            "{}  verdict after applying",
            terminal::status(a.report_after.status, a.report_after.status.as_str())
        ),
        None => format!(
            "{}  predicted verdict after applying{}",
            terminal::status(r.predicted_status, r.predicted_status.as_str()),
            r.predicted_status_once_confirmed
                .filter(|then| *then != r.predicted_status)
                .map(|then| format!(" ({then} once the pending subscriptions are confirmed)"))
                .unwrap_or_default()
        ),
    }
}

/// `n` and the noun, singular or plural.
fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

fn table(r: &Remediation, applied: Option<&Applied>, from_snapshot: bool) -> String {
    let mut out = String::new();
    let p = &r.plan;
    let _ = writeln!(
        out,
        "account {} (trails listed in {}): {} now",
        p.account_id, p.region, p.status_before
    );
    if let Some(trail) = &p.trail_arn {
        let _ = writeln!(out, "completing the chain of trail {trail}");
    }
    if p.actions.is_empty() && !p.pending_confirmation.is_empty() {
        let _ = writeln!(
            out,
            "\nnothing to create: a subscription below awaits confirmation"
        );
    } else if p.actions.is_empty() {
        let _ = writeln!(out, "\nno change needed");
    } else {
        let _ = writeln!(
            out,
            "\nplan ({}, in order):",
            count(p.actions.len(), "action", "actions")
        );
        for line in &r.diff {
            let _ = writeln!(out, "  {line}");
        }
    }
    for u in &p.unchanged {
        let _ = writeln!(out, "  = {u} (exists with the same settings)");
    }
    for n in &p.notes {
        let _ = writeln!(out, "  note: {n}");
    }
    let verdict = match r.predicted_status_once_confirmed {
        Some(then) if then != r.predicted_status => format!(
            "{} until the pending {} confirmed, then {then}",
            r.predicted_status,
            if p.pending_confirmation.len() == 1 {
                "subscription is"
            } else {
                "subscriptions are"
            }
        ),
        _ => r.predicted_status.to_string(),
    };
    let label = if applied.is_some() {
        "predicted verdict"
    } else {
        "predicted verdict after applying"
    };
    let _ = writeln!(out, "\n{label}: {verdict}");
    for s in &p.pending_confirmation {
        let link = match (s.created_by_plan, applied.is_some()) {
            (true, false) => "AWS will send a confirmation link when the plan is applied",
            (true, true) => "AWS sent a confirmation link",
            (false, _) => "AWS sent a confirmation link when it was created",
        };
        let _ = writeln!(
            out,
            "  pending: {}:{} on {} must be confirmed ({link})",
            s.protocol, s.endpoint, s.topic_arn,
        );
    }
    match applied {
        None if !p.actions.is_empty() => {
            let hint = if from_snapshot {
                "a snapshot cannot be changed: run against the live account with --apply to apply, \
                 or use --export for infrastructure as code"
            } else {
                "run again with --apply to apply"
            };
            let _ = writeln!(out, "\ndry run: nothing was changed; {hint}");
        }
        None => {}
        Some(a) => {
            let _ = writeln!(out, "\napplied:");
            for e in &a.executed {
                let _ = writeln!(
                    out,
                    "  done: {}{}",
                    e.action,
                    e.result
                        .as_deref()
                        .map(|r| format!(" ({r})"))
                        .unwrap_or_default()
                );
            }
            let _ = writeln!(
                out,
                "\nverdict after applying: {}  {}",
                a.report_after.status, a.report_after.summary
            );
        }
    }
    out
}

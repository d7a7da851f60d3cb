//! Remediation: make the account pass, safely, and show that it does.
//!
//! Sans-IO like the check: `kmswatch-core` reads the facts (what [`scope`]
//! asks for: those of `check`, plus what name collisions need); [`plan()`]
//! decides the smallest list of [`Action`]s; [`preview()`] applies them to the
//! facts (`transition`) and judges the account they leave; `kmswatch-core`'s `apply` is the
//! only code that writes, then checks again. The same plan exports as
//! Terraform ([`export::terraform()`]) or CloudFormation
//! ([`export::cloudformation()`]).
//!
//! Safety rules: kmswatch never deletes, never overwrites a filter, alarm or
//! topic it did not create (unless `adopt`), merges topic policies instead of
//! replacing them, never creates a log group or trail, and refuses a plan whose
//! preview does not pass.
//!
//! ```
//! use kmswatch_decisions::check::{Facts, Status};
//! use kmswatch_decisions::remediate::{plan, preview, Action, RemediateOptions, Subscriber};
//! let facts = Facts::load("../examples/broken-alarm-no-actions.json".as_ref()).unwrap();
//! let options = RemediateOptions {
//!     subscriber: Some(Subscriber::parse("sqs:arn:aws:sqs:us-east-1:111122223333:alerts").unwrap()),
//!     ..RemediateOptions::default()
//! };
//! let plan = plan(&facts, &options).unwrap();
//! assert!(matches!(plan.actions[0], Action::CreateTopic { .. }));
//! assert_eq!(preview(&facts, &plan).unwrap().status, Status::Pass);
//! ```

pub(crate) mod action;
mod applied;
mod controls;
pub(crate) mod desired;
mod draft;
pub(crate) mod error;
pub mod eventbridge;
pub(crate) mod executed;
pub mod export;
mod flags;
pub mod options;
pub mod plan;
mod planning;
pub mod policy;
pub mod preview;
mod site;
mod topic_choice;
mod transition;
pub(crate) mod via;

pub use applied::{scope, Applied};
pub use desired::{alarm_differences, filter_differences, same_json};
pub use error::RemediateError;
pub use executed::{ChangedSincePlan, ExecuteError, Executed};
pub use flags::{parse_tags, RemediationFlags};
pub use options::{Protocol, RemediateOptions, Subscriber, MANAGED_TAG};
pub use plan::{Action, Change, PendingSubscription, Plan, PLAN_SCHEMA};
pub use planning::{plan, plan_for};
pub use preview::{assume_no_other_alarms, diff, judge, preview, verdict_scope, Preview};
pub use via::{UnknownVia, Via};

use crate::check::{Facts, Status};
use serde::{Deserialize, Serialize};

/// A dry run on `facts`: the plan and its preview, nothing written.
pub fn dry_run(facts: &Facts, options: &RemediateOptions) -> Result<Remediation, RemediateError> {
    let plan = plan(facts, options)?;
    let preview = preview(facts, &plan)?;
    Ok(Remediation::dry_run(plan, &preview))
}

/// The outcome of `kmswatch remediate`, as `--format json` prints it
/// (`"schema": "kmswatch.plan/v1"`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Remediation {
    /// The plan (its `schema`, `actions`, notes...).
    #[serde(flatten)]
    pub plan: Plan,
    /// What would change, for people.
    pub diff: Vec<String>,
    /// The verdict the preview predicts right after applying.
    pub predicted_status: Status,
    /// The predicted verdict once pending subscriptions are confirmed, if any are pending.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub predicted_status_once_confirmed: Option<Status>,
    /// Whether the plan was applied.
    pub applied: bool,
    /// The verdict of the check run after applying.
    pub status_after: Option<Status>,
    /// Its summary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary_after: Option<String>,
}

impl Remediation {
    /// A dry run: the plan and its preview.
    pub fn dry_run(plan: Plan, preview: &Preview) -> Self {
        Remediation {
            plan,
            diff: preview.diff.clone(),
            predicted_status: preview.status,
            predicted_status_once_confirmed: preview.status_once_confirmed,
            applied: false,
            status_after: None,
            summary_after: None,
        }
    }

    /// Whether the plan makes the account pass, now or once the pending
    /// subscriptions are confirmed.
    pub fn reaches_pass(&self) -> bool {
        self.predicted_status == Status::Pass
            || self.predicted_status_once_confirmed == Some(Status::Pass)
    }

    /// The exit code of `kmswatch remediate`, dry run and `--apply` alike:
    /// after applying, the verdict's (0 PASS, 1 FAIL, 3 ERROR or MANUAL); in a
    /// dry run 0 when the account passes right after applying and 1 otherwise
    /// — a plan that passes only once an e-mail is confirmed ends FAIL when
    /// applied, as `--apply` reports it.
    pub fn exit_code(&self) -> u8 {
        match self.status_after {
            Some(status) => status.exit_code(),
            None if self.predicted_status == Status::Pass => 0,
            None => 1,
        }
    }

    /// The document as `kmswatch remediate --format json` prints it.
    pub fn to_json(&self) -> String {
        // Only strings, numbers, bools, lists and string-keyed maps.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The same, after applying (`kmswatch_decisions::remediate::apply`).
    pub fn with_applied(mut self, applied: &Applied) -> Self {
        self.applied = true;
        self.status_after = Some(applied.report_after.status);
        self.summary_after = Some(applied.report_after.summary.clone());
        self
    }
}

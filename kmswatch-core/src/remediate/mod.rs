//! Remediation: make the account pass, safely, and show that it does.
//!
//! The decisions — [`plan()`], the [`Action`]s, the verdicts a preview
//! aims at, the exports — are `kmswatch-decisions`' (re-exported here);
//! this module adds what talks to the account: [`gather`] reads the facts
//! a plan is made from, [`preview()`] predicts its outcome, [`apply()`] is
//! the only code that writes, then checks again.
//!
//! Safety rules: kmswatch never deletes, never overwrites a filter, alarm or
//! topic it did not create (unless `adopt`), merges topic policies instead of
//! replacing them, never creates a log group or trail, and refuses a plan whose
//! preview does not pass.
//!
//! ```
//! use kmswatch_core::check::{Facts, Status};
//! use kmswatch_core::remediate::{plan, preview, Action, RemediateOptions, Subscriber};
//! let facts = Facts::load("../examples/broken-alarm-no-actions.json".as_ref()).unwrap();
//! let options = RemediateOptions {
//!     subscriber: Some(Subscriber::parse("sqs:arn:aws:sqs:us-east-1:111122223333:alerts").unwrap()),
//!     ..RemediateOptions::default()
//! };
//! let plan = plan(&facts, &options).unwrap();
//! assert!(matches!(plan.actions[0], Action::CreateTopic { .. }));
//! assert_eq!(preview(&facts, &plan).unwrap().status, Status::Pass);
//! ```

pub use kmswatch_decisions::remediate::*;

pub mod apply;
pub mod execute;
mod guard;
mod simulate;
#[cfg(test)]
mod tests;

pub use apply::{apply, gather, gather_eventbridge};
pub use execute::{execute, execute_safely};
pub use simulate::{dry_run, preview, run};

//! Remediation: make the account pass, safely, and show that it does.
//!
//! The decisions — [`plan()`], the [`Action`]s, [`preview()`] (the account
//! the plan leaves, as facts, judged again), the exports — are
//! `kmswatch-decisions`' (re-exported here); this module adds what talks to
//! the account: [`gather`] reads the facts a plan is made from, [`apply()`]
//! is the only code that writes, then checks again.
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
#[cfg(test)]
mod tests;

pub use apply::{apply, gather, gather_eventbridge, run};
pub use execute::{execute, execute_safely};

//! Beyond whether key events are monitored: which customer managed keys are
//! at risk now ([`inventory`]), what was done to keys in the last 90 days
//! ([`history`]), and undoing it ([`respond`], and [`recommend`] for an
//! EventBridge event, behind a Lambda function).
//!
//! Like the check, each reads through [`crate::api::Services`] and decides in
//! pure functions of `kmswatch-decisions`, re-exported here ([`days_left`],
//! [`decide`], [`key_event`], [`recommend`]).

pub use kmswatch_decisions::keys::*;

mod history;
mod inventory;
mod respond;

pub use history::history;
pub use inventory::{inventory, inventory_without_aliases};
pub use respond::respond;

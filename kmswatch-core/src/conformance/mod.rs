//! The behaviour every backend of the service traits must show.
//!
//! One `pub async fn` per behaviour, exercising [`Services`](crate::api::Services) only; a backend
//! proves itself by passing all of them (object_store's `integration.rs`
//! shape). The in-memory backend runs them in this crate's tests; the AWS SDK
//! backend runs them against moto server in `tests/conformance_aws.rs`.
//!
//! # Wiring a backend
//!
//! Implement [`Fixture`] (the services plus the setup the traits cannot do:
//! creating log groups, trails, KMS keys and EventBridge rules), then run the whole suite from one test:
//!
//! ```ignore
//! struct MemoryFixture(std::sync::Arc<MemoryBackend>);
//! #[async_trait::async_trait]
//! impl kmswatch_core::conformance::Fixture for MemoryFixture { /* ... */ }
//!
//! #[tokio::test]
//! async fn conformance() {
//!     let fixture = MemoryFixture(std::sync::Arc::new(MemoryBackend::new("111122223333", "us-east-1")));
//!     kmswatch_core::conformance::all(&fixture).await;
//! }
//! ```
//!
//! [`all`] runs every behaviour of [`BEHAVIOURS`] concurrently on the one
//! fixture and fails naming each behaviour that failed, with its message.
//!
//! Every behaviour names what it creates with [`unique_name`], so behaviours
//! may share one fixture, run concurrently, and run again against a server that
//! kept the previous run's state. Behaviours panic (they are tests) with a
//! message naming what differed.
//!
//! Where an emulator knowingly differs from AWS, the fixture says so in
//! [`Fixture::deviations`] and the behaviour checks the emulator's variant;
//! every backend of kmswatch's own should keep [`Deviations::default`] (AWS).

/// The attribute [`Fixture`] implementations need, re-exported so that a
/// test crate does not need its own `async-trait` dependency.
pub use async_trait::async_trait;

mod alarms;
mod alarms_for_metric;
mod events;
mod fixture;
mod keys;
mod logs;
mod topics;
mod trails;

pub use alarms::*;
pub use alarms_for_metric::*;
pub use events::*;
pub use fixture::{unique_name, Deviations, EventRuleSpec, Fixture, KeySpec, TrailSpec};
pub use keys::*;
pub use logs::*;
pub use topics::*;
pub use trails::*;

use futures::future::{BoxFuture, FutureExt};
use futures::StreamExt;
use std::panic::AssertUnwindSafe;

/// One behaviour of the suite.
#[derive(Clone, Copy)]
pub struct Behaviour {
    /// Its name: the name of its function in this module.
    pub name: &'static str,
    /// Runs it; panics when the backend does not behave.
    pub run: for<'a> fn(&'a dyn Fixture) -> BoxFuture<'a, ()>,
}

impl std::fmt::Debug for Behaviour {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

macro_rules! behaviours {
    ($($name:ident),+ $(,)?) => {
        &[$(Behaviour {
            name: stringify!($name),
            run: {
                fn run(fixture: &dyn Fixture) -> BoxFuture<'_, ()> {
                    Box::pin($name(fixture))
                }
                run
            },
        }),+]
    };
}

/// Every behaviour a backend must show.
pub const BEHAVIOURS: &[Behaviour] = behaviours![
    account_id_is_an_account,
    log_group_by_exact_name,
    metric_filter_round_trip,
    metric_filter_put_replaces,
    metric_filters_all_pages,
    single_metric_alarm_round_trip,
    metric_math_alarm_round_trip,
    alarm_put_replaces,
    alarms_all_pages,
    alarms_listed_by_name_prefix,
    alarms_for_metric_are_exactly_its_metric_alarms,
    create_topic_is_idempotent,
    missing_topic_is_none,
    topic_policy_round_trip,
    subscriptions_listed,
    subscriptions_all_pages,
    subscription_attributes_of_confirmed,
    trails_round_trip,
    trail_default_event_selectors,
    missing_trail_is_not_found,
    key_described_by_every_name,
    disabled_key_state,
    missing_key_is_none,
    event_rules_with_their_targets,
    targets_of_a_missing_rule_not_found,
    put_rule_and_targets_are_listed,
    keys_and_aliases_listed,
    disabled_key_enabled,
];

/// Runs every behaviour of [`BEHAVIOURS`] on one fixture, a few at a time.
///
/// # Panics
///
/// When any behaviour fails: the message names each failed behaviour with
/// its own message, after all of them have run.
pub async fn all(fixture: &dyn Fixture) {
    let failures: Vec<String> = futures::stream::iter(BEHAVIOURS)
        .map(|behaviour| async move {
            let outcome = AssertUnwindSafe((behaviour.run)(fixture))
                .catch_unwind()
                .await;
            outcome.err().map(|panic| {
                let message = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                    .unwrap_or_default();
                format!("{}: {message}", behaviour.name)
            })
        })
        .buffer_unordered(4)
        .filter_map(std::future::ready)
        .collect()
        .await;
    assert!(
        failures.is_empty(),
        "{} of {} behaviours failed:\n{}",
        failures.len(),
        BEHAVIOURS.len(),
        failures.join("\n")
    );
}

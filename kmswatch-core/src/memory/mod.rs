//! The in-memory backend: a stateful stand-in for one AWS account.
//!
//! It keeps an account of its own (resources with what is known of them, the
//! failures to replay, CloudTrail's event history): [`MemoryBackend::from_facts`]
//! loads a snapshot ([`Facts`]) into it, [`MemoryBackend::to_facts`] gives the
//! current state back as one, and gathering from it gives the snapshot back.
//! Failed calls recorded in [`Facts::errors`] are replayed: the same operation
//! on the same resource (or in the same region) fails again with the same error. Writes
//! (`put_metric_filter`, `put_metric_alarm`, `create_topic`, `subscribe`,
//! `set_topic_policy`) change the state the way AWS would.
//!
//! The ARNs it makes are in the account's partition: the one of the ARNs it
//! was given (`aws-cn`, `aws-us-gov`...), else the one of the region's name.
//! To make calls fail on purpose, wrap it in [`crate::layer::Faults`].

mod alarms_by_metric;
mod events;
mod history;
mod keys;
mod services;
mod snapshot;
mod state;
#[cfg(test)]
mod tests;

pub(crate) use crate::model::partition_of_region;

use crate::api::{ApiError, ApiResult, Backend, Services};
use crate::model::{Arn, EventSelectors, SubscriptionAttributes, Trail, TrailStatus};
use crate::operation::Operation;
use kmswatch_decisions::check::facts::{Facts, KeyFacts};
use state::{Account, Existence, LogGroupRecord, TrailRecord};
use std::sync::{Arc, Mutex, MutexGuard};

/// A stateful in-memory account.
#[derive(Debug)]
pub struct MemoryBackend {
    account: Mutex<Account>,
}

impl Backend for MemoryBackend {}

impl MemoryBackend {
    /// An empty account.
    pub fn new(account_id: &str, region: &str) -> Self {
        Self::from_facts(Facts::new(account_id, region))
    }

    /// An account in the state a snapshot describes.
    pub fn from_facts(facts: Facts) -> Self {
        MemoryBackend {
            account: Mutex::new(Account::from_facts(facts)),
        }
    }

    /// The current state, as a snapshot.
    pub fn to_facts(&self) -> Facts {
        self.lock().to_facts()
    }

    /// This backend as the seven services, sharing one state.
    pub fn services(self: &Arc<Self>) -> Services {
        Services::new(self.clone())
    }

    /// Adds (or replaces) a trail with its status and selectors.
    pub fn put_trail(
        &self,
        trail: Trail,
        status: Option<TrailStatus>,
        selectors: Option<EventSelectors>,
    ) {
        let mut account = self.lock();
        account
            .trails
            .retain(|t| t.trail.trail_arn != trail.trail_arn);
        account.trails.push(TrailRecord {
            trail,
            status,
            selectors,
        });
    }

    /// Creates an empty log group; returns its ARN.
    pub fn create_log_group(&self, region: &str, name: &str) -> String {
        let arn = self.arn("logs", region, &format!("log-group:{name}"));
        let mut account = self.lock();
        if !account.log_groups.iter().any(|g| g.arn == arn) {
            account.log_groups.push(LogGroupRecord {
                arn: arn.clone(),
                existence: Existence::Exists,
                filters: Some(Vec::new()),
            });
        }
        arn
    }

    /// Adds (or replaces) a KMS key as topics name it, with its key policy.
    pub fn put_key(&self, key: KeyFacts) {
        let entry = snapshot::key(key);
        let mut account = self.lock();
        account
            .keys
            .retain(|k| !(k.region == entry.region && k.name == entry.name));
        account.keys.push(entry);
    }

    /// Marks a topic's subscriptions confirmed, as the endpoint owner would.
    pub fn confirm_subscriptions(&self, topic_arn: &str) {
        let mut account = self.lock();
        let Some(topic) = account.topics.iter_mut().find(|t| t.arn == topic_arn) else {
            return;
        };
        for (i, sub) in topic.subscriptions.iter_mut().flatten().enumerate() {
            if !sub.is_confirmed() {
                sub.subscription_arn = format!("{topic_arn}:confirmed-{i}");
                topic
                    .subscription_attributes
                    .push(SubscriptionAttributes::confirmed(&sub.subscription_arn));
            }
        }
    }

    /// The ARN of a resource of this account: `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`.
    fn arn(&self, service: &str, region: &str, resource: &str) -> String {
        self.lock().arn(service, region, resource)
    }

    fn lock(&self) -> MutexGuard<'_, Account> {
        // A poisoned lock only means another test thread panicked; the data is intact.
        self.account.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Fails the call the way a recorded failure says it failed.
    fn replay(&self, operation: Operation, resource: Option<&str>, region: &str) -> ApiResult<()> {
        self.lock().replay(operation, resource, region)
    }
}

fn not_found(operation: Operation, code: &str, what: &str) -> ApiError {
    ApiError::new(
        operation,
        crate::api::ApiErrorKind::NotFound,
        code,
        format!("{what} does not exist"),
    )
    .about(what)
}

fn region_of(arn: &str) -> &str {
    Arn::parse(arn).map(|a| a.region).unwrap_or_default()
}

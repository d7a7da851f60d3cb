//! The in-memory backend: a stateful stand-in for one AWS account.
//!
//! Its state is what a snapshot holds ([`Facts`]): [`MemoryBackend::from_facts`]
//! loads a snapshot, [`MemoryBackend::to_facts`] gives the current state back,
//! and gathering from it gives the snapshot back. Failed calls recorded in
//! [`Facts::errors`] are replayed: the same operation on the same resource (or
//! in the same region) fails again with the same error. Writes
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
#[cfg(test)]
mod tests;

use crate::api::{ApiError, ApiResult, Backend, Services};
use crate::check::facts::{Facts, KeyFacts, LogGroupFacts, TrailFacts};
use crate::model::{Arn, EventSelectors, SubscriptionAttributes, Trail, TrailStatus};
use crate::operation::Operation;
use std::sync::{Arc, Mutex, MutexGuard};

/// A stateful in-memory account.
#[derive(Debug)]
pub struct MemoryBackend {
    state: Mutex<Facts>,
    /// CloudTrail's event history, by region (not part of a snapshot).
    history: Mutex<Vec<(String, crate::model::TrailEvent)>>,
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
            state: Mutex::new(facts),
            history: Mutex::new(Vec::new()),
        }
    }

    /// The current state, as a snapshot.
    pub fn to_facts(&self) -> Facts {
        self.lock().clone()
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
        let mut state = self.lock();
        state
            .trails
            .retain(|t| t.trail.trail_arn != trail.trail_arn);
        state.trails.push(TrailFacts {
            trail,
            status,
            event_selectors: selectors,
        });
    }

    /// Creates an empty log group; returns its ARN.
    pub fn create_log_group(&self, region: &str, name: &str) -> String {
        let arn = self.arn("logs", region, &format!("log-group:{name}"));
        let mut state = self.lock();
        if !state.log_groups.iter().any(|g| g.arn == arn) {
            state.log_groups.push(LogGroupFacts {
                arn: arn.clone(),
                exists: Some(true),
                metric_filters: Some(Vec::new()),
            });
        }
        arn
    }

    /// Adds (or replaces) a KMS key as topics name it, with its key policy.
    pub fn put_key(&self, key: KeyFacts) {
        let mut state = self.lock();
        state
            .keys
            .retain(|k| !(k.region == key.region && k.key_id == key.key_id));
        state.keys.push(key);
    }

    /// Marks a topic's subscriptions confirmed, as the endpoint owner would.
    pub fn confirm_subscriptions(&self, topic_arn: &str) {
        let mut state = self.lock();
        let Some(topic) = state.topics.iter_mut().find(|t| t.topic_arn == topic_arn) else {
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
        let state = self.lock();
        let partition = partition(&state, region);
        format!(
            "arn:{partition}:{service}:{region}:{}:{resource}",
            state.account_id
        )
    }

    fn lock(&self) -> MutexGuard<'_, Facts> {
        // A poisoned lock only means another test thread panicked; the data is intact.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Fails the call the way a recorded failure says it failed.
    fn replay(&self, operation: Operation, resource: Option<&str>, region: &str) -> ApiResult<()> {
        let state = self.lock();
        let found = state.errors.iter().find(|e| {
            e.operation == operation
                && e.resource.as_deref() == resource
                && e.region.as_deref().is_none_or(|r| r == region)
        });
        match found {
            Some(e) => Err(e.clone()),
            None => Ok(()),
        }
    }
}

/// The account's partition: an account lives in one, so the first ARN of the
/// state names it; an empty account is in the partition of its region.
fn partition<'a>(state: &'a Facts, region: &str) -> &'a str {
    let arns = state
        .trails
        .iter()
        .map(|t| t.trail.trail_arn.as_str())
        .chain(state.log_groups.iter().map(|g| g.arn.as_str()))
        .chain(state.topics.iter().map(|t| t.topic_arn.as_str()));
    arns.filter_map(Arn::parse)
        .map(|arn| arn.partition)
        .next()
        .unwrap_or_else(|| partition_of_region(region))
}

/// The partition of a region, from its name (`cn-north-1` → `aws-cn`).
pub(crate) fn partition_of_region(region: &str) -> &'static str {
    const PREFIXES: [(&str, &str); 5] = [
        ("cn-", "aws-cn"),
        ("us-gov-", "aws-us-gov"),
        ("us-isob-", "aws-iso-b"),
        ("us-iso-", "aws-iso"),
        ("eu-isoe-", "aws-iso-e"),
    ];
    PREFIXES
        .iter()
        .find(|(prefix, _)| region.starts_with(prefix))
        .map_or("aws", |(_, partition)| partition)
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

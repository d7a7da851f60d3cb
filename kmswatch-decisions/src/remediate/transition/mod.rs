//! The transition: what an account becomes when a plan's actions are
//! executed on it, and what the check then reads of it — computed on facts,
//! with no service call and nothing asynchronous.
//!
//! An account is held as a snapshot ([`Facts`]) of everything known of it,
//! which stands for the account the way the in-memory backend does: writes
//! change it as AWS would ([`execute`]), reads answer from it (recorded
//! failures replayed, what was never read unknown), and [`read`] takes from
//! it exactly what the check's gathering would, in the same order: the facts
//! after a plan are `read(&execute(facts, actions)?, region, scope)`, and
//! [`confirm_subscriptions`] is what happens in between when endpoints
//! confirm. The preview is this transition followed by the check's pure
//! evaluation.

mod answers;
mod links;
mod read;
mod writes;

pub(crate) use read::read;
pub(crate) use writes::execute;

use crate::api_error::{ApiError, ApiErrorKind};
use crate::check::Facts;
use crate::model::{Arn, SubscriptionAttributes};
use crate::operation::Operation;

/// Marks the subscriptions of the topic `topic_arn` of the account `state`
/// confirmed, as their endpoints' owners would: each pending one gets an
/// ARN and the attributes of a subscription without filter policy.
pub(crate) fn confirm_subscriptions(state: &mut Facts, topic_arn: &str) {
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

/// An account as a snapshot of everything known of it.
struct Account<'f> {
    state: &'f Facts,
}

impl Account<'_> {
    /// Fails the call the way a recorded failure says it failed: the same
    /// operation on the same resource, in the same region when it names one.
    fn replay(
        &self,
        operation: Operation,
        resource: Option<&str>,
        region: &str,
    ) -> Result<(), ApiError> {
        replay(self.state, operation, resource, region)
    }

    fn log_group_arn(&self, region: &str, name: &str) -> String {
        arn(self.state, "logs", region, &format!("log-group:{name}"))
    }
}

fn replay(
    state: &Facts,
    operation: Operation,
    resource: Option<&str>,
    region: &str,
) -> Result<(), ApiError> {
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

/// The ARN of a resource of the account: `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`,
/// in the account's partition (that of the first ARN it holds, else that of
/// the region's name).
fn arn(state: &Facts, service: &str, region: &str, resource: &str) -> String {
    let held = state
        .trails
        .iter()
        .map(|t| t.trail.trail_arn.as_str())
        .chain(state.log_groups.iter().map(|g| g.arn.as_str()))
        .chain(state.topics.iter().map(|t| t.topic_arn.as_str()));
    let partition = held
        .filter_map(Arn::parse)
        .map(|a| a.partition)
        .next()
        .unwrap_or_else(|| partition_of_region(region));
    format!(
        "arn:{partition}:{service}:{region}:{}:{resource}",
        state.account_id
    )
}

/// The partition of a region, from its name (`cn-north-1` → `aws-cn`).
fn partition_of_region(region: &str) -> &'static str {
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

/// The first item `is_it` accepts, added by `new` when there is none.
fn entry<T>(items: &mut Vec<T>, is_it: impl Fn(&T) -> bool, new: impl FnOnce() -> T) -> &mut T {
    let at = match items.iter().position(is_it) {
        Some(i) => i,
        None => {
            items.push(new());
            items.len() - 1
        }
    };
    &mut items[at]
}

/// A failed read recorded in `region`, about `resource` unless it names one.
fn failed_in(error: ApiError, region: &str, resource: impl FnOnce() -> String) -> ApiError {
    let error = error.in_region(region);
    match error.resource {
        Some(_) => error,
        None => error.about(&resource()),
    }
}

fn not_found(operation: Operation, code: &str, what: &str) -> ApiError {
    ApiError::new(
        operation,
        ApiErrorKind::NotFound,
        code,
        format!("{what} does not exist"),
    )
    .about(what)
}

fn region_of(arn: &str) -> &str {
    Arn::parse(arn).map(|a| a.region).unwrap_or_default()
}

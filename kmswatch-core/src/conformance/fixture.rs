//! The backend under test: [`Fixture`], and the helpers every behaviour uses.

use crate::api::Services;
use crate::model::EventSelectors;
use async_trait::async_trait;
use futures::StreamExt;
use std::sync::atomic::{AtomicU64, Ordering};

/// A trail for [`Fixture::create_trail`] to create.
#[derive(Debug, Clone, PartialEq)]
pub struct TrailSpec {
    /// Trail name.
    pub name: String,
    /// The region to create it in.
    pub home_region: String,
    /// Whether it logs in every region.
    pub is_multi_region_trail: bool,
    /// The log group it delivers to, in the form CloudTrail takes
    /// (`arn:aws:logs:REGION:ACCOUNT:log-group:NAME:*`).
    pub cloud_watch_logs_log_group_arn: Option<String>,
    /// The role CloudTrail assumes for that.
    pub cloud_watch_logs_role_arn: Option<String>,
    /// Whether logging is started after creation.
    pub logging: bool,
    /// Selectors to put after creation; `None` leaves the trail's defaults
    /// (AWS: one classic selector, all management events).
    pub event_selectors: Option<EventSelectors>,
}

/// A customer managed key for [`Fixture::create_key`] to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeySpec {
    /// The region to create it in.
    pub region: String,
    /// Its alias, without the `alias/` prefix.
    pub alias: String,
    /// Its key policy (JSON text).
    pub policy: String,
    /// Whether it stays enabled (else it is disabled after creation).
    pub enabled: bool,
}

/// An EventBridge rule on the default event bus for
/// [`Fixture::create_event_rule`] to put.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRuleSpec {
    /// The region to put it in.
    pub region: String,
    /// Rule name.
    pub name: String,
    /// Its event pattern (JSON text).
    pub event_pattern: String,
    /// Whether it is enabled (else disabled).
    pub enabled: bool,
    /// Its targets: (target id, target ARN).
    pub targets: Vec<(String, String)>,
}

/// Known, accepted differences of an emulator from AWS. All `false` is AWS.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Deviations {
    /// Email subscriptions are confirmed as soon as they are made (moto), where
    /// AWS keeps them `PendingConfirmation` until the recipient confirms.
    pub email_confirmed_immediately: bool,
    /// A trail without custom selectors reports none (moto), where AWS reports
    /// its default classic selector (`All`, management events included).
    pub no_default_event_selectors: bool,
    /// `HasCustomEventSelectors` is always false (moto), where AWS sets it once
    /// selectors are put.
    pub has_custom_event_selectors_always_false: bool,
    /// `PutMetricFilter` under an existing name adds a second filter of that
    /// name (moto), where AWS replaces the filter.
    pub put_metric_filter_appends: bool,
}

/// A backend under test and the setup hooks the service traits lack.
///
/// Hooks panic when setup fails (they run inside tests).
#[async_trait]
pub trait Fixture: Send + Sync {
    /// The services under test; every call they make lands in one account.
    fn services(&self) -> Services;
    /// The region most behaviours work in.
    fn region(&self) -> &str;
    /// A second region, different from [`Fixture::region`], for cross-region behaviours.
    fn other_region(&self) -> &str;
    /// Creates an empty log group; returns its ARN without the `:*` suffix.
    async fn create_log_group(&self, region: &str, name: &str) -> String;
    /// Creates the trail (logging started, selectors put, as the spec says);
    /// returns its ARN, `arn:aws:cloudtrail:HOME:ACCOUNT:trail/NAME`.
    async fn create_trail(&self, trail: &TrailSpec) -> String;
    /// Creates a symmetric customer managed key with the spec's policy and
    /// alias (disabled when the spec says so); returns its key ARN.
    async fn create_key(&self, key: &KeySpec) -> String;
    /// Puts the rule on the default event bus with its targets; returns its ARN.
    async fn create_event_rule(&self, rule: &EventRuleSpec) -> String;
    /// How this backend knowingly differs from AWS.
    fn deviations(&self) -> Deviations {
        Deviations::default()
    }
}

/// A name no other behaviour of this or an earlier run uses: `prefix`, then a
/// per-process clock reading and a counter, in characters every AWS name accepts.
pub fn unique_name(prefix: &str) -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    static RUN: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    let run = *RUN.get_or_init(|| {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or_default();
        (nanos ^ u64::from(std::process::id())) % 0xff_ffff_ffff
    });
    format!("{prefix}-{run:x}-{}", NEXT.fetch_add(1, Ordering::Relaxed))
}

/// Runs `make(i)` for `0..count`, a few at a time.
pub(super) async fn for_each<F, Fut>(count: usize, make: F)
where
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    futures::stream::iter(0..count)
        .map(make)
        .buffer_unordered(8)
        .collect::<Vec<()>>()
        .await;
}

pub(super) async fn account_of(fixture: &dyn Fixture) -> String {
    fixture
        .services()
        .account
        .account_id()
        .await
        .expect("account_id")
}

pub(super) fn topic_arn(region: &str, account: &str, name: &str) -> String {
    format!("arn:aws:sns:{region}:{account}:{name}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_names_are_unique_and_valid_everywhere() {
        let a = unique_name("x");
        let b = unique_name("x");
        assert_ne!(a, b);
        assert!(a.starts_with("x-"));
        assert!(
            a.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-'),
            "{a}"
        );
        assert!(a.len() < 64);
    }
}

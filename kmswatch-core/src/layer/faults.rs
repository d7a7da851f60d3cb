//! [`Faults`]: fault injection around any backend, for tests of how kmswatch
//! behaves when AWS misbehaves.
//!
//! Two kinds of faults, combinable: rules (this operation, on this resource or
//! in this region, fails with this error, always or the next `n` times), and
//! random faults (throttling, service errors, timeouts, malformed answers,
//! each with a probability) drawn from a seeded generator, so that a failing
//! run replays exactly with the same seed.

use crate::api::{ApiError, ApiErrorKind};
use crate::api::{Call, Layer, Next, Reply};
use crate::operation::Operation;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// Calls that fail with a given error.
#[derive(Debug)]
pub struct FaultRule {
    error: ApiError,
    remaining: Option<AtomicU64>,
}

impl FaultRule {
    /// Calls of `error.operation` fail with `error`; when the error names a
    /// resource or a region, only calls about that resource or in that region.
    pub fn new(error: ApiError) -> Self {
        FaultRule {
            error,
            remaining: None,
        }
    }

    /// Only the next `n` matching calls fail; later ones go through.
    pub fn times(mut self, n: u64) -> Self {
        self.remaining = Some(AtomicU64::new(n));
        self
    }

    fn matches(&self, call: &Call<'_>) -> bool {
        let e = &self.error;
        e.operation == call.operation
            && e.resource
                .as_deref()
                .is_none_or(|r| call.resource == Some(r))
            && e.region.as_deref().is_none_or(|r| call.region == Some(r))
    }

    /// Whether this matching call is one the rule still fails.
    fn take(&self) -> bool {
        match &self.remaining {
            None => true,
            Some(left) => left
                .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1))
                .is_ok(),
        }
    }
}

impl From<ApiError> for FaultRule {
    fn from(error: ApiError) -> Self {
        FaultRule::new(error)
    }
}

/// The probability of each random fault, per call.
#[derive(Debug, Clone, Copy, Default)]
struct Rates {
    throttling: f64,
    service_errors: f64,
    timeouts: f64,
    malformed: f64,
}

/// A fault-injecting layer (see the module documentation).
///
/// ```
/// use kmswatch_core::api::{ApiError, ApiErrorKind, Services};
/// use kmswatch_core::layer::{FaultRule, Faults};
/// use kmswatch_core::operation::Operation;
/// use kmswatch_core::memory::MemoryBackend;
/// use std::sync::Arc;
///
/// let denied = ApiError::new(Operation::DescribeAlarms, ApiErrorKind::AccessDenied, "AccessDenied", "no");
/// let faults = Faults::new()
///     .fail(FaultRule::new(denied.in_region("us-east-1")).times(1))
///     .seeded(7)
///     .throttling(0.05);
/// let account = Arc::new(MemoryBackend::new("111122223333", "us-east-1"));
/// let services = Services::new(account).layer(faults);
/// ```
#[derive(Debug, Default)]
pub struct Faults {
    rules: Vec<FaultRule>,
    rates: Rates,
    rng: Option<Mutex<StdRng>>,
    injected: AtomicU64,
}

impl Faults {
    /// No faults yet.
    pub fn new() -> Self {
        Faults::default()
    }

    /// Adds a rule; the first matching rule wins over later ones and over
    /// random faults.
    pub fn fail(mut self, rule: impl Into<FaultRule>) -> Self {
        self.rules.push(rule.into());
        self
    }

    /// Seeds the generator of random faults; the same seed and the same
    /// sequence of calls give the same faults. Without a seed no random fault
    /// is injected, whatever the rates.
    pub fn seeded(mut self, seed: u64) -> Self {
        self.rng = Some(Mutex::new(StdRng::seed_from_u64(seed)));
        self
    }

    /// Probability of `ThrottlingException` (as after the SDK's retries).
    pub fn throttling(mut self, probability: f64) -> Self {
        self.rates.throttling = probability;
        self
    }

    /// Probability of an `InternalFailure` service error.
    pub fn service_errors(mut self, probability: f64) -> Self {
        self.rates.service_errors = probability;
        self
    }

    /// Probability of a timeout (no answer in time).
    pub fn timeouts(mut self, probability: f64) -> Self {
        self.rates.timeouts = probability;
        self
    }

    /// Probability of an answer that cannot be read.
    pub fn malformed(mut self, probability: f64) -> Self {
        self.rates.malformed = probability;
        self
    }

    /// How many calls failed because of this layer so far.
    pub fn injected(&self) -> u64 {
        self.injected.load(Ordering::Relaxed)
    }

    /// The error this call fails with, if any.
    fn fault(&self, call: &Call<'_>) -> Option<ApiError> {
        let ruled = self
            .rules
            .iter()
            .find(|r| r.matches(call) && r.take())
            .map(|r| r.error.clone());
        let error = ruled.or_else(|| self.random_fault(call.operation))?;
        self.injected.fetch_add(1, Ordering::Relaxed);
        Some(in_context(error, call))
    }

    fn random_fault(&self, operation: Operation) -> Option<ApiError> {
        let rng = self.rng.as_ref()?;
        // One draw per call, so the sequence of faults depends only on the
        // seed and the sequence of calls. A poisoned lock still holds a
        // usable generator.
        let draw: f64 = rng.lock().unwrap_or_else(|e| e.into_inner()).random();
        let Rates {
            throttling,
            service_errors,
            timeouts,
            malformed,
        } = self.rates;
        let (kind, code, message) = if draw < throttling {
            (
                ApiErrorKind::Throttling,
                "ThrottlingException",
                "Rate exceeded",
            )
        } else if draw < throttling + service_errors {
            (
                ApiErrorKind::Other,
                "InternalFailure",
                "The request processing has failed because of an unknown error",
            )
        } else if draw < throttling + service_errors + timeouts {
            (ApiErrorKind::Transport, "TimeoutError", "no answer in time")
        } else if draw < throttling + service_errors + timeouts + malformed {
            (
                ApiErrorKind::Transport,
                "MalformedResponse",
                "the answer could not be read",
            )
        } else {
            return None;
        };
        Some(ApiError::new(
            operation,
            kind,
            code,
            format!("{message} (injected fault)"),
        ))
    }
}

/// The error as the backend would have reported it for this call.
fn in_context(mut error: ApiError, call: &Call<'_>) -> ApiError {
    if error.region.is_none() {
        error.region = call.region.map(str::to_owned);
    }
    if error.resource.is_none() {
        error.resource = call.resource.map(str::to_owned);
    }
    error
}

impl Layer for Faults {
    fn around<'a, T: Reply>(&'a self, call: Call<'a>, next: Next<'a, T>) -> Next<'a, T> {
        match self.fault(&call) {
            // The call is never made.
            Some(error) => Box::pin(std::future::ready(Err(error))),
            None => next,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Services;
    use crate::memory::MemoryBackend;
    use std::sync::Arc;

    const REGION: &str = "us-east-1";

    fn account() -> Services {
        Arc::new(MemoryBackend::new("111122223333", REGION)).services()
    }

    #[tokio::test]
    async fn a_rule_fails_only_its_operation_resource_and_region() {
        let trail = "arn:aws:cloudtrail:us-east-1:111122223333:trail/main";
        let throttled = ApiError::new(
            Operation::GetTrailStatus,
            ApiErrorKind::Throttling,
            "ThrottlingException",
            "slow down",
        );
        let faults = Arc::new(Faults::new().fail(throttled.about(trail)));
        let services = account().layer(faults.clone());
        let err = services
            .trails
            .get_trail_status(REGION, trail)
            .await
            .unwrap_err();
        assert_eq!(err.code, "ThrottlingException");
        assert_eq!(err.region.as_deref(), Some(REGION));
        assert_eq!(err.resource.as_deref(), Some(trail));
        // Another trail is not found (the account is empty), not throttled.
        let other = services
            .trails
            .get_trail_status(REGION, &trail.replace("main", "other"))
            .await
            .unwrap_err();
        assert_eq!(other.kind, ApiErrorKind::NotFound);
        assert!(services.trails.describe_trails(REGION).await.is_ok());
        assert_eq!(faults.injected(), 1);
    }

    #[tokio::test]
    async fn a_rule_with_times_fails_that_many_calls() {
        let denied = ApiError::new(
            Operation::DescribeAlarms,
            ApiErrorKind::AccessDenied,
            "x",
            "no",
        )
        .in_region("eu-west-1");
        let services = account().layer(Faults::new().fail(FaultRule::new(denied).times(2)));
        assert!(services.alarms.describe_alarms(REGION).await.is_ok());
        for _ in 0..2 {
            let err = services.alarms.describe_alarms("eu-west-1").await;
            assert_eq!(err.unwrap_err().kind, ApiErrorKind::AccessDenied);
        }
        assert!(services.alarms.describe_alarms("eu-west-1").await.is_ok());
    }

    /// The outcome (ok, or the error code) of 200 DescribeTrails calls.
    async fn outcomes(faults: Faults) -> Vec<String> {
        let services = account().layer(faults);
        let mut out = Vec::new();
        for _ in 0..200 {
            out.push(match services.trails.describe_trails(REGION).await {
                Ok(_) => "ok".to_owned(),
                Err(e) => e.code,
            });
        }
        out
    }

    fn random(seed: u64) -> Faults {
        Faults::new()
            .seeded(seed)
            .throttling(0.1)
            .service_errors(0.1)
            .timeouts(0.1)
            .malformed(0.1)
    }

    #[tokio::test]
    async fn random_faults_replay_with_the_same_seed() {
        let first = outcomes(random(42)).await;
        assert_eq!(first, outcomes(random(42)).await);
        assert_ne!(first, outcomes(random(43)).await);
        for code in [
            "ok",
            "ThrottlingException",
            "InternalFailure",
            "TimeoutError",
            "MalformedResponse",
        ] {
            assert!(first.iter().any(|c| c == code), "no {code} in {first:?}");
        }
        let ok = first.iter().filter(|c| *c == "ok").count();
        // 60% expected; far from both 0 and 200 for any sane generator.
        assert!((80..=160).contains(&ok), "{ok} of 200 succeeded");
    }

    #[tokio::test]
    async fn rates_without_a_seed_inject_nothing() {
        let faults = Faults::new().throttling(1.0);
        assert!(outcomes(faults).await.iter().all(|c| c == "ok"));
    }
}

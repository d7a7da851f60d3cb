//! What a wrapper sees of a service call ([`Call`]), the trait every wrapper
//! implements ([`Layer`]), and [`Layered`]: one service with a layer around
//! its calls. Each service trait's file forwards its methods through
//! `Layered` next to the trait, so a new method is forwarded where it is
//! declared.

use crate::api_error::ApiResult;
use crate::operation::Operation;
use futures::future::BoxFuture;
use std::sync::Arc;

/// A service call as a [`Layer`] sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Call<'a> {
    /// The AWS operation, e.g. `GetTrailStatus`; the same name the
    /// backends put in [`crate::api::ApiError::operation`].
    pub operation: Operation,
    /// The region the call goes to (for SNS, the region of the topic ARN);
    /// `None` for `GetCallerIdentity`, which goes to the backend's default region.
    pub region: Option<&'a str>,
    /// The resource it is about: the trail or topic ARN, the log group name,
    /// the alarm name, or the name of the topic to create.
    pub resource: Option<&'a str>,
    /// Whether the call changes the account (`Put*`, `CreateTopic`,
    /// `Subscribe`, `SetTopicAttributes`).
    pub writes: bool,
}

impl<'a> Call<'a> {
    /// A call that reads `resource` (or, without one, lists) in `region`.
    pub fn read(operation: Operation, region: &'a str, resource: Option<&'a str>) -> Self {
        Call {
            operation,
            region: Some(region),
            resource,
            writes: false,
        }
    }

    /// A call that changes `resource` in `region`.
    pub fn write(operation: Operation, region: &'a str, resource: &'a str) -> Self {
        Call {
            writes: true,
            ..Call::read(operation, region, Some(resource))
        }
    }
}

/// What a service call answers: every result type of the service traits.
/// `Serialize`, so that a layer may record answers (to a snapshot, a log).
pub trait Reply: serde::Serialize + Send + 'static {}

impl<T: serde::Serialize + Send + 'static> Reply for T {}

/// The call being wrapped, not yet started; a layer awaits it, drops it (the
/// call is then never made) or returns it as it is.
pub type Next<'a, T> = BoxFuture<'a, ApiResult<T>>;

/// One cross-cutting behaviour around every service call.
pub trait Layer: Send + Sync + 'static {
    /// Returns the future that answers `call` in place of `next`.
    fn around<'a, T: Reply>(&'a self, call: Call<'a>, next: Next<'a, T>) -> Next<'a, T>;
}

/// A shared layer, so that its owner can read its state (counts, injected
/// faults) while the services use it.
impl<L: Layer> Layer for Arc<L> {
    fn around<'a, T: Reply>(&'a self, call: Call<'a>, next: Next<'a, T>) -> Next<'a, T> {
        L::around(self, call, next)
    }
}

/// One service (`S` is `dyn AlarmsApi`...) with a layer around each of its
/// calls; it implements that service's trait. Made for every service at
/// once by [`crate::api::Services::layer`].
pub struct Layered<S: ?Sized, L> {
    pub(super) inner: Arc<S>,
    layer: Arc<L>,
}

impl<S: ?Sized, L: Layer> Layered<S, L> {
    /// `inner` with `layer` around each of its calls.
    pub fn new(inner: Arc<S>, layer: Arc<L>) -> Self {
        Layered { inner, layer }
    }

    /// The layer.
    pub fn layer(&self) -> &L {
        &self.layer
    }

    /// `next`, the inner service's answer to `call`, as the layer runs it.
    pub(super) fn around<'a, T: Reply>(&'a self, call: Call<'a>, next: Next<'a, T>) -> Next<'a, T> {
        self.layer.around(call, next)
    }
}

//! Backends that answer every service call through one method, by name: a
//! backend written in another language (the Python package's protocol), or
//! one behind a wire. [`Dynamic`] turns a [`DynamicBackend`] into a
//! [`crate::api::Backend`]; each service trait's file converts its methods'
//! parameters and answers next to the trait.

use super::call::Call;
use crate::api_error::{ApiError, ApiErrorKind, ApiResult};
use crate::operation::Operation;
use async_trait::async_trait;
use serde::de::{DeserializeOwned, IgnoredAny};
use serde_json::Value;

/// A backend with one method for every service call.
///
/// ```
/// use kmswatch_core::api::{ApiResult, Call, Dynamic, DynamicBackend, Services, TrailsApi};
/// use serde_json::Value;
///
/// /// An account without trails, whatever the region.
/// struct NoTrails;
///
/// #[async_trait::async_trait]
/// impl DynamicBackend for NoTrails {
///     async fn call(&self, method: &'static str, _: Call<'_>, _: Vec<Value>) -> ApiResult<String> {
///         assert_eq!(method, "describe_trails");
///         Ok("[]".to_owned())
///     }
/// }
///
/// # futures::executor::block_on(async {
/// let services = Services::new(std::sync::Arc::new(Dynamic::new(NoTrails)));
/// assert!(services.trails.describe_trails("us-east-1").await.unwrap().is_empty());
/// # });
/// ```
#[async_trait]
pub trait DynamicBackend: Send + Sync + 'static {
    /// Answers the service trait method named `method` (`describe_trails`,
    /// `put_metric_alarm`...) for `call`. `args` are the method's parameters
    /// as JSON values, in order; the answer is JSON text of the method's
    /// result type (anything for a method that returns nothing). An error's
    /// region and resource are those of `call`.
    async fn call(
        &self,
        method: &'static str,
        call: Call<'_>,
        args: Vec<Value>,
    ) -> ApiResult<String>;
}

/// The service traits, answered by a [`DynamicBackend`].
pub struct Dynamic<D> {
    backend: D,
}

impl<D: DynamicBackend> Dynamic<D> {
    /// The services of `backend`.
    pub fn new(backend: D) -> Self {
        Dynamic { backend }
    }

    /// The backend.
    pub fn backend(&self) -> &D {
        &self.backend
    }

    /// Calls `method` and reads its answer as a `T`; a failure names the
    /// region and resource of `call`.
    pub(super) async fn answer<T: DeserializeOwned>(
        &self,
        method: &'static str,
        call: Call<'_>,
        args: Vec<Value>,
    ) -> ApiResult<T> {
        let answer = self.backend.call(method, call, args).await;
        let answer = answer.and_then(|text| {
            serde_json::from_str(&text).map_err(|e| wrong_shape(call.operation, method, e))
        });
        answer.map_err(|mut e| {
            // SNS calls name the region of an ARN; an ARN that is not one has none.
            e.region = call.region.filter(|r| !r.is_empty()).map(str::to_owned);
            e.resource = call.resource.map(str::to_owned);
            e
        })
    }

    /// Calls `method`, whose answer does not matter.
    pub(super) async fn done(
        &self,
        method: &'static str,
        call: Call<'_>,
        args: Vec<Value>,
    ) -> ApiResult<()> {
        self.answer::<IgnoredAny>(method, call, args)
            .await
            .map(drop)
    }
}

/// The error for an answer of `method` that is not of its result type
/// (code `InvalidBackendResponse`).
pub fn wrong_shape(
    operation: Operation,
    method: &str,
    message: impl std::fmt::Display,
) -> ApiError {
    ApiError::new(
        operation,
        ApiErrorKind::Other,
        "InvalidBackendResponse",
        format!("{method}() returned a value of the wrong shape: {message}"),
    )
}

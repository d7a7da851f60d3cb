//! Counting the requests the SDK actually sends (every page and every retry),
//! for the report's `api_calls`.

use crate::api::RequestCount;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextRef;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;

/// Counts into one [`RequestCount`] every HTTP request the clients of one
/// backend send.
#[derive(Debug, Clone, Default)]
pub(super) struct RequestCounter(pub(super) RequestCount);

impl Intercept for RequestCounter {
    fn name(&self) -> &'static str {
        "kmswatch::RequestCounter"
    }

    fn read_before_transmit(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        self.0.add_one();
        Ok(())
    }
}

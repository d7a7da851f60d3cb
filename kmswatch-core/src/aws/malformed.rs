//! Retrying a read whose answer did not parse.
//!
//! The SDK retries throttling, 5xx answers and broken connections, but a
//! well-framed success answer whose body does not parse (a proxy's page, a
//! body cut short inside its framing) ends the call at once. For a read that
//! is as transient as a reset: the same request asked again answers whole. So
//! for the operations kmswatch only reads, such an answer is turned into a
//! transient I/O error that the SDK's retry policy retries; writes are left as
//! they are (their effect may have happened).

use crate::operation::{Access, Operation};
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::FinalizerInterceptorContextMut;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::orchestrator::{Metadata, OrchestratorError};
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use aws_smithy_types::error::display::DisplayErrorContext;

/// Makes a read's unparseable success answer a retryable I/O error.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct RetryMalformedReads;

/// Whether the SDK operation `name` only reads.
fn reads(name: &str) -> bool {
    Operation::from_name(name)
        .is_some_and(|op| matches!(op.access(), Access::Read | Access::Unrestricted))
}

impl Intercept for RetryMalformedReads {
    fn name(&self) -> &'static str {
        "kmswatch::RetryMalformedReads"
    }

    fn modify_before_attempt_completion(
        &self,
        context: &mut FinalizerInterceptorContextMut<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let answered_ok = context
            .response()
            .is_some_and(|response| response.status().is_success());
        let read = cfg.load::<Metadata>().is_some_and(|m| reads(m.name()));
        if !(answered_ok && read) {
            return Ok(());
        }
        if let Some(outcome @ Err(_)) = context.output_or_error_mut() {
            let detail = match &outcome {
                Err(error) => DisplayErrorContext(error).to_string(),
                Ok(_) => String::new(),
            };
            *outcome = Err(OrchestratorError::connector(ConnectorError::io(
                format!("a success answer that does not parse: {detail}").into(),
            )));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::reads;

    #[test]
    fn only_reads_are_retried() {
        assert!(reads("DescribeAlarms"));
        assert!(reads("GetCallerIdentity"));
        assert!(!reads("PutMetricAlarm"));
        assert!(!reads("CreateTopic"));
        // An operation kmswatch does not know is not guessed at.
        assert!(!reads("DeleteTrail"));
    }
}

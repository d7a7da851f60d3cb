//! `-v`: one line per AWS request — service, operation, region, HTTP status,
//! milliseconds and retries — as a `tracing` event of target
//! [`REQUEST_LOG_TARGET`] at INFO. The face decides whether it is shown; when
//! nothing listens, the interceptor does not even read the clock.

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeSerializationInterceptorContextRef, FinalizerInterceptorContextRef,
};
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::retries::RequestAttempts;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::{ConfigBag, Storable, StoreReplace};
use aws_types::region::Region;
use std::time::Instant;

/// The `tracing` target of the request lines.
pub const REQUEST_LOG_TARGET: &str = "kmswatch::aws_request";

/// Logs each request (all its attempts) once it ends.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct LogRequests;

/// When the request started, in its configuration bag.
#[derive(Debug, Clone, Copy)]
struct Started(Instant);

impl Storable for Started {
    type Storer = StoreReplace<Self>;
}

impl Intercept for LogRequests {
    fn name(&self) -> &'static str {
        "kmswatch::LogRequests"
    }

    fn read_before_execution(
        &self,
        _context: &BeforeSerializationInterceptorContextRef<'_>,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if tracing::enabled!(target: REQUEST_LOG_TARGET, tracing::Level::INFO) {
            cfg.interceptor_state().store_put(Started(Instant::now()));
        }
        Ok(())
    }

    fn read_after_execution(
        &self,
        context: &FinalizerInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let Some(Started(started)) = cfg.load::<Started>().copied() else {
            return Ok(());
        };
        let (service, operation) = cfg
            .load::<Metadata>()
            .map_or(("?", "?"), |m| (m.service(), m.name()));
        let status = context.response().map(|r| r.status().as_u16().to_string());
        let line = request_line(&RequestLine {
            service,
            operation,
            region: cfg.load::<Region>().map_or("-", |r| r.as_ref()),
            status: status.as_deref(),
            millis: started.elapsed().as_millis(),
            attempts: cfg.load::<RequestAttempts>().map_or(1, |a| a.attempts()),
        });
        tracing::info!(target: REQUEST_LOG_TARGET, "{line}");
        Ok(())
    }
}

/// What one line says.
struct RequestLine<'a> {
    service: &'a str,
    operation: &'a str,
    region: &'a str,
    /// The last answer's HTTP status; `None`: no answer (connection failed).
    status: Option<&'a str>,
    millis: u128,
    attempts: u32,
}

/// `CloudTrail DescribeTrails us-east-1 200 12 ms 0 retries`.
fn request_line(l: &RequestLine<'_>) -> String {
    let retries = l.attempts.saturating_sub(1);
    format!(
        "{} {} {} {} {} ms {retries} {}",
        l.service,
        l.operation,
        l.region,
        l.status.unwrap_or("no-answer"),
        l.millis,
        if retries == 1 { "retry" } else { "retries" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_names_the_call_its_answer_time_and_retries() {
        let line = RequestLine {
            service: "CloudTrail",
            operation: "DescribeTrails",
            region: "us-east-1",
            status: Some("200"),
            millis: 12,
            attempts: 1,
        };
        assert_eq!(
            request_line(&line),
            "CloudTrail DescribeTrails us-east-1 200 12 ms 0 retries"
        );
        let failed = RequestLine {
            status: None,
            attempts: 2,
            ..line
        };
        assert_eq!(
            request_line(&failed),
            "CloudTrail DescribeTrails us-east-1 no-answer 12 ms 1 retry"
        );
    }
}

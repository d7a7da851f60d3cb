//! Turning SDK failures into [`ApiError`]s that say what was called, where, on
//! what, and what went wrong.

use crate::api::{ApiError, ApiErrorKind};
use crate::operation::Operation;
use aws_sdk_sts::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;

/// One AWS call, described for error messages.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Call<'a> {
    /// The AWS operation, e.g. `DescribeTrails`.
    pub operation: Operation,
    /// The service's endpoint prefix, e.g. `cloudtrail`.
    pub service: &'static str,
    /// The region the call goes to.
    pub region: &'a str,
    /// The resource it is about (name or ARN).
    pub resource: Option<&'a str>,
    /// The endpoint override (moto, a VPC endpoint), if any.
    pub endpoint_url: Option<&'a str>,
}

impl Call<'_> {
    fn error(&self, kind: ApiErrorKind, code: &str, message: String) -> ApiError {
        // The SDK's detail may quote the endpoint URL, credentials included.
        let message = crate::redact::strip_userinfo(&message).into_owned();
        let error = ApiError::new(self.operation, kind, code, message).in_region(self.region);
        match self.resource {
            Some(resource) => error.about(resource),
            None => error,
        }
    }

    fn endpoint(&self) -> String {
        match self.endpoint_url {
            Some(url) => crate::redact::strip_userinfo(url).into_owned(),
            None => format!("the {} endpoint of {}", self.service, self.region),
        }
    }

    /// The [`ApiError`] for a failed SDK call.
    pub fn sdk_error<E, R>(&self, err: SdkError<E, R>) -> ApiError
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
        R: std::fmt::Debug + 'static,
    {
        let detail = DisplayErrorContext(&err).to_string();
        let endpoint = self.endpoint();
        match &err {
            SdkError::ServiceError(service) => match service.err().code() {
                Some(code) => {
                    let message = service.err().message().unwrap_or("(no message)");
                    self.error(ApiError::kind_of_code(code), code, message.to_owned())
                }
                // Not an AWS error (a proxy's or a server's own error page):
                // one sentence, and the SDK's account of it behind --debug.
                None => {
                    let raw: &dyn std::any::Any = service.raw();
                    let message = match raw.downcast_ref::<HttpResponse>() {
                        Some(response) => format!(
                            "{endpoint} answered HTTP {} without an AWS error code",
                            response.status().as_u16()
                        ),
                        None => format!("{endpoint} answered with an error that is not AWS's"),
                    };
                    self.error(ApiErrorKind::Other, "Unknown", message)
                        .with_detail(strip(&detail))
                }
            },
            SdkError::TimeoutError(_) => self
                .error(
                    ApiErrorKind::Transport,
                    "TimeoutError",
                    format!("no answer from {endpoint} in time"),
                )
                .with_detail(strip(&detail)),
            SdkError::DispatchFailure(dispatch) => {
                let (code, message) = if dispatch.is_timeout() {
                    (
                        "TimeoutError",
                        format!(
                            "timed out connecting to {endpoint}: check the network, a proxy \
                             (HTTPS_PROXY) or --endpoint-url"
                        ),
                    )
                } else if dispatch.is_io() {
                    (
                        "ConnectionError",
                        format!(
                            "cannot connect to {endpoint} ({}): check the network, a proxy \
                             (HTTPS_PROXY) or --endpoint-url",
                            io_cause(&detail)
                        ),
                    )
                } else if detail.contains("credentials") || detail.contains("credential provider") {
                    ("CredentialsError", NO_CREDENTIALS.to_owned())
                } else {
                    (
                        "DispatchFailure",
                        format!("the request to {endpoint} could not be sent"),
                    )
                };
                self.error(ApiErrorKind::Transport, code, message)
                    .with_detail(strip(&detail))
            }
            SdkError::ResponseError(_) => self
                .error(
                    ApiErrorKind::Transport,
                    "ResponseError",
                    format!("unreadable response from {endpoint}"),
                )
                .with_detail(strip(&detail)),
            SdkError::ConstructionFailure(_) => self.error(
                ApiErrorKind::InvalidRequest,
                "ConstructionFailure",
                format!("request could not be built: {detail}"),
            ),
            _ => self.error(ApiErrorKind::Other, "Unknown", detail),
        }
    }

    /// The [`ApiError`] for a request kmswatch cannot even form (bad region, bad ARN).
    pub fn invalid(&self, code: &str, message: impl Into<String>) -> ApiError {
        self.error(ApiErrorKind::InvalidRequest, code, message.into())
    }

    /// The [`ApiError`] for an answer that lacks something AWS always sends.
    pub fn malformed(&self, missing: Missing) -> ApiError {
        self.error(
            ApiErrorKind::Transport,
            "MalformedResponse",
            format!("the answer from {} has no {}", self.endpoint(), missing.0),
        )
    }
}

/// The one sentence for missing credentials: what is wrong and what to do.
const NO_CREDENTIALS: &str = "no AWS credentials found: set AWS_ACCESS_KEY_ID and \
     AWS_SECRET_ACCESS_KEY, or choose a profile with --profile / AWS_PROFILE (after \
     `aws sso login` for an SSO profile)";

fn strip(detail: &str) -> String {
    crate::redact::strip_userinfo(detail).into_owned()
}

/// The cause of a failed connection in a few words, from the error chain.
fn io_cause(detail: &str) -> &'static str {
    let detail = detail.to_ascii_lowercase();
    if detail.contains("connection refused") {
        "connection refused"
    } else if detail.contains("dns error") || detail.contains("failed to lookup address") {
        "host not found"
    } else if detail.contains("timed out") {
        "timed out"
    } else if detail.contains("certificate") || detail.contains("tls") {
        "TLS handshake failed"
    } else if detail.contains("connection reset") {
        "connection reset"
    } else {
        "network error"
    }
}

/// A field AWS always sends was missing from an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Missing(pub &'static str);

/// `value`, or [`Missing`] naming `field`.
pub(crate) fn required<T>(value: Option<T>, field: &'static str) -> Result<T, Missing> {
    value.ok_or(Missing(field))
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_sns::error::ConnectorError;
    use aws_sdk_sns::operation::get_topic_attributes::GetTopicAttributesError;
    use aws_sdk_sns::types::error::NotFoundException;

    /// The raw response plays no part in the mapping.
    type HttpResponse = ();

    const CALL: Call<'static> = Call {
        operation: Operation::GetTopicAttributes,
        service: "sns",
        region: "eu-west-1",
        resource: Some("arn:aws:sns:eu-west-1:111122223333:alerts"),
        endpoint_url: None,
    };

    fn service_error(code: &str, message: &str) -> SdkError<GetTopicAttributesError, HttpResponse> {
        let meta = aws_sdk_sns::error::ErrorMetadata::builder()
            .code(code)
            .message(message)
            .build();
        SdkError::service_error(GetTopicAttributesError::generic(meta), ())
    }

    #[test]
    fn an_error_page_instead_of_an_aws_error_is_one_sentence() {
        let page = aws_smithy_runtime_api::http::Response::new(
            aws_smithy_runtime_api::http::StatusCode::try_from(500).unwrap(),
            aws_smithy_types::body::SdkBody::from("<!doctype html><title>500</title>"),
        );
        let unhandled =
            GetTopicAttributesError::generic(aws_sdk_sns::error::ErrorMetadata::builder().build());
        let err = CALL.sdk_error(SdkError::service_error(unhandled, page));
        assert_eq!(
            err.message,
            "the sns endpoint of eu-west-1 answered HTTP 500 without an AWS error code"
        );
        assert!(!err.message.contains('\n') && !err.message.contains("doctype"));
        assert!(err.detail.is_some(), "the SDK's account stays for --debug");
    }

    #[test]
    fn service_errors_keep_code_message_and_context() {
        let err = CALL.sdk_error(service_error("AuthorizationError", "not allowed"));
        assert_eq!(err.operation, Operation::GetTopicAttributes);
        assert_eq!(err.region.as_deref(), Some("eu-west-1"));
        assert_eq!(err.resource.as_deref(), CALL.resource);
        assert_eq!(err.kind, ApiErrorKind::AccessDenied);
        assert_eq!(err.code, "AuthorizationError");
        assert_eq!(err.message, "not allowed");

        let typed = GetTopicAttributesError::NotFoundException(
            NotFoundException::builder()
                .message("Topic does not exist")
                .meta(
                    aws_sdk_sns::error::ErrorMetadata::builder()
                        .code("NotFound")
                        .build(),
                )
                .build(),
        );
        let err = CALL.sdk_error(SdkError::service_error(typed, ()));
        assert_eq!(err.kind, ApiErrorKind::NotFound);
        assert_eq!(err.code, "NotFound");

        let err = CALL.sdk_error(service_error("Throttling", "Rate exceeded"));
        assert_eq!(err.kind, ApiErrorKind::Throttling);
    }

    #[test]
    fn transport_errors_name_the_endpoint() {
        let io = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused");
        let err: SdkError<GetTopicAttributesError, HttpResponse> =
            SdkError::dispatch_failure(ConnectorError::io(Box::new(io)));
        let call = Call {
            endpoint_url: Some("http://127.0.0.1:1"),
            ..CALL
        };
        let err = call.sdk_error(err);
        assert_eq!(err.kind, ApiErrorKind::Transport);
        assert_eq!(err.code, "ConnectionError");
        assert!(
            err.message
                .starts_with("cannot connect to http://127.0.0.1:1"),
            "{}",
            err.message
        );

        let err: SdkError<GetTopicAttributesError, HttpResponse> =
            SdkError::timeout_error("operation timeout");
        let err = CALL.sdk_error(err);
        assert_eq!(
            (err.kind, err.code.as_str()),
            (ApiErrorKind::Transport, "TimeoutError")
        );
        assert!(
            err.message.contains("the sns endpoint of eu-west-1"),
            "{}",
            err.message
        );

        let err: SdkError<GetTopicAttributesError, HttpResponse> =
            SdkError::response_error("not XML", ());
        let err = CALL.sdk_error(err);
        assert_eq!(
            (err.kind, err.code.as_str()),
            (ApiErrorKind::Transport, "ResponseError")
        );

        let err: SdkError<GetTopicAttributesError, HttpResponse> = SdkError::dispatch_failure(
            ConnectorError::other("failed to load credentials: no credentials".into(), None),
        );
        let err = CALL.sdk_error(err);
        assert_eq!(err.code, "CredentialsError");
    }

    #[test]
    fn malformed_and_invalid() {
        let err = CALL.malformed(required::<String>(None, "TopicArn").unwrap_err());
        assert_eq!(err.code, "MalformedResponse");
        assert!(err.message.ends_with("has no TopicArn"));
        let err = CALL.invalid("InvalidRegion", "bad");
        assert_eq!(err.kind, ApiErrorKind::InvalidRequest);
        assert_eq!(
            err.to_string(),
            format!(
                "GetTopicAttributes failed for {}: InvalidRegion: bad",
                CALL.resource.unwrap()
            )
        );
    }
}

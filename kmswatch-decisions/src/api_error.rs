//! A failed service call: [`ApiError`], its [`ApiErrorKind`], [`ApiResult`],
//! and how a failed call names the resource it was about.
//!
//! Plain data: the facts of an account record the calls that failed, and
//! the rules judge them (ERROR or MANUAL), so the type lives with the
//! decisions; the service traits that return it live in `kmswatch-core`.

use crate::model::Metric;
use crate::operation::Operation;
use serde::{Deserialize, Serialize};

/// The broad class of a failed call; decides between ERROR and MANUAL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ApiErrorKind {
    /// The credentials may not make this call (or see this resource).
    AccessDenied,
    /// The resource does not exist.
    NotFound,
    /// Throttled, after the SDK's retries.
    Throttling,
    /// The request was rejected as invalid (a limit, a bad parameter).
    InvalidRequest,
    /// A limit such as 100 metric filters per log group was reached.
    LimitExceeded,
    /// The endpoint could not be reached, or answered with something unreadable.
    Transport,
    /// Any other service error.
    Other,
}

/// A failed AWS call: which one, on what, and what AWS said.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[error("{operation} failed{}: {code}: {message}", resource.as_deref().map(|r| format!(" for {r}")).unwrap_or_default())]
pub struct ApiError {
    /// The AWS operation, e.g. `GetTrailStatus`.
    pub operation: Operation,
    /// The region the call went to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// The resource the call was about (ARN or name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// Classification.
    pub kind: ApiErrorKind,
    /// The AWS error code (`AccessDeniedException`...), or a transport description.
    pub code: String,
    /// The AWS error message, or one sentence naming the cause (and the fix)
    /// of a failure that is not AWS's answer.
    pub message: String,
    /// The full chain of causes, for `--debug` (transport failures only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl ApiError {
    /// A new error.
    pub fn new(
        operation: Operation,
        kind: ApiErrorKind,
        code: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        ApiError {
            operation,
            region: None,
            resource: None,
            kind,
            code: code.into(),
            message: message.into(),
            detail: None,
        }
    }

    /// The same error, with the full chain of causes behind its message.
    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    /// The same error, naming the region it happened in.
    pub fn in_region(mut self, region: &str) -> Self {
        self.region = Some(region.to_owned());
        self
    }

    /// The same error, naming the resource it is about.
    pub fn about(mut self, resource: &str) -> Self {
        self.resource = Some(resource.to_owned());
        self
    }

    /// Classifies an AWS error code.
    pub fn kind_of_code(code: &str) -> ApiErrorKind {
        match code {
            "AccessDenied"
            | "AccessDeniedException"
            | "AuthorizationError"
            | "UnauthorizedOperation"
            | "UnauthorizedAccess"
            | "UnrecognizedClientException"
            | "InvalidClientTokenId"
            | "ExpiredToken"
            | "ExpiredTokenException"
            | "NotAuthorized"
            | "OperationNotPermittedException" => ApiErrorKind::AccessDenied,
            "ResourceNotFoundException"
            | "ResourceNotFound"
            | "NotFound"
            | "NotFoundException"
            | "TrailNotFoundException"
            | "CloudTrailARNInvalidException" => ApiErrorKind::NotFound,
            "Throttling"
            | "ThrottlingException"
            | "ThrottledException"
            | "TooManyRequestsException"
            | "RequestLimitExceeded" => ApiErrorKind::Throttling,
            "LimitExceededException"
            | "LimitExceeded"
            | "TopicLimitExceeded"
            | "SubscriptionLimitExceeded" => ApiErrorKind::LimitExceeded,
            "InvalidParameterException"
            | "InvalidParameterValueException"
            | "InvalidParameterValue"
            | "InvalidParameter"
            | "ValidationException"
            | "ValidationError"
            | "InvalidParameterCombination"
            | "MissingParameter"
            | "InvalidRequest" => ApiErrorKind::InvalidRequest,
            _ => ApiErrorKind::Other,
        }
    }
}

/// Result of a service call.
pub type ApiResult<T> = Result<T, ApiError>;

/// The resource a composite-alarm `DescribeAlarms` call is about (errors and
/// layers tell it from the metric-alarm call of the same region by it).
pub const COMPOSITE_ALARMS: &str = "AlarmTypes=CompositeAlarm";

/// The resource of a `DescribeAlarms` listing by name prefix, as errors name
/// it: `AlarmNamePrefix=<prefix>`.
pub fn alarm_name_prefix_resource(prefix: &str) -> String {
    format!("AlarmNamePrefix={prefix}")
}

/// The resource a `DescribeAlarmsForMetric` call is about: the metric, as
/// `namespace/name` followed by its dimensions (`[Name=Value,...]`) when it has any.
///
/// ```
/// use kmswatch_decisions::api_error::metric_resource;
/// use kmswatch_decisions::model::Metric;
/// let metric = Metric { namespace: "CIS".into(), metric_name: "KmsKeyDisabled".into(), dimensions: Default::default() };
/// assert_eq!(metric_resource(&metric), "CIS/KmsKeyDisabled");
/// ```
pub fn metric_resource(metric: &Metric) -> String {
    let mut out = format!("{}/{}", metric.namespace, metric.metric_name);
    if !metric.dimensions.is_empty() {
        let dimensions: Vec<String> = metric
            .dimensions
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        out.push_str(&format!("[{}]", dimensions.join(",")));
    }
    out
}

//! Every way a command can fail, and the one classification of them that the
//! faces map to exit codes (the CLI) and exception classes (Python).

use crate::api::ApiError;
use crate::check::SnapshotError;
pub use crate::exit_codes::ErrorClass;
use crate::remediate::RemediateError;

/// Why a command could not give its answer.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// Bad arguments to kmswatch itself.
    #[error("{0}")]
    Usage(String),
    /// A snapshot could not be read, parsed or written.
    #[error(transparent)]
    Snapshot(#[from] SnapshotError),
    /// The AWS configuration is unusable (region, profile, endpoint).
    #[cfg(feature = "aws")]
    #[error(transparent)]
    Connect(#[from] crate::aws::ConnectError),
    /// Built without the AWS backend, and a live account was asked for.
    #[error("this kmswatch was built without the AWS backend: check a snapshot instead")]
    NoAwsBackend,
    /// The account could not be identified (no credentials, endpoint unreachable).
    #[error("cannot identify the account: {0}")]
    Identify(ApiError),
    /// An AWS call a command cannot do without failed (`kmswatch respond`).
    #[error("{0}")]
    Call(ApiError),
    /// The accounts of the organization could not be listed (`kmswatch scan
    /// --organization`).
    #[error("cannot list the organization's accounts: {0}")]
    Organization(ApiError),
    /// The remediation refused, or an AWS call it made failed.
    #[error(transparent)]
    Remediate(#[from] RemediateError),
    /// The async runtime could not start.
    #[error("cannot start: {0}")]
    Runtime(std::io::Error),
    /// A report document could not be made or written (`--output FILE`).
    #[error(transparent)]
    Output(#[from] crate::output::OutputError),
    /// A CloudTrail archive could not be listed (`pattern test s3://…`,
    /// `history --archive`).
    #[error(transparent)]
    Archive(#[from] crate::log_search::ArchiveError),
    /// A defect in kmswatch stopped the call (a panic, caught at a face's
    /// boundary so that it never unwinds into the caller).
    #[error("internal error: {0} (a defect in kmswatch: please report it)")]
    Panic(String),
}

impl Failure {
    /// The failure for a caught panic's payload.
    pub fn from_panic(payload: Box<dyn std::any::Any + Send>) -> Self {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".to_owned());
        Failure::Panic(message)
    }
}

impl Failure {
    /// The sentence for people, with the `user:password@` part of any URL in
    /// it removed ([`crate::redact::strip_userinfo`]).
    pub fn message(&self) -> String {
        crate::redact::strip_userinfo(&self.to_string()).into_owned()
    }

    /// Its class.
    pub fn class(&self) -> ErrorClass {
        match self {
            Failure::Usage(_) | Failure::NoAwsBackend | Failure::Output(_) => ErrorClass::Usage,
            Failure::Snapshot(_) => ErrorClass::Snapshot,
            #[cfg(feature = "aws")]
            Failure::Connect(_) => ErrorClass::Configuration,
            Failure::Identify(_) | Failure::Call(_) | Failure::Organization(_) => ErrorClass::Aws,
            Failure::Runtime(_) | Failure::Panic(_) => ErrorClass::Internal,
            Failure::Remediate(e) => e.class(),
            Failure::Archive(e) if e.is_usage() => ErrorClass::Usage,
            Failure::Archive(_) => ErrorClass::Aws,
        }
    }

    /// The failed AWS call, when one failed.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Failure::Identify(e)
            | Failure::Call(e)
            | Failure::Organization(e)
            | Failure::Remediate(RemediateError::Api(e)) => Some(e),
            Failure::Remediate(RemediateError::ApplyFailed(e)) => Some(&e.source),
            _ => None,
        }
    }

    /// A stable code for programs: the AWS error code of a failed call, the
    /// kind of configuration problem (`NoRegion`, `InvalidRegion`,
    /// `ProfileNotFound`, `ProfileFile`, `InvalidEndpoint`), or why a
    /// remediation stopped (`prerequisite_missing`, `facts_incomplete`,
    /// `conflict`, `filter_limit`, `no_subscriber`, `invalid_option`,
    /// `not_pass_after_preview`).
    pub fn code(&self) -> Option<&str> {
        if let Some(e) = self.api_error() {
            return Some(&e.code);
        }
        match self {
            #[cfg(feature = "aws")]
            Failure::Connect(e) => Some(connect_code(e)),
            Failure::Remediate(e) => Some(remediate_code(e)),
            Failure::Archive(e) => Some(e.code()),
            _ => None,
        }
    }
}

#[cfg(feature = "aws")]
fn connect_code(e: &crate::aws::ConnectError) -> &'static str {
    use crate::aws::ConnectError;
    match e {
        ConnectError::NoRegion => "NoRegion",
        ConnectError::InvalidRegion(_) => "InvalidRegion",
        ConnectError::UnknownRegion { .. } => "UnknownRegion",
        ConnectError::ProfileNotFound { .. } => "ProfileNotFound",
        ConnectError::ProfileFile(_) => "ProfileFile",
        ConnectError::InvalidEndpoint(_) => "InvalidEndpoint",
        ConnectError::InvalidRetrySetting(_) => "InvalidRetrySetting",
    }
}

fn remediate_code(e: &RemediateError) -> &'static str {
    match e {
        RemediateError::PrerequisiteMissing { .. } => "prerequisite_missing",
        RemediateError::FactsIncomplete { .. } => "facts_incomplete",
        RemediateError::Conflict { .. } => "conflict",
        RemediateError::FilterLimit { .. } => "filter_limit",
        RemediateError::NoSubscriber => "no_subscriber",
        RemediateError::InvalidOption(_) => "invalid_option",
        RemediateError::NotPassAfterPreview { .. } => "not_pass_after_preview",
        RemediateError::Api(_) => "api",
        RemediateError::ApplyFailed(_) => "apply_failed",
        RemediateError::ChangedSincePlan(_) => "changed_since_plan",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::ApiErrorKind;
    use crate::check::Status;
    use crate::operation::Operation;

    fn denied() -> ApiError {
        ApiError::new(
            Operation::GetCallerIdentity,
            ApiErrorKind::AccessDenied,
            "AccessDenied",
            "no",
        )
    }

    #[test]
    fn classes_and_codes() {
        let cases: Vec<(Failure, ErrorClass, Option<&str>)> = vec![
            (Failure::Usage("x".into()), ErrorClass::Usage, None),
            (Failure::NoAwsBackend, ErrorClass::Usage, None),
            (
                Failure::Snapshot(SnapshotError::Invalid("x".into())),
                ErrorClass::Snapshot,
                None,
            ),
            (
                Failure::Identify(denied()),
                ErrorClass::Aws,
                Some("AccessDenied"),
            ),
            (
                RemediateError::Api(denied()).into(),
                ErrorClass::Aws,
                Some("AccessDenied"),
            ),
            (
                Failure::Runtime(std::io::Error::other("x")),
                ErrorClass::Internal,
                None,
            ),
            (
                RemediateError::NoSubscriber.into(),
                ErrorClass::RemediationUsage,
                Some("no_subscriber"),
            ),
            (
                RemediateError::InvalidOption("x".into()).into(),
                ErrorClass::RemediationUsage,
                Some("invalid_option"),
            ),
            (
                RemediateError::FactsIncomplete { gaps: vec![] }.into(),
                ErrorClass::RemediationFactsUnknown,
                Some("facts_incomplete"),
            ),
            (
                RemediateError::FilterLimit {
                    log_group: "g".into(),
                }
                .into(),
                ErrorClass::RemediationRefused,
                Some("filter_limit"),
            ),
            (
                RemediateError::NotPassAfterPreview {
                    predicted: Status::Fail,
                    summary: "s".into(),
                }
                .into(),
                ErrorClass::RemediationRefused,
                Some("not_pass_after_preview"),
            ),
            (
                RemediateError::NotPassAfterPreview {
                    predicted: Status::Error,
                    summary: "s".into(),
                }
                .into(),
                ErrorClass::RemediationFactsUnknown,
                Some("not_pass_after_preview"),
            ),
        ];
        for (failure, class, code) in cases {
            assert_eq!(failure.class(), class, "{failure:?}");
            assert_eq!(failure.code(), code, "{failure:?}");
        }
    }

    #[test]
    fn messages_say_what_failed() {
        let failure = Failure::Identify(denied());
        assert_eq!(
            failure.to_string(),
            "cannot identify the account: GetCallerIdentity failed: AccessDenied: no"
        );
        let failure: Failure = RemediateError::Api(denied()).into();
        assert_eq!(failure.to_string(), denied().to_string());
    }

    #[cfg(feature = "aws")]
    #[test]
    fn configuration_failures_have_their_code() {
        let failure: Failure = crate::aws::ConnectError::NoRegion.into();
        assert_eq!(failure.class(), ErrorClass::Configuration);
        assert_eq!(failure.code(), Some("NoRegion"));
    }
}

//! [`Deadline`]: every call ends by a fixed instant.

use crate::api::{ApiError, ApiErrorKind};
use crate::api::{Call, Layer, Next, Reply};
use std::time::Duration;
use tokio::time::Instant;

/// The error code of a call cut short by a [`Deadline`].
pub const DEADLINE_EXCEEDED: &str = "DeadlineExceeded";

/// Ends every call still running when the deadline passes, and fails the
/// calls that start after it, with a [`DEADLINE_EXCEEDED`] error naming the
/// call. The check then records those facts as unknown and ends as ERROR
/// (never as PASS), with each unfinished call named in a gap — whatever the
/// API does, a run ends on time.
#[derive(Debug, Clone, Copy)]
pub struct Deadline {
    at: Instant,
    budget: Duration,
}

impl Deadline {
    /// A deadline `budget` from now.
    pub fn after(budget: Duration) -> Self {
        Deadline {
            at: Instant::now() + budget,
            budget,
        }
    }
}

impl Layer for Deadline {
    fn around<'a, T: Reply>(&'a self, call: Call<'a>, next: Next<'a, T>) -> Next<'a, T> {
        Box::pin(async move {
            match tokio::time::timeout_at(self.at, next).await {
                Ok(answer) => answer,
                Err(_) => {
                    let mut error = ApiError::new(
                        call.operation,
                        ApiErrorKind::Transport,
                        DEADLINE_EXCEEDED,
                        format!(
                            "did not finish within the {} s deadline (--timeout)",
                            self.budget.as_secs_f64()
                        ),
                    );
                    if let Some(region) = call.region {
                        error = error.in_region(region);
                    }
                    if let Some(resource) = call.resource {
                        error = error.about(resource);
                    }
                    Err(error)
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Services;
    use crate::memory::MemoryBackend;
    use crate::operation::Operation;
    use std::sync::Arc;

    /// `DescribeTrails` is accepted and never answered.
    struct Hang;

    impl Layer for Hang {
        fn around<'a, T: Reply>(&'a self, call: Call<'a>, next: Next<'a, T>) -> Next<'a, T> {
            if call.operation == Operation::DescribeTrails {
                Box::pin(std::future::pending())
            } else {
                next
            }
        }
    }

    #[tokio::test]
    async fn a_call_that_never_answers_ends_at_the_deadline() {
        let account = Arc::new(MemoryBackend::new("111122223333", "us-east-1"));
        let services = Services::new(account)
            .layer(Hang)
            .layer(Deadline::after(Duration::from_millis(50)));
        let error = services
            .trails
            .describe_trails("eu-west-1")
            .await
            .unwrap_err();
        assert_eq!(error.code, DEADLINE_EXCEEDED);
        assert_eq!(error.operation, Operation::DescribeTrails);
        assert_eq!(error.region.as_deref(), Some("eu-west-1"));
        // Calls that do answer are untouched.
        assert!(services.account.account_id().await.is_ok());
    }
}

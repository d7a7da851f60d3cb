//! STS: who the credentials belong to.

use super::call::Call;
use super::forward::service_impls;
use crate::api_error::ApiResult;
use crate::operation::Operation;
use async_trait::async_trait;

/// Who the credentials belong to (STS `GetCallerIdentity`).
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait AccountApi: Send + Sync {
    /// The account id of the caller.
    async fn account_id(&self) -> ApiResult<String>;
}

/// `GetCallerIdentity` goes to the backend's default region.
fn caller_identity() -> Call<'static> {
    Call {
        region: None,
        ..Call::read(Operation::GetCallerIdentity, "", None)
    }
}

service_impls! {
    AccountApi;
    answers {
        fn account_id() -> String = caller_identity();
    }
    no_answer {}
}

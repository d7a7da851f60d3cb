//! STS: who the credentials belong to.

use super::error::required;
use super::AwsBackend;
use crate::api::{AccountApi, ApiResult};
use crate::operation::Operation;
use async_trait::async_trait;

#[async_trait]
impl AccountApi for AwsBackend {
    /// One `GetCallerIdentity` request, in the default region.
    async fn account_id(&self) -> ApiResult<String> {
        let (client, call) =
            self.call(&self.sts, Operation::GetCallerIdentity, &self.region, None)?;
        let output = client
            .get_caller_identity()
            .send()
            .await
            .map_err(|e| call.sdk_error(e))?;
        required(output.account, "Account").map_err(|m| call.malformed(m))
    }
}

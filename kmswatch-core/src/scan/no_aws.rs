//! Without the AWS backend (the `aws` feature) there is no organization to
//! reach: [`connect`] says so, with the same signature as the AWS one, so that
//! a face compiles either way.

use crate::api::AssumeRoleSettings;
use crate::api::{ApiResult, Caller, Entered, OrgAccount, OrganizationApi};
use crate::session::{AccountOptions, Failure};
use async_trait::async_trait;

/// The organization [`connect`] would give: none can exist without the AWS
/// backend (the type has no value).
#[derive(Debug)]
pub enum NoOrganization {}

impl NoOrganization {
    /// The region the organization would be reached in.
    pub fn region(&self) -> &str {
        match *self {}
    }
}

#[async_trait]
impl OrganizationApi for NoOrganization {
    async fn caller(&self) -> ApiResult<Caller> {
        match *self {}
    }

    async fn list_accounts(&self) -> ApiResult<Vec<OrgAccount>> {
        match *self {}
    }

    async fn enter(&self, _account_id: &str, _role_arn: Option<&str>) -> ApiResult<Entered> {
        match *self {}
    }
}

/// Always [`Failure::NoAwsBackend`].
pub async fn connect(
    _options: &AccountOptions,
    _settings: AssumeRoleSettings,
) -> Result<NoOrganization, Failure> {
    Err(Failure::NoAwsBackend)
}

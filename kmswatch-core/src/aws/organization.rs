//! Organizations `ListAccounts` and STS `AssumeRole`: the organization a
//! `kmswatch scan` walks, each account entered with the role's credentials
//! on the caller's configuration (region, endpoint, timeouts, retries).

use super::error::{required, Call, Missing};
use super::request_log::LogRequests;
use super::AwsBackend;
use crate::api::{
    AccountState, ApiError, ApiResult, AssumeRoleSettings, Caller, Entered, OrgAccount,
    OrganizationApi, Services,
};
use crate::operation::Operation;
use async_trait::async_trait;
use aws_sdk_sts::config::{Credentials, SharedCredentialsProvider};
use aws_types::SdkConfig;

/// The organization as the caller's credentials see it.
pub struct AwsOrganization {
    config: SdkConfig,
    region: String,
    settings: AssumeRoleSettings,
    sts: aws_sdk_sts::Client,
    organizations: aws_sdk_organizations::Client,
}

impl AwsOrganization {
    /// The organization seen through `caller`'s configuration, entering
    /// accounts with `settings`.
    pub fn new(caller: &AwsBackend, settings: AssumeRoleSettings) -> Self {
        let config = caller.sdk_config().clone();
        AwsOrganization {
            sts: aws_sdk_sts::Client::from_conf(
                aws_sdk_sts::config::Builder::from(&config)
                    .interceptor(LogRequests)
                    .build(),
            ),
            organizations: aws_sdk_organizations::Client::from_conf(
                aws_sdk_organizations::config::Builder::from(&config)
                    .interceptor(LogRequests)
                    .build(),
            ),
            region: caller.region().to_owned(),
            config,
            settings,
        }
    }

    /// The default region: where STS and Organizations are called, and where
    /// each account is checked.
    pub fn region(&self) -> &str {
        &self.region
    }

    fn call<'a>(
        &'a self,
        operation: Operation,
        service: &'static str,
        resource: Option<&'a str>,
    ) -> Call<'a> {
        Call {
            operation,
            service,
            region: &self.region,
            resource,
            endpoint_url: self.config.endpoint_url(),
        }
    }

    async fn assume(&self, role_arn: &str) -> ApiResult<Credentials> {
        let call = self.call(Operation::AssumeRole, "sts", Some(role_arn));
        let output = self
            .sts
            .assume_role()
            .role_arn(role_arn)
            .role_session_name(&self.settings.session_name)
            .set_external_id(self.settings.external_id.clone())
            .set_duration_seconds(self.settings.duration.map(|d| d.as_secs() as i32))
            .send()
            .await
            .map_err(|e| call.sdk_error(e))?;
        let credentials = output
            .credentials
            .ok_or_else(|| call.malformed(Missing("Credentials")))?;
        Ok(Credentials::new(
            credentials.access_key_id(),
            credentials.secret_access_key(),
            Some(credentials.session_token().to_owned()),
            std::time::SystemTime::try_from(*credentials.expiration()).ok(),
            "kmswatch-scan",
        ))
    }
}

fn state_of(account: &aws_sdk_organizations::types::Account) -> AccountState {
    // `State` replaces the deprecated `Status`; older endpoints send only `Status`.
    #[allow(deprecated)]
    let text = account
        .state()
        .map(|s| s.as_str())
        .or_else(|| account.status().map(|s| s.as_str()))
        .unwrap_or("UNKNOWN");
    AccountState::parse(text)
}

#[async_trait]
impl OrganizationApi for AwsOrganization {
    async fn caller(&self) -> ApiResult<Caller> {
        let call = self.call(Operation::GetCallerIdentity, "sts", None);
        let output = self
            .sts
            .get_caller_identity()
            .send()
            .await
            .map_err(|e| call.sdk_error(e))?;
        let account = required(output.account, "Account").map_err(|m| call.malformed(m))?;
        Ok(Caller::from_arn(
            account,
            output.arn.as_deref().unwrap_or_default(),
        ))
    }

    async fn list_accounts(&self) -> ApiResult<Vec<OrgAccount>> {
        let call = self.call(Operation::ListAccounts, "organizations", None);
        let mut pages = self.organizations.list_accounts().into_paginator().send();
        let mut accounts = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| call.sdk_error(e))?;
            for account in page.accounts() {
                let id = account.id().ok_or_else(|| call.malformed(Missing("Id")))?;
                accounts.push(OrgAccount::new(id, state_of(account)));
            }
        }
        Ok(accounts)
    }

    async fn enter(&self, _account_id: &str, role_arn: Option<&str>) -> ApiResult<Entered> {
        let config = match role_arn {
            None => self.config.clone(),
            Some(role) => {
                let credentials = self.assume(role).await?;
                self.config
                    .to_builder()
                    .credentials_provider(SharedCredentialsProvider::new(credentials))
                    .build()
            }
        };
        let backend = AwsBackend::new(config).map_err(|e| {
            ApiError::new(
                Operation::AssumeRole,
                crate::api::ApiErrorKind::Other,
                "Config",
                e.to_string(),
            )
        })?;
        let backend = std::sync::Arc::new(backend);
        Ok(Entered {
            services: Services::new(backend.clone()),
            findings: backend,
        })
    }
}

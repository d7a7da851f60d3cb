//! The organization a scan walks: who is scanning, which accounts there are,
//! and how each is entered. [`OrganizationApi`] has an AWS implementation
//! (Organizations `ListAccounts`, STS `AssumeRole`) and an in-memory one
//! (`scan::MemoryOrganization`).

use super::findings::FindingsApi;
use crate::api::{ApiResult, Services};
use async_trait::async_trait;
use std::sync::Arc;
use std::time::Duration;

/// The session name of the assumed roles (CloudTrail records it).
pub const DEFAULT_SESSION_NAME: &str = "kmswatch-scan";

/// An account's state in the organization (`ListAccounts`' `State`, or the
/// older `Status` where only that is returned).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AccountState {
    /// In use: scanned.
    Active,
    /// Suspended: skipped.
    Suspended,
    /// Being closed: skipped.
    PendingClosure,
    /// Any other state AWS reports (`CLOSED`, `PENDING_ACTIVATION`...): skipped.
    Other(String),
}

impl AccountState {
    /// The state as AWS spells it: `ACTIVE`, `SUSPENDED`...
    pub fn as_str(&self) -> &str {
        match self {
            AccountState::Active => "ACTIVE",
            AccountState::Suspended => "SUSPENDED",
            AccountState::PendingClosure => "PENDING_CLOSURE",
            AccountState::Other(s) => s,
        }
    }

    /// The state AWS spells `text`.
    pub fn parse(text: &str) -> Self {
        match text {
            "ACTIVE" => AccountState::Active,
            "SUSPENDED" => AccountState::Suspended,
            "PENDING_CLOSURE" => AccountState::PendingClosure,
            other => AccountState::Other(other.to_owned()),
        }
    }
}

/// One account of the organization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgAccount {
    /// The account id.
    pub id: String,
    /// Its state.
    pub state: AccountState,
}

impl OrgAccount {
    /// An account in `state`.
    pub fn new(id: impl Into<String>, state: AccountState) -> Self {
        OrgAccount {
            id: id.into(),
            state,
        }
    }
}

/// The principal running the scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// Its account.
    pub account_id: String,
    /// Its partition (`aws`, `aws-cn`, `aws-us-gov`...), from its ARN: the
    /// partition of the roles it assumes.
    pub partition: String,
}

impl Caller {
    /// The caller `GetCallerIdentity` describes by its account and ARN.
    pub fn from_arn(account_id: impl Into<String>, arn: &str) -> Self {
        let partition = arn
            .split(':')
            .nth(1)
            .filter(|p| !p.is_empty())
            .unwrap_or("aws");
        Caller {
            account_id: account_id.into(),
            partition: partition.to_owned(),
        }
    }
}

/// An account entered: its services, and its Security Hub with the same
/// credentials (`BatchImportFindings` takes a finding of the default product
/// only from the account the finding is about).
#[derive(Clone)]
pub struct Entered {
    /// The services the check reads.
    pub services: Services,
    /// Where its findings are imported with `--send-to-security-hub`.
    pub findings: Arc<dyn FindingsApi>,
}

/// Who is scanning, what the organization holds, and entering its accounts.
#[async_trait]
pub trait OrganizationApi: Send + Sync {
    /// The principal whose credentials the scan runs with.
    async fn caller(&self) -> ApiResult<Caller>;

    /// Every account of the organization, whatever its state (every page).
    async fn list_accounts(&self) -> ApiResult<Vec<OrgAccount>>;

    /// `account_id` entered: with the caller's own credentials when
    /// `role_arn` is `None`, else with those of the role assumed.
    async fn enter(&self, account_id: &str, role_arn: Option<&str>) -> ApiResult<Entered>;
}

/// The `AssumeRole` parameters besides the role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssumeRoleSettings {
    /// `--external-id`: the value the roles' trust policies require.
    pub external_id: Option<String>,
    /// `--role-session-name`.
    pub session_name: String,
    /// `--duration`; `None`: AWS's default (one hour).
    pub duration: Option<Duration>,
}

impl Default for AssumeRoleSettings {
    fn default() -> Self {
        AssumeRoleSettings {
            external_id: None,
            session_name: DEFAULT_SESSION_NAME.to_owned(),
            duration: None,
        }
    }
}

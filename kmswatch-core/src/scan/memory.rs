//! An organization held in memory: its accounts, each with its own services
//! (any backend), and the roles that may or may not be assumed. For tests and
//! for scanning snapshots of several accounts.

use crate::api::{AccountState, Caller, Entered, OrgAccount, OrganizationApi};
use crate::api::{ApiError, ApiErrorKind, ApiResult, Services};
use crate::check::{Facts, RoleFor};
use crate::memory::MemoryBackend;
use crate::operation::Operation;
use crate::security_hub::MemoryFindings;
use async_trait::async_trait;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// An in-memory organization.
///
/// ```
/// use kmswatch_core::memory::MemoryBackend;
/// use kmswatch_core::scan::{AccountState, MemoryOrganization};
/// use std::sync::Arc;
///
/// let mut org = MemoryOrganization::new("111111111111");
/// let member = Arc::new(MemoryBackend::new("222222222222", "us-east-1"));
/// org.add_account("222222222222", AccountState::Active, Some(member.services()));
/// org.refuse_role("222222222222");
/// ```
pub struct MemoryOrganization {
    caller: Caller,
    accounts: Vec<OrgAccount>,
    services: HashMap<String, Services>,
    findings: HashMap<String, Arc<MemoryFindings>>,
    refused: HashSet<String>,
}

impl MemoryOrganization {
    /// An organization whose management account, `caller_account`, runs the
    /// scan (partition `aws`).
    pub fn new(caller_account: &str) -> Self {
        MemoryOrganization {
            caller: Caller {
                account_id: caller_account.to_owned(),
                partition: "aws".to_owned(),
            },
            accounts: Vec::new(),
            services: HashMap::new(),
            findings: HashMap::new(),
            refused: HashSet::new(),
        }
    }

    /// Adds an account in `state`; `services` answer for it once entered
    /// (`None`: an account that exists but has no role to assume).
    pub fn add_account(&mut self, id: &str, state: AccountState, services: Option<Services>) {
        self.accounts.push(OrgAccount::new(id, state));
        if let Some(services) = services {
            self.services.insert(id.to_owned(), services);
            self.findings
                .insert(id.to_owned(), Arc::new(MemoryFindings::new()));
        }
    }

    /// The Security Hub of account `id` (one per account with services).
    pub fn security_hub(&self, id: &str) -> Option<Arc<MemoryFindings>> {
        self.findings.get(id).cloned()
    }

    /// The accounts a snapshot's chains lead to ([`Facts::linked`]), each an
    /// in-memory account loaded from the facts read there (one that was not
    /// entered refuses its role), its caller the snapshot's account: with
    /// [`MemoryOrganization::recorded_roles`], gathering from the snapshot's
    /// account in memory follows its chains as the capture did.
    pub fn of_linked(facts: &Facts) -> Self {
        let mut org = MemoryOrganization::new(&facts.account_id);
        for linked in &facts.linked {
            let services = linked
                .facts()
                .map(|f| Arc::new(MemoryBackend::from_facts(f.clone())).services());
            org.add_account(&linked.account_id, AccountState::Active, services);
            if linked.not_entered.is_some() {
                org.refuse_role(&linked.account_id);
            }
        }
        org
    }

    /// The role each linked account of `facts` was entered with (any other
    /// account: none).
    pub fn recorded_roles(facts: &Facts) -> RoleFor<'static> {
        let roles: HashMap<String, String> = facts
            .linked
            .iter()
            .map(|l| {
                let role = l.role_arn.clone().unwrap_or_else(|| {
                    format!(
                        "arn:aws:iam::{}:role/OrganizationAccountAccessRole",
                        l.account_id
                    )
                });
                (l.account_id.clone(), role)
            })
            .collect();
        Box::new(move |id: &str| roles.get(id).cloned())
    }

    /// Makes `AssumeRole` into `id` fail with `AccessDenied`.
    pub fn refuse_role(&mut self, id: &str) {
        self.refused.insert(id.to_owned());
    }
}

fn assume_error(kind: ApiErrorKind, code: &str, message: String, role: &str) -> ApiError {
    ApiError::new(Operation::AssumeRole, kind, code, message).about(role)
}

#[async_trait]
impl OrganizationApi for MemoryOrganization {
    async fn caller(&self) -> ApiResult<Caller> {
        Ok(self.caller.clone())
    }

    async fn list_accounts(&self) -> ApiResult<Vec<OrgAccount>> {
        Ok(self.accounts.clone())
    }

    async fn enter(&self, account_id: &str, role_arn: Option<&str>) -> ApiResult<Entered> {
        let services = self.services.get(account_id);
        let entered = |services: &Services| Entered {
            services: services.clone(),
            findings: self.findings.get(account_id).cloned().unwrap_or_default(),
        };
        match (role_arn, services) {
            (None, Some(services)) if account_id == self.caller.account_id => Ok(entered(services)),
            (Some(_), Some(services)) if !self.refused.contains(account_id) => {
                Ok(entered(services))
            }
            (role, _) => {
                let role = role.unwrap_or(account_id);
                Err(assume_error(
                    ApiErrorKind::AccessDenied,
                    "AccessDenied",
                    format!(
                        "{} is not authorized to perform sts:AssumeRole on {role}",
                        self.caller.account_id
                    ),
                    role,
                ))
            }
        }
    }
}

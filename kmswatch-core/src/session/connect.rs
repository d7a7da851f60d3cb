//! Which account to look at, and reaching it.

use super::failure::Failure;
use crate::api::{OrganizationApi, RoleChoice, Services};
use crate::check::LinkedChains;
use std::sync::Arc;

/// How to reach a live account: `--region`, `--profile`, `--endpoint-url`
/// (or the keywords of the same names). Each `None` falls back to the
/// environment and the shared config files as the AWS CLI does.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccountOptions {
    /// The region whose trails are listed; also where STS is called.
    pub region: Option<String>,
    /// The shared-config profile.
    pub profile: Option<String>,
    /// Send every request to this endpoint instead of AWS (an emulator).
    pub endpoint_url: Option<String>,
    /// The whole run's deadline, from connecting: calls still running then
    /// fail (see [`Account::with_deadline`]).
    pub timeout: Option<std::time::Duration>,
    /// At most this many requests in flight at once (see
    /// [`Account::with_max_concurrency`]); `None`: the check's own bound,
    /// [`crate::check::DEFAULT_MAX_IN_FLIGHT`].
    pub max_concurrency: Option<usize>,
    /// The role to assume, reads only, in the accounts that hold links of
    /// the account's chains (an organization trail's log group in the
    /// management or a log-archive account): an IAM role ARN template,
    /// `{account}` (and `{partition}`) replaced (`--log-account-role`).
    /// `None`: such chains are not followed, and end MANUAL.
    pub log_account_role: Option<String>,
}

impl AccountOptions {
    /// How the AWS SDK is reached: region, profile, endpoint.
    #[cfg(feature = "aws")]
    pub fn aws(&self) -> crate::aws::AwsOptions {
        crate::aws::AwsOptions {
            region: self.region.clone(),
            profile: self.profile.clone(),
            endpoint_url: self.endpoint_url.clone(),
        }
    }
}

/// The longest `--timeout` / `timeout=` (a day).
pub const MAX_TIMEOUT_SECONDS: f64 = 86_400.0;

/// A run's deadline from a number of seconds: positive, finite and at most
/// [`MAX_TIMEOUT_SECONDS`] (fractions allowed); else why not.
///
/// ```
/// use kmswatch_core::session::timeout_from_seconds;
/// assert_eq!(timeout_from_seconds(2.5).unwrap().as_millis(), 2500);
/// assert!(timeout_from_seconds(0.0).is_err());
/// assert!(timeout_from_seconds(f64::NAN).is_err());
/// ```
pub fn timeout_from_seconds(seconds: f64) -> Result<std::time::Duration, String> {
    if seconds > 0.0 && seconds.is_finite() && seconds <= MAX_TIMEOUT_SECONDS {
        Ok(std::time::Duration::from_secs_f64(seconds))
    } else {
        Err(format!(
            "{seconds} is not a number of seconds between 0 and {MAX_TIMEOUT_SECONDS} (e.g. 30 or 2.5)"
        ))
    }
}

/// An account to check or remediate: its services, the region whose
/// `DescribeTrails` lists the trails, and how to enter the accounts that hold
/// links of its chains.
#[derive(Clone)]
pub struct Account {
    /// The services, from any backend.
    pub services: Services,
    /// The region trails are listed in.
    pub region: String,
    /// Where links in other accounts are read (`None`: not followed).
    pub log_accounts: Option<LogAccounts>,
}

/// The accounts that hold links of a chain, entered through `org` with a
/// role (`--log-account-role`), reads only.
#[derive(Clone)]
pub struct LogAccounts {
    /// Enters them (`AssumeRole`).
    pub org: Arc<dyn OrganizationApi>,
    /// The role ARN template.
    pub role: RoleChoice,
    /// The partition `{partition}` stands for.
    pub partition: String,
}

impl LogAccounts {
    /// Where `account`'s chains are followed, its own events judged.
    pub fn chains(&self) -> LinkedChains<'_> {
        let role = &self.role;
        let partition = &self.partition;
        LinkedChains::new(
            self.org.as_ref(),
            Box::new(move |id: &str| Some(role.role_arn(partition, id))),
            Vec::new(),
        )
    }
}

/// Checks a `--log-account-role` before any request: an IAM role ARN, with
/// `{account}` (and `{partition}`) replaced by the account entered, or one
/// role's ARN (entering any other account with it is refused: its
/// credentials would be another account's).
pub fn log_account_role(template: &str) -> Result<RoleChoice, Failure> {
    if !crate::api::is_role_arn(template) {
        return Err(Failure::Usage(format!(
            "--log-account-role {template:?} is not an IAM role ARN (e.g. arn:aws:iam::{{account}}:role/KmswatchAudit; {{account}} and {{partition}} are replaced)"
        )));
    }
    Ok(RoleChoice::Template(template.to_owned()))
}

impl Account {
    /// An account on services of any backend (a snapshot, a Python object...).
    pub fn new(services: Services, region: impl Into<String>) -> Self {
        Account {
            services,
            region: region.into(),
            log_accounts: None,
        }
    }

    /// The same account, following its chains into other accounts through
    /// `log_accounts`.
    pub fn with_log_accounts(self, log_accounts: LogAccounts) -> Self {
        Account {
            log_accounts: Some(log_accounts),
            ..self
        }
    }

    /// The same account, with every call ending by `budget` from now
    /// ([`crate::layer::Deadline`]): a check that runs out of time ends as
    /// ERROR naming the calls that did not finish, never as a hang.
    pub fn with_deadline(self, budget: std::time::Duration) -> Self {
        Account {
            services: self.services.layer(crate::layer::Deadline::after(budget)),
            ..self
        }
    }

    /// The same account, with at most `max` requests in flight at once
    /// ([`crate::layer::ConcurrencyLimit`]), whatever fans out.
    pub fn with_max_concurrency(self, max: usize) -> Self {
        Account {
            services: self
                .services
                .layer(crate::layer::ConcurrencyLimit::new(max)),
            ..self
        }
    }

    /// [`Account::with_deadline`] when `timeout` is set.
    pub fn with_timeout(self, timeout: Option<std::time::Duration>) -> Self {
        match timeout {
            Some(budget) => self.with_deadline(budget),
            None => self,
        }
    }
}

/// Connects to the account `options` (and the environment) name through the
/// AWS SDK. Fails without any request on a bad region, endpoint or profile.
#[cfg(feature = "aws")]
pub async fn connect(options: &AccountOptions) -> Result<Account, Failure> {
    let deadline = options.timeout;
    let max_concurrency = options.max_concurrency;
    let role = options
        .log_account_role
        .as_deref()
        .map(log_account_role)
        .transpose()?;
    let options = options.aws();
    let backend = crate::aws::connect(&options).await?;
    let region = backend.region().to_owned();
    let org = role.is_some().then(|| {
        let settings = crate::api::AssumeRoleSettings {
            session_name: "kmswatch-check".to_owned(),
            ..Default::default()
        };
        crate::aws::AwsOrganization::new(&backend, settings)
    });
    let mut account = Account::new(backend.services(), region.clone());
    if let (Some(role), Some(org)) = (role, org) {
        account = account.with_log_accounts(LogAccounts {
            org: Arc::new(org),
            role,
            partition: crate::memory::partition_of_region(&region).to_owned(),
        });
    }
    let account = match max_concurrency {
        Some(max) => account.with_max_concurrency(max),
        None => account,
    };
    Ok(account.with_timeout(deadline))
}

/// Without the AWS backend there is no live account to connect to.
#[cfg(not(feature = "aws"))]
pub async fn connect(_options: &AccountOptions) -> Result<Account, Failure> {
    Err(Failure::NoAwsBackend)
}

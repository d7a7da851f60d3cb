//! Which account to look at, and reaching it.

use super::failure::Failure;
use crate::api::Services;

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

/// An account to check or remediate: its services, and the region whose
/// `DescribeTrails` lists the trails.
#[derive(Clone)]
pub struct Account {
    /// The services, from any backend.
    pub services: Services,
    /// The region trails are listed in.
    pub region: String,
}

impl Account {
    /// An account on services of any backend (a snapshot, a Python object...).
    pub fn new(services: Services, region: impl Into<String>) -> Self {
        Account {
            services,
            region: region.into(),
        }
    }

    /// The same account, with every call ending by `budget` from now
    /// ([`crate::layer::Deadline`]): a check that runs out of time ends as
    /// ERROR naming the calls that did not finish, never as a hang.
    pub fn with_deadline(self, budget: std::time::Duration) -> Self {
        Account {
            services: self.services.layer(crate::layer::Deadline::after(budget)),
            region: self.region,
        }
    }

    /// The same account, with at most `max` requests in flight at once
    /// ([`crate::layer::ConcurrencyLimit`]), whatever fans out.
    pub fn with_max_concurrency(self, max: usize) -> Self {
        Account {
            services: self
                .services
                .layer(crate::layer::ConcurrencyLimit::new(max)),
            region: self.region,
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
    let options = crate::aws::AwsOptions {
        region: options.region.clone(),
        profile: options.profile.clone(),
        endpoint_url: options.endpoint_url.clone(),
    };
    let backend = crate::aws::connect(&options).await?;
    let region = backend.region().to_owned();
    let account = Account::new(backend.services(), region);
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

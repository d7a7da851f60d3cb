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
}

/// Connects to the account `options` (and the environment) name through the
/// AWS SDK. Fails without any request on a bad region, endpoint or profile.
#[cfg(feature = "aws")]
pub async fn connect(options: &AccountOptions) -> Result<Account, Failure> {
    let options = crate::aws::AwsOptions {
        region: options.region.clone(),
        profile: options.profile.clone(),
        endpoint_url: options.endpoint_url.clone(),
    };
    let backend = crate::aws::connect(&options).await?;
    let region = backend.region().to_owned();
    Ok(Account::new(backend.services(), region))
}

/// Without the AWS backend there is no live account to connect to.
#[cfg(not(feature = "aws"))]
pub async fn connect(_options: &AccountOptions) -> Result<Account, Failure> {
    Err(Failure::NoAwsBackend)
}

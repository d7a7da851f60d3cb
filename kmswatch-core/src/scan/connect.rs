//! Reaching the organization through the AWS SDK with the caller's
//! configuration (`--region`, `--profile`, `--endpoint-url`).

use crate::api::AssumeRoleSettings;
use crate::aws::AwsOrganization;
use crate::session::{AccountOptions, Failure};

/// The organization as the caller's credentials see it. Fails without any
/// request on a bad region, endpoint or profile, or on `AssumeRole`
/// settings AWS would refuse.
pub async fn connect(
    options: &AccountOptions,
    settings: AssumeRoleSettings,
) -> Result<AwsOrganization, Failure> {
    settings
        .validate()
        .map_err(|e| Failure::Usage(e.to_string()))?;
    let options = crate::aws::AwsOptions {
        region: options.region.clone(),
        profile: options.profile.clone(),
        endpoint_url: options.endpoint_url.clone(),
    };
    let backend = crate::aws::connect(&options).await?;
    Ok(AwsOrganization::new(&backend, settings))
}

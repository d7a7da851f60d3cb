//! `--send-to-security-hub`: import findings with the account's own credentials.

use super::{AccountOptions, Failure};
use crate::security_hub::{AsffFinding, ImportSummary};

/// Imports `findings` into Security Hub through the AWS SDK, with the
/// credentials, profile and endpoint of `options`, in batches of 100; the
/// summary names the findings that were not imported.
#[cfg(feature = "aws")]
pub async fn send_to_security_hub(
    options: &AccountOptions,
    findings: &[AsffFinding],
) -> Result<ImportSummary, Failure> {
    let backend = crate::aws::connect(&crate::aws::AwsOptions {
        region: options.region.clone(),
        profile: options.profile.clone(),
        endpoint_url: options.endpoint_url.clone(),
    })
    .await?;
    Ok(crate::security_hub::import(&backend, findings).await)
}

/// Without the AWS backend there is no Security Hub to send to.
#[cfg(not(feature = "aws"))]
pub async fn send_to_security_hub(
    _options: &AccountOptions,
    _findings: &[AsffFinding],
) -> Result<ImportSummary, Failure> {
    Err(Failure::NoAwsBackend)
}

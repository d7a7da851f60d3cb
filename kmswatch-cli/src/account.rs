//! The account flags shared by `check`, `snapshot` and `remediate`.

use clap::Args;
use kmswatch_core::session::AccountOptions;

/// `--region`, `--profile`, `--endpoint-url`.
#[derive(Args, Debug, Clone)]
pub struct AccountArgs {
    /// Region whose trails are listed (multi-region trails show up in every
    /// region). Default: AWS_REGION, then the profile's region.
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
    /// Shared-config profile. Default: AWS_PROFILE, then `default`.
    #[arg(long, value_name = "PROFILE")]
    pub profile: Option<String>,
    /// Send AWS requests to this endpoint (e.g. a local emulator). Default: AWS_ENDPOINT_URL.
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
}

impl AccountArgs {
    /// The options to connect with.
    pub fn options(&self) -> AccountOptions {
        AccountOptions {
            region: self.region.clone(),
            profile: self.profile.clone(),
            endpoint_url: self.endpoint_url.clone(),
        }
    }
}

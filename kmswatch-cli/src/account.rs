//! Which account to look at: the live one through the AWS SDK, or a snapshot.

use clap::Args;
use kmswatch_core::api::Services;
use kmswatch_core::check::{Facts, SnapshotError};
use std::path::Path;

/// The account options shared by `check`, `snapshot` and `remediate`.
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

/// Why the account could not be reached or loaded (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// The snapshot is unreadable or malformed.
    #[error(transparent)]
    Snapshot(#[from] SnapshotError),
    /// The AWS configuration is unusable.
    #[cfg(feature = "aws")]
    #[error(transparent)]
    Connect(#[from] kmswatch_core::aws::ConnectError),
    /// Built without the AWS backend.
    #[cfg(not(feature = "aws"))]
    #[error("this kmswatch was built without the AWS backend: use --snapshot FILE")]
    NoAws,
}

/// A live account: its services and the region to list trails in.
pub struct LiveAccount {
    pub services: Services,
    pub region: String,
}

/// Connects to the account the options (and the environment) name.
#[cfg(feature = "aws")]
pub async fn connect(args: &AccountArgs) -> Result<LiveAccount, AccountError> {
    let options = kmswatch_core::aws::AwsOptions {
        region: args.region.clone(),
        profile: args.profile.clone(),
        endpoint_url: args.endpoint_url.clone(),
    };
    let backend = kmswatch_core::aws::connect(&options).await?;
    let region = backend.region().to_owned();
    Ok(LiveAccount {
        services: backend.services(),
        region,
    })
}

/// Without the AWS backend only snapshots can be checked.
#[cfg(not(feature = "aws"))]
pub async fn connect(_args: &AccountArgs) -> Result<LiveAccount, AccountError> {
    Err(AccountError::NoAws)
}

/// Loads a snapshot file (`-` reads standard input).
pub fn load_snapshot(path: &Path) -> Result<Facts, AccountError> {
    if path.as_os_str() == "-" {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text).map_err(|source| {
            SnapshotError::Read {
                path: "-".into(),
                source,
            }
        })?;
        return Ok(Facts::from_json(&text)?);
    }
    Ok(Facts::load(path)?)
}

/// A single-threaded runtime: the work is I/O-bound and concurrent, not parallel.
pub fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
}

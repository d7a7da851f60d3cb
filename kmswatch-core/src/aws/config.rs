//! Turning `--region` / `--profile` / `--endpoint-url` and the environment into
//! an [`SdkConfig`], failing early and clearly where the AWS CLI would.

use super::retry_settings::check_retry_settings;
use aws_config::timeout::TimeoutConfig;
use aws_config::BehaviorVersion;
use aws_types::os_shim_internal::{Env, Fs};
use aws_types::region::Region;
use aws_types::SdkConfig;
use std::borrow::Cow;
use std::time::Duration;

/// How to reach AWS. Each `None` falls back to the environment and the shared
/// config files exactly as the AWS CLI does (`AWS_REGION`, `AWS_PROFILE`,
/// `AWS_ENDPOINT_URL`, `~/.aws/config`...); a `Some` wins over them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AwsOptions {
    /// The default region (`--region`).
    pub region: Option<String>,
    /// The shared-config profile (`--profile`).
    pub profile: Option<String>,
    /// Send every request to this endpoint instead of AWS (`--endpoint-url`),
    /// e.g. `http://127.0.0.1:5000` for moto server.
    pub endpoint_url: Option<String>,
}

/// Why [`connect`](super::connect) could not produce a backend.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    /// Neither the options, the environment nor the profile name a region.
    #[error("no AWS region: pass --region or set AWS_REGION / a profile region")]
    NoRegion,
    /// The region is not of the form `us-east-1`.
    #[error("{0:?} is not an AWS region name (expected something like us-east-1 or eu-west-2)")]
    InvalidRegion(String),
    /// The region is well formed but not one the AWS SDK knows, and no
    /// endpoint URL says where it is.
    #[error(
        "{region:?} is not an AWS region{}; with --endpoint-url any region name is accepted",
        suggestion.as_deref().map(|s| format!(" (did you mean {s}?)")).unwrap_or_default()
    )]
    UnknownRegion {
        /// The region asked for.
        region: String,
        /// The known region closest to it, if one is close.
        suggestion: Option<String>,
    },
    /// The named profile is in neither `~/.aws/config` nor `~/.aws/credentials`.
    #[error("the AWS profile {name:?} does not exist{}", known_profiles(.available))]
    ProfileNotFound {
        /// The profile asked for.
        name: String,
        /// The profiles that do exist.
        available: Vec<String>,
    },
    /// A shared config or credentials file exists but cannot be read or parsed.
    #[error("cannot read the AWS config files: {0}")]
    ProfileFile(String),
    /// The endpoint URL is not an `http://` or `https://` URL.
    #[error("{0:?} is not an endpoint URL (expected http://host:port or https://host)")]
    InvalidEndpoint(String),
    /// `AWS_MAX_ATTEMPTS` / `AWS_RETRY_MODE` (or the profile's) is invalid.
    #[error("invalid AWS retry setting: {0}")]
    InvalidRetrySetting(String),
}

fn known_profiles(available: &[String]) -> String {
    if available.is_empty() {
        " (no profiles are configured)".to_owned()
    } else {
        format!(" (known profiles: {})", available.join(", "))
    }
}

/// Whether `region` is shaped like an AWS region name: two letters, one or more
/// words, a number (`us-east-1`, `us-gov-west-1`, `eu-isoe-west-1`).
///
/// ```
/// use kmswatch_core::aws::is_region_name;
/// assert!(is_region_name("ap-southeast-2"));
/// assert!(!is_region_name("us-east"));
/// assert!(!is_region_name("https://sns.us-east-1.amazonaws.com"));
/// ```
pub fn is_region_name(region: &str) -> bool {
    let parts: Vec<&str> = region.split('-').collect();
    let words = |part: &&str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase());
    match parts.as_slice() {
        [area, middle @ .., number] if !middle.is_empty() => {
            // Two letters, or four for the sovereign-cloud partition (`eusc-de-east-1`).
            (area.len() == 2 || area.len() == 4)
                && words(area)
                && middle.iter().all(words)
                && (1..=2).contains(&number.len())
                && number.bytes().all(|b| b.is_ascii_digit())
        }
        _ => false,
    }
}

/// `Ok(region)` when it is shaped like a region name.
pub(crate) fn check_region(region: &str) -> Result<&str, ConnectError> {
    if is_region_name(region) {
        Ok(region)
    } else {
        Err(ConnectError::InvalidRegion(region.to_owned()))
    }
}

fn check_endpoint(url: &str) -> Result<(), ConnectError> {
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"));
    match rest {
        Some(host) if !host.is_empty() && !host.starts_with('/') => Ok(()),
        _ => Err(ConnectError::InvalidEndpoint(url.to_owned())),
    }
}

/// Fails when a profile was asked for, by option or by `AWS_PROFILE`, and the
/// shared files do not define it. aws-config would only notice on the first
/// request, as a credentials error far from the typo.
async fn check_profile(fs: &Fs, env: &Env, explicit: Option<&str>) -> Result<(), ConnectError> {
    let chosen_by_env = env.get("AWS_PROFILE").is_ok_and(|p| !p.is_empty());
    if explicit.is_none() && !chosen_by_env {
        return Ok(());
    }
    let profiles = aws_config::profile::load(
        fs,
        env,
        // The standard `~/.aws/config` and `~/.aws/credentials` (or AWS_CONFIG_FILE...).
        &Default::default(),
        explicit.map(|name| Cow::Owned(name.to_owned())),
    )
    .await
    .map_err(|e| ConnectError::ProfileFile(e.to_string()))?;
    let name = profiles.selected_profile();
    if profiles.get_profile(name).is_some() {
        return Ok(());
    }
    let mut available: Vec<String> = profiles.profiles().map(str::to_owned).collect();
    available.sort();
    Err(ConnectError::ProfileNotFound {
        name: name.to_owned(),
        available,
    })
}

/// Loads the shared AWS configuration for `options`.
pub(crate) async fn load(options: &AwsOptions) -> Result<SdkConfig, ConnectError> {
    if let Some(region) = &options.region {
        check_region(region)?;
    }
    if let Some(url) = &options.endpoint_url {
        check_endpoint(url)?;
    }
    check_profile(&Fs::real(), &Env::real(), options.profile.as_deref()).await?;
    let retry = check_retry_settings(&Fs::real(), &Env::real(), options.profile.as_deref())
        .await
        .map_err(ConnectError::InvalidRetrySetting)?;

    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .http_client(super::http_client::shared_https_client())
        .retry_config(retry.config())
        .timeout_config(timeouts());
    if let Some(profile) = &options.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(region) = &options.region {
        loader = loader.region(Region::new(region.clone()));
    }
    if let Some(url) = &options.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    let config = loader.load().await;
    if let Some(url) = config.endpoint_url() {
        check_endpoint(url)?;
    }
    let region = default_region(&config)?;
    if config.endpoint_url().is_none() && !super::regions::is_known_region(&region) {
        return Err(ConnectError::UnknownRegion {
            suggestion: super::regions::closest_region(&region).map(str::to_owned),
            region,
        });
    }
    Ok(config)
}

/// Per-request timeouts of every SDK client, so that an endpoint that accepts a
/// connection and never answers costs one attempt, not the whole run.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long one attempt (one HTTP request and its answer) may take.
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(20);
/// How long one operation may take, retries included.
pub const OPERATION_TIMEOUT: Duration = Duration::from_secs(90);

fn timeouts() -> TimeoutConfig {
    TimeoutConfig::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .read_timeout(ATTEMPT_TIMEOUT)
        .operation_attempt_timeout(ATTEMPT_TIMEOUT)
        .operation_timeout(OPERATION_TIMEOUT)
        .build()
}

/// The region a loaded configuration settled on, checked.
pub(crate) fn default_region(config: &SdkConfig) -> Result<String, ConnectError> {
    let region = config.region().ok_or(ConnectError::NoRegion)?;
    Ok(check_region(region.as_ref())?.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_names() {
        for good in [
            "us-east-1",
            "eu-central-2",
            "us-gov-west-1",
            "cn-northwest-1",
            "us-isob-east-1",
            "eu-isoe-west-1",
            "ap-southeast-7",
            "mx-central-1",
        ] {
            assert!(is_region_name(good), "{good}");
        }
        for bad in [
            "",
            "us",
            "us-east",
            "useast1",
            "US-EAST-1",
            "us-east-1a",
            "us--1",
            "us-east-123",
            "us-east-1 ",
            "eu_west_1",
            "global",
        ] {
            assert!(!is_region_name(bad), "{bad}");
        }
    }

    #[test]
    fn endpoints() {
        assert!(check_endpoint("http://127.0.0.1:5000").is_ok());
        assert!(check_endpoint("https://sns.eu-west-1.amazonaws.com").is_ok());
        for bad in ["127.0.0.1:5000", "http://", "ftp://x", "https:///x"] {
            assert!(
                matches!(check_endpoint(bad), Err(ConnectError::InvalidEndpoint(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn no_region_is_a_typed_error() {
        let config = SdkConfig::builder().build();
        let err = default_region(&config).unwrap_err();
        assert!(matches!(err, ConnectError::NoRegion));
        assert_eq!(
            err.to_string(),
            "no AWS region: pass --region or set AWS_REGION / a profile region"
        );
        let config = SdkConfig::builder()
            .region(Region::new("eu-west-1"))
            .build();
        assert_eq!(default_region(&config).unwrap(), "eu-west-1");
    }

    #[tokio::test]
    async fn invalid_region_fails_before_any_request() {
        let options = AwsOptions {
            region: Some("us-easty".into()),
            ..AwsOptions::default()
        };
        let err = load(&options).await.unwrap_err();
        assert!(matches!(err, ConnectError::InvalidRegion(ref r) if r == "us-easty"));
    }

    fn files() -> Fs {
        Fs::from_slice(&[
            (
                "/home/me/.aws/config",
                "[profile audit]\nregion = eu-west-1\n",
            ),
            (
                "/home/me/.aws/credentials",
                "[default]\naws_access_key_id = x\n",
            ),
        ])
    }

    #[tokio::test]
    async fn profiles() {
        let env = Env::from_slice(&[("HOME", "/home/me")]);
        assert!(check_profile(&files(), &env, Some("audit")).await.is_ok());
        assert!(check_profile(&files(), &env, None).await.is_ok());
        let err = check_profile(&files(), &env, Some("audti"))
            .await
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "the AWS profile \"audti\" does not exist (known profiles: audit, default)"
        );

        let env = Env::from_slice(&[("HOME", "/home/me"), ("AWS_PROFILE", "prod")]);
        let err = check_profile(&files(), &env, None).await.unwrap_err();
        assert!(matches!(err, ConnectError::ProfileNotFound { ref name, .. } if name == "prod"));
        // The option wins over AWS_PROFILE.
        assert!(check_profile(&files(), &env, Some("audit")).await.is_ok());

        let empty = Fs::from_slice(&[]);
        let err = check_profile(&empty, &env, None).await.unwrap_err();
        assert!(
            err.to_string().ends_with("(no profiles are configured)"),
            "{err}"
        );
    }
}

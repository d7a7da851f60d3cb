//! The SDK's retry settings (`AWS_MAX_ATTEMPTS`, `AWS_RETRY_MODE`, or
//! `max_attempts` / `retry_mode` in the profile), checked before the SDK reads
//! them: aws-config panics on an invalid value, where the AWS CLI reports a
//! configuration error.

use aws_smithy_types::retry::RetryMode;
use aws_types::os_shim_internal::{Env, Fs};
use std::borrow::Cow;
use std::str::FromStr;

/// Retries when the user sets nothing: standard mode with enough attempts for
/// a check to ride out a high rate of transient faults (at 30 % per request,
/// six attempts fail one call in about 1,400). Adaptive mode was measured
/// slower for kmswatch's short bursts of calls (BENCHMARKS.md: median 15 s
/// instead of 1.9 s at 30 % throttling, the same verdicts); users who scan
/// continuously can choose it with `AWS_RETRY_MODE=adaptive`.
pub(crate) const DEFAULT_MAX_ATTEMPTS: u32 = 6;

/// The longest pause between attempts: the SDK's 20 s would let six attempts
/// take minutes.
pub(crate) const MAX_BACKOFF: std::time::Duration = std::time::Duration::from_secs(5);

/// The retry settings the user chose, from the environment or the profile.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct RetrySettings {
    /// `AWS_MAX_ATTEMPTS` / `max_attempts`.
    pub max_attempts: Option<u32>,
    /// `AWS_RETRY_MODE` / `retry_mode`.
    pub mode: Option<RetryMode>,
}

impl RetrySettings {
    /// The SDK retry configuration: the user's settings, kmswatch's defaults
    /// for the rest.
    pub fn config(self) -> aws_smithy_types::retry::RetryConfig {
        use aws_smithy_types::retry::RetryConfig;
        let base = match self.mode.unwrap_or(RetryMode::Standard) {
            RetryMode::Adaptive => RetryConfig::adaptive(),
            _ => RetryConfig::standard(),
        };
        base.with_max_attempts(self.max_attempts.unwrap_or(DEFAULT_MAX_ATTEMPTS))
            .with_max_backoff(MAX_BACKOFF)
    }
}

/// Reads the retry settings the SDK would read, and says which is invalid and
/// why; the environment wins over the profile, as in the SDK.
pub(crate) async fn check_retry_settings(
    fs: &Fs,
    env: &Env,
    profile: Option<&str>,
) -> Result<RetrySettings, String> {
    let from_env = |var: &str| env.get(var).ok().filter(|v| !v.is_empty());
    let need_profile =
        from_env("AWS_MAX_ATTEMPTS").is_none() || from_env("AWS_RETRY_MODE").is_none();
    let profiles = if need_profile {
        aws_config::profile::load(
            fs,
            env,
            &Default::default(),
            profile.map(|name| Cow::Owned(name.to_owned())),
        )
        .await
        .ok()
    } else {
        None
    };
    let setting = |var: &str, key: &str| -> Option<(String, String)> {
        match from_env(var) {
            Some(value) => Some((var.to_owned(), value)),
            None => {
                let profiles = profiles.as_ref()?;
                let value = profiles.get(key)?.to_owned();
                let name = profiles.selected_profile();
                Some((format!("{key} in profile {name:?}"), value))
            }
        }
    };
    let mut settings = RetrySettings::default();
    if let Some((source, value)) = setting("AWS_MAX_ATTEMPTS", "max_attempts") {
        match value.trim().parse::<u32>() {
            Ok(n) if n > 0 => settings.max_attempts = Some(n),
            _ => {
                return Err(format!(
                    "{source} is {value:?}: expected a number of attempts of at least 1"
                ))
            }
        }
    }
    if let Some((source, value)) = setting("AWS_RETRY_MODE", "retry_mode") {
        match RetryMode::from_str(value.trim()) {
            Ok(mode) => settings.mode = Some(mode),
            Err(_) => {
                return Err(format!(
                    "{source} is {value:?}: expected standard or adaptive"
                ))
            }
        }
    }
    Ok(settings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fs(config: &str) -> Fs {
        Fs::from_slice(&[("/home/me/.aws/config", config)])
    }

    async fn check(vars: &[(&str, &str)], config: &str) -> Result<RetrySettings, String> {
        let mut all = vec![("HOME", "/home/me")];
        all.extend_from_slice(vars);
        check_retry_settings(&fs(config), &Env::from_slice(&all), None).await
    }

    #[tokio::test]
    async fn valid_settings_pass() {
        assert!(check(&[], "").await.is_ok());
        let vars = [("AWS_MAX_ATTEMPTS", "10"), ("AWS_RETRY_MODE", "adaptive")];
        assert!(check(&vars, "").await.is_ok());
        let config = "[default]\nmax_attempts = 5\nretry_mode = standard\n";
        assert!(check(&[], config).await.is_ok());
    }

    #[tokio::test]
    async fn the_users_settings_win_over_the_defaults() {
        let none = check(&[], "").await.unwrap();
        assert_eq!(none, RetrySettings::default());
        assert_eq!(none.config().mode(), RetryMode::Standard);
        assert_eq!(none.config().max_attempts(), DEFAULT_MAX_ATTEMPTS);
        let config = "[default]\nmax_attempts = 2\nretry_mode = adaptive\n";
        let profile = check(&[], config).await.unwrap().config();
        assert_eq!(profile.mode(), RetryMode::Adaptive);
        assert_eq!(profile.max_attempts(), 2);
        let env = check(&[("AWS_MAX_ATTEMPTS", "9")], config).await.unwrap();
        assert_eq!(env.config().max_attempts(), 9);
        assert_eq!(env.config().max_backoff(), MAX_BACKOFF);
    }

    #[tokio::test]
    async fn invalid_settings_are_configuration_errors_naming_their_source() {
        for (vars, config, says) in [
            (
                vec![("AWS_MAX_ATTEMPTS", "abc")],
                "",
                "AWS_MAX_ATTEMPTS is \"abc\"",
            ),
            (
                vec![("AWS_MAX_ATTEMPTS", "0")],
                "",
                "AWS_MAX_ATTEMPTS is \"0\"",
            ),
            (
                vec![("AWS_RETRY_MODE", "bogus")],
                "",
                "AWS_RETRY_MODE is \"bogus\"",
            ),
            (
                vec![],
                "[default]\nmax_attempts = abc\n",
                "max_attempts in profile \"default\" is \"abc\"",
            ),
        ] {
            let err = check(&vars, config).await.unwrap_err();
            assert!(err.contains(says), "{err}");
        }
        // The environment wins over the profile.
        let config = "[default]\nmax_attempts = abc\n";
        assert!(check(&[("AWS_MAX_ATTEMPTS", "3")], config).await.is_ok());
    }
}

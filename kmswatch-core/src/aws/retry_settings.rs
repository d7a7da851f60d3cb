//! The SDK's retry settings (`AWS_MAX_ATTEMPTS`, `AWS_RETRY_MODE`, or
//! `max_attempts` / `retry_mode` in the profile), checked before the SDK reads
//! them: aws-config panics on an invalid value, where the AWS CLI reports a
//! configuration error.

use aws_smithy_types::retry::RetryMode;
use aws_types::os_shim_internal::{Env, Fs};
use std::borrow::Cow;
use std::str::FromStr;

/// Says which retry setting the SDK would read is invalid, and why; the
/// environment wins over the profile, as in the SDK.
pub(crate) async fn check_retry_settings(
    fs: &Fs,
    env: &Env,
    profile: Option<&str>,
) -> Result<(), String> {
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
    if let Some((source, value)) = setting("AWS_MAX_ATTEMPTS", "max_attempts") {
        if !matches!(value.trim().parse::<u32>(), Ok(n) if n > 0) {
            return Err(format!(
                "{source} is {value:?}: expected a number of attempts of at least 1"
            ));
        }
    }
    if let Some((source, value)) = setting("AWS_RETRY_MODE", "retry_mode") {
        if RetryMode::from_str(value.trim()).is_err() {
            return Err(format!(
                "{source} is {value:?}: expected standard or adaptive"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fs(config: &str) -> Fs {
        Fs::from_slice(&[("/home/me/.aws/config", config)])
    }

    async fn check(vars: &[(&str, &str)], config: &str) -> Result<(), String> {
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

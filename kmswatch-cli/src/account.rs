//! The account flags shared by `check`, `snapshot` and `remediate`.

use clap::Args;
use kmswatch_core::session::{timeout_from_seconds, AccountOptions};
use std::time::Duration;

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
    /// Give up after this many seconds: calls still running then fail, and the
    /// run ends as ERROR (exit 3) naming them. Default: no overall limit (each
    /// request still has its own timeouts).
    #[arg(long, value_name = "SECONDS", value_parser = parse_timeout)]
    pub timeout: Option<Duration>,
    /// At most N AWS requests in flight at once. Default: 16 (the check's own bound).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    pub max_concurrency: Option<u16>,
}

/// `--log-account-role`: following chains into the accounts that hold their
/// links.
#[derive(Args, Debug, Clone, Default)]
pub struct LogAccountArgs {
    /// Follow a chain into the account that holds its links (an organization
    /// trail's log group, filters, alarm and topic in the management or a
    /// log-archive account), reads only, assuming this role there: an IAM
    /// role ARN with `{account}` (and optionally `{partition}`), e.g.
    /// arn:aws:iam::{account}:role/KmswatchAudit. Without it such chains end
    /// MANUAL.
    #[arg(long, value_name = "ARN-TEMPLATE")]
    pub log_account_role: Option<String>,
}

/// A positive number of seconds (fractions allowed).
pub(crate) fn parse_timeout(text: &str) -> Result<Duration, String> {
    let seconds = text
        .trim()
        .parse::<f64>()
        .map_err(|_| format!("{text:?} is not a number of seconds (e.g. 30 or 2.5)"))?;
    timeout_from_seconds(seconds)
}

impl AccountArgs {
    /// The options to connect with.
    pub fn options(&self) -> AccountOptions {
        AccountOptions {
            region: self.region.clone(),
            profile: self.profile.clone(),
            endpoint_url: self.endpoint_url.clone(),
            timeout: self.timeout,
            max_concurrency: self.max_concurrency.map(usize::from),
            log_account_role: None,
        }
    }

    /// The first flag given that reading a CloudTrail archive does not use
    /// (`pattern test s3://…`, `history --archive`): refused rather than
    /// ignored.
    pub fn unused_by_archives(&self) -> Option<&'static str> {
        if self.timeout.is_some() {
            Some("--timeout")
        } else if self.max_concurrency.is_some() {
            Some("--max-concurrency")
        } else {
            None
        }
    }

    /// The options to connect with, following chains as `links` says.
    pub fn options_with(&self, links: &LogAccountArgs) -> AccountOptions {
        AccountOptions {
            log_account_role: links.log_account_role.clone(),
            ..self.options()
        }
    }
}

/// `--account`: a 12-digit AWS account id.
pub(crate) fn account_id(text: &str) -> Result<String, String> {
    if text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit()) {
        Ok(text.to_owned())
    } else {
        Err(format!("{text:?} is not an AWS account id (12 digits)"))
    }
}

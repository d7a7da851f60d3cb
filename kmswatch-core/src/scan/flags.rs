//! The scan's options as the user gave them (`kmswatch scan` flags, the
//! Python `scan()` keywords), checked once for both faces.

use super::accounts::{parse_account_list, parse_accounts_file, AccountSource};
use super::run::{ScanOptions, DEFAULT_MAX_ACCOUNTS};
use crate::api::{AssumeRoleSettings, RoleChoice, DEFAULT_ROLE_NAME, DEFAULT_SESSION_NAME};
use crate::session::Failure;
use std::path::PathBuf;
use std::time::Duration;

/// The scan's flags; `None` keeps the default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScanFlags {
    /// `--accounts`: comma-separated ids.
    pub accounts: Option<String>,
    /// `--accounts-file`.
    pub accounts_file: Option<PathBuf>,
    /// `--organization`.
    pub organization: bool,
    /// `--exclude-accounts`: comma-separated ids.
    pub exclude_accounts: Option<String>,
    /// `--role-name`.
    pub role_name: Option<String>,
    /// `--role-arn-template`.
    pub role_arn_template: Option<String>,
    /// `--external-id`.
    pub external_id: Option<String>,
    /// `--role-session-name`.
    pub role_session_name: Option<String>,
    /// `--duration`, seconds.
    pub duration: Option<u64>,
    /// `--role-in-own-account`.
    pub role_in_own_account: bool,
    /// `--max-concurrency`: accounts at once.
    pub max_concurrency: Option<usize>,
    /// `--timeout`: each account's deadline.
    pub timeout: Option<Duration>,
    /// `--control`: CIS monitoring control ids, `cis` for all; none is 4.7.
    pub controls: Vec<String>,
}

fn usage(message: impl ToString) -> Failure {
    Failure::Usage(message.to_string())
}

impl ScanFlags {
    /// Where the accounts come from: exactly one of `--accounts`,
    /// `--accounts-file` and `--organization`.
    pub fn source(&self) -> Result<AccountSource, Failure> {
        match (&self.accounts, &self.accounts_file, self.organization) {
            (Some(list), None, false) => Ok(AccountSource::Listed(
                parse_account_list(list, "--accounts").map_err(usage)?,
            )),
            (None, Some(path), false) => {
                let text = std::fs::read_to_string(path).map_err(|e| {
                    usage(format!(
                        "cannot read --accounts-file {}: {e}",
                        path.display()
                    ))
                })?;
                let ids = parse_accounts_file(&text, &path.display().to_string()).map_err(usage)?;
                Ok(AccountSource::Listed(ids))
            }
            (None, None, true) => Ok(AccountSource::Organization),
            _ => Err(usage(
                "give exactly one of --accounts, --accounts-file and --organization",
            )),
        }
    }

    /// The `--exclude-accounts` ids.
    pub fn exclude(&self) -> Result<Vec<String>, Failure> {
        match &self.exclude_accounts {
            Some(list) => parse_account_list(list, "--exclude-accounts").map_err(usage),
            None => Ok(Vec::new()),
        }
    }

    /// The role to assume, checked.
    pub fn role(&self) -> Result<RoleChoice, Failure> {
        let role = match (&self.role_arn_template, &self.role_name) {
            (Some(_), Some(_)) => {
                return Err(usage("give --role-name or --role-arn-template, not both"))
            }
            (Some(template), None) => RoleChoice::Template(template.clone()),
            (None, name) => {
                RoleChoice::Name(name.clone().unwrap_or_else(|| DEFAULT_ROLE_NAME.to_owned()))
            }
        };
        role.validate().map_err(usage)?;
        Ok(role)
    }

    /// The `AssumeRole` settings, checked.
    pub fn settings(&self) -> Result<AssumeRoleSettings, Failure> {
        let settings = AssumeRoleSettings {
            external_id: self.external_id.clone(),
            session_name: self
                .role_session_name
                .clone()
                .unwrap_or_else(|| DEFAULT_SESSION_NAME.to_owned()),
            duration: self.duration.map(Duration::from_secs),
        };
        settings.validate().map_err(usage)?;
        Ok(settings)
    }

    /// How each account is checked, in `region`.
    pub fn options(&self, region: impl Into<String>) -> Result<ScanOptions, Failure> {
        let max_concurrency = self.max_concurrency.unwrap_or(DEFAULT_MAX_ACCOUNTS);
        if !(1..=256).contains(&max_concurrency) {
            return Err(usage(format!(
                "--max-concurrency {max_concurrency} is not from 1 to 256"
            )));
        }
        Ok(ScanOptions {
            region: region.into(),
            role: self.role()?,
            role_in_own_account: self.role_in_own_account,
            max_concurrency,
            account_timeout: self.timeout,
            send_to_security_hub: false,
            controls: crate::controls::parse_selection(&self.controls)
                .map_err(usage)?
                .iter()
                .map(|c| c.cis.to_owned())
                .collect(),
        })
    }

    /// Every check that needs no request: source, exclusions, role, settings.
    pub fn validate(&self) -> Result<(), Failure> {
        self.source()?;
        self.exclude()?;
        self.settings()?;
        self.options("us-east-1").map(|_| ())
    }
}

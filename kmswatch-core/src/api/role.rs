//! The role assumed in each account (a scan's accounts, the accounts that
//! hold links of a chain), and the `AssumeRole` settings, checked before any
//! request so that a typo is a usage error (exit 2), not an ERROR in every
//! account.

/// The role every organization account has when the organization created it.
pub const DEFAULT_ROLE_NAME: &str = "OrganizationAccountAccessRole";
use super::organization::AssumeRoleSettings;
/// The shortest and longest `AssumeRole` durations AWS accepts, in seconds.
pub const DURATION_RANGE: std::ops::RangeInclusive<u64> = 900..=43_200;

/// Why a role setting is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct RoleError(String);

/// Which role to assume in each account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoleChoice {
    /// `arn:{partition}:iam::{account}:role/NAME` (`--role-name`).
    Name(String),
    /// An ARN with `{account}` (and optionally `{partition}`) in it
    /// (`--role-arn-template`).
    Template(String),
}

impl Default for RoleChoice {
    fn default() -> Self {
        RoleChoice::Name(DEFAULT_ROLE_NAME.to_owned())
    }
}

fn is_iam_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "+=,.@_-".contains(c)
}

impl RoleChoice {
    /// The role ARN in `account_id` of `partition`.
    ///
    /// ```
    /// use kmswatch_core::scan::RoleChoice;
    /// let role = RoleChoice::Template("arn:{partition}:iam::{account}:role/Audit".into());
    /// assert_eq!(role.role_arn("aws-cn", "111122223333"), "arn:aws-cn:iam::111122223333:role/Audit");
    /// assert_eq!(RoleChoice::default().role_arn("aws", "111122223333"),
    ///            "arn:aws:iam::111122223333:role/OrganizationAccountAccessRole");
    /// ```
    pub fn role_arn(&self, partition: &str, account_id: &str) -> String {
        match self {
            RoleChoice::Name(name) => format!("arn:{partition}:iam::{account_id}:role/{name}"),
            RoleChoice::Template(template) => template
                .replace("{account}", account_id)
                .replace("{partition}", partition),
        }
    }

    /// Ok when the name is an IAM role name (a path allowed) or the template
    /// an IAM role ARN naming `{account}`.
    pub fn validate(&self) -> Result<(), RoleError> {
        self.validate_as("--role-arn-template")
    }

    /// [`RoleChoice::validate`], a template's refusal naming `flag`.
    pub fn validate_as(&self, flag: &str) -> Result<(), RoleError> {
        match self {
            RoleChoice::Name(name) => {
                let leaf = name.rsplit('/').next().unwrap_or_default();
                let path_ok = name
                    .split('/')
                    .all(|part| part.chars().all(is_iam_name_char));
                if leaf.is_empty() || leaf.len() > 64 || !path_ok || name.starts_with("arn:") {
                    return Err(RoleError(format!(
                        "--role-name {name:?} is not an IAM role name (up to 64 of A-Z a-z 0-9 + = , . @ _ -; \
                         for a full ARN use --role-arn-template)"
                    )));
                }
                Ok(())
            }
            RoleChoice::Template(template) => {
                if !template.contains("{account}") || !is_role_arn(template) {
                    return Err(RoleError(format!(
                        "{flag} {template:?} is not an IAM role ARN with {{account}} in it \
                         (e.g. arn:aws:iam::{{account}}:role/Audit; {{partition}} is also replaced)"
                    )));
                }
                Ok(())
            }
        }
    }
}

/// Whether `template`, its `{account}` and `{partition}` replaced, is an IAM
/// role ARN (`arn:PARTITION:iam::ACCOUNT:role/NAME`).
///
/// ```
/// use kmswatch_core::api::is_role_arn;
/// assert!(is_role_arn("arn:aws:iam::{account}:role/Audit"));
/// assert!(is_role_arn("arn:aws:iam::111122223333:role/Audit"));
/// assert!(!is_role_arn("arn:aws:iam::{account}:user/Audit"));
/// ```
pub fn is_role_arn(template: &str) -> bool {
    let filled = template
        .replace("{account}", "111122223333")
        .replace("{partition}", "aws");
    let parts: Vec<&str> = filled.splitn(6, ':').collect();
    parts.len() == 6
        && parts[0] == "arn"
        && !parts[1].is_empty()
        && parts[2] == "iam"
        && parts[5].starts_with("role/")
        && !filled.contains(['{', '}'])
}

impl AssumeRoleSettings {
    /// Ok when AWS would accept them.
    ///
    /// ```
    /// use kmswatch_core::scan::AssumeRoleSettings;
    /// use std::time::Duration;
    /// assert!(AssumeRoleSettings::default().validate().is_ok());
    /// let short = AssumeRoleSettings { duration: Some(Duration::from_secs(60)), ..Default::default() };
    /// assert!(short.validate().is_err());
    /// ```
    pub fn validate(&self) -> Result<(), RoleError> {
        let name = &self.session_name;
        if !(2..=64).contains(&name.len()) || !name.chars().all(is_iam_name_char) {
            return Err(RoleError(format!(
                "--role-session-name {name:?} must be 2 to 64 of A-Z a-z 0-9 + = , . @ _ -"
            )));
        }
        if let Some(id) = &self.external_id {
            let ok = |c: char| is_iam_name_char(c) || c == ':' || c == '/';
            if !(2..=1224).contains(&id.len()) || !id.chars().all(ok) {
                return Err(RoleError(
                    "--external-id must be 2 to 1224 of A-Z a-z 0-9 + = , . @ : / _ -".to_owned(),
                ));
            }
        }
        if let Some(duration) = self.duration {
            let secs = duration.as_secs();
            if !DURATION_RANGE.contains(&secs) || duration.subsec_nanos() != 0 {
                return Err(RoleError(format!(
                    "--duration {} is not a whole number of seconds from {} to {} (AssumeRole's range)",
                    duration.as_secs_f64(),
                    DURATION_RANGE.start(),
                    DURATION_RANGE.end()
                )));
            }
        }
        Ok(())
    }
}

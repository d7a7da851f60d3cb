//! Which accounts a scan visits: ids from a list, a file or the organization,
//! less the excluded ones, each checked to be an AWS account id.

use crate::api::{AccountState, OrgAccount};
use serde::{Deserialize, Serialize};

/// Why the accounts to scan cannot be known: bad input, exit code 2.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SelectionError {
    /// Not twelve digits.
    #[error("{origin}: {id:?} is not an AWS account id (12 digits)")]
    InvalidAccountId {
        /// What was given.
        id: String,
        /// Where it came from (`--accounts`, `FILE line 3`...).
        origin: String,
    },
    /// Nothing left to scan.
    #[error("no account to scan{0}")]
    NoAccounts(String),
}

/// Where the accounts come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountSource {
    /// Named ones (`--accounts`, `--accounts-file`), in the order given.
    Listed(Vec<String>),
    /// Every ACTIVE account of the organization (`--organization`).
    Organization,
}

/// An account that is not scanned, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SkippedAccount {
    /// The account id.
    pub account_id: String,
    /// `excluded` (`--exclude-accounts`), or the organization's state of an
    /// account that is not ACTIVE (`SUSPENDED`, `PENDING_CLOSURE`...).
    pub reason: String,
}

/// The accounts to scan, in order, and those left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// Scanned, each once.
    pub accounts: Vec<String>,
    /// Left out.
    pub skipped: Vec<SkippedAccount>,
}

/// Whether `id` is an AWS account id: exactly twelve ASCII digits.
///
/// ```
/// use kmswatch_core::scan::is_account_id;
/// assert!(is_account_id("111122223333"));
/// assert!(!is_account_id("11112222333"));
/// assert!(!is_account_id("11112222333x"));
/// ```
pub fn is_account_id(id: &str) -> bool {
    id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit())
}

fn checked(id: &str, origin: impl FnOnce() -> String) -> Result<String, SelectionError> {
    if is_account_id(id) {
        Ok(id.to_owned())
    } else {
        Err(SelectionError::InvalidAccountId {
            id: id.to_owned(),
            origin: origin(),
        })
    }
}

/// The ids of a comma-separated list (`--accounts`, `--exclude-accounts`);
/// spaces around ids and empty items are ignored.
///
/// ```
/// use kmswatch_core::scan::parse_account_list;
/// let ids = parse_account_list("111122223333, 444455556666,", "--accounts").unwrap();
/// assert_eq!(ids, ["111122223333", "444455556666"]);
/// assert!(parse_account_list("1111", "--accounts").is_err());
/// ```
pub fn parse_account_list(text: &str, flag: &str) -> Result<Vec<String>, SelectionError> {
    text.split(',')
        .map(str::trim)
        .filter(|id| !id.is_empty())
        .map(|id| checked(id, || flag.to_owned()))
        .collect()
}

/// The ids of an accounts file: one per line; `#` starts a comment; blank
/// lines are ignored. `name` says where an invalid id is (`FILE line N`).
///
/// ```
/// use kmswatch_core::scan::parse_accounts_file;
/// let ids = parse_accounts_file("# prod\n111122223333  # payments\n\n444455556666\n", "ids.txt").unwrap();
/// assert_eq!(ids, ["111122223333", "444455556666"]);
/// let err = parse_accounts_file("111122223333\nprod\n", "ids.txt").unwrap_err();
/// assert_eq!(err.to_string(), "ids.txt line 2: \"prod\" is not an AWS account id (12 digits)");
/// ```
pub fn parse_accounts_file(text: &str, name: &str) -> Result<Vec<String>, SelectionError> {
    text.lines()
        .enumerate()
        .map(|(n, line)| (n + 1, line.split('#').next().unwrap_or_default().trim()))
        .filter(|(_, id)| !id.is_empty())
        .map(|(n, id)| checked(id, || format!("{name} line {n}")))
        .collect()
}

/// The accounts to scan: `listed` (duplicates dropped) or the organization's
/// `members` that are ACTIVE, less `exclude`. Fails when none is left.
pub fn select(
    listed: Option<&[String]>,
    members: &[OrgAccount],
    exclude: &[String],
) -> Result<Selection, SelectionError> {
    let mut selection = Selection::default();
    let candidates: Vec<(String, Option<&AccountState>)> = match listed {
        Some(ids) => ids.iter().map(|id| (id.clone(), None)).collect(),
        None => members
            .iter()
            .map(|m| (m.id.clone(), Some(&m.state)))
            .collect(),
    };
    let mut seen = std::collections::HashSet::new();
    for (id, state) in candidates {
        if !seen.insert(id.clone()) {
            continue;
        }
        let reason = if exclude.contains(&id) {
            Some("excluded".to_owned())
        } else {
            state
                .filter(|s| **s != AccountState::Active)
                .map(|s| s.as_str().to_owned())
        };
        match reason {
            Some(reason) => selection.skipped.push(SkippedAccount {
                account_id: id,
                reason,
            }),
            None => selection.accounts.push(id),
        }
    }
    if selection.accounts.is_empty() {
        let why = match (selection.skipped.len(), listed) {
            (0, None) => ": the organization lists no account".to_owned(),
            (0, Some(_)) => String::new(),
            (n, _) => format!(": all {n} accounts are excluded or not ACTIVE"),
        };
        return Err(SelectionError::NoAccounts(why));
    }
    Ok(selection)
}

//! Links held by other accounts: the log group an organization trail delivers
//! to (with its filters, alarms and topics) lives in the management or a
//! log-archive account, and is read there, with that account's credentials.

use super::{Facts, SnapshotError};
use serde::{Deserialize, Serialize};

/// Another account that holds links of the checked account's chains, with
/// what was read there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LinkedAccount {
    /// The account.
    pub account_id: String,
    /// The role assumed to read it (absent: the caller's own credentials, or
    /// not entered).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
    /// Why it could not be entered (`AssumeRole` refused, no role given);
    /// absent when it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_entered: Option<String>,
    /// The facts read in that account: only the log groups the checked
    /// account's trails deliver to and what they lead to (filters, alarms,
    /// topics, keys), and the trails whose status only that account answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facts: Option<Box<Facts>>,
}

impl LinkedAccount {
    /// An account entered (`role_arn`, when a role was assumed) and read.
    pub fn read(facts: Facts, role_arn: Option<String>) -> Self {
        LinkedAccount {
            account_id: facts.account_id.clone(),
            role_arn,
            not_entered: None,
            facts: Some(Box::new(facts)),
        }
    }

    /// An account that could not be entered, and why.
    pub fn not_entered(account_id: &str, role_arn: Option<String>, reason: String) -> Self {
        LinkedAccount {
            account_id: account_id.to_owned(),
            role_arn,
            not_entered: Some(reason),
            facts: None,
        }
    }

    /// The facts read there, when the account was entered.
    pub fn facts(&self) -> Option<&Facts> {
        self.facts.as_deref()
    }

    pub(super) fn validate(&self, checked: &str) -> Result<(), SnapshotError> {
        let invalid = |what: String| Err(SnapshotError::Invalid(what));
        if self.account_id == checked {
            return invalid(format!(
                "linked account {} is the checked account itself",
                self.account_id
            ));
        }
        match (&self.facts, &self.not_entered) {
            (Some(facts), None) if facts.account_id == self.account_id => {
                if !facts.linked.is_empty() {
                    return invalid(format!(
                        "the facts of linked account {} hold linked accounts of their own",
                        self.account_id
                    ));
                }
                facts.validate()
            }
            (Some(facts), None) => invalid(format!(
                "linked account {} holds the facts of account {}",
                self.account_id, facts.account_id
            )),
            (None, Some(_)) => Ok(()),
            _ => invalid(format!(
                "linked account {} must hold either its facts or why it was not entered",
                self.account_id
            )),
        }
    }
}

//! Verdicts: of the account, a chain, or one link of a chain.

use serde::{Deserialize, Serialize};

/// A verdict: of the account, a chain, or one link of a chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Status {
    /// Monitored: a KMS key disable or deletion reaches a human.
    Pass,
    /// Not monitored, and every gap is known.
    Fail,
    /// A needed call failed; the answer could change the verdict.
    Error,
    /// The chain runs through resources these credentials cannot see.
    Manual,
}

impl Status {
    /// All of `statuses` must hold: a known failure wins, then an error, then
    /// something unverifiable. An empty list is a pass.
    pub fn all(statuses: impl IntoIterator<Item = Status>) -> Status {
        statuses.into_iter().fold(Status::Pass, |acc, s| {
            let rank = |s: Status| match s {
                Status::Fail => 3,
                Status::Error => 2,
                Status::Manual => 1,
                Status::Pass => 0,
            };
            if rank(s) > rank(acc) {
                s
            } else {
                acc
            }
        })
    }

    /// One of `statuses` must hold: a pass wins, then an error (it might have
    /// passed), then something unverifiable. An empty list is a failure.
    pub fn any(statuses: impl IntoIterator<Item = Status>) -> Status {
        statuses.into_iter().fold(Status::Fail, |acc, s| {
            let rank = |s: Status| match s {
                Status::Pass => 3,
                Status::Error => 2,
                Status::Manual => 1,
                Status::Fail => 0,
            };
            if rank(s) > rank(acc) {
                s
            } else {
                acc
            }
        })
    }

    /// The process exit code for this verdict: 0 PASS, 1 FAIL, 3 ERROR or MANUAL.
    pub fn exit_code(self) -> u8 {
        match self {
            Status::Pass => 0,
            Status::Fail => 1,
            Status::Error | Status::Manual => 3,
        }
    }

    /// `PASS`, `FAIL`, `ERROR` or `MANUAL`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "PASS",
            Status::Fail => "FAIL",
            Status::Error => "ERROR",
            Status::Manual => "MANUAL",
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How much a gap weighs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Breaks the chain.
    Fail,
    /// Unknown because a call failed.
    Error,
    /// Unknown because these credentials cannot see it.
    Manual,
    /// Does not break the chain, but weakens it.
    Warning,
}

impl Severity {
    /// The status a link with only this gap has.
    pub fn status(self) -> Status {
        match self {
            Severity::Fail => Status::Fail,
            Severity::Error => Status::Error,
            Severity::Manual => Status::Manual,
            Severity::Warning => Status::Pass,
        }
    }
}

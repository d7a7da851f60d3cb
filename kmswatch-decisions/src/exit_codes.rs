//! The exit codes of each command of the `kmswatch` command line, written
//! once: `--help` ends with them, and tests hold the documentation (README.md
//! and docs/) to the same rows, so the three cannot drift. The verdicts map to
//! them the same way in every face (PASS 0, FAIL 1, ERROR and MANUAL 3).

/// `(code, meaning)` rows of one command's exit-code table.
pub type Table = &'static [(u8, &'static str)];

/// `kmswatch check`.
pub const CHECK: Table = &[
    (0, "PASS"),
    (1, "FAIL"),
    (2, "usage or input error (bad flag, unknown region name, unknown profile, unreadable or malformed snapshot, unwritable `--output` file)"),
    (3, "ERROR or MANUAL, or the account could not be identified (no credentials, endpoint unreachable), or `--send-to-security-hub` could not import every finding"),
];

/// `kmswatch snapshot`.
pub const SNAPSHOT: Table = &[
    (0, "the snapshot is written and every call succeeded"),
    (2, "usage or input error (bad flag, unknown region name, unknown profile, unwritable file)"),
    (3, "the snapshot is written with failed calls in its `errors`, or the account could not be identified"),
];

/// `kmswatch remediate`.
pub const REMEDIATE: Table = &[
    (0, "dry run: the plan reaches PASS as soon as it is applied (or the account passes already); `--apply`: PASS after applying"),
    (1, "dry run: the plan does not reach PASS as soon as it is applied, or `--apply`: FAIL after applying (e.g. an e-mail subscription awaiting confirmation); or kmswatch will not remediate: trail prerequisite missing, name conflict without `--adopt`, 100-filter limit"),
    (2, "usage or input error, including a new topic with no subscriber (pass `--email`, `--subscribe` or `--topic-arn`)"),
    (3, "an AWS call failed, a fact the plan needs is unknown, or ERROR / MANUAL after applying"),
];

/// `kmswatch scan`.
pub const SCAN: Table = &[
    (0, "every account PASS"),
    (1, "an account FAIL, and none ERROR or MANUAL"),
    (2, "usage or input error (bad flag, an invalid account id, an unreadable accounts file, no account left to scan)"),
    (3, "an account ERROR or MANUAL (one whose role could not be assumed included), the scan was interrupted (Ctrl-C), or the caller could not be identified or the organization's accounts listed"),
];

/// `kmswatch pattern test`.
pub const PATTERN_TEST: Table = &[
    (0, "an event matched"),
    (1, "no event matched"),
    (2, "invalid pattern, a directory without `--recursive`, `--threads 0`, a bad `s3://` URL, day or account id, or an input that cannot be read (the other inputs are still read)"),
    (3, "the S3 archive could not be listed (no such bucket, access denied, endpoint unreachable)"),
];

/// `kmswatch pattern explain`.
pub const PATTERN_EXPLAIN: Table = &[
    (
        0,
        "the pattern catches every target event (`DisableKey`, `ScheduleKeyDeletion`)",
    ),
    (1, "it misses one"),
    (2, "invalid pattern"),
];

/// `kmswatch pattern sql`.
pub const PATTERN_SQL: Table = &[
    (0, "the query is printed"),
    (2, "invalid pattern, or a usage error (a day not `YYYY-MM-DD`, `--until` before `--since`, `--source` with a dialect that reads a table)"),
    (4, "the dialect cannot express the pattern with the engine's exact semantics; the refused construct is named (`error.code` in JSON)"),
];

/// `kmswatch keys`.
pub const KEYS: Table = &[
    (0, "no customer managed key is pending deletion, and every region was read"),
    (1, "a key is pending deletion (PendingDeletion or PendingReplicaDeletion)"),
    (2, "usage error (bad flag, unknown region name, unknown profile)"),
    (3, "a region or key could not be read (and no key is pending deletion), or the account could not be identified"),
];

/// `kmswatch history`.
pub const HISTORY: Table = &[
    (
        0,
        "no key was disabled or scheduled for deletion in the period",
    ),
    (
        1,
        "a DisableKey or ScheduleKeyDeletion call succeeded in the period",
    ),
    (
        2,
        "usage error (`--days` outside 1-90 without `--archive`, bad flag, unknown region name, unknown profile, an `--archive` that is neither a path nor an `s3://` URL, `--since` / `--until` / `--accounts` without `--archive`)",
    ),
    (
        3,
        "a lookup failed or an object of the archive could not be read (and nothing was found), the archive could not be listed, or the account could not be identified",
    ),
];

/// `kmswatch respond cancel-deletion` and `kmswatch respond enable`.
pub const RESPOND: Table = &[
    (0, "done with `--apply`; a dry run that would act; or nothing to do (the key is already Enabled)"),
    (1, "refused: the key's state does not allow it (e.g. cancel-deletion of a key not pending deletion, enable of a key pending deletion), no such key, or an AWS managed key"),
    (2, "usage error (not a KMS key ARN, bad flag, unknown profile)"),
    (3, "an AWS call failed (DescribeKey, CancelKeyDeletion, EnableKey)"),
];

/// `kmswatch iam-policy`.
pub const IAM_POLICY: Table = &[(0, "the policy is printed"), (2, "usage error")];

/// `kmswatch completions`.
pub const COMPLETIONS: Table = &[
    (0, "the completion script is printed"),
    (2, "usage error (a shell kmswatch has no script for)"),
];

/// `kmswatch man`.
pub const MAN: Table = &[
    (0, "the manual page is printed"),
    (2, "usage error (no such command)"),
];

/// The commands and their tables, by the name `--help` and the docs use.
pub const ALL: &[(&str, Table)] = &[
    ("check", CHECK),
    ("snapshot", SNAPSHOT),
    ("remediate", REMEDIATE),
    ("scan", SCAN),
    ("pattern test", PATTERN_TEST),
    ("pattern explain", PATTERN_EXPLAIN),
    ("pattern sql", PATTERN_SQL),
    ("iam-policy", IAM_POLICY),
    ("keys", KEYS),
    ("history", HISTORY),
    ("respond cancel-deletion", RESPOND),
    ("respond enable", RESPOND),
    ("completions", COMPLETIONS),
    ("man", MAN),
];

/// The table as the end of `--help` shows it.
pub fn help(table: Table) -> String {
    let mut text = String::from("Exit codes:\n");
    for (code, meaning) in table {
        text.push_str(&format!("  {code}  {meaning}\n"));
    }
    text
}

/// The kinds of failure (`kmswatch_core::session::Failure`), as the faces
/// tell them apart.
///
/// | class | `kmswatch` exit code | Python exception |
/// |---|---|---|
/// | `Usage` | 2 | `KmswatchError` |
/// | `Snapshot` | 2 | `SnapshotError` |
/// | `Configuration` | 2 | `AwsError` (operation `Connect`) |
/// | `Aws` | 3 | `AwsError` |
/// | `Internal` | 3 | `KmswatchError` |
/// | `RemediationUsage` | 2 | `RemediationError` |
/// | `RemediationRefused` | 1 | `RemediationError` |
/// | `RemediationFactsUnknown` | 3 | `RemediationError` |
/// | `Untranslatable` | 4 | `PatternSqlError` |
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorClass {
    /// Bad arguments.
    Usage,
    /// An unreadable, malformed or unwritable snapshot.
    Snapshot,
    /// An unusable AWS configuration.
    Configuration,
    /// An AWS call failed.
    Aws,
    /// kmswatch itself could not run.
    Internal,
    /// Remediation options that cannot work (invalid, or nobody subscribed).
    RemediationUsage,
    /// kmswatch will not remediate the account as it is.
    RemediationRefused,
    /// A fact the plan depends on is unknown.
    RemediationFactsUnknown,
    /// `pattern sql`: the dialect cannot express the pattern exactly.
    Untranslatable,
}

impl ErrorClass {
    /// The exit code of the command line (the table above).
    pub fn exit_code(self) -> u8 {
        match self {
            ErrorClass::RemediationRefused => 1,
            ErrorClass::Usage
            | ErrorClass::Snapshot
            | ErrorClass::Configuration
            | ErrorClass::RemediationUsage => 2,
            ErrorClass::Aws | ErrorClass::Internal | ErrorClass::RemediationFactsUnknown => 3,
            ErrorClass::Untranslatable => 4,
        }
    }
}

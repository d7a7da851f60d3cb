//! The exit codes of each command, written once: `--help` ends with them and a
//! test holds docs/commands.md to the same rows, so the two cannot drift.

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
    (2, "invalid pattern, a directory without `--recursive`, `--threads 0`, or an input that cannot be read (the other inputs are still read)"),
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
        "usage error (`--days` outside 1-90, bad flag, unknown region name, unknown profile)",
    ),
    (
        3,
        "a lookup failed (and nothing was found), or the account could not be identified",
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

/// README.md and every page under docs/, as one text: the tests below find
/// each table, usage line and field name wherever the documentation keeps it.
#[cfg(test)]
fn documentation() -> String {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut pages: Vec<_> = std::fs::read_dir(root.join("docs"))
        .expect("docs/ is readable")
        .map(|entry| entry.expect("docs/ is readable").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    pages.sort();
    pages.insert(0, root.join("README.md"));
    pages
        .iter()
        .map(|page| {
            std::fs::read_to_string(page).unwrap_or_else(|err| panic!("{}: {err}", page.display()))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table as the docs show it (one Markdown row per code).
    fn markdown_rows(table: Table) -> Vec<String> {
        table
            .iter()
            .map(|(code, meaning)| format!("| {code} | {meaning} |"))
            .collect()
    }

    /// The docs have each command's exit-code table, row for row.
    #[test]
    fn the_docs_show_the_same_exit_codes() {
        let docs = documentation();
        for (command, table) in ALL {
            for row in markdown_rows(table) {
                assert!(
                    docs.lines().any(|l| l.trim() == row),
                    "the docs lack the row of `kmswatch {command}`: {row}"
                );
            }
        }
    }
}

#[cfg(test)]
mod docs_flags {
    use crate::Cli;
    use clap::CommandFactory;
    use std::collections::BTreeSet;

    /// The long flags in the docs' usage lines of `kmswatch <words>` (a line
    /// starting with it, and the indented lines that continue it).
    fn documented_flags(words: &str) -> BTreeSet<String> {
        let docs = super::documentation();
        let start = format!("kmswatch {words} ");
        let mut flags = BTreeSet::new();
        let mut in_usage = false;
        for line in docs.lines() {
            if line.starts_with(&start) {
                in_usage = true;
            } else if !(in_usage && line.starts_with(' ')) {
                in_usage = false;
            }
            if in_usage {
                let usage = line.split('#').next().unwrap_or_default();
                for token in usage.split(|c: char| c.is_whitespace() || "[]|".contains(c)) {
                    if let Some(flag) = token.strip_prefix("--") {
                        flags.insert(
                            flag.trim_end_matches(|c: char| !c.is_alphanumeric())
                                .to_owned(),
                        );
                    }
                }
            }
        }
        flags
    }

    fn clap_flags(words: &str) -> BTreeSet<String> {
        let mut command = Cli::command();
        command.build();
        let mut current = &command;
        for word in words.split(' ') {
            current = current
                .get_subcommands()
                .find(|c| c.get_name() == word)
                .unwrap_or_else(|| panic!("no subcommand {word}"));
        }
        current
            .get_arguments()
            .filter(|a| !a.is_global_set())
            .filter_map(|a| a.get_long())
            .filter(|l| !matches!(*l, "help" | "version"))
            .map(str::to_owned)
            .collect()
    }

    /// The flags every command takes are in the docs' line of global flags.
    #[test]
    fn the_docs_list_the_global_flags() {
        let docs = super::documentation();
        let line = docs
            .lines()
            .find(|l| l.starts_with("kmswatch [GLOBAL FLAGS]"))
            .expect("the docs have the line of global flags");
        let command = Cli::command();
        for arg in command.get_arguments().filter(|a| a.is_global_set()) {
            let long = arg.get_long().expect("global flags are long");
            assert!(
                line.contains(&format!("--{long}")),
                "the docs lack --{long}"
            );
        }
    }

    /// The docs' usage lines list exactly the flags each command takes.
    #[test]
    fn the_docs_list_every_flag_and_no_other() {
        for words in ["check", "snapshot", "remediate", "scan"] {
            assert_eq!(
                documented_flags(words),
                clap_flags(words),
                "the docs' usage of `kmswatch {words}` differs from the command's flags"
            );
        }
    }
}

#[cfg(test)]
mod docs_json {
    use kmswatch_core::check::{report, Facts};
    use kmswatch_core::remediate::{dry_run, RemediateOptions, Subscriber};
    use std::collections::BTreeSet;

    fn example(name: &str) -> Facts {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../examples")
            .join(name);
        Facts::load(&path).expect("example")
    }

    /// The keys of a JSON document down to `depth` levels of objects.
    fn keys(value: &serde_json::Value, depth: usize, out: &mut BTreeSet<String>) {
        match value {
            serde_json::Value::Object(map) if depth > 0 => {
                for (k, v) in map {
                    out.insert(k.clone());
                    keys(v, depth - 1, out);
                }
            }
            serde_json::Value::Array(items) => {
                for v in items {
                    keys(v, depth, out);
                }
            }
            _ => {}
        }
    }

    /// Every field of the report and plan documents (their top two levels:
    /// the document, its chains and actions) is named in the docs.
    #[test]
    fn the_docs_name_every_json_field() {
        let docs = super::documentation();
        let mut names = BTreeSet::new();
        for doc in [
            report(&example("compliant.json")).to_json(),
            report(&example("broken-threshold-zero.json")).to_json(),
            report(&example("broken-pattern-misses-schedule-eventbridge.json")).to_json(),
        ] {
            keys(&serde_json::from_str(&doc).unwrap(), 2, &mut names);
        }
        let options = RemediateOptions {
            subscriber: Some(Subscriber::email("secops@example.com").unwrap()),
            ..RemediateOptions::default()
        };
        let plan = dry_run(&example("broken-alarm-no-actions.json"), &options).unwrap();
        keys(
            &serde_json::from_str(&plan.to_json()).unwrap(),
            1,
            &mut names,
        );
        let missing: Vec<&String> = names
            .iter()
            .filter(|k| !docs.contains(&format!("`{k}`")))
            .collect();
        assert!(missing.is_empty(), "the docs do not name: {missing:?}");
    }
}

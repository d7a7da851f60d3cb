//! The exit codes of each command: the tables are the library's
//! ([`kmswatch_core::exit_codes`]); `--help` ends with them and the tests below
//! hold README.md and docs/ to the same rows, so the two cannot drift.

pub use kmswatch_core::exit_codes::{help, ALL};

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
    use kmswatch_core::exit_codes::Table;

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
        for words in ["check", "snapshot", "remediate", "scan", "pattern sql"] {
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

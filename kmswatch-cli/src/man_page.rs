//! `kmswatch man [COMMAND]...`: the manual page (roff), generated from the
//! command line's own definition so that it cannot drift from it.

use crate::{exit, stdout};
use std::process::ExitCode;

/// The man page of `cmd`, or of its subcommand at `path`
/// (`["pattern", "test"]` gives kmswatch-pattern-test(1)); `Err` names a
/// subcommand that does not exist.
pub fn page(mut cmd: clap::Command, path: &[String]) -> Result<String, String> {
    // Building gives subcommands their full names (kmswatch-pattern-test).
    cmd.build();
    let mut page = cmd;
    for name in path {
        let sub = page.find_subcommand(name).cloned().ok_or_else(|| {
            let known: Vec<&str> = page
                .get_subcommands()
                .map(clap::Command::get_name)
                .collect();
            format!(
                "{} has no command {name:?} (commands: {})",
                page.get_display_name().unwrap_or_else(|| page.get_name()),
                known.join(", ")
            )
        })?;
        page = sub;
    }
    let man = clap_mangen::Man::new(page).source(format!("kmswatch {}", env!("CARGO_PKG_VERSION")));
    let mut out = Vec::new();
    man.render(&mut out).map_err(|e| e.to_string())?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// Prints the man page ([`page`]); an unknown command is a usage error (2).
pub fn print(cmd: clap::Command, path: &[String]) -> ExitCode {
    match page(cmd, path) {
        Ok(text) => {
            stdout::write(&text);
            ExitCode::SUCCESS
        }
        Err(message) => exit::usage(&message, false),
    }
}

//! `kmswatch completions SHELL`: the shell completion script, generated from
//! the command line's own definition so that it cannot drift from it.

use crate::stdout;
use clap::ValueEnum;
use clap_complete::Shell;
use std::process::ExitCode;

/// The shells `kmswatch completions` writes scripts for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CompletionShell {
    /// Bash: `source <(kmswatch completions bash)`.
    Bash,
    /// Zsh: save as `_kmswatch` in a directory of `$fpath`.
    Zsh,
    /// Fish: save as `~/.config/fish/completions/kmswatch.fish`.
    Fish,
    /// PowerShell: `kmswatch completions powershell | Out-String | Invoke-Expression`.
    Powershell,
}

impl CompletionShell {
    fn shell(self) -> Shell {
        match self {
            CompletionShell::Bash => Shell::Bash,
            CompletionShell::Zsh => Shell::Zsh,
            CompletionShell::Fish => Shell::Fish,
            CompletionShell::Powershell => Shell::PowerShell,
        }
    }
}

/// The completion script of `cmd` for `shell`.
pub fn script(shell: CompletionShell, mut cmd: clap::Command) -> String {
    let mut out = Vec::new();
    clap_complete::generate(shell.shell(), &mut cmd, "kmswatch", &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

/// Prints the completion script of `cmd` for `shell`.
pub fn print(shell: CompletionShell, cmd: clap::Command) -> ExitCode {
    stdout::write(&script(shell, cmd));
    ExitCode::SUCCESS
}

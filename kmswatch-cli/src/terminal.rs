//! Text for people on a terminal: wrapped to its width (80 columns when
//! standard output is not one), verdicts and gap severities in colour when
//! colour is wanted (`--color`, `NO_COLOR`, `CLICOLOR_FORCE`), and `-q` for the
//! verdict line alone. JSON output never passes through here.

use anstyle::{AnsiColor, Style};
use clap::ValueEnum;
use kmswatch_core::check::{Severity, Status};
use std::io::IsTerminal;
use std::sync::OnceLock;

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ColorChoice {
    /// Colour when standard output is a terminal and `NO_COLOR` is unset.
    #[default]
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// How text for people is printed in this run.
#[derive(Debug, Clone, Copy)]
pub struct Terminal {
    /// Whether to colour.
    pub color: bool,
    /// `-q`: only the verdict line.
    pub quiet: bool,
    /// The width to wrap at.
    pub width: usize,
}

static TERMINAL: OnceLock<Terminal> = OnceLock::new();

/// Decides, once, how this run prints for people.
pub fn init(choice: ColorChoice, quiet: bool) {
    let stdout = std::io::stdout();
    let color = match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => anstream::AutoStream::choice(&stdout) != anstream::ColorChoice::Never,
    };
    let width = if stdout.is_terminal() {
        terminal_size::terminal_size().map_or(80, |(w, _)| usize::from(w.0))
    } else {
        80
    };
    let _ = TERMINAL.set(Terminal {
        color,
        quiet,
        width: width.max(40),
    });
}

/// This run's settings (defaults before [`init`]: no colour, 80 columns).
pub fn get() -> Terminal {
    TERMINAL.get().copied().unwrap_or(Terminal {
        color: false,
        quiet: false,
        width: 80,
    })
}

fn paint(text: &str, style: Style) -> String {
    if get().color {
        format!("{}{text}{}", style.render(), style.render_reset())
    } else {
        text.to_owned()
    }
}

/// A verdict, coloured by its meaning.
pub fn status(status: Status, text: &str) -> String {
    let color = match status {
        Status::Pass => AnsiColor::Green,
        Status::Fail => AnsiColor::Red,
        Status::Error | Status::Manual => AnsiColor::Yellow,
    };
    paint(text, Style::new().bold().fg_color(Some(color.into())))
}

/// A gap's severity mark, coloured.
pub fn severity(severity: Severity, text: &str) -> String {
    let color = match severity {
        Severity::Fail => AnsiColor::Red,
        Severity::Error | Severity::Manual => AnsiColor::Yellow,
        Severity::Warning => AnsiColor::Cyan,
    };
    paint(text, Style::new().fg_color(Some(color.into())))
}

/// `text` as printed: each line wrapped at the width, continuation lines
/// indented two more than the line they continue; words longer than a line
/// (ARNs, patterns) are never split, so they stay copyable. With `-q`, the
/// first line only.
pub fn finish(text: &str) -> String {
    let terminal = get();
    if terminal.quiet {
        return text
            .lines()
            .next()
            .map(|l| format!("{l}\n"))
            .unwrap_or_default();
    }
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let indent: String = line.chars().take_while(|c| *c == ' ').collect();
        let continuation = format!("{indent}  ");
        let options = textwrap::Options::new(terminal.width)
            .break_words(false)
            .word_separator(textwrap::WordSeparator::AsciiSpace)
            .word_splitter(textwrap::WordSplitter::NoHyphenation)
            .subsequent_indent(&continuation);
        // textwrap measures without the ANSI colour codes.
        for piece in textwrap::wrap(line, options) {
            out.push_str(&piece);
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_wrap_under_their_indent_and_long_words_stay_whole() {
        let arn = format!("arn:aws:sns:us-east-1:111122223333:{}", "t-".repeat(45));
        let text = format!("  x GAP: {} {arn}\n\nnext\n", "word ".repeat(30));
        let out = finish(&text);
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines
            .iter()
            .all(|l| l.chars().count() <= 80 || l.contains(&arn)));
        assert!(lines[1].starts_with("    "), "{out}");
        assert!(
            lines.iter().any(|l| l.trim() == arn),
            "the ARN is not split"
        );
        assert!(out.contains("\n\nnext\n"), "blank lines stay");
    }
}

//! A filter pattern from the command line: parsed, or reported with a caret
//! under the offending character.

use crate::stdout;
use kmswatch_core::pattern::{FilterPattern, PatternError};
use kmswatch_core::session::ErrorDocument;
use std::fmt::Write as _;

/// The error for an invalid pattern, with a caret under the offending character.
fn invalid_pattern_message(pattern: &str, err: &PatternError) -> String {
    // Show the line the error is on; the caret counts characters, not bytes.
    let offset = err.offset.min(pattern.len());
    let line_start = pattern[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = pattern[offset..]
        .find('\n')
        .map_or(pattern.len(), |i| offset + i);
    let line = &pattern[line_start..line_end];
    let column = pattern[line_start..offset].chars().count();
    let (shown, column) = around(line, column);
    let mut out = format!("kmswatch: invalid filter pattern: {err}\n");
    let _ = writeln!(out, "  {}", shown.replace('\t', " "));
    let _ = write!(out, "  {}^", " ".repeat(column));
    out
}

/// Characters of a line shown before and after the error: a long pattern
/// (a file pasted whole) is echoed cut short, around the caret.
const SHOWN_BEFORE: usize = 60;
const SHOWN_AFTER: usize = 20;

/// The part of `line` around character `column`, with `…` where it is cut,
/// and the caret's column in it.
fn around(line: &str, column: usize) -> (String, usize) {
    let chars: Vec<char> = line.chars().collect();
    let start = column.saturating_sub(SHOWN_BEFORE);
    let end = chars.len().min(column + SHOWN_AFTER);
    let mut shown = String::new();
    if start > 0 {
        shown.push('…');
    }
    shown.extend(&chars[start..end]);
    if end < chars.len() {
        shown.push('…');
    }
    (shown, column - start + usize::from(start > 0))
}

/// The parsed pattern; an invalid one is reported on standard error (and,
/// with `json`, as an error document on standard output).
pub fn parse_or_report(pattern: &str, json: bool) -> Option<FilterPattern> {
    match FilterPattern::parse(pattern) {
        Ok(p) => Some(p),
        Err(e) => {
            eprintln!("{}", invalid_pattern_message(pattern, &e));
            if json {
                let message = format!("invalid filter pattern: {e}");
                stdout::line(&ErrorDocument::invalid_pattern(message, e.offset).to_json());
            }
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caret_points_at_the_error() {
        let pattern = "{ ($.eventName = DisableKey }";
        let err = FilterPattern::parse(pattern).unwrap_err();
        let message = invalid_pattern_message(pattern, &err);
        let lines: Vec<&str> = message.lines().collect();
        assert_eq!(
            lines[0],
            "kmswatch: invalid filter pattern: expected ')', found '}' at 28"
        );
        assert_eq!(lines[1], format!("  {pattern}"));
        assert_eq!(lines[2].find('^'), Some(2 + 28));
    }

    #[test]
    fn a_long_pattern_is_echoed_cut_short_around_the_caret() {
        let pattern = format!("{{ $.eventName = \"{}\" }}", "a".repeat(100_000));
        let err = FilterPattern::parse(&pattern).unwrap_err();
        let message = invalid_pattern_message(&pattern, &err);
        assert!(message.len() < 400, "{} bytes", message.len());
        let lines: Vec<&str> = message.lines().collect();
        assert!(
            lines[1].starts_with("  …") && lines[1].ends_with('…'),
            "{}",
            lines[1]
        );
        // The caret stands under the same character as in the whole line.
        let caret = lines[2].find('^').unwrap_or_default();
        let shown: Vec<char> = lines[1].chars().collect();
        let whole: Vec<char> = pattern.chars().collect();
        assert_eq!(shown[caret], whole[err.offset]);
    }

    #[test]
    fn caret_counts_characters_not_bytes() {
        let pattern = "{ $.userName = \"éé\" && }";
        let err = FilterPattern::parse(pattern).unwrap_err();
        let before = &pattern[..err.offset];
        // The error follows the two-byte characters, so bytes and characters differ.
        assert!(before.contains("éé"), "{err}");
        assert_eq!(before.len(), before.chars().count() + 2);
        let message = invalid_pattern_message(pattern, &err);
        assert_eq!(
            message.lines().nth(2).and_then(|l| l.find('^')),
            Some(2 + before.chars().count())
        );
    }
}

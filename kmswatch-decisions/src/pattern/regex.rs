//! The CloudWatch Logs regex subset: validation, and translation to the `regex`
//! crate.
//!
//! Allowed: ASCII letters and digits; the symbols `_ # = @ / ; , - :` and space;
//! the operators `^ $ ? [ ] { } | \ * + .`. Rejected: `(` and `)` (no groups),
//! multi-byte characters, any other symbol (`%something!%` is invalid), an empty
//! regex or alternative, a quantifier with nothing to repeat, and escapes other
//! than `\` + an allowed symbol/operator/space/`%`, the classes `\d \D \s \S \w \W`
//! and `\xhh` (two hex digits naming an ASCII character: `%\x28%` matches `(`,
//! the way to write a character the subset otherwise rejects).
//! Classes are ASCII (`\d` is `[0-9]`, `\w` is `[0-9A-Za-z_]`). A match may start
//! anywhere in the text unless anchored with `^`/`$`.

use super::ast::RegexPattern;
use super::cursor::Cursor;
use super::PatternError;

/// Symbols allowed as literals (the documented list, plus space: the CDK's own
/// `regexValue` example, `%bind: address already in use%`, has spaces).
const SYMBOLS: &[char] = &['_', '#', '=', '@', '/', ';', ',', '-', ':', ' '];
/// Operators; escaped with `\` they are literals.
const OPERATORS: &[char] = &['^', '$', '?', '[', ']', '{', '}', '|', '\\', '*', '+', '.'];
/// Upper bound of `{m,n}` counts (keeps compiled programs small).
const MAX_REPEAT: u32 = 1000;
/// Compiled-program size limit.
const SIZE_LIMIT: usize = 1 << 20;

/// Reads `%…%` (the cursor is on the opening `%`) and compiles it.
pub(crate) fn parse_delimited(cur: &mut Cursor<'_>) -> Result<RegexPattern, PatternError> {
    let start = cur.pos;
    cur.bump();
    let body_start = cur.pos;
    loop {
        match cur.peek() {
            None => {
                return Err(PatternError::new(
                    start,
                    "unterminated regex (expected closing '%')",
                ))
            }
            Some('%') => break,
            Some('\\') => {
                cur.bump();
                cur.bump();
            }
            Some(_) => {
                cur.bump();
            }
        }
    }
    let source = &cur.text[body_start..cur.pos];
    cur.bump();
    compile(source, body_start)
}

/// Validates `source` (found at byte `offset` of the pattern) and compiles it.
pub(crate) fn compile(source: &str, offset: usize) -> Result<RegexPattern, PatternError> {
    let translated = translate(source, offset)?;
    let compiled = regex::RegexBuilder::new(&translated)
        .size_limit(SIZE_LIMIT)
        .build()
        .map_err(|_| PatternError::new(offset, "regex is too large"))?;
    Ok(RegexPattern {
        source: source.to_owned(),
        compiled,
    })
}

#[derive(PartialEq, Clone, Copy)]
enum Last {
    /// Start of the regex or of an alternative, or an anchor: nothing to repeat.
    Nothing,
    Atom,
    Quantifier,
    LazyQuantifier,
}

fn translate(source: &str, offset: usize) -> Result<String, PatternError> {
    if source.is_empty() {
        return Err(PatternError::new(offset, "empty regex"));
    }
    let err = |i: usize, msg: String| PatternError::new(offset + i, msg);
    let mut out = String::with_capacity(source.len() * 2);
    let mut chars = source.char_indices().peekable();
    let mut last = Last::Nothing;
    let mut alternative_empty = true;
    while let Some((i, c)) = chars.next() {
        if !c.is_ascii() {
            return Err(err(
                i,
                "multi-byte characters are not supported in regex".into(),
            ));
        }
        let mut is_atom = true;
        match c {
            '\\' => {
                let Some((_, e)) = chars.next() else {
                    return Err(err(i, "regex ends with an unfinished escape '\\'".into()));
                };
                if e == 'x' {
                    let c = hex_escape(&mut chars).map_err(|m| err(i, m))?;
                    push_literal(&mut out, c);
                } else {
                    push_escape(&mut out, e, false).map_err(|m| err(i, m))?;
                }
            }
            '[' => {
                let close = class(&mut out, &mut chars).map_err(|(j, m)| err(j, m))?;
                if close.is_none() {
                    return Err(err(i, "unterminated character class (expected ']')".into()));
                }
            }
            '{' => {
                if matches!(last, Last::Nothing) {
                    return Err(err(i, "nothing to repeat before '{'".into()));
                }
                if matches!(last, Last::Quantifier | Last::LazyQuantifier) {
                    return Err(err(
                        i,
                        "a quantifier cannot follow another quantifier".into(),
                    ));
                }
                let (min, max) = counted(&mut chars).map_err(|m| err(i, m))?;
                match max {
                    Some(max) if max == min => out.push_str(&format!("{{{min}}}")),
                    Some(max) => out.push_str(&format!("{{{min},{max}}}")),
                    None => out.push_str(&format!("{{{min},}}")),
                }
                last = Last::Quantifier;
                continue;
            }
            '*' | '+' | '?' => {
                match last {
                    Last::Nothing => return Err(err(i, format!("nothing to repeat before '{c}'"))),
                    Last::Quantifier if c == '?' => {
                        out.push('?');
                        last = Last::LazyQuantifier;
                        continue;
                    }
                    Last::Quantifier | Last::LazyQuantifier => {
                        return Err(err(
                            i,
                            "a quantifier cannot follow another quantifier".into(),
                        ))
                    }
                    Last::Atom => {}
                }
                out.push(c);
                last = Last::Quantifier;
                continue;
            }
            '|' => {
                if alternative_empty {
                    return Err(err(i, "empty alternative in regex".into()));
                }
                out.push('|');
                last = Last::Nothing;
                alternative_empty = true;
                continue;
            }
            '^' | '$' => {
                out.push(c);
                is_atom = false;
            }
            '.' => out.push('.'),
            '(' | ')' => {
                return Err(err(
                    i,
                    "parentheses are not supported in regex (no subpatterns)".into(),
                ))
            }
            ']' | '}' => return Err(err(i, format!("unmatched '{c}' in regex"))),
            c if c.is_ascii_alphanumeric() || SYMBOLS.contains(&c) => push_literal(&mut out, c),
            c => {
                return Err(err(
                    i,
                    format!(
                        "character '{}' is not supported in regex",
                        c.escape_default()
                    ),
                ))
            }
        }
        alternative_empty = false;
        last = if is_atom { Last::Atom } else { Last::Nothing };
    }
    if alternative_empty {
        return Err(PatternError::new(
            offset + source.len(),
            "empty alternative in regex",
        ));
    }
    Ok(out)
}

fn push_literal(out: &mut String, c: char) {
    let mut buf = [0u8; 4];
    out.push_str(&regex::escape(c.encode_utf8(&mut buf)));
}

/// An escape `\e`, outside (`in_class == false`) or inside a character class.
fn push_escape(out: &mut String, e: char, in_class: bool) -> Result<(), String> {
    let class = match (e, in_class) {
        ('d', false) => "[0-9]",
        ('D', false) => "[^0-9]",
        ('w', false) => "[0-9A-Za-z_]",
        ('W', false) => "[^0-9A-Za-z_]",
        ('s', false) => "[\\t\\n\\x0B\\x0C\\r ]",
        ('S', false) => "[^\\t\\n\\x0B\\x0C\\r ]",
        ('d', true) => "0-9",
        ('D', true) => "[:^digit:]",
        ('w', true) => "0-9A-Za-z_",
        ('W', true) => "[:^word:]",
        ('s', true) => "\\t\\n\\x0B\\x0C\\r ",
        ('S', true) => "[:^space:]",
        _ => "",
    };
    if !class.is_empty() {
        out.push_str(class);
        return Ok(());
    }
    if OPERATORS.contains(&e) || SYMBOLS.contains(&e) || e == '%' {
        push_literal(out, e);
        return Ok(());
    }
    Err(format!(
        "unsupported escape '\\{}' in regex",
        e.escape_default()
    ))
}

type Chars<'s> = std::iter::Peekable<std::str::CharIndices<'s>>;

/// The character of `\xhh` (after the `x`): two hex digits naming an ASCII
/// character, as the documentation's `%\x3A%` (`:`) and `%\x28%` (`(`) show.
fn hex_escape(chars: &mut Chars<'_>) -> Result<char, String> {
    let mut value = 0u32;
    for _ in 0..2 {
        let digit = chars
            .next()
            .and_then(|(_, c)| c.to_digit(16))
            .ok_or("expected two hex digits after '\\x'")?;
        value = value * 16 + digit;
    }
    char::from_u32(value)
        .filter(char::is_ascii)
        .ok_or_else(|| format!("'\\x{value:02X}' is not an ASCII character"))
}

/// Translates a character class after its `[`; returns the index of `]`, or `None`
/// if the regex ends first.
fn class(out: &mut String, chars: &mut Chars<'_>) -> Result<Option<usize>, (usize, String)> {
    out.push('[');
    if chars.peek().is_some_and(|&(_, c)| c == '^') {
        chars.next();
        out.push('^');
    }
    let mut empty = true;
    while let Some((i, c)) = chars.next() {
        if !c.is_ascii() {
            return Err((i, "multi-byte characters are not supported in regex".into()));
        }
        match c {
            ']' if empty => return Err((i, "empty character class".into())),
            ']' => {
                out.push(']');
                return Ok(Some(i));
            }
            '\\' => {
                let Some((_, e)) = chars.next() else {
                    return Err((i, "regex ends with an unfinished escape '\\'".into()));
                };
                if e == 'x' {
                    let c = hex_escape(chars).map_err(|m| (i, m))?;
                    push_literal(out, c);
                } else {
                    push_escape(out, e, true).map_err(|m| (i, m))?;
                }
            }
            '(' | ')' => {
                return Err((
                    i,
                    "parentheses are not supported in regex (no subpatterns)".into(),
                ))
            }
            c if c.is_ascii_alphanumeric() || SYMBOLS.contains(&c) || OPERATORS.contains(&c) => {
                let is_range = c != '-'
                    && chars.peek().is_some_and(|&(_, n)| n == '-')
                    && chars.clone().nth(1).is_some_and(|(_, n)| n != ']');
                push_literal(out, c);
                if is_range {
                    chars.next();
                    let Some((j, end)) = chars.next() else {
                        return Ok(None);
                    };
                    let valid_end =
                        end.is_ascii_alphanumeric() || (SYMBOLS.contains(&end) && end != '-');
                    if !valid_end || end < c {
                        return Err((
                            j,
                            format!(
                                "invalid range '{c}-{}' in character class",
                                end.escape_default()
                            ),
                        ));
                    }
                    out.push('-');
                    push_literal(out, end);
                }
            }
            c => {
                return Err((
                    i,
                    format!(
                        "character '{}' is not supported in regex",
                        c.escape_default()
                    ),
                ))
            }
        }
        empty = false;
    }
    Ok(None)
}

/// Reads `m}`, `m,}` or `m,n}` after a `{`.
fn counted(chars: &mut Chars<'_>) -> Result<(u32, Option<u32>), String> {
    let min = digits(chars).ok_or("expected a number after '{'")?;
    let max = match chars.next() {
        Some((_, '}')) => Some(min),
        Some((_, ',')) => {
            if chars.peek().is_some_and(|&(_, c)| c == '}') {
                chars.next();
                None
            } else {
                let max = digits(chars).ok_or("expected a number or '}' after ','")?;
                if !matches!(chars.next(), Some((_, '}'))) {
                    return Err("expected '}' to close the repetition".into());
                }
                Some(max)
            }
        }
        _ => return Err("expected ',' or '}' in the repetition".into()),
    };
    if max.is_some_and(|max| max < min) {
        return Err("repetition {m,n} needs m <= n".into());
    }
    if min.max(max.unwrap_or(0)) > MAX_REPEAT {
        return Err(format!("repetition count above {MAX_REPEAT}"));
    }
    Ok((min, max))
}

fn digits(chars: &mut Chars<'_>) -> Option<u32> {
    let mut value: Option<u32> = None;
    while let Some(&(_, c)) = chars.peek() {
        let Some(d) = c.to_digit(10) else { break };
        chars.next();
        value = Some(value.unwrap_or(0).saturating_mul(10).saturating_add(d));
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(src: &str) -> RegexPattern {
        compile(src, 1).unwrap_or_else(|e| panic!("{src}: {e}"))
    }

    fn rejected(src: &str) -> PatternError {
        match compile(src, 1) {
            Ok(_) => panic!("{src} should be rejected"),
            Err(e) => e,
        }
    }

    #[test]
    fn documented_examples_match() {
        assert!(ok("AUTHORIZED").is_match("[ERROR 401] UNAUTHORIZED REQUEST"));
        assert!(ok("^[hc]at").is_match("hat trick"));
        assert!(!ok("^[hc]at").is_match("a hat"));
        assert!(ok("[hc]at$").is_match("a cat"));
        assert!(ok("colou?r").is_match("color") && ok("colou?r").is_match("colour"));
        assert!(ok("[abcx-z]").is_match("y"));
        assert!(ok("a{3,5}").is_match("aaa") && !ok("a{3,5}").is_match("aa"));
        assert!(ok("gra|ey").is_match("grey"));
        assert!(
            ok("10\\.10\\.0\\.1").is_match("from 10.10.0.1")
                && !ok("10\\.10\\.0\\.1").is_match("10x10x0x1")
        );
        assert!(ok("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}").is_match("ip 192.0.2.1"));
        assert!(ok("[Ee]rror|[Ff]ail").is_match("it will fail"));
        assert!(ok("h.t").is_match("hot"));
        assert!(ok("bind: address already in use").is_match("x bind: address already in use"));
    }

    #[test]
    fn hex_escapes_name_ascii_characters() {
        // The documentation: `%\x3A%` matches `:`, `%\x28%` matches `(`.
        assert!(ok("\\x3A").is_match("a:b") && !ok("\\x3A").is_match("ab"));
        assert!(ok("f\\x28").is_match("f(x)"));
        assert!(ok("[\\x28\\x29]").is_match(")"));
        assert!(ok("\\x2e").is_match(".") && !ok("\\x2e").is_match("a"));
        assert!(rejected("\\x2").message.contains("two hex digits"));
        assert!(rejected("\\xZZ").message.contains("two hex digits"));
        assert!(rejected("\\xE9").message.contains("not an ASCII"));
    }

    #[test]
    fn classes_are_ascii() {
        assert!(!ok("\\d").is_match("٣"));
        assert!(ok("\\w+").is_match("a_1"));
        assert!(ok("[\\d_]").is_match("_"));
        assert!(ok("[\\D]").is_match("x") && !ok("^[\\D]$").is_match("5"));
        assert!(ok("a\\sb").is_match("a\tb"));
    }

    #[test]
    fn class_members_are_literal() {
        assert!(ok("[.*+]").is_match("+") && !ok("[.*+]").is_match("a"));
        assert!(ok("[a-]").is_match("-"));
        assert!(ok("[-a]").is_match("-"));
    }

    #[test]
    fn rejects_what_aws_rejects() {
        assert_eq!(rejected("something!").offset, 10);
        assert!(rejected("(ab)").message.contains("parentheses"));
        assert!(rejected("caf\u{e9}").message.contains("multi-byte"));
        assert!(rejected("").message.contains("empty"));
        assert!(rejected("*a").message.contains("nothing to repeat"));
        assert!(rejected("a|").message.contains("empty alternative"));
        assert!(rejected("|a").message.contains("empty alternative"));
        assert!(rejected("a**").message.contains("quantifier"));
        assert!(rejected("[]").message.contains("empty"));
        assert!(rejected("[z-a]").message.contains("range"));
        assert!(rejected("[abc").message.contains("unterminated"));
        assert!(rejected("a{5,3}").message.contains("m <= n"));
        assert!(rejected("a{2000}").message.contains("above"));
        assert!(rejected("a{x}").message.contains("number"));
        assert!(rejected("\\b").message.contains("unsupported escape"));
        assert!(rejected("a\\").message.contains("escape"));
        assert!(rejected("a]").message.contains("unmatched"));
        assert!(rejected("x\"y").message.contains("not supported"));
    }

    #[test]
    fn lazy_and_counted_forms() {
        assert!(ok("a+?b").is_match("aab"));
        assert!(ok("a{2}").is_match("aa") && !ok("^a{2}$").is_match("aaa"));
        assert!(ok("a{2,}").is_match("aaaa"));
    }
}

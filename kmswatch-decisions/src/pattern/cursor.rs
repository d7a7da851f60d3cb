//! A position in the pattern text, with the small scanning steps every parser uses.

use super::PatternError;

/// Reads the pattern text left to right; `pos` is a byte offset, always on a char
/// boundary.
pub(crate) struct Cursor<'a> {
    pub text: &'a str,
    pub pos: usize,
}

impl<'a> Cursor<'a> {
    pub fn new(text: &'a str) -> Self {
        Cursor { text, pos: 0 }
    }

    pub fn rest(&self) -> &'a str {
        self.text.get(self.pos..).unwrap_or("")
    }

    pub fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    pub fn peek_second(&self) -> Option<char> {
        self.rest().chars().nth(1)
    }

    pub fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    pub fn at_end(&self) -> bool {
        self.pos >= self.text.len()
    }

    pub fn starts_with(&self, s: &str) -> bool {
        self.rest().starts_with(s)
    }

    /// Consumes `s` if the text continues with it.
    pub fn eat(&mut self, s: &str) -> bool {
        if self.starts_with(s) {
            self.pos += s.len();
            true
        } else {
            false
        }
    }

    /// Consumes an ASCII keyword, case-insensitively, if a non-word character follows.
    pub fn eat_keyword(&mut self, keyword: &str) -> bool {
        let rest = self.rest();
        let Some(head) = rest.get(..keyword.len()) else {
            return false;
        };
        if !head.eq_ignore_ascii_case(keyword) {
            return false;
        }
        let next = rest[keyword.len()..].chars().next();
        if next.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            return false;
        }
        self.pos += keyword.len();
        true
    }

    pub fn skip_ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.bump();
        }
    }

    pub fn error(&self, message: impl Into<String>) -> PatternError {
        PatternError::new(self.pos, message)
    }

    /// `expected X, found Y` at the current position.
    pub fn expected(&self, what: &str) -> PatternError {
        match self.peek() {
            None => self.error(format!("expected {what}, found end of pattern")),
            Some(c) => self.error(format!("expected {what}, found '{c}'")),
        }
    }

    /// Reads a `"…"` string (the cursor is on the opening quote). `\"` and `\\` are
    /// escapes; any other backslash is kept as written.
    pub fn quoted(&mut self) -> Result<String, PatternError> {
        self.quoted_by('"', "string")
    }

    /// Reads a string quoted by `quote` (the cursor is on it); `\quote` and `\\` are
    /// escapes, any other backslash is kept. `what` names it in the error.
    pub fn quoted_by(&mut self, quote: char, what: &str) -> Result<String, PatternError> {
        let start = self.pos;
        self.bump();
        let mut out = String::new();
        loop {
            match self.bump() {
                None => {
                    return Err(PatternError::new(
                        start,
                        format!("unterminated quoted {what} (expected {quote:?})"),
                    ))
                }
                Some(c) if c == quote => return Ok(out),
                Some('\\') => match self.peek() {
                    Some(c) if c == quote || c == '\\' => {
                        self.bump();
                        out.push(c);
                    }
                    _ => out.push('\\'),
                },
                Some(c) => out.push(c),
            }
        }
    }
}

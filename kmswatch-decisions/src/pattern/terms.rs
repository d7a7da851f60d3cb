//! Unstructured term patterns: parsing and matching.
//!
//! `ERROR "exact phrase" -Exiting`: every plain term must occur in the event and
//! no `-term` may occur; `?WARN ?FATAL` alone matches events with at least one of
//! them. Matching is a case-sensitive substring search (`ERROR` matches
//! `ERRORCODE`, as the documentation's own example shows).
//!
//! `?` terms combined with other terms are ignored. The AWS documentation says
//! so ("If you combine "?" with other filter patterns, all question mark terms
//! will be ignored"), and its example `?ERROR ?ARGUMENTS REQUEST` lists
//! `[INFO] REQUEST FAILED` among its matches. kmswatch reads a `-term` as
//! another filter pattern too: `?ERROR -DEBUG` is `-DEBUG`.

use super::ast::{Pattern, Terms};
use super::cursor::Cursor;
use super::PatternError;
use memchr::memmem;

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Required,
    AnyOf,
    Excluded,
}

/// Parses a term pattern; the cursor is on its first non-blank character.
pub(crate) fn parse(cur: &mut Cursor<'_>) -> Result<Pattern, PatternError> {
    let mut terms = Terms::default();
    loop {
        cur.skip_ws();
        if cur.at_end() {
            break;
        }
        let marker_pos = cur.pos;
        let kind = if cur.eat("?") {
            Kind::AnyOf
        } else if cur.eat("-") {
            Kind::Excluded
        } else {
            Kind::Required
        };
        if kind != Kind::Required {
            // `"ERROR" - "Exiting"`: the documentation puts a space after the minus.
            cur.skip_ws();
            if cur.at_end() {
                return Err(PatternError::new(
                    marker_pos,
                    "expected a term after the operator",
                ));
            }
            if matches!(cur.peek(), Some('?' | '-'))
                && cur.peek_second().is_some_and(|c| !c.is_whitespace())
            {
                return Err(cur.error("a term takes one operator ('?' or '-'), not two"));
            }
        }
        let term = if cur.peek() == Some('"') {
            let quoted = cur.quoted()?;
            // `" "` matches everything, as the documentation says: a phrase of
            // blanks is the empty phrase.
            if quoted.trim().is_empty() {
                String::new()
            } else {
                quoted
            }
        } else {
            let start = cur.pos;
            while cur.peek().is_some_and(|c| !c.is_whitespace() && c != '"') {
                cur.bump();
            }
            cur.text[start..cur.pos].to_owned()
        };
        match kind {
            Kind::Required => terms.required.push(term),
            Kind::AnyOf => terms.any_of.push(term),
            Kind::Excluded => terms.excluded.push(term),
        }
    }
    Ok(normalise(terms))
}

/// Sorts and dedupes; drops terms that every event contains, and `?` terms
/// beside other terms (see the module documentation).
fn normalise(mut terms: Terms) -> Pattern {
    let combined = !terms.required.is_empty() || !terms.excluded.is_empty();
    if combined {
        terms.any_of.clear();
    }
    terms.required.retain(|t| !t.is_empty());
    if terms.any_of.iter().any(String::is_empty) {
        terms.any_of.clear();
    }
    for list in [&mut terms.required, &mut terms.any_of, &mut terms.excluded] {
        list.sort_unstable();
        list.dedup();
    }
    if terms.required.is_empty() && terms.any_of.is_empty() && terms.excluded.is_empty() {
        Pattern::Empty
    } else {
        Pattern::Terms(terms)
    }
}

/// Term lists with their substring searchers built once.
#[derive(Debug, Clone)]
pub(crate) struct TermMatcher {
    required: Vec<memmem::Finder<'static>>,
    any_of: Vec<memmem::Finder<'static>>,
    excluded: Vec<memmem::Finder<'static>>,
}

impl TermMatcher {
    pub fn new(terms: &Terms) -> Self {
        let finders = |list: &[String]| {
            list.iter()
                .map(|t| memmem::Finder::new(t.as_bytes()).into_owned())
                .collect()
        };
        TermMatcher {
            required: finders(&terms.required),
            any_of: finders(&terms.any_of),
            excluded: finders(&terms.excluded),
        }
    }

    pub fn matches(&self, event: &[u8]) -> bool {
        let found = |f: &memmem::Finder<'_>| f.find(event).is_some();
        self.required.iter().all(found)
            && (self.any_of.is_empty() || self.any_of.iter().any(found))
            && !self.excluded.iter().any(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Pattern {
        parse(&mut Cursor::new(text)).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn quoting_and_order_do_not_matter() {
        assert_eq!(terms("ERROR Exception"), terms("\"Exception\" \"ERROR\""));
        assert_eq!(terms("\"ERROR\" - \"Exiting\""), terms("ERROR -Exiting"));
    }

    #[test]
    fn blank_phrase_is_empty() {
        assert_eq!(terms("\" \""), Pattern::Empty);
        assert_eq!(terms("?\"\" ?ERROR"), Pattern::Empty);
    }

    #[test]
    fn operators_need_a_term() {
        assert!(parse(&mut Cursor::new("ERROR -")).is_err());
        assert!(parse(&mut Cursor::new("?-ERROR")).is_err());
    }

    #[test]
    fn matching() {
        let Pattern::Terms(t) = terms("?A ?B") else {
            panic!("terms")
        };
        let m = TermMatcher::new(&t);
        assert!(m.matches(b"A") && m.matches(b"xBx") && !m.matches(b"C"));
        let Pattern::Terms(t) = terms("ERROR ?A ?B -Exiting") else {
            panic!("terms")
        };
        let m = TermMatcher::new(&t);
        assert!(m.matches(b"ERROR A"));
        assert!(m.matches(b"B ERRORCODE"));
        assert!(!m.matches(b"ERROR A Exiting"));
        assert!(!m.matches(b"error a"));
    }

    #[test]
    fn question_mark_terms_beside_other_terms_are_ignored() {
        // The documented example and its listed match.
        let Pattern::Terms(t) = terms("?ERROR ?ARGUMENTS REQUEST") else {
            panic!("terms")
        };
        let m = TermMatcher::new(&t);
        assert!(m.matches(b"[INFO] REQUEST FAILED"));
        assert!(m.matches(b"[ERROR] 400 BAD REQUEST"));
        assert!(!m.matches(b"[ERROR] ARGUMENTS"));
        assert_eq!(terms("?ERROR ?ARGUMENTS REQUEST"), terms("REQUEST"));
        assert_eq!(terms("?ERROR -DEBUG"), terms("-DEBUG"));
        let Pattern::Terms(t) = terms("ERROR ?A ?B") else {
            panic!("terms")
        };
        assert!(TermMatcher::new(&t).matches(b"ERROR"));
    }
}

//! The engine's regexes (the `regex` crate's syntax of the CloudWatch
//! subset) in the syntax of engines whose regex libraries differ: Java's
//! (Spark) and Joni's (Trino, Athena). RE2 (DuckDB) reads them as they are.
//!
//! What differs: Java's `.` also skips `\r`, `\u0085`, `\u2028`, `\u2029`
//! and its `$` matches before a final line break; Joni's `^` and `$` are
//! line anchors; Java has no `[:^digit:]` inside a class.

/// The regex for `java.util.regex`.
pub(crate) fn java(regex: &str) -> String {
    rewrite(regex, true)
}

/// The regex for Joni (Trino's default regex library, Ruby syntax).
pub(crate) fn joni(regex: &str) -> String {
    rewrite(regex, false)
}

fn rewrite(regex: &str, java: bool) -> String {
    let mut out = String::with_capacity(regex.len() + 8);
    let mut chars = regex.chars().peekable();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                out.push(c);
                if let Some(e) = chars.next() {
                    out.push(e);
                }
            }
            '[' if in_class && chars.peek() == Some(&':') => {
                // `[:^digit:]` (the engine writes only negated ASCII classes).
                let name: String = chars.by_ref().take_while(|&c| c != ']').collect();
                let class = match name.as_str() {
                    ":^digit:" => r"\D",
                    ":^word:" => r"\W",
                    ":^space:" => r"\S",
                    _ => "",
                };
                if java {
                    out.push_str(class);
                } else {
                    out.push('[');
                    out.push_str(&name);
                    out.push(']');
                }
            }
            '[' if !in_class => {
                in_class = true;
                out.push(c);
                if chars.peek() == Some(&'^') {
                    out.push('^');
                    chars.next();
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            '.' if !in_class && java => out.push_str(r"[^\n]"),
            '^' if !in_class => out.push_str(r"\A"),
            '$' if !in_class => out.push_str(r"\z"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_dots_and_classes() {
        assert_eq!(java(r"^a.b$"), r"\Aa[^\n]b\z");
        assert_eq!(joni(r"^a.b$"), r"\Aa.b\z");
        assert_eq!(java(r"[^[:^digit:]x]\$\."), r"[^\Dx]\$\.");
        assert_eq!(joni(r"[[:^space:]]"), r"[[:^space:]]");
        assert_eq!(java(r"[.^$]"), r"[.^$]");
    }
}

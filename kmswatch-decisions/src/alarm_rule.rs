//! The `AlarmRule` language of CloudWatch composite alarms: parser and
//! evaluation.
//!
//! ```text
//! rule     := or
//! or       := and ("OR" and)*
//! and      := unary ("AND" unary)*
//! unary    := "NOT" unary | primary
//! primary  := "TRUE" | "FALSE" | "(" rule ")"
//!           | ("ALARM" | "OK" | "INSUFFICIENT_DATA") "(" name ")"
//! name     := "\"" chars "\"" | chars without ")"   (an alarm name or ARN)
//! ```
//!
//! Keywords are upper case, as CloudWatch writes them. Where the
//! documentation is silent: `NOT` binds tighter than `AND`, which binds
//! tighter than `OR` (the usual reading); inside double quotes `\"` and `\\`
//! are the only escapes; an unquoted name is trimmed. Anything else (another
//! function, a lower-case keyword) is an error with its byte offset.
//!
//! ```
//! use kmswatch_decisions::alarm_rule::AlarmRule;
//! let rule = AlarmRule::parse(r#"ALARM(kms-key-events) AND NOT ALARM("maintenance window")"#)?;
//! let names: Vec<_> = rule.alarms().into_iter().collect();
//! assert_eq!(names, ["kms-key-events", "maintenance window"]);
//! # Ok::<(), kmswatch_decisions::alarm_rule::AlarmRuleError>(())
//! ```

use std::collections::BTreeSet;

/// The states an alarm can be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AlarmState {
    /// `OK`.
    Ok,
    /// `ALARM`.
    Alarm,
    /// `INSUFFICIENT_DATA`.
    InsufficientData,
}

impl AlarmState {
    /// Every state.
    pub const ALL: [AlarmState; 3] = [
        AlarmState::Ok,
        AlarmState::Alarm,
        AlarmState::InsufficientData,
    ];
}

/// A parsed `AlarmRule`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlarmRule {
    /// `TRUE`.
    True,
    /// `FALSE`.
    False,
    /// `ALARM(name)`, `OK(name)`, `INSUFFICIENT_DATA(name)`: the named alarm
    /// (name or ARN) is in that state.
    State(AlarmState, String),
    /// `NOT rule`.
    Not(Box<AlarmRule>),
    /// `rule AND rule`.
    And(Box<AlarmRule>, Box<AlarmRule>),
    /// `rule OR rule`.
    Or(Box<AlarmRule>, Box<AlarmRule>),
}

/// An `AlarmRule` kmswatch cannot read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("AlarmRule at byte {offset}: {message}")]
pub struct AlarmRuleError {
    /// Byte offset in the rule text.
    pub offset: usize,
    /// What is wrong there.
    pub message: String,
}

/// How many other alarms [`AlarmRule::fires_with`] tries every state of
/// (3^n combinations).
pub const MAX_OTHER_ALARMS: usize = 8;

/// Whether a composite alarm follows one of the alarms it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Following {
    /// The rule is true whenever that alarm is in ALARM, whatever the others' states.
    pub whenever_in_alarm: bool,
    /// The rule can be true while that alarm is not in ALARM (the composite may
    /// then already be in ALARM when it enters ALARM, and not notify again).
    pub also_without_it: bool,
}

impl AlarmRule {
    /// Parses rule text.
    pub fn parse(text: &str) -> Result<Self, AlarmRuleError> {
        let mut parser = Parser { text, at: 0 };
        let rule = parser.or()?;
        parser.skip_space();
        if parser.at < text.len() {
            return Err(parser.error("unexpected text after the rule"));
        }
        Ok(rule)
    }

    /// The alarm names and ARNs the rule reads, sorted.
    pub fn alarms(&self) -> BTreeSet<&str> {
        let mut out = BTreeSet::new();
        self.collect(&mut out);
        out
    }

    fn collect<'a>(&'a self, out: &mut BTreeSet<&'a str>) {
        match self {
            AlarmRule::True | AlarmRule::False => {}
            AlarmRule::State(_, name) => {
                out.insert(name);
            }
            AlarmRule::Not(r) => r.collect(out),
            AlarmRule::And(a, b) | AlarmRule::Or(a, b) => {
                a.collect(out);
                b.collect(out);
            }
        }
    }

    /// The rule's value when each named alarm is in `state_of(name)`.
    pub fn evaluate(&self, state_of: &dyn Fn(&str) -> AlarmState) -> bool {
        match self {
            AlarmRule::True => true,
            AlarmRule::False => false,
            AlarmRule::State(state, name) => state_of(name) == *state,
            AlarmRule::Not(r) => !r.evaluate(state_of),
            AlarmRule::And(a, b) => a.evaluate(state_of) && b.evaluate(state_of),
            AlarmRule::Or(a, b) => a.evaluate(state_of) || b.evaluate(state_of),
        }
    }

    /// How the rule follows the alarm that `is_target` recognises (by name or
    /// ARN), over every state of the other alarms it names; `None` when it
    /// names more than [`MAX_OTHER_ALARMS`] others.
    pub fn fires_with(&self, is_target: &dyn Fn(&str) -> bool) -> Option<Following> {
        let others: Vec<&str> = self
            .alarms()
            .into_iter()
            .filter(|n| !is_target(n))
            .collect();
        if others.len() > MAX_OTHER_ALARMS {
            return None;
        }
        let mut following = Following {
            whenever_in_alarm: true,
            also_without_it: false,
        };
        let combinations = 3usize.pow(others.len() as u32);
        for combination in 0..combinations {
            let state_of_other = |name: &str| {
                let i = others.iter().position(|o| *o == name).unwrap_or(0);
                AlarmState::ALL[combination / 3usize.pow(i as u32) % 3]
            };
            for target in AlarmState::ALL {
                let state_of = |name: &str| {
                    if is_target(name) {
                        target
                    } else {
                        state_of_other(name)
                    }
                };
                let value = self.evaluate(&state_of);
                if target == AlarmState::Alarm {
                    following.whenever_in_alarm &= value;
                } else {
                    following.also_without_it |= value;
                }
            }
        }
        Some(following)
    }
}

struct Parser<'a> {
    text: &'a str,
    at: usize,
}

impl Parser<'_> {
    fn error(&self, message: &str) -> AlarmRuleError {
        AlarmRuleError {
            offset: self.at,
            message: message.to_owned(),
        }
    }

    fn skip_space(&mut self) {
        let rest = &self.text[self.at..];
        self.at += rest.len() - rest.trim_start().len();
    }

    /// The upper-case word at the cursor, if any (not consumed).
    fn word(&mut self) -> &str {
        self.skip_space();
        let rest = &self.text[self.at..];
        let end = rest
            .find(|c: char| !(c.is_ascii_alphabetic() || c == '_'))
            .unwrap_or(rest.len());
        &rest[..end]
    }

    fn eat(&mut self, token: &str) -> bool {
        self.skip_space();
        if self.text[self.at..].starts_with(token) {
            self.at += token.len();
            true
        } else {
            false
        }
    }

    fn or(&mut self) -> Result<AlarmRule, AlarmRuleError> {
        let mut rule = self.and()?;
        while self.word() == "OR" {
            self.at += 2;
            rule = AlarmRule::Or(Box::new(rule), Box::new(self.and()?));
        }
        Ok(rule)
    }

    fn and(&mut self) -> Result<AlarmRule, AlarmRuleError> {
        let mut rule = self.unary()?;
        while self.word() == "AND" {
            self.at += 3;
            rule = AlarmRule::And(Box::new(rule), Box::new(self.unary()?));
        }
        Ok(rule)
    }

    fn unary(&mut self) -> Result<AlarmRule, AlarmRuleError> {
        if self.word() == "NOT" {
            self.at += 3;
            return Ok(AlarmRule::Not(Box::new(self.unary()?)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<AlarmRule, AlarmRuleError> {
        if self.eat("(") {
            let rule = self.or()?;
            if !self.eat(")") {
                return Err(self.error("expected )"));
            }
            return Ok(rule);
        }
        let word = self.word().to_owned();
        let state = match word.as_str() {
            "TRUE" => {
                self.at += 4;
                return Ok(AlarmRule::True);
            }
            "FALSE" => {
                self.at += 5;
                return Ok(AlarmRule::False);
            }
            "ALARM" => AlarmState::Alarm,
            "OK" => AlarmState::Ok,
            "INSUFFICIENT_DATA" => AlarmState::InsufficientData,
            "" => return Err(self.error("expected a function, TRUE, FALSE, NOT or (")),
            other => return Err(self.error(&format!("unknown function or keyword {other:?}"))),
        };
        self.at += word.len();
        if !self.eat("(") {
            return Err(self.error(&format!("expected ( after {word}")));
        }
        let name = self.name()?;
        if !self.eat(")") {
            return Err(self.error(&format!("expected ) after the alarm name of {word}")));
        }
        Ok(AlarmRule::State(state, name))
    }

    fn name(&mut self) -> Result<String, AlarmRuleError> {
        self.skip_space();
        let start = self.at;
        let rest = &self.text[self.at..];
        let name = if let Some(quoted) = rest.strip_prefix('"') {
            let mut out = String::new();
            let mut chars = quoted.char_indices();
            loop {
                match chars.next() {
                    None => {
                        self.at = self.text.len();
                        return Err(self.error("unterminated quoted alarm name"));
                    }
                    Some((i, '"')) => {
                        self.at += 1 + i + 1;
                        break out;
                    }
                    Some((_, '\\')) => match chars.next() {
                        Some((_, c @ ('"' | '\\'))) => out.push(c),
                        _ => {
                            self.at = start;
                            return Err(self.error("only \\\" and \\\\ escape in a quoted name"));
                        }
                    },
                    Some((_, c)) => out.push(c),
                }
            }
        } else {
            let end = rest.find(')').unwrap_or(rest.len());
            self.at += end;
            rest[..end].trim().to_owned()
        };
        if name.is_empty() {
            self.at = start;
            return Err(self.error("empty alarm name"));
        }
        Ok(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(s: AlarmState, n: &str) -> AlarmRule {
        AlarmRule::State(s, n.into())
    }

    #[test]
    fn grammar_and_precedence() {
        let rule =
            AlarmRule::parse("ALARM(a) OR NOT OK(\"b c\") AND INSUFFICIENT_DATA( d )").unwrap();
        assert_eq!(
            rule,
            AlarmRule::Or(
                Box::new(state(AlarmState::Alarm, "a")),
                Box::new(AlarmRule::And(
                    Box::new(AlarmRule::Not(Box::new(state(AlarmState::Ok, "b c")))),
                    Box::new(state(AlarmState::InsufficientData, "d")),
                )),
            )
        );
        let grouped = AlarmRule::parse("(TRUE OR FALSE) AND ALARM(\"x \\\"y\\\" (z)\")").unwrap();
        assert_eq!(
            grouped.alarms().into_iter().collect::<Vec<_>>(),
            ["x \"y\" (z)"]
        );
        let arn = "arn:aws:cloudwatch:us-east-1:111122223333:alarm:kms";
        let by_arn = AlarmRule::parse(&format!("ALARM({arn})")).unwrap();
        assert_eq!(by_arn, state(AlarmState::Alarm, arn));
    }

    #[test]
    fn errors_name_their_offset() {
        for (text, offset) in [
            ("ALARM(a) AND", 12),
            ("alarm(a)", 0),
            ("AT_LEAST(1, ALARM, (a, b))", 0),
            ("ALARM(a", 7),
            ("ALARM(\"a)", 9),
            ("ALARM()", 6),
            ("(ALARM(a)", 9),
            ("ALARM(a) ALARM(b)", 9),
        ] {
            let err = AlarmRule::parse(text).unwrap_err();
            assert_eq!(err.offset, offset, "{text}: {err}");
        }
    }

    #[test]
    fn following_the_target_alarm() {
        let is_kms = |n: &str| n == "kms";
        let follow = |text: &str| AlarmRule::parse(text).unwrap().fires_with(&is_kms).unwrap();
        let f = follow("ALARM(kms)");
        assert!(f.whenever_in_alarm && !f.also_without_it);
        let f = follow("ALARM(kms) AND NOT ALARM(maintenance)");
        assert!(!f.whenever_in_alarm);
        let f = follow("ALARM(kms) OR ALARM(other)");
        assert!(f.whenever_in_alarm && f.also_without_it);
        let f = follow("NOT OK(kms) AND NOT INSUFFICIENT_DATA(kms)");
        assert!(f.whenever_in_alarm && !f.also_without_it);
        assert!(!follow("ALARM(other)").whenever_in_alarm);
        assert!(follow("TRUE").whenever_in_alarm);
        let many: Vec<String> = (0..=MAX_OTHER_ALARMS)
            .map(|i| format!("ALARM(o{i})"))
            .collect();
        let rule = AlarmRule::parse(&format!("ALARM(kms) OR {}", many.join(" OR "))).unwrap();
        assert_eq!(rule.fires_with(&is_kms), None);
    }
}

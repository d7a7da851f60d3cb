//! Evaluating JSON patterns without building a `serde_json::Value`.
//!
//! The selectors of a pattern become a trie of path steps. The event is read by
//! `serde_json` with a `DeserializeSeed` that walks only the members and elements
//! the trie names, records the scalars found at selector ends, and skips
//! everything else with `IgnoredAny` — which still checks the syntax, so an
//! invalid document matches nothing.

use super::ast::{JsonExpr, Segment, Selector, Test};
use super::value::{compare, Scalar};
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::fmt;

/// What a selector found at one place in the event.
#[derive(Debug, Clone, PartialEq)]
enum Found<'de> {
    Scalar(Scalar<'de>),
    /// An object or an array: present, but never a comparable value.
    Composite,
}

#[derive(Debug, Clone, Default)]
struct Node {
    children: Vec<(Segment, usize)>,
    /// Selector slots that end at this node.
    slots: Vec<usize>,
}

/// The expression with each selector replaced by its slot number.
#[derive(Debug, Clone)]
enum PlanExpr {
    And(Vec<PlanExpr>),
    Or(Vec<PlanExpr>),
    Condition { slot: usize, test: Test },
}

/// The selector trie of one JSON pattern, and its expression over selector slots.
#[derive(Debug, Clone)]
pub(crate) struct JsonPlan {
    nodes: Vec<Node>,
    selectors: Vec<Selector>,
    expr: PlanExpr,
}

impl JsonPlan {
    pub fn new(expr: &JsonExpr) -> Self {
        let mut plan = JsonPlan {
            nodes: vec![Node::default()],
            selectors: Vec::new(),
            expr: PlanExpr::And(Vec::new()),
        };
        plan.expr = plan.add_expr(expr);
        plan
    }

    fn add_expr(&mut self, expr: &JsonExpr) -> PlanExpr {
        match expr {
            JsonExpr::And(v) => PlanExpr::And(v.iter().map(|e| self.add_expr(e)).collect()),
            JsonExpr::Or(v) => PlanExpr::Or(v.iter().map(|e| self.add_expr(e)).collect()),
            JsonExpr::Condition(c) => {
                let slot = match self.selectors.iter().position(|s| *s == c.selector) {
                    Some(slot) => slot,
                    None => self.add_selector(c.selector.clone()),
                };
                PlanExpr::Condition {
                    slot,
                    test: c.test.clone(),
                }
            }
        }
    }

    fn add_selector(&mut self, selector: Selector) -> usize {
        let slot = self.selectors.len();
        let mut node = 0;
        for segment in &selector.segments {
            let existing = self.nodes[node]
                .children
                .iter()
                .find(|(s, _)| s == segment)
                .map(|&(_, n)| n);
            node = match existing {
                Some(n) => n,
                None => {
                    self.nodes.push(Node::default());
                    let n = self.nodes.len() - 1;
                    self.nodes[node].children.push((segment.clone(), n));
                    n
                }
            };
        }
        self.nodes[node].slots.push(slot);
        self.selectors.push(selector);
        slot
    }

    /// Evaluates the pattern against `event`.
    pub fn matches(&self, event: &str) -> bool {
        let mut found: Vec<Vec<Found<'_>>> = vec![Vec::new(); self.selectors.len()];
        let mut de = serde_json::Deserializer::from_str(event);
        let seed = ValueSeed {
            plan: self,
            nodes: Nodes::One(0),
            found: &mut found,
        };
        let root_is_container = match seed.deserialize(&mut de) {
            Ok(is_container) => is_container,
            Err(_) => return false,
        };
        if de.end().is_err() || !root_is_container {
            return false;
        }
        eval(&self.expr, &found)
    }
}

fn eval(expr: &PlanExpr, found: &[Vec<Found<'_>>]) -> bool {
    match expr {
        PlanExpr::And(v) => v.iter().all(|e| eval(e, found)),
        PlanExpr::Or(v) => v.iter().any(|e| eval(e, found)),
        PlanExpr::Condition { slot, test } => {
            let values = found.get(*slot).map_or(&[][..], Vec::as_slice);
            if *test == Test::NotExists {
                return values.is_empty();
            }
            values.iter().any(|v| match v {
                Found::Composite => false,
                Found::Scalar(s) => match test {
                    Test::Compare(op, value) => compare(*op, value, s),
                    Test::IsNull => *s == Scalar::Null,
                    Test::IsTrue => *s == Scalar::Bool(true),
                    Test::IsFalse => *s == Scalar::Bool(false),
                    Test::NotExists => false,
                },
            })
        }
    }
}

/// The trie nodes a value is reached by: usually one, several under wildcards.
#[derive(Clone)]
enum Nodes {
    One(usize),
    Many(Vec<usize>),
}

impl Nodes {
    fn as_slice(&self) -> &[usize] {
        match self {
            Nodes::One(n) => std::slice::from_ref(n),
            Nodes::Many(v) => v,
        }
    }

    /// The children of these nodes that a member key or element index leads to.
    fn step(&self, plan: &JsonPlan, key: Option<&str>, index: Option<u64>) -> Option<Nodes> {
        let mut next: Option<Nodes> = None;
        for &n in self.as_slice() {
            let Some(node) = plan.nodes.get(n) else {
                continue;
            };
            for (segment, child) in &node.children {
                let hit = match segment {
                    Segment::Key(k) => key == Some(k.as_str()),
                    Segment::Index(i) => index == Some(u64::from(*i)),
                    Segment::AnyIndex => index.is_some(),
                    Segment::AnyMember => true,
                };
                if hit {
                    next = Some(match next {
                        None => Nodes::One(*child),
                        Some(Nodes::One(a)) => Nodes::Many(vec![a, *child]),
                        Some(Nodes::Many(mut v)) => {
                            v.push(*child);
                            Nodes::Many(v)
                        }
                    });
                }
            }
        }
        next
    }
}

/// Reads one value reached through `nodes`; returns whether it was an object or array.
struct ValueSeed<'p, 'f, 'de> {
    plan: &'p JsonPlan,
    nodes: Nodes,
    found: &'f mut Vec<Vec<Found<'de>>>,
}

impl<'de> ValueSeed<'_, '_, 'de> {
    fn record(&mut self, value: Found<'de>) {
        for &n in self.nodes.as_slice() {
            let Some(node) = self.plan.nodes.get(n) else {
                continue;
            };
            for &slot in &node.slots {
                if let Some(list) = self.found.get_mut(slot) {
                    list.push(value.clone());
                }
            }
        }
    }

    fn scalar(mut self, value: Scalar<'de>) -> bool {
        self.record(Found::Scalar(value));
        false
    }
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_, '_, 'de> {
    type Value = bool;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_, '_, 'de> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<bool, E> {
        Ok(self.scalar(Scalar::Bool(v)))
    }
    fn visit_i64<E>(self, v: i64) -> Result<bool, E> {
        Ok(self.scalar(Scalar::I64(v)))
    }
    fn visit_u64<E>(self, v: u64) -> Result<bool, E> {
        Ok(self.scalar(Scalar::U64(v)))
    }
    fn visit_f64<E>(self, v: f64) -> Result<bool, E> {
        Ok(self.scalar(Scalar::F64(v)))
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<bool, E> {
        Ok(self.scalar(Scalar::Str(Cow::Borrowed(v))))
    }
    fn visit_str<E>(self, v: &str) -> Result<bool, E> {
        Ok(self.scalar(Scalar::Str(Cow::Owned(v.to_owned()))))
    }
    fn visit_string<E>(self, v: String) -> Result<bool, E> {
        Ok(self.scalar(Scalar::Str(Cow::Owned(v))))
    }
    fn visit_unit<E>(self) -> Result<bool, E> {
        Ok(self.scalar(Scalar::Null))
    }
    fn visit_none<E>(self) -> Result<bool, E> {
        Ok(self.scalar(Scalar::Null))
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<bool, A::Error> {
        self.record(Found::Composite);
        while let Some(next) = map.next_key_seed(KeySeed {
            plan: self.plan,
            nodes: &self.nodes,
        })? {
            match next {
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
                Some(nodes) => {
                    map.next_value_seed(ValueSeed {
                        plan: self.plan,
                        nodes,
                        found: &mut *self.found,
                    })?;
                }
            }
        }
        Ok(true)
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<bool, A::Error> {
        self.record(Found::Composite);
        let mut index: u64 = 0;
        loop {
            match self.nodes.step(self.plan, None, Some(index)) {
                None => {
                    if seq.next_element::<IgnoredAny>()?.is_none() {
                        break;
                    }
                }
                Some(nodes) => {
                    let seed = ValueSeed {
                        plan: self.plan,
                        nodes,
                        found: &mut *self.found,
                    };
                    if seq.next_element_seed(seed)?.is_none() {
                        break;
                    }
                }
            }
            index += 1;
        }
        Ok(true)
    }
}

/// Reads a member key and answers which trie nodes its value is reached by.
struct KeySeed<'p, 'n> {
    plan: &'p JsonPlan,
    nodes: &'n Nodes,
}

impl<'de> DeserializeSeed<'de> for KeySeed<'_, '_> {
    type Value = Option<Nodes>;

    fn deserialize<D: de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_, '_> {
    type Value = Option<Nodes>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_str<E>(self, key: &str) -> Result<Self::Value, E> {
        Ok(self.nodes.step(self.plan, Some(key), None))
    }
}

#[cfg(test)]
mod tests {
    use super::super::FilterPattern;

    fn m(pattern: &str, event: &str) -> bool {
        FilterPattern::parse(pattern)
            .unwrap_or_else(|e| panic!("{pattern}: {e}"))
            .matches_without_prefilter(event)
    }

    #[test]
    fn selects_nested_members_and_elements() {
        let ev = r#"{"a":{"b":[{"c":1},{"c":2}]},"x":"y"}"#;
        assert!(m("{ $.a.b[1].c = 2 }", ev));
        assert!(!m("{ $.a.b[0].c = 2 }", ev));
        assert!(m("{ $.a.b[*].c = 2 }", ev));
        assert!(m("{ $.*.b[0].c = 1 }", ev));
        assert!(m("{ $.* = y }", ev));
        assert!(m("{ $.['x'] = y }", ev));
    }

    #[test]
    fn composite_values_never_match() {
        let ev = r#"{"users":[1,2,3]}"#;
        assert!(!m("{ $.users = 1 }", ev));
        assert!(!m("{ $.users != 1 }", ev));
        assert!(!m("{ $.users NOT EXISTS }", ev));
    }

    #[test]
    fn invalid_or_non_container_json_never_matches() {
        assert!(!m("{ $.a NOT EXISTS }", "not json"));
        assert!(!m("{ $.a NOT EXISTS }", "{\"a\":1"));
        assert!(!m("{ $.a NOT EXISTS }", "{\"b\":1} trailing"));
        assert!(!m("{ $.a NOT EXISTS }", "\"a string\""));
        assert!(m("{ $.a NOT EXISTS }", "{\"b\":1}\n"));
        assert!(m("{ $[1] = 2 }", "[1,2]"));
    }

    #[test]
    fn escaped_strings_are_decoded() {
        assert!(m(
            "{ $.eventName = DisableKey }",
            r#"{"eventName":"\u0044isableKey"}"#
        ));
        assert!(m("{ $.k = \"a\\\"b\" }", r#"{"k":"a\"b"}"#));
    }

    #[test]
    fn duplicate_keys_are_all_seen() {
        assert!(m("{ $.a = 2 }", r#"{"a":1,"a":2}"#));
    }
}

//! Properties of the event pattern engine: parsing and matching never panic on
//! arbitrary JSON, `$or` means OR, and operators agree with their definitions.

use kmswatch_core::event_pattern::{Dialect, EventPattern, FilterPolicyScope};
use proptest::prelude::*;
use serde_json::{json, Map, Value};

const DIALECTS: [Dialect; 3] = [
    Dialect::EventBridge,
    Dialect::SnsFilterPolicy(FilterPolicyScope::MessageAttributes),
    Dialect::SnsFilterPolicy(FilterPolicyScope::MessageBody),
];

/// Keys that matter to the grammar, plus ordinary ones.
fn any_key() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("$or".to_owned()),
        Just("prefix".to_owned()),
        Just("suffix".to_owned()),
        Just("anything-but".to_owned()),
        Just("equals-ignore-case".to_owned()),
        Just("wildcard".to_owned()),
        Just("numeric".to_owned()),
        Just("cidr".to_owned()),
        Just("exists".to_owned()),
        "[a-d]",
        ".{0,6}",
    ]
}

fn any_scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        prop_oneof![
            Just("=".to_owned()),
            Just("<".to_owned()),
            Just(">=".to_owned()),
            Just("10.0.0.0/8".to_owned()),
            Just("::1".to_owned()),
            "[a-z*\\\\]{0,6}",
            ".{0,8}",
        ]
        .prop_map(Value::String),
    ]
}

fn any_json() -> impl Strategy<Value = Value> {
    any_scalar().prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((any_key(), inner), 0..6)
                .prop_map(|entries| Value::Object(entries.into_iter().collect())),
        ]
    })
}

/// Scalars of a small universe, so that patterns and events meet.
fn small_scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!("x")),
        Just(json!("xy")),
        Just(json!("Xy")),
        Just(json!("")),
        Just(json!("10.0.0.7")),
        Just(json!(0)),
        Just(json!(1)),
        Just(json!(2.5)),
        Just(json!(-3)),
        Just(json!(true)),
        Just(Value::Null),
    ]
}

fn small_text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("x".to_owned()),
        Just("y".to_owned()),
        Just("X".to_owned()),
        Just("10.".to_owned())
    ]
}

fn small_number() -> impl Strategy<Value = f64> {
    prop_oneof![Just(-3.0), Just(0.0), Just(1.0), Just(2.0), Just(2.5)]
}

/// One element of a value list, valid in every dialect.
fn matcher() -> impl Strategy<Value = Value> {
    prop_oneof![
        small_scalar(),
        small_text().prop_map(|t| json!({"prefix": t})),
        small_text().prop_map(|t| json!({"suffix": t})),
        small_text().prop_map(|t| json!({"equals-ignore-case": t})),
        small_text().prop_map(|t| json!({"anything-but": t})),
        prop::collection::vec(small_text(), 1..3).prop_map(|t| json!({"anything-but": t})),
        small_number().prop_map(|n| json!({"anything-but": n})),
        small_text().prop_map(|t| json!({"anything-but": {"prefix": t}})),
        small_number().prop_map(|n| json!({"numeric": [">", n]})),
        small_number().prop_map(|n| json!({"numeric": ["<=", n]})),
        small_number().prop_map(|n| json!({"numeric": [">=", n, "<", n + 1.5]})),
        Just(json!({"cidr": "10.0.0.0/24"})),
        any::<bool>().prop_map(|b| json!({"exists": b})),
    ]
}

fn field_key() -> impl Strategy<Value = String> {
    prop_oneof![Just("a"), Just("b"), Just("c")].prop_map(str::to_owned)
}

/// A well-formed pattern object (no `$or`), nested at most `depth` levels.
fn pattern(depth: u32) -> BoxedStrategy<Value> {
    let values = prop::collection::vec(matcher(), 1..3).prop_map(Value::Array);
    let field = if depth == 0 {
        values.boxed()
    } else {
        prop_oneof![3 => values, 1 => pattern(depth - 1)].boxed()
    };
    prop::collection::btree_map(field_key(), field, 1..3)
        .prop_map(|m| Value::Object(m.into_iter().collect()))
        .boxed()
}

/// Events over the same keys and scalars, with arrays and nesting.
fn event() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        small_scalar(),
        prop::collection::vec(small_scalar(), 0..3).prop_map(Value::Array),
    ];
    leaf.prop_recursive(3, 24, 3, |inner| {
        prop_oneof![
            prop::collection::btree_map(field_key(), inner.clone(), 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
            prop::collection::vec(
                prop::collection::btree_map(field_key(), inner, 0..3)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
                0..3
            )
            .prop_map(Value::Array),
        ]
    })
    .prop_map(|v| match v {
        Value::Object(_) => v,
        other => json!({ "a": other }),
    })
}

fn with_or(base: Option<&Value>, a: &Value, b: &Value) -> Value {
    let mut object = match base {
        Some(Value::Object(m)) => m.clone(),
        _ => Map::new(),
    };
    object.insert("$or".to_owned(), json!([a, b]));
    Value::Object(object)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_json_never_panics(p in any_json(), e in any_json()) {
        for dialect in DIALECTS {
            if let Ok(parsed) = EventPattern::from_value(&p, dialect) {
                let _ = parsed.matches(&e);
                let _ = parsed.matches_json(&e.to_string());
                let _ = parsed.combinations();
            }
            let _ = EventPattern::parse(&p.to_string(), dialect);
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in ".{0,64}") {
        for dialect in DIALECTS {
            let _ = EventPattern::parse(&text, dialect);
        }
    }

    #[test]
    fn or_is_logical_or(a in pattern(2), b in pattern(2), base in pattern(1), e in event()) {
        for dialect in [Dialect::EventBridge, Dialect::SnsFilterPolicy(FilterPolicyScope::MessageBody)] {
            let (Ok(pa), Ok(pb)) = (EventPattern::from_value(&a, dialect), EventPattern::from_value(&b, dialect)) else {
                continue; // over an SNS limit
            };
            if let Ok(either) = EventPattern::from_value(&with_or(None, &a, &b), dialect) {
                prop_assert_eq!(either.matches(&e), pa.matches(&e) || pb.matches(&e), "{} {}", a, b);
            }
            if let (Ok(pbase), Ok(both)) = (
                EventPattern::from_value(&base, dialect),
                EventPattern::from_value(&with_or(Some(&base), &a, &b), dialect),
            ) {
                prop_assert_eq!(
                    both.matches(&e),
                    pbase.matches(&e) && (pa.matches(&e) || pb.matches(&e))
                );
            }
        }
    }

    #[test]
    fn numeric_range_agrees_with_comparison(lo in -50i32..50, width in 1i32..50, x in -120i32..120, half in any::<bool>()) {
        let x = f64::from(x) + if half { 0.5 } else { 0.0 };
        let (lo, hi) = (f64::from(lo), f64::from(lo + width));
        let p = EventPattern::from_value(&json!({"n": [{"numeric": [">", lo, "<=", hi]}]}), Dialect::EventBridge).unwrap();
        prop_assert_eq!(p.matches(&json!({"n": x})), lo < x && x <= hi);
        let as_text = json!({"n": x.to_string()});
        prop_assert!(!p.matches(&as_text), "numeric matched a string");
    }

    #[test]
    fn anything_but_is_the_negation_of_exact_on_present_strings(
        excluded in prop::collection::vec("[a-c]{0,2}", 1..4),
        value in "[a-c]{0,2}",
    ) {
        let exact = EventPattern::from_value(&json!({"k": excluded}), Dialect::EventBridge).unwrap();
        let but = EventPattern::from_value(&json!({"k": [{"anything-but": excluded}]}), Dialect::EventBridge).unwrap();
        let event = json!({"k": value});
        prop_assert_eq!(but.matches(&event), !exact.matches(&event));
        let missing = json!({});
        prop_assert!(!but.matches(&missing), "anything-but matched a missing key");
    }

    #[test]
    fn wildcard_agrees_with_prefix_and_suffix(text in "[ab.]{0,4}", value in "[ab.]{0,6}") {
        let dialect = Dialect::EventBridge;
        let star_end = EventPattern::from_value(&json!({"k": [{"wildcard": format!("{text}*")}]}), dialect).unwrap();
        let prefix = EventPattern::from_value(&json!({"k": [{"prefix": text}]}), dialect).unwrap();
        let star_start = EventPattern::from_value(&json!({"k": [{"wildcard": format!("*{text}")}]}), dialect).unwrap();
        let suffix = EventPattern::from_value(&json!({"k": [{"suffix": text}]}), dialect).unwrap();
        let event = json!({"k": value});
        prop_assert_eq!(star_end.matches(&event), prefix.matches(&event));
        prop_assert_eq!(star_start.matches(&event), suffix.matches(&event));
    }
}

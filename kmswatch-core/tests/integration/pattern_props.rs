//! Properties of the pattern engine: parsing never panics, matching never panics,
//! the canonical form round-trips, and the prefilter never changes an answer.

use kmswatch_core::pattern::FilterPattern;
use proptest::prelude::*;

/// Characters that matter to the grammar, plus a little of everything else.
const SYNTAX: &str = "[{}\\[\\]()$.*%\"'=!<>&|?,:;@#/_ a-zA-Z0-9\\\\\\-+éß\t]{0,80}";

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("DisableKey".to_owned()),
        Just("kms.amazonaws.com".to_owned()),
        Just("ERROR".to_owned()),
        "[a-zA-Z0-9_]{1,8}",
        "[a-z .:/*-]{1,8}",
        "[a-zé\"\\\\ ]{0,6}",
    ]
}

fn quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        word().prop_map(|w| quoted(&w)),
        "[a-zA-Z0-9_.]{1,8}\\*?",
        "\\*[a-zA-Z0-9_]{0,8}",
        "[+-]?[0-9]{1,5}(\\.[0-9]{1,3})?([eE][+-]?[0-9]{1,2})?",
        "%\\^?[a-z0-9:_ ]{1,6}(\\[[a-c]-[x-z]\\]|\\[[0-3]-[5-9]\\])?(\\\\d|\\\\\\.|\\*|\\+|\\{1,3\\})?\\$?%",
    ]
}

fn number() -> impl Strategy<Value = String> {
    "[+-]?[0-9]{1,5}(\\.[0-9]{1,3})?([eE][+-]?[0-9]{1,2})?"
}

fn selector() -> impl Strategy<Value = String> {
    let segment = prop_oneof![
        "\\.[a-zA-Z_][a-zA-Z0-9_-]{0,6}",
        "\\[[0-9]{1,2}\\]",
        Just("[*]".to_owned()),
        Just(".*".to_owned()),
        "\\['[a-z. ]{0,5}'\\]",
    ];
    // CloudWatch Logs allows one wildcard per property selector.
    prop::collection::vec(segment, 1..4)
        .prop_filter("one wildcard per selector", |s| {
            s.iter().filter(|x| x.contains('*')).count() <= 1
        })
        .prop_map(|s| format!("${}", s.concat()))
}

/// Parses a generated pattern; one over the quota of three wildcard selectors
/// per compound pattern is rejected by AWS too, so the case is discarded.
fn parse_generated(text: &str) -> Result<FilterPattern, TestCaseError> {
    match FilterPattern::parse(text) {
        Err(e) if e.message.contains("wildcard selectors") => {
            Err(TestCaseError::reject("over the wildcard quota"))
        }
        other => other.map_err(|e| TestCaseError::fail(format!("{text:?}: {e}"))),
    }
}

fn condition() -> impl Strategy<Value = String> {
    prop_oneof![
        (selector(), prop_oneof![Just("="), Just("!=")], value())
            .prop_map(|(s, o, v)| format!("{s} {o} {v}")),
        (
            selector(),
            prop_oneof![Just("<"), Just(">"), Just("<="), Just(">=")],
            number()
        )
            .prop_map(|(s, o, v)| format!("{s}{o}{v}")),
        (
            selector(),
            prop_oneof![
                Just("IS NULL"),
                Just("IS TRUE"),
                Just("is false"),
                Just("NOT EXISTS")
            ]
        )
            .prop_map(|(s, t)| format!("{s} {t}")),
    ]
}

fn json_expr() -> impl Strategy<Value = String> {
    condition().prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a} && {b}")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a}||{b}")),
            inner.prop_map(|a| format!("( {a} )")),
        ]
    })
}

fn regex_count(s: &str) -> usize {
    // Good enough for generated patterns: values with %…% come in pairs of '%'.
    s.matches('%').count() / 2
}

fn json_pattern() -> impl Strategy<Value = String> {
    json_expr()
        .prop_filter("at most 2 regexes", |e| regex_count(e) <= 2)
        .prop_map(|e| format!("{{ {e} }}"))
}

fn field() -> impl Strategy<Value = String> {
    let cond = prop_oneof![
        (
            "[a-z][a-z0-9_]{0,5}",
            prop_oneof![Just("="), Just("!=")],
            value()
        )
            .prop_map(|(n, o, v)| format!("{n}{o}{v}")),
        (
            "[a-z][a-z0-9_]{0,5}",
            prop_oneof![Just(">"), Just("<=")],
            number()
        )
            .prop_map(|(n, o, v)| format!("{n} {o} {v}")),
    ];
    prop_oneof![
        Just("...".to_owned()),
        Just(String::new()),
        "[a-z][a-z0-9_]{0,5}",
        cond.clone(),
        (cond.clone(), cond.clone()).prop_map(|(a, b)| format!("{a} && {b}")),
        (cond.clone(), cond).prop_map(|(a, b)| format!("{a} || {b}")),
    ]
}

fn delimited_pattern() -> impl Strategy<Value = String> {
    prop::collection::vec(field(), 1..6)
        .prop_map(|f| format!("[{}]", f.join(", ")))
        .prop_filter("at most 2 regexes", |p| regex_count(p) <= 2)
}

fn terms_pattern() -> impl Strategy<Value = String> {
    let term = (prop_oneof![Just(""), Just("?"), Just("-")], word()).prop_map(|(op, w)| {
        if w.chars().all(|c| c.is_ascii_alphanumeric()) && !w.is_empty() {
            format!("{op}{w}")
        } else {
            format!("{op}{}", quoted(&w))
        }
    });
    prop::collection::vec(term, 1..5).prop_map(|t| t.join(" "))
}

fn regex_pattern() -> impl Strategy<Value = String> {
    "%\\^?[a-zA-Z0-9:_ ]{1,6}(\\[\\^?[a-c]-[x-z]\\]|\\[[0-3]-[5-9]\\]|\\\\w|\\\\s|\\.)?(\\*|\\+|\\?|\\{2\\}|\\{1,3\\})?(\\|[a-z]{1,3})?\\$?%"
}

fn any_pattern() -> impl Strategy<Value = String> {
    prop_oneof![
        json_pattern(),
        delimited_pattern(),
        terms_pattern(),
        regex_pattern(),
        Just(String::new())
    ]
}

/// Events built from the same vocabulary, so patterns sometimes match.
fn event() -> impl Strategy<Value = String> {
    let json_value = prop_oneof![
        word().prop_map(|w| serde_json::to_string(&w).unwrap_or_default()),
        Just("\"\\u0044isableKey\"".to_owned()),
        Just("\"kms\\u002eamazonaws.com\"".to_owned()),
        number(),
        Just("null".to_owned()),
        Just("true".to_owned()),
        Just("[1,\"x\",{\"a\":null}]".to_owned()),
        Just("{\"eventName\":\"DisableKey\",\"a\":[2]}".to_owned()),
    ];
    let key = prop_oneof![
        Just("eventName"),
        Just("eventSource"),
        Just("a"),
        Just("b"),
        Just("x.y"),
        Just("0")
    ];
    let member = (key, json_value).prop_map(|(k, v)| format!("\"{k}\":{v}"));
    prop_oneof![
        prop::collection::vec(member, 0..6).prop_map(|m| format!("{{{}}}", m.join(","))),
        prop::collection::vec(word(), 0..8).prop_map(|w| w.join(" ")),
        SYNTAX.prop_map(|s| s),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, .. ProptestConfig::default() })]

    #[test]
    fn parse_never_panics(text in SYNTAX) {
        let _ = FilterPattern::parse(&text);
    }

    #[test]
    fn parse_never_panics_on_any_string(text in any::<String>()) {
        if let Err(e) = FilterPattern::parse(&text) {
            prop_assert!(e.offset <= text.len());
            prop_assert!(text.is_char_boundary(e.offset));
        }
    }

    #[test]
    fn canonical_form_round_trips(text in any_pattern()) {
        let p = parse_generated(&text)?;
        let canonical = p.to_string();
        let q = FilterPattern::parse(&canonical)
            .map_err(|e| TestCaseError::fail(format!("canonical {canonical:?} of {text:?}: {e}")))?;
        prop_assert_eq!(&q, &p, "{:?} -> {:?}", text, canonical);
        prop_assert_eq!(q.to_string(), canonical);
        prop_assert_eq!(q.kind(), p.kind());
    }

    #[test]
    fn matching_never_panics_and_prefilter_is_sound(text in any_pattern(), ev in event()) {
        let p = parse_generated(&text)?;
        let full = p.matches_without_prefilter(&ev);
        prop_assert_eq!(p.matches(&ev), full, "pattern {:?} event {:?}", text, ev);
        if full {
            prop_assert!(p.may_match(ev.as_bytes()));
            prop_assert!(p.required_literals().is_satisfied_by(ev.as_bytes()) || ev.contains("\\u"));
        }
    }

    #[test]
    fn matching_arbitrary_events_never_panics(text in any_pattern(), ev in any::<String>()) {
        if let Ok(p) = FilterPattern::parse(&text) {
            let _ = p.matches(&ev);
            let _ = p.matches_without_prefilter(&ev);
        }
    }
}

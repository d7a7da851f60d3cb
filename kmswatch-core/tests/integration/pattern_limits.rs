//! Input limits of the pattern engine: the deepest nesting kmswatch allows
//! parses, prints, matches and explains, and anything deeper (up to what 1,024
//! characters allow) is refused, on a thread with a small stack — even in a
//! debug build, whose frames are several times larger than a release build's.

use kmswatch_core::corpus::kms_key_lifecycle;
use kmswatch_core::pattern::{coverage, FilterPattern, MAX_NESTING, MAX_PATTERN_CHARS};

/// 256 KiB: a thirty-second of Linux's default thread stack. (A release build
/// needs a fraction of it: musl's 128 KiB default is ample there.)
const SMALL_STACK: usize = 256 * 1024;

fn on_small_stack(work: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(SMALL_STACK)
        .spawn(work)
        .expect("spawn")
        .join()
        .expect("the work finished without overflowing the stack");
}

fn deepest(open: &str, inner: &str, close: &str) -> String {
    let depth = (MAX_PATTERN_CHARS - inner.len()) / (open.len() + close.len());
    format!("{}{inner}{}", open.repeat(depth), close.repeat(depth))
}

fn nested(depth: usize) -> String {
    let inner = "($.eventName = DisableKey || $.eventName = ScheduleKeyDeletion) && $.x = 1";
    format!("{{ {}{inner}{} }}", "(".repeat(depth), ")".repeat(depth))
}

#[test]
fn the_deepest_allowed_nesting_works_on_a_small_stack() {
    // MAX_NESTING levels, plus the inner group.
    let text = nested(MAX_NESTING - 1);
    on_small_stack(move || {
        let pattern = FilterPattern::parse(&text).unwrap_or_else(|e| panic!("{e}"));
        assert!(pattern.matches(r#"{"eventName":"DisableKey","x":1}"#));
        assert!(!pattern.to_string().is_empty());
        let _ = coverage(&pattern, kms_key_lifecycle());
    });
}

#[test]
fn deeper_nesting_is_refused_on_a_small_stack_with_the_offset() {
    // As deep as 1,024 characters allow.
    let text = "{ ".to_owned() + &deepest("(", "$.eventName = DisableKey", ")") + " }";
    let text: String = text.chars().take(MAX_PATTERN_CHARS).collect();
    on_small_stack(move || {
        let err = FilterPattern::parse(&text).unwrap_err();
        assert!(err.message.contains("nested deeper"), "{err}");
        assert_eq!(err.offset, 2 + MAX_NESTING);
    });
    let err = FilterPattern::parse(&nested(MAX_NESTING)).unwrap_err();
    assert!(err.message.contains("nested deeper"), "{err}");
}

#[test]
fn deep_alternation_and_negation_on_a_small_stack() {
    let and_chain = format!("{{ {} }}", vec!["($.a = 1)"; 90].join(" && "));
    let negations = format!(
        "{{ {} }}",
        deepest("!(", "$.x = 1", ")").trim_start_matches('{')
    );
    for text in [and_chain, negations] {
        on_small_stack(move || {
            // Valid or not, the answer comes back: no overflow, no panic.
            if let Ok(pattern) = FilterPattern::parse(&text) {
                let _ = pattern.matches(r#"{"a":1,"x":2}"#);
                let _ = pattern.to_string();
                let _ = coverage(&pattern, kms_key_lifecycle());
            }
        });
    }
}

#[test]
fn over_long_patterns_are_refused_with_the_offset() {
    let text = "a".repeat(MAX_PATTERN_CHARS + 1);
    let err = FilterPattern::parse(&text).unwrap_err();
    assert_eq!(err.offset, MAX_PATTERN_CHARS);
}

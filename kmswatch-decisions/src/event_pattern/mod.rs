//! One engine for EventBridge event patterns and SNS subscription filter
//! policies: parser (typed errors with JSON paths), dialect rules and limits,
//! and matching against JSON events.
//!
//! ```
//! use kmswatch_decisions::event_pattern::{Dialect, EventPattern, FilterPolicyScope};
//! use serde_json::json;
//!
//! let rule = EventPattern::parse(
//!     r#"{"source": ["aws.kms"],
//!         "detail": {"eventName": ["DisableKey", {"prefix": "ScheduleKey"}]}}"#,
//!     Dialect::EventBridge,
//! )?;
//! assert!(rule.matches(&json!({"source": "aws.kms", "detail": {"eventName": "ScheduleKeyDeletion"}})));
//! assert!(!rule.matches(&json!({"source": "aws.kms", "detail": {"eventName": "EnableKey"}})));
//!
//! // An SNS filter policy on the body of a CloudWatch alarm notification.
//! let policy = EventPattern::parse(
//!     r#"{"NewStateValue": ["ALARM"]}"#,
//!     Dialect::SnsFilterPolicy(FilterPolicyScope::MessageBody),
//! )?;
//! assert!(policy.matches_json(r#"{"AlarmName": "kms", "NewStateValue": "ALARM"}"#));
//! # Ok::<(), kmswatch_decisions::event_pattern::PatternError>(())
//! ```
//!
//! # The language
//!
//! A pattern is a JSON object. A key whose value is an object descends into the
//! event's object of that name; a key whose value is an array lists what the
//! event's value may be, and matches when any element does. All keys must match
//! (AND); `"$or": [{...}, {...}]` holds when any of its objects (two or more)
//! matches the same event object. Elements of a value list:
//!
//! - exact values: `"aws.kms"`, `300`, `true`, `false`, `null`;
//! - `{"prefix": "us-"}`, `{"suffix": ".png"}`, each also as
//!   `{"prefix": {"equals-ignore-case": "..."}}` (EventBridge only);
//! - `{"equals-ignore-case": "alice"}`;
//! - `{"wildcard": "dir/*.png"}` (EventBridge only);
//! - `{"anything-but": v}` with a string, a number, a list of only strings or
//!   only numbers, or `{"prefix": ...}`, and on EventBridge also `{"suffix": ...}`,
//!   `{"equals-ignore-case": ...}`, `{"wildcard": ...}` (a string or a list);
//! - `{"numeric": ["=", 5]}`, `["<", 5]`, `["<=", 5]`, `[">", 0]`, `[">=", 0]`,
//!   and a lower bound followed by an upper one: `[">", 0, "<=", 5]`;
//! - `{"cidr": "10.0.0.0/24"}` (IPv4 and IPv6);
//! - `{"exists": true}`, `{"exists": false}`.
//!
//! SNS policies are limited to [`SNS_MAX_KEYS`] keys, [`SNS_MAX_COMBINATIONS`]
//! value combinations and [`SNS_MAX_POLICY_BYTES`] bytes (counted as decision 14
//! says), and the `MessageAttributes` scope allows no nesting.
//! An operator this engine does not know is an [`ErrorKind::UnknownOperator`],
//! and a known one the dialect lacks an [`ErrorKind::UnsupportedOperator`]; for
//! both, [`PatternError::needs_manual_review`] is true.
//!
//! # Decisions where the AWS documentation is silent
//!
//! Each is pinned by a test in `tests/data/event_pattern_vectors.json` (its
//! `source` names the decision) or in `tests/event_pattern_vectors.rs`.
//!
//! 1. **Numbers compare by value.** `300`, `300.0` and `3.0e2` are equal;
//!    integers compare exactly (12-digit account IDs never round). A string never
//!    equals a number (`"5"` ≠ `5`), in exact values and in `anything-but`.
//! 2. **IP addresses in exact values** compare as addresses, as AWS's matching
//!    engine does: `"2001:DB8::1"` matches `"2001:db8:0:0:0:0:0:1"`.
//! 3. **`numeric`** matches JSON numbers only (never strings such as `"5"`) and
//!    compares them as doubles. AWS documents a value range (±5e9 EventBridge,
//!    ±1e9 SNS) and 6 (EventBridge) or 5 (SNS) decimal digits; operands outside
//!    the range are accepted and values are compared at full precision here.
//! 4. **Leaves.** `exists` and value lists see the scalars (strings, numbers,
//!    booleans, `null`) at the key, inside arrays at any depth. `null` is a value:
//!    `{"exists": true}` holds for `"k": null`. Objects and empty arrays are not
//!    leaves, so `{"exists": false}` holds for `"k": {...}` and `"k": []`.
//! 5. **`anything-but`** holds for a present value that is not excluded, of any
//!    type (a number or `null` passes a list of strings); it never holds for a
//!    missing key. On an array it holds when one element passes — except for SNS
//!    `String.Array` attributes (`MessageAttributes` scope), where, as the SNS
//!    guide says, no element may be excluded.
//! 6. **Case-insensitive** operators compare Unicode lower-case forms.
//! 7. **Arrays of objects.** A nested pattern is tried against each object
//!    element separately: fields taken from different elements never combine.
//!    `{"exists": false}` under such an array holds when some element lacks the
//!    key. A nested pattern over a missing or non-object value sees no fields, so
//!    only `{"exists": false}` can hold there.
//! 8. **A key constrained twice** (beside a `$or` and inside one of its objects)
//!    must satisfy both constraints.
//! 9. **Dotted keys.** `"a.b"` matches only a key spelled `a.b`, not the path
//!    `a` → `b` (AWS's engine currently matches both and says not to rely on it).
//! 10. **Duplicate keys** in pattern JSON: the last one counts.
//! 11. **Empty policies.** An SNS filter policy `{}` accepts every message;
//!     EventBridge rejects `{}`.
//! 12. **Events** that are not JSON objects match no pattern (but the empty SNS
//!     policy); [`EventPattern::matches_json`] treats text that is not JSON the
//!     same way, as SNS does for `MessageBody` policies.
//! 13. **`wildcard`**: `*` matches any run of characters, empty and line breaks
//!     included; `\*` and `\\` are the only escapes; `**` is rejected.
//! 14. **SNS limits**: keys are counted per `$or` alternative (the largest
//!     counts), top-level keys only; combinations are summed over alternatives; the
//!     size of a [`serde_json::Value`] policy is that of its compact JSON.
//! 15. **`prefix`/`suffix`**: `""` is accepted and matches every string; in
//!     `anything-but`, `""` is rejected (AWS: "Null prefix/suffix not allowed").
//!     An `anything-but` list must not be empty.
//! 16. **`cidr`** with host bits set (`10.0.0.1/24`) means its network.
//! 17. **SNS attributes**: a `Number` that is not a JSON number and a
//!     `String.Array` that is not a JSON array are matched as strings; `Binary`
//!     attributes are absent.

mod ast;
mod attributes;
mod dialect;
mod envelope;
mod errors;
mod limits;
mod matching;
mod numeric;
mod operators;
mod parse;
mod wildcard;

pub use ast::{Exclusion, Field, FieldPattern, Literal, Matcher, ObjectPattern};
pub use attributes::{message_attributes_from_notification, message_attributes_view};
pub use dialect::{
    Dialect, FilterPolicyScope, Operator, UnknownScope, MAX_NESTING_DEPTH, SNS_MAX_COMBINATIONS,
    SNS_MAX_KEYS, SNS_MAX_POLICY_BYTES,
};
pub use envelope::{cloudtrail_api_call_event, CLOUDTRAIL_API_CALL_DETAIL_TYPE};
pub use errors::{ErrorKind, JsonPath, Limit, PathStep, PatternError};
pub use numeric::{Bound, NumericRange};
pub use wildcard::Wildcard;

use serde_json::Value;

/// A parsed EventBridge event pattern or SNS filter policy.
#[derive(Debug, Clone, PartialEq)]
pub struct EventPattern {
    dialect: Dialect,
    root: ObjectPattern,
}

impl EventPattern {
    /// Parses pattern JSON text under `dialect`'s rules.
    pub fn parse(text: &str, dialect: Dialect) -> Result<Self, PatternError> {
        Ok(EventPattern {
            dialect,
            root: parse::parse_text(text, dialect)?,
        })
    }

    /// Parses a pattern already read as JSON.
    pub fn from_value(value: &Value, dialect: Dialect) -> Result<Self, PatternError> {
        Ok(EventPattern {
            dialect,
            root: parse::parse_value(value, dialect, || value.to_string().len())?,
        })
    }

    /// The dialect the pattern was parsed under.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// The parsed pattern.
    pub fn root(&self) -> &ObjectPattern {
        &self.root
    }

    /// Whether the event matches. For SNS `MessageAttributes` policies, pass the
    /// view built by [`message_attributes_view`].
    pub fn matches(&self, event: &Value) -> bool {
        if self.root.is_empty() {
            return true;
        }
        match event {
            Value::Object(object) => matching::object_matches(
                &self.root,
                Some(object),
                matching::Semantics::of(self.dialect),
            ),
            _ => false,
        }
    }

    /// Whether the event given as JSON text matches; text that is not JSON
    /// matches only an empty SNS policy.
    pub fn matches_json(&self, text: &str) -> bool {
        if self.root.is_empty() {
            return true;
        }
        serde_json::from_str::<Value>(text).is_ok_and(|event| self.matches(&event))
    }

    /// The number of value combinations as SNS counts them (see the limits
    /// decision above); at most [`SNS_MAX_COMBINATIONS`] for a valid SNS policy.
    pub fn combinations(&self) -> u64 {
        limits::combinations(&self.root, 1)
    }
}

//! What `kmswatch pattern explain` says of a pattern: its canonical form, the
//! literals every match contains, and which events of the KMS key lifecycle
//! corpus it catches (`kmswatch.pattern/v1`).

use super::{coverage, Coverage, FilterPattern, PatternKind, RequiredLiterals};
use crate::corpus::kms_key_lifecycle_in;
use serde::Serialize;

/// The `schema` of `kmswatch pattern explain --format json`.
pub const EXPLAIN_SCHEMA: &str = "kmswatch.pattern/v1";

/// A pattern explained: the `kmswatch.pattern/v1` document.
///
/// ```
/// use kmswatch_core::pattern::{Explanation, FilterPattern};
/// let pattern: FilterPattern = "{ $.eventName = DisableKey }".parse()?;
/// let explanation = Explanation::of(&pattern, kmswatch_core::corpus::CORPUS_ACCOUNT);
/// assert_eq!(explanation.coverage.missed_target_event_names, ["ScheduleKeyDeletion"]);
/// # Ok::<(), kmswatch_core::pattern::PatternError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Explanation {
    /// Always [`EXPLAIN_SCHEMA`].
    pub schema: &'static str,
    /// The pattern's canonical form.
    pub canonical: String,
    /// Its kind.
    pub kind: PatternKind,
    /// What an event must contain for the pattern to possibly match it.
    pub required_literals: RequiredLiterals,
    /// What it catches of the corpus.
    pub coverage: Coverage,
}

impl Explanation {
    /// Explains `pattern` against the corpus as `account_id`'s trail logs it.
    pub fn of(pattern: &FilterPattern, account_id: &str) -> Self {
        Explanation {
            schema: EXPLAIN_SCHEMA,
            canonical: pattern.to_string(),
            kind: pattern.kind(),
            required_literals: pattern.required_literals(),
            coverage: coverage(pattern, &kms_key_lifecycle_in(account_id)),
        }
    }
}

//! What `kmswatch pattern explain` says of a pattern: its canonical form, the
//! literals every match contains, and which events of a control's corpus it
//! catches — the KMS key lifecycle corpus unless asked (`kmswatch.pattern/v1`).

use super::{coverage, Coverage, FilterPattern, PatternKind, RequiredLiterals};
use crate::controls::{self, Control};
use serde::Serialize;

/// The `schema` of `kmswatch pattern explain --format json`.
pub const EXPLAIN_SCHEMA: &str = "kmswatch.pattern/v1";

/// A pattern explained: the `kmswatch.pattern/v1` document.
///
/// ```
/// use kmswatch_decisions::pattern::{Explanation, FilterPattern};
/// let pattern: FilterPattern = "{ $.eventName = DisableKey }".parse()?;
/// let explanation = Explanation::of(&pattern, kmswatch_decisions::corpus::CORPUS_ACCOUNT);
/// assert_eq!(explanation.coverage.missed_target_event_names, ["ScheduleKeyDeletion"]);
/// # Ok::<(), kmswatch_decisions::pattern::PatternError>(())
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
    /// The control whose corpus judged it (its CIS v1.4.0 number), when not
    /// the KMS control (4.7), whose explanation names none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub control: Option<String>,
}

impl Explanation {
    /// Explains `pattern` against the corpus as `account_id`'s trail logs it.
    pub fn of(pattern: &FilterPattern, account_id: &str) -> Self {
        Self::for_control(pattern, account_id, &controls::KMS)
    }

    /// Explains `pattern` against `control`'s corpus as `account_id`'s trail logs it.
    ///
    /// ```
    /// use kmswatch_decisions::pattern::{Explanation, FilterPattern};
    /// let failures = kmswatch_decisions::controls::find("4.6").unwrap();
    /// let typo: FilterPattern =
    ///     r#"{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failedauthentication") }"#.parse()?;
    /// let explanation = Explanation::for_control(&typo, "111122223333", failures);
    /// assert!(!explanation.coverage.is_complete());
    /// assert_eq!(explanation.control.as_deref(), Some("4.6"));
    /// # Ok::<(), kmswatch_decisions::pattern::PatternError>(())
    /// ```
    pub fn for_control(pattern: &FilterPattern, account_id: &str, control: &Control) -> Self {
        Explanation {
            schema: EXPLAIN_SCHEMA,
            canonical: pattern.to_string(),
            kind: pattern.kind(),
            required_literals: pattern.required_literals(),
            coverage: coverage(pattern, &control.events_in(account_id)),
            control: (!control.is_kms()).then(|| control.cis.to_owned()),
        }
    }
}

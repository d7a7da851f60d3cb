//! Gaps: one thing wrong (or unknown) with a link of a chain.

use super::gap_code::GapCode;
pub use super::status::Severity;
use super::status::Status;
use serde::{Deserialize, Serialize};

/// One thing wrong (or unknown) with a link of a chain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Gap {
    /// Stable machine code, e.g. `TRAIL_NOT_LOGGING`, `PATTERN_MISSES:ScheduleKeyDeletion`.
    pub code: GapCode,
    /// How it weighs.
    pub severity: Severity,
    /// The resource it is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// What is wrong, in one sentence.
    pub message: String,
    /// What to do about it.
    pub fix: String,
}

impl Gap {
    /// A new gap with an explicit severity and fix.
    pub fn new(
        code: GapCode,
        severity: Severity,
        resource: Option<&str>,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Gap {
            code,
            severity,
            resource: resource.map(str::to_owned),
            message: message.into(),
            fix: fix.into(),
        }
    }

    /// A gap with the code's own severity and fix text (template placeholders
    /// filled from `args`).
    pub fn of(
        code: GapCode,
        resource: Option<&str>,
        message: impl Into<String>,
        args: &[(&str, &str)],
    ) -> Self {
        Self::with_fix(code, resource, message, code.fix(args))
    }

    /// A gap with the code's own severity and a fix specific to this occurrence.
    pub fn with_fix(
        code: GapCode,
        resource: Option<&str>,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Self::new(
            code,
            code.info().severity.unwrap_or(Severity::Error),
            resource,
            message,
            fix,
        )
    }

    /// Whether the gap breaks its link (anything but a warning).
    pub fn is_blocking(&self) -> bool {
        self.severity != Severity::Warning
    }
}

/// The codes of the gaps that break a link.
pub fn blocking_codes(gaps: &[Gap]) -> Vec<GapCode> {
    gaps.iter()
        .filter(|g| g.is_blocking())
        .map(|g| g.code)
        .collect()
}

/// The status of a link: the worst of its gaps.
pub fn status_of(gaps: &[Gap]) -> Status {
    Status::all(gaps.iter().map(|g| g.severity.status()))
}

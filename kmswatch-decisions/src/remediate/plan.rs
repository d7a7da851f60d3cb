//! `plan`: facts in, the smallest list of actions that makes the account pass.
//! Pure; no I/O.
//!
//! The plan reuses what works. It reads the typed [`Assessment`] of the facts:
//! a chain whose trail and log group are sound is a *site* (`remediate/site.rs`); on
//! it, kmswatch tries (in order of preference) to subscribe to the topic of an
//! otherwise sound alarm, to take over a fixable alarm (`--adopt` only), to add
//! an alarm on the metric of a filter that already catches both events, and to
//! add the CIS metric filter (publishing to the metric of a working alarm when
//! there is one). The candidate with the fewest actions wins, preferring one
//! that needs no human confirmation. Trail-level gaps are prerequisites kmswatch
//! does not fix.

pub use super::action::{Action, Change, PendingSubscription};
use super::draft::Draft;
use super::error::RemediateError;
use super::eventbridge::plan_eventbridge;
use super::options::RemediateOptions;
use super::site::Site;
use super::via::Via;
use crate::check::{Assessment, ChainAssessment, Gap, Remedy, Severity, Status};
use crate::controls::{parse_selection, Control};
use crate::redact;
use serde::{Deserialize, Serialize};

/// The plan schema, printed as `"schema"`.
pub const PLAN_SCHEMA: &str = "kmswatch.plan/v1";

/// What kmswatch will do to make the account pass.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Plan {
    /// Always [`PLAN_SCHEMA`].
    pub schema: String,
    /// The account.
    pub account_id: String,
    /// The region whose trails were listed.
    pub region: String,
    /// The verdict of the facts the plan starts from.
    pub status_before: Status,
    /// The trail whose chain the plan completes (none when already passing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trail_arn: Option<String>,
    /// Its log group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_group_arn: Option<String>,
    /// The writes, in dependency order. Empty: nothing to change.
    pub actions: Vec<Action>,
    /// Resources of the chosen names that exist with identical settings.
    pub unchanged: Vec<String>,
    /// Subscriptions that must be confirmed before the account passes.
    pub pending_confirmation: Vec<PendingSubscription>,
    /// What was reused, what was left alone, and why.
    pub notes: Vec<String>,
    /// The kmswatch version that made the plan.
    #[serde(default)]
    pub kmswatch_version: String,
    /// When the plan was made (RFC 3339, UTC); set by the face that makes it.
    #[serde(default)]
    pub generated_at: Option<String>,
    /// What the plan builds: `eventbridge` for EventBridge rules (absent: the
    /// metric-filter chain).
    #[serde(default, skip_serializing_if = "Via::is_metric_filter")]
    pub via: Via,
    /// The monitoring controls the plan makes pass (`--control`), by their
    /// CIS v1.4.0 numbers; absent: the KMS control alone. The preview and
    /// the check after applying judge each of them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub controls: Vec<String>,
}

impl Plan {
    /// The controls the plan makes pass: the KMS control when it names none
    /// (an id kmswatch does not know is left out).
    pub fn selected_controls(&self) -> Vec<&'static Control> {
        parse_selection(
            self.controls
                .iter()
                .filter(|id| crate::controls::find(id).is_some()),
        )
        .unwrap_or_else(|_| vec![&crate::controls::KMS])
    }

    /// The plan as one JSON document.
    pub fn to_json(&self) -> String {
        // Only strings, numbers, bools, lists and string-keyed maps.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Whether applying changes nothing.
    pub fn is_empty(&self) -> bool {
        self.actions.is_empty()
    }

    /// The endpoints the plan names (the subscriptions it makes, those
    /// awaiting confirmation), each with its redacted form, for
    /// [`redact::replace_all`] over what is printed of the plan.
    pub fn endpoints(&self) -> Vec<(String, String)> {
        let subscribed = self.actions.iter().filter_map(|a| match a {
            Action::Subscribe {
                protocol, endpoint, ..
            } => Some((protocol.as_str(), endpoint.as_str())),
            _ => None,
        });
        let pending = self
            .pending_confirmation
            .iter()
            .map(|p| (p.protocol.as_str(), p.endpoint.as_str()));
        let mut pairs: Vec<(String, String)> = subscribed
            .chain(pending)
            .map(|(protocol, raw)| (raw.to_owned(), redact::endpoint(protocol, raw)))
            .filter(|(raw, redacted)| raw != redacted)
            .collect();
        // Longer endpoints first, so that one that contains another is replaced whole.
        pairs.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        pairs.dedup();
        pairs
    }
}

/// A plan with no action yet, from the facts `assessment` judged.
pub(super) fn empty_plan(assessment: &Assessment<'_>, options: &RemediateOptions) -> Plan {
    let facts = assessment.facts;
    Plan {
        schema: PLAN_SCHEMA.to_owned(),
        account_id: facts.account_id.clone(),
        region: facts.region.clone(),
        status_before: assessment.status,
        trail_arn: None,
        log_group_arn: None,
        actions: Vec::new(),
        unchanged: Vec::new(),
        pending_confirmation: Vec::new(),
        notes: Vec::new(),
        kmswatch_version: crate::VERSION.to_owned(),
        generated_at: None,
        via: options.via,
        controls: Vec::new(),
    }
}

/// The KMS control's plan (see [`super::plan()`]).
pub(super) fn plan_kms(
    assessment: &Assessment<'_>,
    options: &RemediateOptions,
) -> Result<Plan, RemediateError> {
    let mut plan = empty_plan(assessment, options);
    if assessment.status == Status::Pass {
        plan.notes.push(format!(
            "already PASS: {}; nothing to change",
            assessment.summary
        ));
        return Ok(plan);
    }
    if options.via == Via::Eventbridge {
        let (trail_arn, mut draft) = plan_eventbridge(assessment, options)?;
        draft.actions.sort_by_key(Action::rank);
        plan.trail_arn = Some(trail_arn);
        plan.actions = draft.actions;
        plan.unchanged = draft.unchanged;
        plan.pending_confirmation = draft.pending;
        plan.notes = draft.notes;
        return Ok(plan);
    }
    let mut missing: Vec<Gap> = Vec::new();
    let mut unknown: Vec<Gap> = Vec::new();
    for gap in &assessment.gaps {
        sort_gap(gap, &mut missing, &mut unknown);
    }
    let mut best: Option<(Draft, &ChainAssessment<'_>)> = None;
    let mut first_error = None;
    for chain in &assessment.chains {
        let blocking: Vec<&Gap> = chain.trail_level_gaps().collect();
        if !blocking.is_empty() {
            blocking
                .into_iter()
                .for_each(|g| sort_gap(g, &mut missing, &mut unknown));
            continue;
        }
        match Site::new(assessment, chain, options).and_then(|site| site.best_draft()) {
            Ok(draft) => {
                if best.as_ref().is_none_or(|(b, _)| draft.cost() < b.cost()) {
                    best = Some((draft, chain));
                }
            }
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    let Some((mut draft, chain)) = best else {
        return Err(match first_error {
            Some(e) => e,
            None if !unknown.is_empty() => RemediateError::FactsIncomplete { gaps: unknown },
            None => RemediateError::PrerequisiteMissing { gaps: missing },
        });
    };
    draft.actions.sort_by_key(Action::rank);
    plan.trail_arn = Some(chain.trail.trail.trail_arn.clone());
    plan.log_group_arn = chain.log_group_arn.clone();
    plan.actions = draft.actions;
    plan.unchanged = draft.unchanged;
    plan.pending_confirmation = draft.pending;
    plan.notes = draft.notes;
    Ok(plan)
}

/// A prerequisite kmswatch does not fix (a known failure, or a log group in
/// another account, where it cannot write) is missing; any other unknown is an
/// unknown.
pub(super) fn sort_gap(gap: &Gap, missing: &mut Vec<Gap>, unknown: &mut Vec<Gap>) {
    if gap.severity == Severity::Fail || gap.code.remedy() == Remedy::Prerequisite {
        missing.push(gap.clone());
    } else if gap.is_blocking() {
        unknown.push(gap.clone());
    }
}

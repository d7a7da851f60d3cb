//! `plan()`: which plan the options ask for — the KMS control's
//! (`plan.rs`), or one for several controls (`controls.rs`).

use super::controls::plan_controls;
use super::error::RemediateError;
use super::options::RemediateOptions;
use super::plan::{plan_kms, Plan};
use crate::check::{evaluate, Assessment, Facts};

/// The smallest list of actions that turns the account described by `facts`
/// into PASS, reusing what exists: [`plan_for`] on [`evaluate()`]`(facts)`.
///
/// # Errors
///
/// [`RemediateError::PrerequisiteMissing`] when no trail's chain can be completed
/// by kmswatch (not logging, single-region, no CloudWatch Logs...);
/// [`RemediateError::FactsIncomplete`] when a fact the plan depends on is
/// unknown; [`RemediateError::Conflict`], [`RemediateError::FilterLimit`],
/// [`RemediateError::NoSubscriber`] or [`RemediateError::InvalidOption`] when no
/// candidate plan is possible without overwriting something, exceeding a limit
/// or creating a topic nobody reads.
///
/// ```
/// use kmswatch_decisions::check::Facts;
/// use kmswatch_decisions::remediate::{plan, RemediateOptions};
/// let facts = Facts::load("../examples/compliant.json".as_ref()).unwrap();
/// assert!(plan(&facts, &RemediateOptions::default()).unwrap().is_empty());
/// ```
pub fn plan(facts: &Facts, options: &RemediateOptions) -> Result<Plan, RemediateError> {
    plan_for(&evaluate(facts), options)
}

/// The plan for an assessment already made (see [`plan`]); with
/// [`RemediateOptions::controls`], for every control they name.
pub fn plan_for(
    assessment: &Assessment<'_>,
    options: &RemediateOptions,
) -> Result<Plan, RemediateError> {
    options.validate()?;
    if options.covers_other_controls() {
        return plan_controls(assessment, options);
    }
    plan_kms(assessment, options)
}

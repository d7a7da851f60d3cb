//! A candidate plan under construction, and how candidates compare.

use super::action::{Action, PendingSubscription};
use super::error::RemediateError;

/// A candidate plan under construction.
#[derive(Debug, Default)]
pub(crate) struct Draft {
    pub(crate) actions: Vec<Action>,
    pub(crate) unchanged: Vec<String>,
    pub(crate) pending: Vec<PendingSubscription>,
    pub(crate) notes: Vec<String>,
}

impl Draft {
    /// Fewer humans in the loop first, then fewer writes.
    pub(crate) fn cost(&self) -> (bool, usize) {
        (!self.pending.is_empty(), self.actions.len())
    }

    /// A draft built by `build`, or why it cannot be.
    pub(crate) fn attempt(
        build: impl FnOnce(&mut Draft) -> Result<(), RemediateError>,
    ) -> Result<Draft, RemediateError> {
        let mut draft = Draft::default();
        build(&mut draft).map(|()| draft)
    }

    /// The cheapest of `candidates` that works (the first on a tie), else the
    /// first error.
    pub(crate) fn cheapest(
        candidates: Vec<Result<Draft, RemediateError>>,
    ) -> Option<Result<Draft, RemediateError>> {
        let mut best: Option<Draft> = None;
        let mut first_error = None;
        for c in candidates {
            match c {
                Ok(d) if best.as_ref().is_none_or(|b| d.cost() < b.cost()) => best = Some(d),
                Ok(_) => {}
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        best.map(Ok).or(first_error.map(Err))
    }
}

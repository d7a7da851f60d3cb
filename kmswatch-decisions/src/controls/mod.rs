//! The CIS AWS Foundations CloudWatch monitoring controls, as data.
//!
//! Each control is a CloudTrail → CloudWatch Logs → metric filter → alarm →
//! SNS chain whose filter must catch a set of CloudTrail records. A
//! [`Control`] holds its numbers in every CIS version and in Security Hub, the
//! CIS pattern text, and its corpus: the target records its filter must catch
//! and the routine records it must not be stuck on, in the format of
//! [`crate::corpus`]. One file in `controls/catalog/` defines each control, beside its
//! corpus in `corpus/controls/`; [`ALL`] lists them.

pub(crate) mod catalog;
mod selection;

pub use selection::{parse_selection, ControlSelectionError, DEFAULT_CONTROL, FAMILY};

use crate::corpus::{parse_corpus, CorpusEvent, EventCategory};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// One CIS CloudWatch monitoring control.
#[derive(Debug)]
pub struct Control {
    /// Its number in CIS AWS Foundations v1.4.0 to v5.0.0, e.g. `4.7`: the
    /// id kmswatch prints.
    pub cis: &'static str,
    /// Its number in CIS v1.2.0 (`3.7`), when that version has it.
    pub cis_v1_2: Option<&'static str>,
    /// Its number in CIS v6.0.0 and v7.0.0 (`5.7`).
    pub cis_v6: &'static str,
    /// Its AWS Security Hub control id (`CloudWatch.7`), when Security Hub has one.
    pub security_hub: Option<&'static str>,
    /// What it monitors, in a few words.
    pub name: &'static str,
    /// The CIS recommendation's title.
    pub title: &'static str,
    /// The CIS pattern text, as published.
    pub cis_pattern: &'static str,
    /// Other published or common forms of the pattern that catch every target.
    pub variants: &'static [&'static str],
    /// The corpus file: its target and routine CloudTrail records.
    pub corpus_json: &'static str,
    /// The corpus, parsed once.
    pub corpus: OnceLock<Vec<CorpusEvent>>,
}

/// The KMS key control, the default of every command.
pub use catalog::kms_key_disable_or_deletion::CONTROL as KMS;

pub use catalog::ALL;

impl Control {
    /// Every record of its corpus, as [`crate::corpus::CORPUS_ACCOUNT`]'s trail logs it.
    pub fn events(&self) -> &[CorpusEvent] {
        self.corpus.get_or_init(|| {
            // The file is part of the crate and checked by the tests; a parse
            // failure here is a build defect, not an input error.
            parse_corpus(self.corpus_json).expect("bundled control corpus is valid")
        })
    }

    /// Every record as `account_id`'s trail logs it ([`CorpusEvent::line_in`]).
    pub fn events_in(&self, account_id: &str) -> Vec<CorpusEvent> {
        self.events()
            .iter()
            .map(|e| e.in_account(account_id))
            .collect()
    }

    /// The records a compliant filter must match.
    pub fn targets(&self) -> impl Iterator<Item = &CorpusEvent> {
        self.in_category(EventCategory::Target)
    }

    /// The targets as `account_id`'s trail logs them.
    pub fn targets_in(&self, account_id: &str) -> Vec<CorpusEvent> {
        self.targets().map(|e| e.in_account(account_id)).collect()
    }

    /// Everyday records: a filter matching one publishes a metric above zero
    /// in every period.
    pub fn routine(&self) -> impl Iterator<Item = &CorpusEvent> {
        self.in_category(EventCategory::Routine)
    }

    /// The records of one category.
    pub fn in_category(&self, category: EventCategory) -> impl Iterator<Item = &CorpusEvent> {
        self.events().iter().filter(move |e| e.category == category)
    }

    /// The distinct target event names, sorted.
    pub fn target_event_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.targets().map(|e| e.event_name.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        names
    }

    /// Its number in each CIS version that has it, e.g. `v1.2.0 → 3.7`.
    pub fn cis_versions(&self) -> BTreeMap<&'static str, &'static str> {
        let mut versions = BTreeMap::new();
        if let Some(n) = self.cis_v1_2 {
            versions.insert("v1.2.0", n);
        }
        for v in ["v1.4.0", "v1.5.0", "v2.0.0", "v3.0.0", "v4.0.0", "v5.0.0"] {
            versions.insert(v, self.cis);
        }
        versions.insert("v6.0.0", self.cis_v6);
        versions.insert("v7.0.0", self.cis_v6);
        versions
    }

    /// Whether this is the KMS key control, whose report is today's.
    pub fn is_kms(&self) -> bool {
        std::ptr::eq(self, &KMS)
    }
}

/// The control with this id: its CIS number in any version (`4.7`, `3.7`,
/// `5.7`) or its Security Hub id (`CloudWatch.7`, any case).
///
/// ```
/// let control = kmswatch_decisions::controls::find("CloudWatch.1").unwrap();
/// assert_eq!(control.cis, "4.3");
/// assert!(kmswatch_decisions::controls::find("5.7").unwrap().is_kms());
/// ```
pub fn find(id: &str) -> Option<&'static Control> {
    let id = id.trim();
    ALL.iter().copied().find(|c| {
        c.cis == id
            || c.cis_v1_2 == Some(id)
            || c.cis_v6 == id
            || c.security_hub.is_some_and(|s| s.eq_ignore_ascii_case(id))
    })
}

#[cfg(test)]
mod tests;

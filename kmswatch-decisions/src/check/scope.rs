//! What a gather reads beyond what the check's decision needs: the
//! [`Scope`] the decisions ask for (a plan, its preview, the controls
//! judged), which `kmswatch-core`'s gather follows.

use super::facts::KeyRegionFacts;
use crate::controls::{self, Control};
use crate::keys::Regions;

/// Requests in flight at once per stage, by default.
pub const DEFAULT_MAX_IN_FLIGHT: usize = 16;

/// What to read beyond what the check's decision needs.
#[derive(Debug, Clone)]
pub struct Scope {
    /// The name (prefix) of the alarm remediation may write: its metric
    /// alarms are listed by this prefix (`AlarmNamePrefix`) in every region
    /// that holds one of the trails' log groups and in the check's region, so
    /// that remediation knows whether the name is taken.
    pub alarm_name_prefix: Option<String>,
    /// More name prefixes listed the same way (those of the alarms of a
    /// plan for several controls).
    pub alarm_name_prefixes: Vec<String>,
    /// A topic name to read in every region with a log group of this account
    /// (kmswatch's own topic).
    pub own_topic_name: Option<String>,
    /// Topic ARNs to read in any case.
    pub topics: Vec<String>,
    /// Requests in flight at once per stage.
    pub max_in_flight: usize,
    /// KMS keys (key id, key ARN, alias name or alias ARN) to read in any
    /// case: a key ARN in its region, any other name in every region with a
    /// log group of this account.
    pub keys: Vec<String>,
    /// When the chain does not pass, read the EventBridge rules that may
    /// monitor KMS key events instead (`monitored_by`).
    pub eventbridge: bool,
    /// When the chain does not pass, learn which regions hold customer
    /// managed keys (accepted monitoring must cover each); it also widens
    /// the EventBridge rules read to those regions.
    pub key_listing: KeyListing,
    /// The monitoring controls judged (`--control`): the alarms of the
    /// metrics of filters catching any of their targets are read.
    pub controls: Vec<&'static Control>,
}

impl Scope {
    /// What `check` reads.
    pub fn check() -> Self {
        Scope {
            alarm_name_prefix: None,
            alarm_name_prefixes: Vec::new(),
            own_topic_name: None,
            topics: Vec::new(),
            max_in_flight: DEFAULT_MAX_IN_FLIGHT,
            keys: Vec::new(),
            eventbridge: true,
            key_listing: KeyListing::NotAsked,
            controls: vec![&controls::KMS],
        }
    }
}

impl Default for Scope {
    fn default() -> Self {
        Self::check()
    }
}

/// Whether, and how, gathering learns which regions hold customer managed keys.
#[derive(Debug, Clone, Default)]
pub enum KeyListing {
    /// Not at all (the fact stays unknown).
    #[default]
    NotAsked,
    /// List the keys of these regions when the chain does not pass.
    Read(Regions),
    /// Already known (a key inventory of every enabled region).
    Given(KeyRegionFacts),
}

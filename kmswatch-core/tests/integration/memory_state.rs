//! The in-memory backend keeps an account of its own: a bundled snapshot
//! loaded into it comes back unchanged, and checking the account it loaded
//! gives the snapshot's own report.

use kmswatch_core::check::{gather_linked, report, Facts, LinkedChains, Scope};
use kmswatch_core::memory::MemoryBackend;
use kmswatch_core::scan::MemoryOrganization;
use std::sync::Arc;

/// Every bundled example, by file name.
fn examples() -> Vec<(String, Facts)> {
    let mut examples = Vec::new();
    for path in crate::common::example_paths() {
        let facts = Facts::load(&path).expect("bundled example loads");
        examples.push((path.display().to_string(), facts));
    }
    assert!(examples.len() >= 10, "bundled examples missing");
    examples
}

async fn gathered(facts: &Facts) -> Facts {
    let account = Arc::new(MemoryBackend::from_facts(facts.clone()));
    // The accounts its chains lead to, in memory too, when it followed them.
    let org = MemoryOrganization::of_linked(facts);
    let chains = (!facts.linked.is_empty())
        .then(|| LinkedChains::new(&org, MemoryOrganization::recorded_roles(facts), Vec::new()));
    let mut gathered = gather_linked(
        &account.services(),
        &facts.region,
        &Scope::check(),
        chains.as_ref(),
    )
    .await
    .expect("the account answers");
    gathered.captured_at = facts.captured_at.clone();
    gathered
}

#[test]
fn every_bundled_example_round_trips_through_the_account() {
    for (name, facts) in examples() {
        let account = MemoryBackend::from_facts(facts.clone());
        assert_eq!(account.to_facts(), facts, "{name}");
    }
}

#[tokio::test]
async fn checking_a_loaded_example_gives_its_report() {
    for (name, facts) in examples() {
        let want = report(&facts);
        let mut got = report(&gathered(&facts).await);
        // A snapshot that never read EventBridge leaves its rules unknown;
        // the account it loads into has none, and says so.
        if facts.event_rules.is_empty() {
            assert!(want.monitored_by.is_empty(), "{name}");
            assert!(got.monitored_by.iter().all(|m| m.rule.is_none()), "{name}");
            got.monitored_by.clear();
        }
        if facts.errors.is_empty() {
            assert_eq!(got.to_json(), want.to_json(), "{name}");
        } else {
            // The check reads alarms by metric now; a failure recorded by an
            // older snapshot's listing is named after the call that replays it.
            assert_eq!(without_messages(&got), without_messages(&want), "{name}");
        }
    }
}

/// A report as JSON without its sentences: statuses, gap codes, resources.
fn without_messages(report: &kmswatch_core::check::Report) -> serde_json::Value {
    fn strip(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::Object(map) => {
                map.remove("message");
                map.values_mut().for_each(strip);
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut value = serde_json::from_str(&report.to_json()).expect("a report is JSON");
    strip(&mut value);
    value
}

#[tokio::test]
async fn checking_the_account_again_reads_the_same_facts() {
    for (name, facts) in examples() {
        let once = gathered(&facts).await;
        assert_eq!(gathered(&once).await, once, "{name}");
    }
}

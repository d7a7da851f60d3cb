//! `kmswatch.controls()`: the CIS CloudWatch monitoring controls kmswatch judges.

use kmswatch_core::controls::ALL;
use pyo3::prelude::*;
use serde_json::json;

/// Every control as JSON: its ids, title, CIS pattern and published variants.
#[pyfunction]
pub fn controls_json() -> String {
    let list: Vec<serde_json::Value> = ALL
        .iter()
        .map(|c| {
            json!({
                "control": c.cis,
                "security_hub": c.security_hub,
                "cis_versions": c.cis_versions(),
                "name": c.name,
                "title": c.title,
                "cis_pattern": c.cis_pattern,
                "variants": c.variants,
                "target_event_names": c.target_event_names(),
            })
        })
        .collect();
    // The controls hold only strings and lists of them.
    serde_json::to_string(&list).unwrap_or_default()
}

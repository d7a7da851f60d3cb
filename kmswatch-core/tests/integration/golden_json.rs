//! Pins the JSON documents kmswatch prints for every bundled example: the report
//! (`kmswatch.report/v1`), the snapshot round trip (`kmswatch.facts/v1`) and the
//! dry-run remediation (`kmswatch.plan/v1`) with and without a subscriber.
//! They are contracts: a change here is a change users see.
//!
//! `KMSWATCH_BLESS=1 cargo test --test golden_json` rewrites the files after an
//! intended change.

use kmswatch_core::check::{report, Facts};
use kmswatch_core::remediate::{dry_run, RemediateOptions, Subscriber};
use std::path::{Path, PathBuf};

fn examples() -> Vec<PathBuf> {
    crate::common::example_paths()
}

fn documents(facts: &Facts) -> Vec<(&'static str, String)> {
    let plan = |options: &RemediateOptions| match dry_run(facts, options) {
        Ok(r) => r.to_json(),
        Err(e) => format!("error: {e}"),
    };
    let with_email = RemediateOptions {
        subscriber: Some(Subscriber::email("secops@example.com").expect("address")),
        ..RemediateOptions::default()
    };
    vec![
        ("report", report(facts).to_json()),
        ("facts", facts.to_json()),
        ("plan", plan(&RemediateOptions::default())),
        ("plan-email", plan(&with_email)),
    ]
}

#[test]
fn documents_of_the_bundled_examples_are_unchanged() {
    let bless = std::env::var_os("KMSWATCH_BLESS").is_some();
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let mut changed = Vec::new();
    let examples = examples();
    assert!(examples.len() >= 10, "bundled examples missing");
    for path in examples {
        let stem = path.file_stem().and_then(|s| s.to_str()).expect("name");
        let facts = Facts::load(&path).expect("bundled example loads");
        for (kind, text) in documents(&facts) {
            // The version changes with every release; the documents' shape does not.
            let text = text.replace(
                &format!("\"kmswatch_version\": \"{}\"", kmswatch_core::VERSION),
                "\"kmswatch_version\": \"*\"",
            );
            let file = golden.join(format!("{stem}.{kind}.json"));
            if bless {
                std::fs::write(&file, &text).expect("write golden file");
            } else if std::fs::read_to_string(&file).ok().as_deref() != Some(text.as_str()) {
                changed.push(file.display().to_string());
            }
        }
    }
    assert!(changed.is_empty(), "documents changed: {changed:#?}");
}

//! The checked-in JSON Schemas (`schemas/`, and the copy the Python package
//! ships in `kmswatch-py/python/kmswatch/schemas/`) are what the Rust types
//! generate: a type changed without its schema fails here.
//!
//! `KMSWATCH_BLESS=1 cargo test -p kmswatch-core --test integration schemas`
//! writes them again (both folders).

use kmswatch_core::schema::documents;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn folders() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    vec![
        root.join("schemas"),
        root.join("kmswatch-py/python/kmswatch/schemas"),
    ]
}

#[test]
fn checked_in_schemas_are_the_generated_ones() {
    let bless = std::env::var_os("KMSWATCH_BLESS").is_some();
    let documents = documents();
    let mut stale = Vec::new();
    for folder in folders() {
        if bless {
            std::fs::create_dir_all(&folder).expect("schema folder");
        }
        for document in &documents {
            let file = folder.join(document.file_name());
            let text = document.to_json();
            if bless {
                std::fs::write(&file, &text).expect("write schema");
            } else if std::fs::read_to_string(&file).ok().as_deref() != Some(text.as_str()) {
                stale.push(file.display().to_string());
            }
        }
        // A document that is gone leaves no schema behind.
        let expected: BTreeSet<String> = documents.iter().map(|d| d.file_name()).collect();
        for entry in std::fs::read_dir(&folder).expect("schema folder") {
            let name = entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned();
            if name.ends_with(".json") && !expected.contains(&name) {
                stale.push(format!(
                    "{} (no such document)",
                    folder.join(name).display()
                ));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "stale schemas (KMSWATCH_BLESS=1 cargo test -p kmswatch-core --test integration schemas): {stale:#?}"
    );
}

#[test]
fn every_document_has_a_schema_with_its_id() {
    let ids: Vec<&str> = documents().iter().map(|d| d.id).collect();
    for id in [
        "kmswatch.facts/v1",
        "kmswatch.report/v1",
        "kmswatch.plan/v1",
        "kmswatch.scan/v1",
        "kmswatch.error/v1",
        "kmswatch.keys/v1",
        "kmswatch.history/v1",
        "kmswatch.respond/v1",
        "kmswatch.recommendation/v1",
    ] {
        assert!(ids.contains(&id), "{id} has no schema");
    }
    for document in documents() {
        // The document's type (or, for a union, each of its types) pins `schema`.
        let roots: Vec<&serde_json::Value> = match document.schema["anyOf"].as_array() {
            Some(types) => types
                .iter()
                .map(|t| {
                    let name = t["$ref"]
                        .as_str()
                        .expect("a type")
                        .trim_start_matches("#/$defs/");
                    &document.schema["$defs"][name]
                })
                .collect(),
            None => vec![&document.schema],
        };
        for root in roots {
            assert_eq!(
                root["properties"]["schema"]["const"], document.id,
                "{}: the schema property is not pinned",
                document.id
            );
        }
    }
}

//! The JSON Schemas of kmswatch's documents, generated from the Rust types
//! that write and read them (feature `schema`).
//!
//! The repository's `schemas/` folder holds them, one file per document
//! (`kmswatch.facts.v1.json`...), and the Python package ships a copy; the
//! tests regenerate them and fail when a checked-in file differs. The
//! snapshot (`kmswatch.facts/v1`) is described as kmswatch reads it (fields
//! with a default may be absent); the other documents as kmswatch writes them.
//!
//! ```
//! let facts = kmswatch_core::schema::documents()
//!     .into_iter()
//!     .find(|d| d.id == "kmswatch.facts/v1")
//!     .unwrap();
//! assert_eq!(facts.file_name(), "kmswatch.facts.v1.json");
//! assert_eq!(facts.schema["properties"]["schema"]["const"], "kmswatch.facts/v1");
//! ```

use crate::check::{Facts, Report, FACTS_SCHEMA, REPORT_SCHEMA};
use crate::keys::{
    HistoryDocument, KeysDocument, Recommendation, RespondOutcome, HISTORY_SCHEMA, KEYS_SCHEMA,
    RECOMMENDATION_SCHEMA, RESPOND_SCHEMA,
};
use crate::remediate::{Remediation, PLAN_SCHEMA};
use crate::scan::{ScanDocument, SCAN_SCHEMA};
use crate::session::{ErrorDocument, ERROR_SCHEMA};
use schemars::generate::{Contract, SchemaSettings};
use schemars::JsonSchema;
use serde_json::Value;

/// One document's JSON Schema (draft 2020-12).
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentSchema {
    /// The document's `schema` value, e.g. `kmswatch.facts/v1`.
    pub id: &'static str,
    /// The schema.
    pub schema: Value,
}

impl DocumentSchema {
    /// The file it is kept in: the id with `/` as `.`, e.g. `kmswatch.facts.v1.json`.
    pub fn file_name(&self) -> String {
        format!("{}.json", self.id.replace('/', "."))
    }

    /// The file's text: pretty-printed, ending with a newline.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(&self.schema).unwrap_or_default();
        text.push('\n');
        text
    }
}

/// Every document kmswatch reads or writes, in the order of their ids.
pub fn documents() -> Vec<DocumentSchema> {
    let mut all = vec![
        of::<Facts>(FACTS_SCHEMA, Contract::Deserialize),
        of::<Report>(REPORT_SCHEMA, Contract::Serialize),
        of::<Remediation>(PLAN_SCHEMA, Contract::Serialize),
        of::<ScanDocument>(SCAN_SCHEMA, Contract::Serialize),
        of::<ErrorDocument>(ERROR_SCHEMA, Contract::Serialize),
        of::<KeysDocument>(KEYS_SCHEMA, Contract::Serialize),
        of::<HistoryDocument>(HISTORY_SCHEMA, Contract::Serialize),
        of::<RespondOutcome>(RESPOND_SCHEMA, Contract::Serialize),
        of::<Recommendation>(RECOMMENDATION_SCHEMA, Contract::Serialize),
    ];
    all.sort_by_key(|d| d.id);
    all
}

/// The schema of `T` under `contract`, its `schema` property pinned to `id`.
fn of<T: JsonSchema>(id: &'static str, contract: Contract) -> DocumentSchema {
    let generator = SchemaSettings::draft2020_12()
        .with(|settings| settings.contract = contract)
        .into_generator();
    let mut schema = generator.into_root_schema_for::<T>().to_value();
    // The type holds any string; the document's id is the one value it takes.
    if let Some(property) = schema.pointer_mut("/properties/schema") {
        *property = serde_json::json!({
            "description": "The document's schema id.",
            "const": id,
        });
    }
    DocumentSchema { id, schema }
}

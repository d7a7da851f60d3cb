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

use crate::check::{Facts, Gap, Report, Status, FACTS_SCHEMA, REPORT_SCHEMA};
use crate::keys::{
    HistoryDocument, KeysDocument, Recommendation, RespondOutcome, HISTORY_SCHEMA, KEYS_SCHEMA,
    RECOMMENDATION_SCHEMA, RESPOND_SCHEMA,
};
use crate::log_search::{Summary, SUMMARY_SCHEMA};
use crate::pattern::{Explanation, EXPLAIN_SCHEMA};
use crate::pattern_sql::{SqlQuery, PATTERN_SQL_SCHEMA};
use crate::remediate::{Action, Executed, Plan, Remediation, PLAN_SCHEMA};
use crate::scan::{ScanDocument, SCAN_SCHEMA};
use crate::session::{ErrorDetail, ErrorDocument, ERROR_SCHEMA};
use schemars::generate::{Contract, SchemaSettings};
use schemars::{JsonSchema, SchemaGenerator};
use serde_json::{json, Value};

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
        plan(),
        of::<ScanDocument>(SCAN_SCHEMA, Contract::Serialize),
        of::<ErrorDocument>(ERROR_SCHEMA, Contract::Serialize),
        of::<KeysDocument>(KEYS_SCHEMA, Contract::Serialize),
        of::<HistoryDocument>(HISTORY_SCHEMA, Contract::Serialize),
        of::<RespondOutcome>(RESPOND_SCHEMA, Contract::Serialize),
        of::<Recommendation>(RECOMMENDATION_SCHEMA, Contract::Serialize),
        of::<Explanation>(EXPLAIN_SCHEMA, Contract::Serialize),
        of::<SqlQuery>(PATTERN_SQL_SCHEMA, Contract::Serialize),
        // The last line of `pattern test --format json`; the match lines
        // before it are the events themselves, with where they were found.
        of::<Summary>(SUMMARY_SCHEMA, Contract::Serialize),
    ];
    all.sort_by_key(|d| d.id);
    all
}

/// The schema of `T` under `contract`, its `schema` property pinned to `id`.
fn of<T: JsonSchema>(id: &'static str, contract: Contract) -> DocumentSchema {
    let mut schema = generator(contract).into_root_schema_for::<T>().to_value();
    pin(schema.pointer_mut("/properties/schema"), id);
    DocumentSchema { id, schema }
}

/// `kmswatch.plan/v1`: a [`Remediation`] (the plan and its preview: what
/// `kmswatch remediate` prints), a bare [`Plan`] (Python's `plan()` without a
/// preview), or a remediation that stopped early —
/// refused, or an `--apply` that failed half-way — which `session::Stopped`
/// writes as the plan, or its skeleton when planning did not get that far,
/// with how far it got. That document is assembled as JSON, so its part of
/// the schema is written here, from the types of its values.
fn plan() -> DocumentSchema {
    let mut generator = generator(Contract::Serialize);
    let remediation = generator.subschema_for::<Remediation>();
    let plan = generator.subschema_for::<Plan>();
    let action = generator.subschema_for::<Action>();
    let status = generator.subschema_for::<Status>();
    let executed = generator.subschema_for::<Executed>();
    let error = generator.subschema_for::<ErrorDetail>();
    let gap = generator.subschema_for::<Gap>();
    let stopped = json!({
        "description": "A remediation that stopped early: the plan (or its skeleton, without actions, when planning did not get that far) and how far it got.",
        "type": "object",
        "properties": {
            "schema": {},
            "account_id": { "type": "string" },
            "region": { "type": ["string", "null"] },
            "actions": { "type": "array", "items": action },
            "applied": { "type": "boolean" },
            "kmswatch_version": { "type": "string" },
            "generated_at": { "type": "string" },
            "status": status,
            "refused": { "type": "boolean" },
            "completed": { "type": "array", "items": executed },
            "failed": {
                "type": "object",
                "properties": {
                    "index": { "type": "integer", "minimum": 0 },
                    "action": { "type": "string" },
                    "error": error,
                },
                "required": ["index", "action", "error"],
            },
            "blocking_gaps": { "type": "array", "items": gap },
            "refusal": {
                "type": "object",
                "properties": {
                    "code": { "type": "string" },
                    "message": { "type": "string" },
                },
                "required": ["code", "message"],
            },
        },
        "required": ["schema", "account_id", "region", "actions", "applied", "kmswatch_version", "generated_at", "status"],
    });
    let mut definitions = generator.take_definitions(true);
    definitions.insert("StoppedRemediation".into(), stopped);
    for name in ["Remediation", "Plan", "StoppedRemediation"] {
        let property = definitions
            .get_mut(name)
            .and_then(|s| s.pointer_mut("/properties/schema"));
        pin(property, PLAN_SCHEMA);
    }
    let schema = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "PlanDocument",
        "description": "A remediation plan: with its preview and outcome (what `kmswatch remediate --format json` prints), without (a plan alone), or how far a remediation that stopped early got.",
        "anyOf": [remediation, plan, { "$ref": "#/$defs/StoppedRemediation" }],
        "$defs": definitions,
    });
    DocumentSchema {
        id: PLAN_SCHEMA,
        schema,
    }
}

/// A generator of draft 2020-12 schemas under `contract`.
fn generator(contract: Contract) -> SchemaGenerator {
    SchemaSettings::draft2020_12()
        .with(|settings| settings.contract = contract)
        .into_generator()
}

/// Pins a document's `schema` property to its id: the type holds any string,
/// the document one value.
fn pin(property: Option<&mut Value>, id: &str) {
    if let Some(property) = property {
        *property = json!({
            "description": "The document's schema id.",
            "const": id,
        });
    }
}

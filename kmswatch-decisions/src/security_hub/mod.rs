//! AWS Security Hub findings as data: the ASFF document kmswatch builds
//! (`output::asff`) and sends (`kmswatch_decisions::security_hub::import`).

pub(crate) mod finding;

pub use finding::{
    AsffCompliance, AsffFinding, AsffRecommendation, AsffRemediation, AsffResource, AsffSeverity,
    AsffWorkflow, ASFF_SCHEMA_VERSION, BATCH_SIZE,
};

//! The integration tests of kmswatch-core, one test binary (each file a module:
//! `cargo test -p kmswatch-core --test integration output_formats`).

mod access_policy;
mod check_accept_regions;
mod check_alarm_rules;
mod check_alarms_by_metric;
mod check_composite;
mod check_controls;
mod check_delivery;
mod check_eventbridge;
mod check_rules;
mod check_snapshots;
mod check_topic_access;
mod common;
mod event_pattern_props;
mod event_pattern_vectors;
mod fault_properties;
mod golden_json;
mod keys_at_risk;
mod log_search;
mod memory_state;
mod output_formats;
mod pattern_limits;
mod pattern_props;
mod pattern_sql;
mod pattern_vectors;
mod preview_transition;
mod remediate_controls;
mod remediate_eventbridge;
mod remediate_export;
mod remediate_plan;
mod remediate_safe_writes;
mod remediate_topic_access;
mod scan_memory;
mod scan_organization_trail;
mod schemas;

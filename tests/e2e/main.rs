//! The workspace's cross-crate tests against moto server, one test binary
//! (`cargo test -p kmswatch-tests --test e2e moto_bridge`).

mod conformance_aws;
mod moto_bridge;
mod remediate_e2e;

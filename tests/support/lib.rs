//! Shared harness for the cross-crate integration tests: moto server and the
//! `kmswatch` binary.

pub mod moto;
pub mod scenario;

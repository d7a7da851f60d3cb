//! End-to-end runs of the `kmswatch` binary against moto server, one test
//! binary (`cargo test -p kmswatch-cli --test e2e check`).
#![cfg(feature = "aws")]

mod check;
mod remediate;

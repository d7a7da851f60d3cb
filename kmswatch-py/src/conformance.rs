//! The backend conformance suite on a Python backend: `kmswatch.adapters`'
//! `Boto3Backend` (or any object of the `kmswatch.backend` protocols) must show
//! the same behaviours as the AWS SDK and in-memory backends. Built only with
//! the `conformance` feature, for the test suite; released wheels do not carry it.

use crate::backend::PyBackend;
use crate::convert::{from_python, to_python};
use async_trait::async_trait;
use kmswatch_core::api::Services;
use kmswatch_core::conformance::{self, Deviations, EventRuleSpec, Fixture, KeySpec, TrailSpec};
use pyo3::exceptions::PyAssertionError;
use pyo3::prelude::*;
use pyo3::types::PyTuple;
use serde_json::json;

/// A Python backend and the Python setup hooks the service traits lack.
struct PyFixture {
    services: Services,
    setup: Py<PyAny>,
    region: String,
    other_region: String,
    deviations: Deviations,
}

impl PyFixture {
    /// Calls `setup.method(*args)` and reads back a string (an ARN).
    fn call(&self, method: &str, args: &[serde_json::Value]) -> String {
        Python::attach(|py| {
            let args = args
                .iter()
                .map(|a| to_python(py, a))
                .collect::<PyResult<Vec<_>>>()
                .and_then(|args| PyTuple::new(py, args))?;
            let value = self.setup.bind(py).call_method1(method, args)?;
            from_python::<String>(&value).map_err(PyAssertionError::new_err)
        })
        .unwrap_or_else(|e| panic!("{method}: {e}"))
    }
}

#[async_trait]
impl Fixture for PyFixture {
    fn services(&self) -> Services {
        self.services.clone()
    }

    fn region(&self) -> &str {
        &self.region
    }

    fn other_region(&self) -> &str {
        &self.other_region
    }

    async fn create_log_group(&self, region: &str, name: &str) -> String {
        self.call("create_log_group", &[json!(region), json!(name)])
    }

    async fn create_trail(&self, trail: &TrailSpec) -> String {
        let spec = json!({
            "name": trail.name,
            "home_region": trail.home_region,
            "is_multi_region_trail": trail.is_multi_region_trail,
            "cloud_watch_logs_log_group_arn": trail.cloud_watch_logs_log_group_arn,
            "cloud_watch_logs_role_arn": trail.cloud_watch_logs_role_arn,
            "logging": trail.logging,
            "event_selectors": trail.event_selectors,
        });
        self.call("create_trail", &[spec])
    }

    async fn create_key(&self, key: &KeySpec) -> String {
        let spec = json!({
            "region": key.region,
            "alias": key.alias,
            "policy": key.policy,
            "enabled": key.enabled,
        });
        self.call("create_key", &[spec])
    }

    async fn create_event_rule(&self, rule: &EventRuleSpec) -> String {
        let spec = json!({
            "region": rule.region,
            "name": rule.name,
            "event_pattern": rule.event_pattern,
            "enabled": rule.enabled,
            "targets": rule.targets,
        });
        self.call("create_event_rule", &[spec])
    }

    fn deviations(&self) -> Deviations {
        self.deviations
    }
}

/// Runs every conformance behaviour on `backend`, with `setup` creating log
/// groups, trails, KMS keys and EventBridge rules (`create_log_group(region, name) -> arn`,
/// `create_trail(spec) -> arn`, `create_key(spec) -> key arn`,
/// `create_event_rule(spec) -> rule arn`); `deviations` names the emulator's known
/// differences from AWS. Raises `AssertionError` naming each failed behaviour.
#[pyfunction]
#[pyo3(signature = (backend, setup, region, other_region, deviations))]
pub fn _run_conformance(
    py: Python<'_>,
    backend: Py<PyAny>,
    setup: Py<PyAny>,
    region: String,
    other_region: String,
    deviations: Vec<String>,
) -> PyResult<()> {
    let mut known = Deviations::default();
    for name in &deviations {
        match name.as_str() {
            "email_confirmed_immediately" => known.email_confirmed_immediately = true,
            "no_default_event_selectors" => known.no_default_event_selectors = true,
            "has_custom_event_selectors_always_false" => {
                known.has_custom_event_selectors_always_false = true
            }
            "put_metric_filter_appends" => known.put_metric_filter_appends = true,
            other => {
                return Err(pyo3::exceptions::PyValueError::new_err(format!(
                    "unknown deviation {other:?}"
                )))
            }
        }
    }
    let fixture = PyFixture {
        services: PyBackend::services(backend),
        setup,
        region,
        other_region,
        deviations: known,
    };
    // The suite calls back into Python from its own threads: release the GIL.
    let outcome = py.detach(|| {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map(|rt| rt.block_on(conformance::all(&fixture)))
        }))
    });
    match outcome {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(pyo3::exceptions::PyRuntimeError::new_err(e.to_string())),
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            Err(PyAssertionError::new_err(message))
        }
    }
}

/// Panics inside the boundary guard, detached (`detached=True`) or not: the
/// test wheel's way to prove that a defect reaches Python as
/// `kmswatch.InternalError`.
#[pyfunction]
#[pyo3(signature = (detached=true))]
pub fn _panic_for_test(py: Python<'_>, detached: bool) -> PyResult<()> {
    if detached {
        crate::account::detached(py, || -> Result<(), kmswatch_core::session::Failure> {
            panic!("deliberate panic for the boundary test")
        })
    } else {
        crate::account::guarded(py, || -> PyResult<()> {
            panic!("deliberate panic for the boundary test")
        })
    }
}

//! `plan` and `remediate`: the core's remediation, returning the JSON documents
//! of the plan (`kmswatch.plan/v1`) and of the remediation outcome.

use crate::account::{detached, run, Target};
use crate::check::load_facts;
use crate::convert::from_python;
use crate::errors::raise;
use kmswatch_core::remediate::{self, RemediateOptions};
use kmswatch_core::session::{self, Failure, RemediationFlags};
use pyo3::prelude::*;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The keyword options of `kmswatch.plan` / `kmswatch.remediate`; unset ones
/// keep the core's defaults.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct OptionArgs {
    filter_name: Option<String>,
    alarm_name: Option<String>,
    topic_name: Option<String>,
    topic_arn: Option<String>,
    metric_namespace: Option<String>,
    metric_name: Option<String>,
    email: Option<String>,
    subscribe: Option<String>,
    tags: Option<BTreeMap<String, String>>,
    #[serde(default)]
    adopt: bool,
    kms_key: Option<String>,
    via: Option<String>,
    rule_name: Option<String>,
    control: Option<Vec<String>>,
}

impl From<OptionArgs> for RemediationFlags {
    fn from(args: OptionArgs) -> Self {
        RemediationFlags {
            email: args.email,
            subscribe: args.subscribe,
            topic_arn: args.topic_arn,
            filter_name: args.filter_name,
            alarm_name: args.alarm_name,
            topic_name: args.topic_name,
            metric_namespace: args.metric_namespace,
            metric_name: args.metric_name,
            tags: args.tags.unwrap_or_default(),
            adopt: args.adopt,
            kms_key: args.kms_key,
            via: args.via,
            rule_name: args.rule_name,
            control: args.control.unwrap_or_default(),
        }
    }
}

fn options_of(options: &Bound<'_, PyAny>) -> PyResult<RemediateOptions> {
    let py = options.py();
    let args: OptionArgs = from_python(options).map_err(|message| {
        raise(
            py,
            Failure::Usage(format!("invalid remediation options: {message}")),
        )
    })?;
    RemediationFlags::from(args)
        .options()
        .map_err(|e| raise(py, e.into()))
}

/// Plans from a snapshot (a file `path`, or the JSON `text`); returns the plan JSON.
#[pyfunction]
#[pyo3(signature = (options, path=None, text=None, preview=false))]
pub fn plan_snapshot(
    py: Python<'_>,
    options: &Bound<'_, PyAny>,
    path: Option<PathBuf>,
    text: Option<String>,
    preview: bool,
) -> PyResult<String> {
    let options = options_of(options)?;
    detached(py, move || {
        let facts = load_facts(path, text)?;
        if preview {
            Ok(remediate::dry_run(&facts, &options)?.to_json())
        } else {
            Ok(remediate::plan(&facts, &options)?.to_json())
        }
    })
}

/// Plans for a live account; returns the plan JSON.
#[pyfunction]
#[pyo3(signature = (options, region=None, profile=None, endpoint_url=None, backend=None, timeout=None))]
pub fn plan_account(
    py: Python<'_>,
    options: &Bound<'_, PyAny>,
    region: Option<String>,
    profile: Option<String>,
    endpoint_url: Option<String>,
    backend: Option<Py<PyAny>>,
    timeout: Option<f64>,
) -> PyResult<String> {
    let options = options_of(options)?;
    let target = Target::new(region, profile, endpoint_url, timeout, backend);
    run(py, target, |account| async move {
        Ok(session::plan(&account, &options).await?.to_json())
    })
}

/// Plans, previews and (with `apply`) applies for a live account; returns the
/// remediation JSON.
#[pyfunction]
#[pyo3(signature = (options, apply, region=None, profile=None, endpoint_url=None, backend=None, timeout=None, log_account_role=None))]
// The Python signature's keywords, one parameter each, as pyo3 maps them.
#[allow(clippy::too_many_arguments)]
pub fn remediate_account(
    py: Python<'_>,
    options: &Bound<'_, PyAny>,
    apply: bool,
    region: Option<String>,
    profile: Option<String>,
    endpoint_url: Option<String>,
    backend: Option<Py<PyAny>>,
    timeout: Option<f64>,
    log_account_role: Option<String>,
) -> PyResult<String> {
    let options = options_of(options)?;
    let target =
        Target::new(region, profile, endpoint_url, timeout, backend).following(log_account_role);
    run(py, target, move |account| async move {
        let (remediation, _) = session::remediate(&account, &options, apply).await?;
        Ok(remediation.to_json())
    })
}

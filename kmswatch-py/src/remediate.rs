//! `plan` and `remediate`: the core's remediation, returning the JSON documents
//! of the plan (`kmswatch.plan/v1`) and of the remediation outcome.

use crate::account::{detached, run, Target};
use crate::check::load_facts;
use crate::convert::from_python;
use crate::errors::Failure;
use kmswatch_core::remediate::{self, RemediateOptions, Subscriber};
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
}

impl OptionArgs {
    fn into_options(self) -> Result<RemediateOptions, Failure> {
        let defaults = RemediateOptions::default();
        let subscriber = Subscriber::from_flags(self.email.as_deref(), self.subscribe.as_deref())?;
        Ok(RemediateOptions {
            filter_name: self.filter_name.unwrap_or(defaults.filter_name),
            metric_namespace: self.metric_namespace,
            metric_name: self.metric_name,
            alarm_name: self.alarm_name.unwrap_or(defaults.alarm_name),
            topic_name: self.topic_name.unwrap_or(defaults.topic_name),
            topic_arn: self.topic_arn,
            subscriber,
            tags: self.tags.unwrap_or_default(),
            adopt: self.adopt,
        })
    }
}

fn options_of(options: &Bound<'_, PyAny>) -> PyResult<RemediateOptions> {
    let py = options.py();
    let args: OptionArgs = from_python(options).map_err(|message| {
        Failure::Other(format!("invalid remediation options: {message}")).into_pyerr(py)
    })?;
    args.into_options().map_err(|e| e.into_pyerr(py))
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
#[pyo3(signature = (options, region=None, profile=None, endpoint_url=None, backend=None))]
pub fn plan_account(
    py: Python<'_>,
    options: &Bound<'_, PyAny>,
    region: Option<String>,
    profile: Option<String>,
    endpoint_url: Option<String>,
    backend: Option<Py<PyAny>>,
) -> PyResult<String> {
    let options = options_of(options)?;
    let target = Target::new(region, profile, endpoint_url, backend);
    run(py, target, |services, region| async move {
        let facts = remediate::gather(&services, &region, &options).await?;
        Ok(remediate::plan(&facts, &options)?.to_json())
    })
}

/// Plans, previews and (with `apply`) applies for a live account; returns the
/// remediation JSON.
#[pyfunction]
#[pyo3(signature = (options, apply, region=None, profile=None, endpoint_url=None, backend=None))]
pub fn remediate_account(
    py: Python<'_>,
    options: &Bound<'_, PyAny>,
    apply: bool,
    region: Option<String>,
    profile: Option<String>,
    endpoint_url: Option<String>,
    backend: Option<Py<PyAny>>,
) -> PyResult<String> {
    let options = options_of(options)?;
    let target = Target::new(region, profile, endpoint_url, backend);
    run(py, target, move |services, region| async move {
        let (remediation, _) = remediate::run(&services, &region, &options, apply).await?;
        Ok(remediation.to_json())
    })
}

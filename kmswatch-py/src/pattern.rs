//! `kmswatch.FilterPattern`: the core's CloudWatch Logs filter-pattern engine.

use crate::account::guarded;
use crate::convert::to_python;
use crate::errors::pattern_error;
use crate::errors::raise;
use kmswatch_core::controls;
use kmswatch_core::corpus::kms_key_lifecycle;
use kmswatch_core::pattern::{self, FilterPattern as CorePattern};
use kmswatch_core::session::Failure;
use pyo3::prelude::*;
use pyo3::types::PyString;

/// A parsed CloudWatch Logs filter pattern.
#[pyclass(module = "kmswatch", name = "FilterPattern", frozen, eq, hash)]
pub struct FilterPattern {
    inner: CorePattern,
    text: String,
}

// Two spellings of one pattern are equal: compare the parsed pattern, not the text.
impl PartialEq for FilterPattern {
    fn eq(&self, other: &Self) -> bool {
        self.inner == other.inner
    }
}

impl Eq for FilterPattern {}

impl std::hash::Hash for FilterPattern {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.inner.hash(state);
    }
}

#[pymethods]
impl FilterPattern {
    #[new]
    fn new(py: Python<'_>, text: &str) -> PyResult<Self> {
        guarded(py, || match CorePattern::parse(text) {
            Ok(inner) => Ok(FilterPattern {
                inner,
                text: text.to_owned(),
            }),
            Err(e) => Err(pattern_error(py, &e)),
        })
    }

    /// Whether the pattern matches one raw log event.
    fn matches(&self, py: Python<'_>, event: &str) -> PyResult<bool> {
        guarded(py, || Ok(self.inner.matches(event)))
    }

    /// The events of `events` that the pattern matches, in order.
    fn filter<'py>(
        &self,
        py: Python<'py>,
        events: Vec<Bound<'py, PyString>>,
    ) -> PyResult<Vec<Bound<'py, PyString>>> {
        guarded(py, || {
            let mut out = Vec::new();
            for event in events {
                if self.inner.matches(&event.to_cow()?) {
                    out.push(event);
                }
            }
            Ok(out)
        })
    }

    /// The canonical form.
    #[getter]
    fn canonical(&self) -> String {
        self.inner.to_string()
    }

    /// The text the pattern was parsed from.
    #[getter]
    fn text(&self) -> &str {
        &self.text
    }

    /// `empty`, `terms`, `regex`, `json` or `space_delimited`.
    #[getter]
    fn kind<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.inner.kind())
    }

    /// What the pattern catches of the KMS key lifecycle corpus, or of the
    /// corpus of the CIS monitoring control `control` names: the `coverage`
    /// object of `kmswatch pattern explain --format json`.
    #[pyo3(signature = (control=None))]
    fn coverage<'py>(&self, py: Python<'py>, control: Option<&str>) -> PyResult<Bound<'py, PyAny>> {
        guarded(py, || {
            let events = match control {
                None => kms_key_lifecycle(),
                Some(id) => controls::find(id)
                    .ok_or_else(|| {
                        raise(
                            py,
                            Failure::Usage(
                                controls::ControlSelectionError { id: id.to_owned() }.to_string(),
                            ),
                        )
                    })?
                    .events(),
            };
            to_python(py, &pattern::coverage(&self.inner, events))
        })
    }

    fn __str__(&self) -> String {
        self.inner.to_string()
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "FilterPattern({})",
            PyString::new(py, &self.text).repr()?
        ))
    }
}

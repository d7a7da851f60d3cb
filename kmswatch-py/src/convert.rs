//! Values between Rust and Python, through JSON: every core type is serde, and
//! a JSON round trip gives Python plain `dict`/`list`/`str` values with exactly
//! the field names of the CLI's JSON output.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use serde::de::DeserializeOwned;
use serde::Serialize;

fn json_module(py: Python<'_>) -> PyResult<&Bound<'_, PyModule>> {
    static JSON: PyOnceLock<Py<PyModule>> = PyOnceLock::new();
    JSON.get_or_try_init(py, || Ok(py.import("json")?.unbind()))
        .map(|m| m.bind(py))
}

/// A serde value as a Python object (`dict`, `list`, `str`, numbers, `None`).
pub fn to_python<'py, T: Serialize>(py: Python<'py>, value: &T) -> PyResult<Bound<'py, PyAny>> {
    let text = serde_json::to_string(value)
        .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
    json_text_to_python(py, &text)
}

/// JSON text as a Python object.
pub fn json_text_to_python<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    json_module(py)?.call_method1("loads", (text,))
}

/// A Python object as JSON text; values JSON cannot hold (datetimes) become
/// their `str()`.
pub fn python_to_json_text(value: &Bound<'_, PyAny>) -> PyResult<String> {
    let py = value.py();
    let kwargs = pyo3::types::PyDict::new(py);
    kwargs.set_item("default", py.get_type::<pyo3::types::PyString>())?;
    json_module(py)?
        .call_method("dumps", (value,), Some(&kwargs))?
        .extract()
}

/// A Python object as a serde value; `Err` carries a message naming the
/// mismatch.
pub fn from_python<T: DeserializeOwned>(value: &Bound<'_, PyAny>) -> Result<T, String> {
    let text = python_to_json_text(value).map_err(|e| e.to_string())?;
    serde_json::from_str(&text).map_err(|e| e.to_string())
}

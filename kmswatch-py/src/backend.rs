//! The service traits answered by a Python object: any object with the methods
//! of the `kmswatch.backend` protocols (`kmswatch.adapters.Boto3Backend`, a
//! pipeline's own inventory...). Each call attaches to the interpreter and
//! calls the method of the same name as the trait method; core's
//! [`Dynamic`] converts the arguments and the answer through JSON.

use crate::convert::{python_to_json_text, to_python};
use async_trait::async_trait;
use kmswatch_core::api::{
    wrong_shape, ApiError, ApiResult, Call, Dynamic, DynamicBackend, Services,
};
use kmswatch_core::operation::Operation;
use pyo3::prelude::*;
use pyo3::types::PyTuple;
use serde_json::Value;
use std::sync::Arc;

/// A Python object implementing the backend protocols.
pub struct PyBackend {
    object: Py<PyAny>,
}

impl PyBackend {
    /// The services of `object`.
    pub fn services(object: Py<PyAny>) -> Services {
        Services::new(Arc::new(Dynamic::new(PyBackend { object })))
    }
}

#[async_trait]
impl DynamicBackend for PyBackend {
    /// Calls `method(*args)` on the object; its answer as JSON text.
    async fn call(
        &self,
        method: &'static str,
        call: Call<'_>,
        args: Vec<Value>,
    ) -> ApiResult<String> {
        Python::attach(|py| {
            let result = args
                .iter()
                .map(|a| to_python(py, a))
                .collect::<PyResult<Vec<_>>>()
                .and_then(|args| PyTuple::new(py, args))
                .and_then(|args| self.object.bind(py).call_method1(method, args));
            match result {
                Ok(value) => {
                    python_to_json_text(&value).map_err(|e| wrong_shape(call.operation, method, e))
                }
                Err(err) => Err(api_error_of(py, call.operation, &err)),
            }
        })
    }
}

/// A Python exception as an `ApiError`: the code of a botocore `ClientError`
/// (`err.response["Error"]["Code"]`), else the exception's class name.
fn api_error_of(py: Python<'_>, operation: Operation, err: &PyErr) -> ApiError {
    let value = err.value(py);
    let client_error = value
        .getattr("response")
        .and_then(|r| r.get_item("Error"))
        .ok();
    let field = |name: &str| -> Option<String> {
        client_error
            .as_ref()?
            .get_item(name)
            .ok()?
            .extract::<String>()
            .ok()
    };
    let code = field("Code").unwrap_or_else(|| {
        err.get_type(py)
            .name()
            .map(|n| n.to_string())
            .unwrap_or_else(|_| "Exception".to_owned())
    });
    let message =
        field("Message").unwrap_or_else(|| value.str().map(|s| s.to_string()).unwrap_or_default());
    ApiError::new(operation, ApiError::kind_of_code(&code), code, message)
}

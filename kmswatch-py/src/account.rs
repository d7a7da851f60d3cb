//! Which account a call looks at — the live one through the AWS SDK, or a
//! Python backend object — and running core work on it detached from the
//! interpreter.

use crate::backend::PyBackend;
use crate::errors::Failure;
use kmswatch_core::api::Services;
use pyo3::prelude::*;
use std::future::Future;

/// The account options of `check`, `snapshot`, `plan` and `remediate`.
pub struct Target {
    /// Region whose trails are listed.
    pub region: Option<String>,
    /// Shared-config profile (AWS SDK backend only).
    pub profile: Option<String>,
    /// Endpoint URL (AWS SDK backend only).
    pub endpoint_url: Option<String>,
    /// A Python object implementing the backend protocols, instead of the SDK.
    pub backend: Option<Py<PyAny>>,
}

impl Target {
    /// The options as the Python functions take them.
    pub fn new(
        region: Option<String>,
        profile: Option<String>,
        endpoint_url: Option<String>,
        backend: Option<Py<PyAny>>,
    ) -> Self {
        Target {
            region,
            profile,
            endpoint_url,
            backend,
        }
    }

    /// With a Python backend, the region defaults to its `region` attribute.
    pub fn resolve(mut self, py: Python<'_>) -> PyResult<Self> {
        if let (None, Some(backend)) = (&self.region, &self.backend) {
            let region = backend.bind(py).getattr_opt("region")?;
            self.region = match region {
                Some(r) if !r.is_none() => Some(r.extract()?),
                _ => None,
            };
            if self.region.is_none() {
                return Err(Failure::Other(
                    "a region is needed: pass region=... or give the backend a `region` attribute"
                        .to_owned(),
                )
                .into_pyerr(py));
            }
        }
        Ok(self)
    }

    async fn connect(self) -> Result<(Services, String), Failure> {
        match (self.backend, self.region) {
            (Some(backend), Some(region)) => Ok((PyBackend::services(backend), region)),
            (Some(_), None) => Err(Failure::Other("no region".to_owned())),
            (None, region) => connect_aws(region, self.profile, self.endpoint_url).await,
        }
    }
}

#[cfg(feature = "aws")]
async fn connect_aws(
    region: Option<String>,
    profile: Option<String>,
    endpoint_url: Option<String>,
) -> Result<(Services, String), Failure> {
    let options = kmswatch_core::aws::AwsOptions {
        region,
        profile,
        endpoint_url,
    };
    let backend = kmswatch_core::aws::connect(&options).await?;
    let region = backend.region().to_owned();
    Ok((backend.services(), region))
}

#[cfg(not(feature = "aws"))]
async fn connect_aws(
    _region: Option<String>,
    _profile: Option<String>,
    _endpoint_url: Option<String>,
) -> Result<(Services, String), Failure> {
    Err(Failure::Other(
        "this kmswatch was built without the AWS backend: pass backend=... or use a snapshot"
            .to_owned(),
    ))
}

/// Runs `work` on the target's services on a fresh single-threaded runtime
/// (the work is I/O-bound and concurrent, not parallel), with the interpreter
/// released: other Python threads run meanwhile, and a Python backend
/// re-attaches for each of its calls.
pub fn run<T, F, Fut>(py: Python<'_>, target: Target, work: F) -> PyResult<T>
where
    T: Send,
    F: FnOnce(Services, String) -> Fut + Send,
    Fut: Future<Output = Result<T, Failure>>,
{
    let target = target.resolve(py)?;
    detached(py, move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        runtime.block_on(async move {
            let (services, region) = target.connect().await?;
            work(services, region).await
        })
    })
}

/// Runs `work` with the interpreter released and raises its failure.
pub fn detached<T: Send>(
    py: Python<'_>,
    work: impl FnOnce() -> Result<T, Failure> + Send,
) -> PyResult<T> {
    py.detach(work).map_err(|e| e.into_pyerr(py))
}

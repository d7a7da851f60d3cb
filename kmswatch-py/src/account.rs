//! Which account a call looks at — the live one through the AWS SDK, or a
//! Python backend object — and running core work on it detached from the
//! interpreter.

use crate::backend::PyBackend;
use crate::errors::raise;
use kmswatch_core::session::{self, Account, AccountOptions, Failure};
use pyo3::prelude::*;
use std::future::Future;
use std::time::Duration;

/// The account options of `check`, `snapshot`, `plan` and `remediate`.
pub struct Target {
    /// Region, profile and endpoint (the last two for the AWS SDK backend only).
    options: AccountOptions,
    /// A Python object implementing the backend protocols, instead of the SDK.
    backend: Option<Py<PyAny>>,
    /// `timeout=`: seconds, checked in [`Target::resolve`].
    timeout: Option<f64>,
}

impl Target {
    /// The options as the Python functions take them.
    pub fn new(
        region: Option<String>,
        profile: Option<String>,
        endpoint_url: Option<String>,
        timeout: Option<f64>,
        backend: Option<Py<PyAny>>,
    ) -> Self {
        Target {
            options: AccountOptions {
                region,
                profile,
                endpoint_url,
                timeout: None,
                max_concurrency: None,
                log_account_role: None,
            },
            timeout,
            backend,
        }
    }

    /// The same target, following chains into the accounts that hold their
    /// links with this role (`log_account_role=`, the AWS SDK only).
    pub fn following(mut self, log_account_role: Option<String>) -> Self {
        self.options.log_account_role = log_account_role;
        self
    }

    /// With a Python backend, the region defaults to its `region` attribute.
    fn resolve(mut self, py: Python<'_>) -> PyResult<Self> {
        if self.backend.is_some() && self.options.log_account_role.is_some() {
            let message = "log_account_role= enters other accounts through the AWS SDK: it cannot be given with backend=";
            return Err(raise(py, Failure::Usage(message.to_owned())));
        }
        if let Some(seconds) = self.timeout {
            let timeout = session::timeout_from_seconds(seconds)
                .map_err(|why| raise(py, Failure::Usage(format!("timeout={why}"))))?;
            self.options.timeout = Some(timeout);
        }
        if let (None, Some(backend)) = (&self.options.region, &self.backend) {
            let region = backend.bind(py).getattr_opt("region")?;
            self.options.region = match region {
                Some(r) if !r.is_none() => Some(r.extract()?),
                _ => None,
            };
            if self.options.region.is_none() {
                let message =
                    "a region is needed: pass region=... or give the backend a `region` attribute";
                return Err(raise(py, Failure::Usage(message.to_owned())));
            }
        }
        Ok(self)
    }

    async fn connect(self) -> Result<Account, Failure> {
        match (self.backend, self.options.region) {
            (Some(backend), Some(region)) => Ok(Account::new(PyBackend::services(backend), region)
                .with_timeout(self.options.timeout)),
            (Some(_), None) => Err(Failure::Usage("no region".to_owned())),
            (None, region) => {
                session::connect(&AccountOptions {
                    region,
                    ..self.options
                })
                .await
            }
        }
    }
}

/// Runs `work` on the target's account on a fresh single-threaded runtime,
/// with the interpreter released: other Python threads run meanwhile, and a
/// Python backend re-attaches for each of its calls. Every 100 ms the pending
/// signal handlers run, so Ctrl-C raises `KeyboardInterrupt` promptly; the
/// work is then dropped, which cancels its calls.
pub fn run<T, F, Fut>(py: Python<'_>, target: Target, work: F) -> PyResult<T>
where
    T: Send,
    F: FnOnce(Account) -> Fut + Send,
    Fut: Future<Output = Result<T, Failure>>,
{
    let target = target.resolve(py)?;
    let outcome = detached(py, move || {
        session::block_on(async move {
            let work = std::pin::pin!(async move { work(target.connect().await?).await });
            let signals = std::pin::pin!(async {
                let mut every = tokio::time::interval(Duration::from_millis(100));
                loop {
                    every.tick().await;
                    if let Err(interrupt) = Python::attach(|py| py.check_signals()) {
                        return interrupt;
                    }
                }
            });
            match futures::future::select(work, signals).await {
                futures::future::Either::Left((done, _)) => done.map(Ok),
                futures::future::Either::Right((interrupt, _)) => Ok(Err(interrupt)),
            }
        })
    })?;
    outcome
}

/// Runs `work` with the interpreter released and raises its failure; a panic
/// inside it becomes `kmswatch.InternalError`, never pyo3's `PanicException`
/// (which `except Exception` does not catch).
pub fn detached<T: Send>(
    py: Python<'_>,
    work: impl FnOnce() -> Result<T, Failure> + Send,
) -> PyResult<T> {
    py.detach(|| std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)))
        .unwrap_or_else(|payload| Err(Failure::from_panic(payload)))
        .map_err(|e| raise(py, e))
}

/// Runs `work` (with the interpreter held), a panic inside it becoming
/// `kmswatch.InternalError`.
pub fn guarded<T>(py: Python<'_>, work: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(work))
        .unwrap_or_else(|payload| Err(raise(py, Failure::from_panic(payload))))
}

//! `scan`: the core's organization scan on a thread of its own, its reports
//! handed to Python one at a time as each account finishes.

use crate::errors::raise;
use kmswatch_core::scan::{self, ScanFlags};
use kmswatch_core::session::{self, AccountOptions, Failure};
use pyo3::exceptions::PyStopIteration;
use pyo3::prelude::*;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::Mutex;
use std::time::Duration;

/// What the scan thread sends.
enum Message {
    /// The accounts are known: this many will be checked.
    Started,
    /// One account's report (JSON).
    Report(String),
    /// The scan could not start or run.
    Failed(Failure),
}

/// The reports of a running scan, as JSON texts, in the order the accounts
/// finish. Dropping it stops the scan.
#[pyclass(module = "kmswatch._kmswatch")]
pub struct ScanReports {
    messages: Mutex<Receiver<Message>>,
    stop: Mutex<Option<tokio::sync::oneshot::Sender<()>>>,
}

impl ScanReports {
    /// The next message, waiting with the interpreter released and running
    /// the signal handlers every 100 ms (Ctrl-C raises promptly); `None` once
    /// the scan has ended.
    fn next_message(&self, py: Python<'_>) -> PyResult<Option<Message>> {
        loop {
            let waited = py.detach(|| {
                let messages = self.messages.lock().unwrap_or_else(|e| e.into_inner());
                messages.recv_timeout(Duration::from_millis(100))
            });
            match waited {
                Ok(message) => return Ok(Some(message)),
                Err(RecvTimeoutError::Disconnected) => return Ok(None),
                Err(RecvTimeoutError::Timeout) => py.check_signals()?,
            }
        }
    }
}

#[pymethods]
impl ScanReports {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<String> {
        loop {
            match self.next_message(py)? {
                Some(Message::Report(json)) => return Ok(json),
                Some(Message::Started) => continue,
                Some(Message::Failed(failure)) => return Err(raise(py, failure)),
                None => return Err(PyStopIteration::new_err(())),
            }
        }
    }
}

impl Drop for ScanReports {
    fn drop(&mut self) {
        let stop = self.stop.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(stop) = stop {
            let _ = stop.send(());
        }
    }
}

/// Starts a scan; returns its reports once the accounts to check are known
/// (a bad option, an unknown caller or an organization that cannot be
/// listed raises here).
#[pyfunction]
#[pyo3(signature = (flags, region=None, profile=None, endpoint_url=None))]
pub fn scan_accounts(
    py: Python<'_>,
    flags: ScanKeywords,
    region: Option<String>,
    profile: Option<String>,
    endpoint_url: Option<String>,
) -> PyResult<ScanReports> {
    let flags = flags.into_flags(py)?;
    flags.validate().map_err(|e| raise(py, e))?;
    let options = AccountOptions {
        region,
        profile,
        endpoint_url,
        timeout: None,
        max_concurrency: None,
        log_account_role: None,
    };
    let (sender, receiver) = mpsc::channel();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    std::thread::Builder::new()
        .name("kmswatch-scan".to_owned())
        .spawn(move || {
            let failed = sender.clone();
            let outcome = session::block_on(async {
                let org = scan::connect(&options, flags.settings()?).await?;
                let scan_options = flags.options(org.region())?;
                scan::execute(
                    &org,
                    &flags.source()?,
                    &flags.exclude()?,
                    &scan_options,
                    async {
                        let _ = stopped.await;
                    },
                    |_| {
                        let _ = sender.send(Message::Started);
                    },
                    |report, _| {
                        let _ = sender.send(Message::Report(report.to_json()));
                    },
                )
                .await
            });
            if let Err(failure) = outcome {
                let _ = failed.send(Message::Failed(failure));
            }
        })
        .map_err(|e| raise(py, Failure::Runtime(e)))?;
    let reports = ScanReports {
        messages: Mutex::new(receiver),
        stop: Mutex::new(Some(stop)),
    };
    // Wait for the start (or the failure to start) so that it raises here.
    match reports.next_message(py)? {
        Some(Message::Failed(failure)) => Err(raise(py, failure)),
        _ => Ok(reports),
    }
}

/// The keywords of `kmswatch.scan()`, as the Python layer passes them.
#[derive(FromPyObject)]
#[pyo3(from_item_all)]
pub struct ScanKeywords {
    accounts: Option<String>,
    accounts_file: Option<std::path::PathBuf>,
    organization: bool,
    exclude_accounts: Option<String>,
    role_name: Option<String>,
    role_arn_template: Option<String>,
    external_id: Option<String>,
    role_session_name: Option<String>,
    duration: Option<u64>,
    role_in_own_account: bool,
    max_concurrency: Option<usize>,
    timeout: Option<f64>,
    controls: Vec<String>,
}

impl ScanKeywords {
    fn into_flags(self, py: Python<'_>) -> PyResult<ScanFlags> {
        let timeout = self
            .timeout
            .map(session::timeout_from_seconds)
            .transpose()
            .map_err(|why| raise(py, Failure::Usage(format!("timeout={why}"))))?;
        Ok(ScanFlags {
            accounts: self.accounts,
            accounts_file: self.accounts_file,
            organization: self.organization,
            exclude_accounts: self.exclude_accounts,
            role_name: self.role_name,
            role_arn_template: self.role_arn_template,
            external_id: self.external_id,
            role_session_name: self.role_session_name,
            duration: self.duration,
            role_in_own_account: self.role_in_own_account,
            max_concurrency: self.max_concurrency,
            timeout,
            controls: self.controls,
        })
    }
}

//! The documents compliance pipelines read, written from reports: OCSF
//! Compliance Findings, AWS Security Finding Format (Security Hub), SARIF 2.1.0,
//! JUnit XML and NDJSON. One writer per format; `kmswatch check`, `kmswatch
//! scan` and the Python package all go through [`write()`] (or [`render()`]).
//!
//! A check is one [`Report`]; a scan is many, one per account. Every writer
//! takes the whole slice, so a scan's document is one OCSF array, one SARIF
//! run, one JUnit suite.
//!
//! ```
//! use kmswatch_decisions::check::{report, Facts};
//! use kmswatch_decisions::output::{render, Context, Format};
//!
//! let facts = Facts::load(std::path::Path::new("../examples/compliant.json")).unwrap();
//! let ctx = Context::at("2026-03-01T12:00:00Z");
//! let ocsf = render(Format::Ocsf, &[report(&facts)], &ctx).unwrap();
//! assert!(ocsf.contains("\"class_uid\": 2003"));
//! ```

mod account;
pub mod asff;
mod controls;
mod formats;
mod junit;
pub(crate) mod ndjson;
pub mod ocsf;
mod sarif;
mod subjects;

pub use account::partition_of;
pub use controls::{Control, CONTROLS, SECURITY_CONTROL_ID};
pub use formats::{OutputFormat, REPORT_FORMATS, TABLE_OR_JSON};

use crate::check::Report;
use std::io::Write;

/// A document format for reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// A JSON array of OCSF Compliance Findings (class 2003), in the
    /// context's [`ocsf::OcsfVersion`] (1.6.0 by default): one per account
    /// and control.
    Ocsf,
    /// A JSON array of AWS Security Finding Format findings (`SchemaVersion`
    /// 2018-10-08): one per account, control CloudWatch.7.
    Asff,
    /// One SARIF 2.1.0 log: one rule per gap code, one result per failing chain.
    Sarif,
    /// JUnit XML: one test case per account.
    Junit,
    /// One `kmswatch.report/v1` object per line.
    Ndjson,
}

impl Format {
    /// Every format, in the order `--help` lists them.
    pub const ALL: [Format; 5] = [
        Format::Ocsf,
        Format::Asff,
        Format::Sarif,
        Format::Junit,
        Format::Ndjson,
    ];

    /// The name `--format` and Python take: `ocsf`, `asff`, `sarif`, `junit`, `ndjson`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Ocsf => "ocsf",
            Format::Asff => "asff",
            Format::Sarif => "sarif",
            Format::Junit => "junit",
            Format::Ndjson => "ndjson",
        }
    }

    /// One line for `--help`.
    pub fn help(self) -> &'static str {
        match self {
            Format::Ocsf => {
                "OCSF Compliance Findings (a JSON array: one per account and control; \
                 OCSF 1.6.0 unless `--ocsf-version` says otherwise)"
            }
            Format::Asff => {
                "AWS Security Finding Format (a JSON array: one finding per account, \
                 Security Hub CloudWatch.7)"
            }
            Format::Sarif => "SARIF 2.1.0 (one rule per gap code, one result per failing chain)",
            Format::Junit => "JUnit XML (one test case per account)",
            Format::Ndjson => {
                "One `kmswatch.report/v1` object per line (from `scan`, as each account finishes)"
            }
        }
    }

    /// The format called `name`.
    pub fn from_name(name: &str) -> Result<Self, OutputError> {
        Self::ALL
            .into_iter()
            .find(|f| f.as_str() == name)
            .ok_or_else(|| OutputError::UnknownFormat(name.to_owned()))
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a document says about its own making, the same for every report in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Context {
    /// The kmswatch version named as the product version.
    pub kmswatch_version: String,
    /// When the document was made (RFC 3339, UTC): every time field of the
    /// findings. From the session clock, so that tests can pin it.
    pub generated_at: String,
    /// The OCSF schema version OCSF findings are written in.
    pub ocsf_version: ocsf::OcsfVersion,
}

impl Context {
    /// A context for this kmswatch version, made at `generated_at` (RFC 3339).
    pub fn at(generated_at: impl Into<String>) -> Self {
        Context {
            kmswatch_version: crate::VERSION.to_owned(),
            generated_at: generated_at.into(),
            ocsf_version: ocsf::OcsfVersion::DEFAULT,
        }
    }

    /// The same context, writing OCSF findings in `version`.
    pub fn with_ocsf_version(self, version: ocsf::OcsfVersion) -> Self {
        Context {
            ocsf_version: version,
            ..self
        }
    }

    /// `generated_at` as milliseconds since the epoch (OCSF's `timestamp_t`).
    fn epoch_millis(&self) -> Result<u64, OutputError> {
        let at = humantime::parse_rfc3339_weak(&self.generated_at)
            .map_err(|_| OutputError::BadTime(self.generated_at.clone()))?;
        let since = at
            .duration_since(std::time::UNIX_EPOCH)
            .map_err(|_| OutputError::BadTime(self.generated_at.clone()))?;
        Ok(since.as_millis() as u64)
    }
}

/// Why a document could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// A format name none of [`Format::ALL`] has.
    #[error("unknown format {0:?}: use one of ocsf, asff, sarif, junit, ndjson")]
    UnknownFormat(String),
    /// An OCSF version none of [`ocsf::OcsfVersion::ALL`] has.
    #[error("unknown OCSF version {0:?}: use one of 1.4.0, 1.5.0, 1.6.0, 1.7.0, 1.8.0")]
    UnknownOcsfVersion(String),
    /// The context's time is not RFC 3339.
    #[error("generation time {0:?} is not an RFC 3339 time")]
    BadTime(String),
    /// The writer failed.
    #[error("cannot write the document: {0}")]
    Io(#[from] std::io::Error),
    /// `--output FILE` could not be written.
    #[error("cannot write {path}: {source}")]
    File {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
}

/// Writes the `format` document of `reports` to `out` (ending with a newline).
pub fn write(
    format: Format,
    reports: &[Report],
    ctx: &Context,
    out: &mut dyn Write,
) -> Result<(), OutputError> {
    let text = render(format, reports, ctx)?;
    out.write_all(text.as_bytes())?;
    if !text.ends_with('\n') {
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// The `format` document of `reports`, as text (NDJSON ends with a newline,
/// the others do not).
pub fn render(format: Format, reports: &[Report], ctx: &Context) -> Result<String, OutputError> {
    Ok(match format {
        Format::Ocsf => pretty(&ocsf::findings(reports, ctx)?),
        Format::Asff => pretty(&asff::findings(reports, ctx)),
        Format::Sarif => pretty(&sarif::log(reports, ctx)),
        Format::Junit => junit::document(reports, ctx),
        Format::Ndjson => ndjson::lines(reports),
    })
}

fn pretty<T: serde::Serialize>(value: &T) -> String {
    // The documents are built from strings, numbers, bools, lists and maps.
    serde_json::to_string_pretty(value).unwrap_or_default()
}

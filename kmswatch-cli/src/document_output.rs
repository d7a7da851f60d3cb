//! The documents of `--format ocsf|asff|sarif|junit|ndjson`, `--output FILE`
//! and `--send-to-security-hub`: what `check` (and any command that makes
//! reports) shares once the reports are made.

// `Failure` is the core's one failure type, returned as it is to `exit::fail`
// (boxing it here alone would only add an allocation on the error path).
#![allow(clippy::result_large_err)]

use clap::Args;
use kmswatch_core::check::Report;
use kmswatch_core::output::ocsf::{self, OcsfVersion};
use kmswatch_core::output::{self, Context};
use kmswatch_core::security_hub::ImportSummary;
use kmswatch_core::session::{self, AccountOptions, Clock, Failure, SystemClock};
use std::path::PathBuf;

/// Where a document goes, and whether findings also go to Security Hub.
#[derive(Args, Debug, Default)]
pub struct OutputArgs {
    /// Write the document to FILE (created readable by its owner only, 0600,
    /// and replaced whole) instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also import the findings (ASFF, whatever --format says) into the
    /// Security Hub of the account each is about, with that account's
    /// credentials (scan: the role assumed in it), BatchImportFindings, 100
    /// per call; needs the `kmswatch iam-policy security-hub` permission.
    /// With --snapshot the credentials, region and endpoint come from the
    /// environment (AWS_*). Findings Security Hub refuses are listed on
    /// standard error and make the exit code 3.
    #[arg(long)]
    pub send_to_security_hub: bool,
    /// The OCSF schema version of `--format ocsf` findings: 1.4.0, 1.5.0,
    /// 1.6.0 (the version AWS Security Hub reads), 1.7.0 or 1.8.0.
    #[arg(long, value_name = "VERSION", default_value = ocsf::OCSF_VERSION, value_parser = ocsf_version)]
    pub ocsf_version: OcsfVersion,
}

fn ocsf_version(name: &str) -> Result<OcsfVersion, String> {
    OcsfVersion::from_name(name).map_err(|e| e.to_string())
}

/// The `format` document of `reports`, made now.
pub fn render(
    args: &OutputArgs,
    format: output::Format,
    reports: &[Report],
) -> Result<String, Failure> {
    let ctx = Context::at(SystemClock.now_rfc3339()).with_ocsf_version(args.ocsf_version);
    let mut text = output::render(format, reports, &ctx)?;
    if !text.ends_with('\n') {
        text.push('\n');
    }
    Ok(text)
}

/// Writes `text` to `--output`, or to standard output without it.
pub fn emit(args: &OutputArgs, text: &str) -> Result<(), Failure> {
    match &args.output {
        Some(path) => Ok(output::save(path, text)?),
        None => {
            crate::stdout::write(text);
            Ok(())
        }
    }
}

/// With `--send-to-security-hub`, imports the reports' ASFF findings and says
/// on standard error what Security Hub took; `Ok(false)` when it refused any.
pub fn send(
    args: &OutputArgs,
    options: &AccountOptions,
    reports: &[Report],
) -> Result<bool, Failure> {
    if !args.send_to_security_hub {
        return Ok(true);
    }
    let ctx = Context::at(SystemClock.now_rfc3339());
    let findings = output::asff::findings(reports, &ctx);
    let summary = session::block_on(session::send_to_security_hub(options, &findings))?;
    say(&summary);
    Ok(summary.all_imported())
}

/// Says on standard error what Security Hub imported and what it refused.
pub fn say(summary: &ImportSummary) {
    eprintln!(
        "kmswatch: Security Hub imported {} finding{}",
        summary.imported,
        if summary.imported == 1 { "" } else { "s" }
    );
    if !summary.failed.is_empty() {
        eprintln!(
            "kmswatch: Security Hub did not import {} finding{}:",
            summary.failed.len(),
            if summary.failed.len() == 1 { "" } else { "s" }
        );
        for f in &summary.failed {
            eprintln!("kmswatch:   {} ({}: {})", f.id, f.code, f.message);
        }
    }
}

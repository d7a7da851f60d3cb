//! `--control`: which CIS monitoring controls a command judges.

use clap::Args;
use kmswatch_core::controls::{self, Control, DEFAULT_CONTROL};

/// `--control ID,...`, flattened into every command that makes reports.
#[derive(Args, Debug, Clone)]
pub struct ControlArgs {
    /// CIS CloudWatch monitoring controls to judge: CIS numbers (4.1 to 4.15,
    /// 3.x of v1.2.0, 5.x of v6.0.0), Security Hub ids (CloudWatch.1 to
    /// CloudWatch.14), or `cis` for all fifteen; comma-separated or repeated.
    /// The report's `controls` section has a verdict per control and its
    /// status is the worst of them; with only 4.7 the report is the KMS
    /// report alone.
    #[arg(
        long = "control",
        value_name = "ID,...",
        value_delimiter = ',',
        default_value = DEFAULT_CONTROL,
        value_parser = control_id
    )]
    control: Vec<String>,
}

impl ControlArgs {
    /// The ids as given, each one checked.
    pub fn control_ids(&self) -> Vec<String> {
        self.control.clone()
    }

    /// The controls asked for, in CIS order.
    pub fn controls(&self) -> Vec<&'static Control> {
        // Every id was checked when the flags were parsed.
        controls::parse_selection(&self.control).unwrap_or_else(|_| vec![&controls::KMS])
    }
}

/// One id of `--control`, checked.
pub(crate) fn control_id(text: &str) -> Result<String, String> {
    controls::parse_selection([text])
        .map(|_| text.to_owned())
        .map_err(|e| e.to_string())
}

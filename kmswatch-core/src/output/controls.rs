//! The compliance controls a report answers, as the standards name them.

/// A control of a compliance standard that the check decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Control {
    /// The standard, as its publisher names it.
    pub standard: &'static str,
    /// The control's number or id in that standard.
    pub control: &'static str,
    /// A stable key for finding ids: never changes once published.
    pub key: &'static str,
    /// The control's requirement.
    pub title: &'static str,
}

/// AWS Security Hub's control id for this check.
pub const SECURITY_CONTROL_ID: &str = "CloudWatch.7";

const TITLE: &str = "Ensure a log metric filter and alarm exist for disabling or scheduled deletion of customer created CMKs";

/// The controls one report decides, in the order findings list them: the
/// CIS AWS Foundations Benchmark versions that keep this control (4.7 up to
/// v5.0.0, 5.7 from v6.0.0), then Security Hub's.
pub const CONTROLS: [Control; 6] = [
    cis(
        "CIS AWS Foundations Benchmark v1.4.0",
        "4.7",
        "cis-aws-foundations-benchmark/v1.4.0/4.7",
    ),
    cis(
        "CIS AWS Foundations Benchmark v3.0.0",
        "4.7",
        "cis-aws-foundations-benchmark/v3.0.0/4.7",
    ),
    cis(
        "CIS AWS Foundations Benchmark v5.0.0",
        "4.7",
        "cis-aws-foundations-benchmark/v5.0.0/4.7",
    ),
    cis(
        "CIS AWS Foundations Benchmark v6.0.0",
        "5.7",
        "cis-aws-foundations-benchmark/v6.0.0/5.7",
    ),
    cis(
        "CIS AWS Foundations Benchmark v7.0.0",
        "5.7",
        "cis-aws-foundations-benchmark/v7.0.0/5.7",
    ),
    Control {
        standard: "AWS Security Hub",
        control: SECURITY_CONTROL_ID,
        key: "security-hub/CloudWatch.7",
        title: "A log metric filter and alarm should exist for disabling or scheduled deletion of customer managed keys",
    },
];

/// A control of the CIS AWS Foundations Benchmark, with this check's title.
const fn cis(standard: &'static str, control: &'static str, key: &'static str) -> Control {
    Control {
        standard,
        control,
        key,
        title: TITLE,
    }
}

/// The ASFF `Compliance.RelatedRequirements`: `<standard>/<control>` of the CIS controls.
pub(super) fn related_requirements() -> Vec<String> {
    CONTROLS
        .iter()
        .filter(|c| c.control != SECURITY_CONTROL_ID)
        .map(|c| format!("{}/{}", c.standard, c.control))
        .collect()
}

/// Where the check and its remediation are documented.
pub(super) const DOCUMENTATION_URL: &str = "https://github.com/kmswatch/kmswatch#kmswatch-check";

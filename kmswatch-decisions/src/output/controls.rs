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
        title: SECURITY_HUB_TITLE,
    },
];

/// Security Hub's title of CloudWatch.7.
pub(super) const SECURITY_HUB_TITLE: &str = "A log metric filter and alarm should exist for disabling or scheduled deletion of customer managed keys";

/// A control of a standard, for any CIS monitoring control.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Requirement {
    /// The standard, as its publisher names it.
    pub(super) standard: &'static str,
    /// The control's number or id in that standard.
    pub(super) control: String,
    /// A stable key for finding ids.
    pub(super) key: String,
    /// The control's requirement.
    pub(super) title: String,
}

/// The standards' controls `control` is, in the order findings list them:
/// [`CONTROLS`] for the KMS control.
pub(super) fn requirements(control: &crate::controls::Control) -> Vec<Requirement> {
    if control.is_kms() {
        return CONTROLS
            .iter()
            .map(|c| Requirement {
                standard: c.standard,
                control: c.control.to_owned(),
                key: c.key.to_owned(),
                title: c.title.to_owned(),
            })
            .collect();
    }
    let mut out: Vec<Requirement> = [
        ("v1.4.0", control.cis),
        ("v3.0.0", control.cis),
        ("v5.0.0", control.cis),
        ("v6.0.0", control.cis_v6),
        ("v7.0.0", control.cis_v6),
    ]
    .into_iter()
    .map(|(version, number)| Requirement {
        standard: cis_standard(version),
        control: number.to_owned(),
        key: format!("cis-aws-foundations-benchmark/{version}/{number}"),
        title: control.title.to_owned(),
    })
    .collect();
    if let Some(id) = control.security_hub {
        out.push(Requirement {
            standard: "AWS Security Hub",
            control: id.to_owned(),
            key: format!("security-hub/{id}"),
            title: super::subjects::security_hub_title(control),
        });
    }
    out
}

fn cis_standard(version: &str) -> &'static str {
    match version {
        "v1.4.0" => "CIS AWS Foundations Benchmark v1.4.0",
        "v3.0.0" => "CIS AWS Foundations Benchmark v3.0.0",
        "v5.0.0" => "CIS AWS Foundations Benchmark v5.0.0",
        "v6.0.0" => "CIS AWS Foundations Benchmark v6.0.0",
        _ => "CIS AWS Foundations Benchmark v7.0.0",
    }
}

/// The ASFF `Compliance.RelatedRequirements` of `control`: `<standard>/<control>`
/// of its CIS controls.
pub(super) fn related_requirements_of(control: &crate::controls::Control) -> Vec<String> {
    requirements(control)
        .iter()
        .filter(|r| r.standard != "AWS Security Hub")
        .map(|r| format!("{}/{}", r.standard, r.control))
        .collect()
}

/// A control of the CIS AWS Foundations Benchmark, with this check's title.
const fn cis(standard: &'static str, control: &'static str, key: &'static str) -> Control {
    Control {
        standard,
        control,
        key,
        title: TITLE,
    }
}

/// Where the check and its remediation are documented.
pub(super) const DOCUMENTATION_URL: &str = "https://github.com/kmswatch/kmswatch#kmswatch-check";

//! CIS 4.6 (Security Hub CloudWatch.6): console authentication failures.
//!
//! Attribute-defined: a console sign-in refused with `errorMessage` `Failed authentication`, of an IAM user or the root user.

use crate::controls::Control;
use std::sync::OnceLock;

/// The control.
pub static CONTROL: Control = Control {
    cis: "4.6",
    cis_v1_2: Some("3.6"),
    cis_v6: "5.6",
    security_hub: Some("CloudWatch.6"),
    name: "console authentication failures",
    title: "Ensure a log metric filter and alarm exist for AWS Management Console authentication failures",
    cis_pattern: "{ ($.eventName = ConsoleLogin) && ($.errorMessage = \"Failed authentication\") }",
    variants: &[
        "{($.eventName=ConsoleLogin) && ($.errorMessage=\"Failed authentication\")}",
        "{ ($.errorMessage = \"Failed authentication\") && ($.eventName = \"ConsoleLogin\") }",
    ],
    corpus_json: include_str!("../../../corpus/controls/4.6-console-authentication-failures.json"),
    corpus: OnceLock::new(),
};

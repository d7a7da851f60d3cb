//! CIS 4.2 (Security Hub CloudWatch.3): console sign-in without MFA.
//!
//! Attribute-defined: a successful console sign-in of an IAM user whose `additionalEventData.MFAUsed` is not `Yes`.

use crate::controls::Control;
use std::sync::OnceLock;

/// The control.
pub static CONTROL: Control = Control {
    cis: "4.2",
    cis_v1_2: Some("3.2"),
    cis_v6: "5.2",
    security_hub: Some("CloudWatch.3"),
    name: "console sign-in without MFA",
    title: "Ensure a log metric filter and alarm exist for Management Console sign-in without MFA",
    cis_pattern: "{ ($.eventName = \"ConsoleLogin\") && ($.additionalEventData.MFAUsed != \"Yes\") }",
    variants: &[
        "{ ($.eventName = \"ConsoleLogin\") && ($.additionalEventData.MFAUsed != \"Yes\") && ($.userIdentity.type = \"IAMUser\") && ($.responseElements.ConsoleLogin = \"Success\") }",
        "{($.eventName=ConsoleLogin) && ($.additionalEventData.MFAUsed != Yes)}",
    ],
    corpus_json: include_str!("../../../corpus/controls/4.2-console-signin-without-mfa.json"),
    corpus: OnceLock::new(),
};

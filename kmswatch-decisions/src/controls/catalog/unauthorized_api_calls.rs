//! CIS 4.1 (Security Hub CloudWatch.2): unauthorized API calls.
//!
//! Attribute-defined: any call refused for lack of authorization (`errorCode` `AccessDenied*` or `*UnauthorizedOperation`), whatever the service.

use crate::controls::Control;
use std::sync::OnceLock;

/// The control.
pub static CONTROL: Control = Control {
    cis: "4.1",
    cis_v1_2: Some("3.1"),
    cis_v6: "5.1",
    security_hub: Some("CloudWatch.2"),
    name: "unauthorized API calls",
    title: "Ensure a log metric filter and alarm exist for unauthorized API calls",
    cis_pattern: "{ ($.errorCode = \"*UnauthorizedOperation\") || ($.errorCode = \"AccessDenied*\") }",
    variants: &[
        "{($.errorCode=\"*UnauthorizedOperation\") || ($.errorCode=\"AccessDenied*\")}",
        "{ ($.errorCode = \"*UnauthorizedOperation\") || ($.errorCode = \"AccessDenied*\") && ($.sourceIPAddress != \"delivery.logs.amazonaws.com\") && ($.eventName != \"HeadBucket\") }",
        "{ ($.errorCode = \"AccessDenied*\") || ($.errorCode = \"*UnauthorizedOperation\") }",
    ],
    corpus_json: include_str!("../../../corpus/controls/4.1-unauthorized-api-calls.json"),
    corpus: OnceLock::new(),
};

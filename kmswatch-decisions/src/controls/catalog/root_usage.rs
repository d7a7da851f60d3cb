//! CIS 4.3 (Security Hub CloudWatch.1): root user usage.
//!
//! Attribute-defined: any call or sign-in by the root user itself, not a service acting for it (`invokedBy`) nor an `AwsServiceEvent`.

use crate::controls::Control;
use std::sync::OnceLock;

/// The control.
pub static CONTROL: Control = Control {
    cis: "4.3",
    cis_v1_2: Some("3.3"),
    cis_v6: "5.3",
    security_hub: Some("CloudWatch.1"),
    name: "root user usage",
    title: "Ensure a log metric filter and alarm exist for usage of 'root' account",
    cis_pattern: "{ $.userIdentity.type = \"Root\" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != \"AwsServiceEvent\" }",
    variants: &[
        "{$.userIdentity.type=\"Root\" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !=\"AwsServiceEvent\"}",
        "{ ($.eventType != \"AwsServiceEvent\") && ($.userIdentity.invokedBy NOT EXISTS) && ($.userIdentity.type = \"Root\") }",
    ],
    corpus_json: include_str!("../../../corpus/controls/4.3-root-usage.json"),
    corpus: OnceLock::new(),
};

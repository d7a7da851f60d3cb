//! CIS 4.7 (Security Hub CloudWatch.7): KMS key disabling and deletion.
//!
//! Named events of `kms.amazonaws.com`: `DisableKey` and `ScheduleKeyDeletion`. Its corpus is the KMS key lifecycle corpus (`corpus/kms_key_lifecycle.json`).

use crate::controls::Control;
use std::sync::OnceLock;

/// The control.
pub static CONTROL: Control = Control {
    cis: "4.7",
    cis_v1_2: Some("3.7"),
    cis_v6: "5.7",
    security_hub: Some("CloudWatch.7"),
    name: "KMS key disabling and deletion",
    title: "Ensure a log metric filter and alarm exist for disabling or scheduled deletion of customer created CMKs",
    cis_pattern: "{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }",
    variants: &[
        "{ ($.eventSource = \"kms.amazonaws.com\") && (($.eventName = \"DisableKey\") || ($.eventName = \"ScheduleKeyDeletion\")) }",
        "{ (($.eventName = ScheduleKeyDeletion) || ($.eventName = DisableKey)) && ($.eventSource = kms.amazonaws.com) }",
    ],
    corpus_json: crate::corpus::KMS_KEY_LIFECYCLE_JSON,
    corpus: OnceLock::new(),
};

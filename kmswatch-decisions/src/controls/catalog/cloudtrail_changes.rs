//! CIS 4.5 (Security Hub CloudWatch.5): CloudTrail configuration changes.
//!
//! Named events of `cloudtrail.amazonaws.com`: trail creation, update, deletion, start and stop.

use crate::controls::Control;
use std::sync::OnceLock;

/// The control.
pub static CONTROL: Control = Control {
    cis: "4.5",
    cis_v1_2: Some("3.5"),
    cis_v6: "5.5",
    security_hub: Some("CloudWatch.5"),
    name: "CloudTrail configuration changes",
    title: "Ensure a log metric filter and alarm exist for CloudTrail configuration changes",
    cis_pattern: "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }",
    variants: &[
        "{($.eventName=\"CreateTrail\")||($.eventName=\"UpdateTrail\")||($.eventName=\"DeleteTrail\")||($.eventName=\"StartLogging\")||($.eventName=\"StopLogging\")}",
        "{ ($.eventName = StopLogging) || ($.eventName = StartLogging) || ($.eventName = DeleteTrail) || ($.eventName = UpdateTrail) || ($.eventName = CreateTrail) }",
    ],
    corpus_json: include_str!("../../../corpus/controls/4.5-cloudtrail-changes.json"),
    corpus: OnceLock::new(),
};

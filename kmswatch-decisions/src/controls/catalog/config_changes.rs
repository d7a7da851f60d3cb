//! CIS 4.9 (Security Hub CloudWatch.9): AWS Config configuration changes.
//!
//! Named events of `config.amazonaws.com`: the recorder stopped or changed, the delivery channel changed or deleted.

use crate::controls::Control;
use std::sync::OnceLock;

/// The control.
pub static CONTROL: Control = Control {
    cis: "4.9",
    cis_v1_2: Some("3.9"),
    cis_v6: "5.9",
    security_hub: Some("CloudWatch.9"),
    name: "AWS Config configuration changes",
    title: "Ensure a log metric filter and alarm exist for AWS Config configuration changes",
    cis_pattern: "{ ($.eventSource = config.amazonaws.com) && (($.eventName = StopConfigurationRecorder) || ($.eventName = DeleteDeliveryChannel) || ($.eventName = PutDeliveryChannel) || ($.eventName = PutConfigurationRecorder)) }",
    variants: &[
        "{($.eventSource=config.amazonaws.com)&&(($.eventName=StopConfigurationRecorder)||($.eventName=DeleteDeliveryChannel)||($.eventName=PutDeliveryChannel)||($.eventName=PutConfigurationRecorder))}",
    ],
    corpus_json: include_str!("../../../corpus/controls/4.9-config-changes.json"),
    corpus: OnceLock::new(),
};

//! CIS 4.12 (Security Hub CloudWatch.12): network gateway changes.
//!
//! Named events of `ec2.amazonaws.com`: customer and internet gateways.

use crate::controls::Control;
use std::sync::OnceLock;

/// The control.
pub static CONTROL: Control = Control {
    cis: "4.12",
    cis_v1_2: Some("3.12"),
    cis_v6: "5.12",
    security_hub: Some("CloudWatch.12"),
    name: "network gateway changes",
    title: "Ensure a log metric filter and alarm exist for changes to network gateways",
    cis_pattern: "{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }",
    variants: &[
        "{($.eventName=CreateCustomerGateway)||($.eventName=DeleteCustomerGateway)||($.eventName=AttachInternetGateway)||($.eventName=CreateInternetGateway)||($.eventName=DeleteInternetGateway)||($.eventName=DetachInternetGateway)}",
    ],
    corpus_json: include_str!("../../../corpus/controls/4.12-network-gateway-changes.json"),
    corpus: OnceLock::new(),
};

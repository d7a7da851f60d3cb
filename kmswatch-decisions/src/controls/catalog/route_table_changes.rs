//! CIS 4.13 (Security Hub CloudWatch.13): route table changes.
//!
//! Named events of `ec2.amazonaws.com`: routes and route tables (API Gateway's `CreateRoute` is a look-alike).

use crate::controls::Control;
use std::sync::OnceLock;

/// The control.
pub static CONTROL: Control = Control {
    cis: "4.13",
    cis_v1_2: Some("3.13"),
    cis_v6: "5.13",
    security_hub: Some("CloudWatch.13"),
    name: "route table changes",
    title: "Ensure a log metric filter and alarm exist for route table changes",
    cis_pattern: "{ ($.eventSource = ec2.amazonaws.com) && (($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable)) }",
    variants: &[
        "{($.eventName=CreateRoute) || ($.eventName=CreateRouteTable) || ($.eventName=ReplaceRoute) || ($.eventName=ReplaceRouteTableAssociation) || ($.eventName=DeleteRouteTable) || ($.eventName=DeleteRoute) || ($.eventName=DisassociateRouteTable)}",
    ],
    corpus_json: include_str!("../../../corpus/controls/4.13-route-table-changes.json"),
    corpus: OnceLock::new(),
};

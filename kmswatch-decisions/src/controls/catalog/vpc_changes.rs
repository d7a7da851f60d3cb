//! CIS 4.14 (Security Hub CloudWatch.14): VPC changes.
//!
//! Named events of `ec2.amazonaws.com`: VPCs, their attributes, peering and ClassicLink.

use crate::controls::Control;
use std::sync::OnceLock;

/// The control.
pub static CONTROL: Control = Control {
    cis: "4.14",
    cis_v1_2: Some("3.14"),
    cis_v6: "5.14",
    security_hub: Some("CloudWatch.14"),
    name: "VPC changes",
    title: "Ensure a log metric filter and alarm exist for VPC changes",
    cis_pattern: "{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || ($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || ($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || ($.eventName = DisableVpcClassicLink) || ($.eventName = EnableVpcClassicLink) }",
    variants: &[
        "{($.eventName=CreateVpc)||($.eventName=DeleteVpc)||($.eventName=ModifyVpcAttribute)||($.eventName=AcceptVpcPeeringConnection)||($.eventName=CreateVpcPeeringConnection)||($.eventName=DeleteVpcPeeringConnection)||($.eventName=RejectVpcPeeringConnection)||($.eventName=AttachClassicLinkVpc)||($.eventName=DetachClassicLinkVpc)||($.eventName=DisableVpcClassicLink)||($.eventName=EnableVpcClassicLink)}",
    ],
    corpus_json: include_str!("../../../corpus/controls/4.14-vpc-changes.json"),
    corpus: OnceLock::new(),
};

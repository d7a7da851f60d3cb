//! CIS 4.10 (Security Hub CloudWatch.10): security group changes.
//!
//! Named events of `ec2.amazonaws.com`: security groups created, deleted, rules authorized or revoked.

use crate::controls::Control;
use std::sync::OnceLock;

/// The control.
pub static CONTROL: Control = Control {
    cis: "4.10",
    cis_v1_2: Some("3.10"),
    cis_v6: "5.10",
    security_hub: Some("CloudWatch.10"),
    name: "security group changes",
    title: "Ensure a log metric filter and alarm exist for security group changes",
    cis_pattern: "{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }",
    variants: &[
        "{ ($.eventName = AuthorizeSecurityGroup*) || ($.eventName = RevokeSecurityGroup*) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }",
    ],
    corpus_json: include_str!("../../../corpus/controls/4.10-security-group-changes.json"),
    corpus: OnceLock::new(),
};

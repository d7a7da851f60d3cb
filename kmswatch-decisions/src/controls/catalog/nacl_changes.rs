//! CIS 4.11 (Security Hub CloudWatch.11): network ACL changes.
//!
//! Named events of `ec2.amazonaws.com`: network ACLs and their entries and associations.

use crate::controls::Control;
use std::sync::OnceLock;

/// The control.
pub static CONTROL: Control = Control {
    cis: "4.11",
    cis_v1_2: Some("3.11"),
    cis_v6: "5.11",
    security_hub: Some("CloudWatch.11"),
    name: "network ACL changes",
    title: "Ensure a log metric filter and alarm exist for changes to Network Access Control Lists (NACL)",
    cis_pattern: "{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }",
    variants: &[
        "{ ($.eventSource = ec2.amazonaws.com) && (($.eventName = CreateNetworkAcl*) || ($.eventName = DeleteNetworkAcl*) || ($.eventName = ReplaceNetworkAcl*)) }",
    ],
    corpus_json: include_str!("../../../corpus/controls/4.11-nacl-changes.json"),
    corpus: OnceLock::new(),
};

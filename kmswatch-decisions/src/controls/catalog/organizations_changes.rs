//! CIS 4.15: AWS Organizations changes.
//!
//! Named events of `organizations.amazonaws.com` (IAM and IoT have events of the same names, IoT's `AttachPolicy` routinely).

use crate::controls::Control;
use std::sync::OnceLock;

/// The control.
pub static CONTROL: Control = Control {
    cis: "4.15",
    cis_v1_2: None,
    cis_v6: "5.15",
    security_hub: None,
    name: "AWS Organizations changes",
    title: "Ensure a log metric filter and alarm exist for AWS Organizations changes",
    cis_pattern: "{ ($.eventSource = organizations.amazonaws.com) && (($.eventName = \"AcceptHandshake\") || ($.eventName = \"AttachPolicy\") || ($.eventName = \"CreateAccount\") || ($.eventName = \"CreateOrganizationalUnit\") || ($.eventName = \"CreatePolicy\") || ($.eventName = \"DeclineHandshake\") || ($.eventName = \"DeleteOrganization\") || ($.eventName = \"DeleteOrganizationalUnit\") || ($.eventName = \"DeletePolicy\") || ($.eventName = \"DetachPolicy\") || ($.eventName = \"DisablePolicyType\") || ($.eventName = \"EnablePolicyType\") || ($.eventName = \"InviteAccountToOrganization\") || ($.eventName = \"LeaveOrganization\") || ($.eventName = \"MoveAccount\") || ($.eventName = \"RemoveAccountFromOrganization\") || ($.eventName = \"UpdatePolicy\") || ($.eventName = \"UpdateOrganizationalUnit\")) }",
    variants: &[
        "{($.eventSource=organizations.amazonaws.com)&&(($.eventName=AcceptHandshake)||($.eventName=AttachPolicy)||($.eventName=CreateAccount)||($.eventName=CreateOrganizationalUnit)||($.eventName=CreatePolicy)||($.eventName=DeclineHandshake)||($.eventName=DeleteOrganization)||($.eventName=DeleteOrganizationalUnit)||($.eventName=DeletePolicy)||($.eventName=DetachPolicy)||($.eventName=DisablePolicyType)||($.eventName=EnablePolicyType)||($.eventName=InviteAccountToOrganization)||($.eventName=LeaveOrganization)||($.eventName=MoveAccount)||($.eventName=RemoveAccountFromOrganization)||($.eventName=UpdatePolicy)||($.eventName=UpdateOrganizationalUnit))}",
    ],
    corpus_json: include_str!("../../../corpus/controls/4.15-organizations-changes.json"),
    corpus: OnceLock::new(),
};

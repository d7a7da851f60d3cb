//! CIS 4.4 (Security Hub CloudWatch.4): IAM policy changes.
//!
//! Named events of `iam.amazonaws.com`: inline and managed policy writes, versions, attachments.

use crate::controls::Control;
use std::sync::OnceLock;

/// The control.
pub static CONTROL: Control = Control {
    cis: "4.4",
    cis_v1_2: Some("3.4"),
    cis_v6: "5.4",
    security_hub: Some("CloudWatch.4"),
    name: "IAM policy changes",
    title: "Ensure a log metric filter and alarm exist for IAM policy changes",
    cis_pattern: "{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy)}",
    variants: &[
        "{($.eventSource=iam.amazonaws.com) && (($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy))}",
        "{ ($.eventSource = \"iam.amazonaws.com\") && (($.eventName = \"Attach*\") || ($.eventName = \"Detach*\") || ($.eventName = \"CreatePolicy*\") || ($.eventName = \"DeletePolicy*\") || ($.eventName = \"PutGroupPolicy\") || ($.eventName = \"PutRolePolicy\") || ($.eventName = \"PutUserPolicy\") || ($.eventName = \"DeleteGroupPolicy\") || ($.eventName = \"DeleteRolePolicy\") || ($.eventName = \"DeleteUserPolicy\")) }",
    ],
    corpus_json: include_str!("../../../corpus/controls/4.4-iam-policy-changes.json"),
    corpus: OnceLock::new(),
};

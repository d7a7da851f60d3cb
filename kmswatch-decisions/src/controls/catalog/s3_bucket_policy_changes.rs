//! CIS 4.8 (Security Hub CloudWatch.8): S3 bucket policy changes.
//!
//! Named events of `s3.amazonaws.com`: ACL, policy, CORS, lifecycle and replication writes and deletions.

use crate::controls::Control;
use std::sync::OnceLock;

/// The control.
pub static CONTROL: Control = Control {
    cis: "4.8",
    cis_v1_2: Some("3.8"),
    cis_v6: "5.8",
    security_hub: Some("CloudWatch.8"),
    name: "S3 bucket policy changes",
    title: "Ensure a log metric filter and alarm exist for S3 bucket policy changes",
    cis_pattern: "{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }",
    variants: &[
        "{($.eventSource=s3.amazonaws.com)&&(($.eventName=PutBucketAcl)||($.eventName=PutBucketPolicy)||($.eventName=PutBucketCors)||($.eventName=PutBucketLifecycle)||($.eventName=PutBucketReplication)||($.eventName=DeleteBucketPolicy)||($.eventName=DeleteBucketCors)||($.eventName=DeleteBucketLifecycle)||($.eventName=DeleteBucketReplication))}",
        "{ ($.eventSource = \"s3.amazonaws.com\") && (($.eventName = \"PutBucket*\") && ($.eventName != \"PutBucketTagging\") || ($.eventName = \"DeleteBucketPolicy\") || ($.eventName = \"DeleteBucketCors\") || ($.eventName = \"DeleteBucketLifecycle\") || ($.eventName = \"DeleteBucketReplication\")) }",
    ],
    corpus_json: include_str!("../../../corpus/controls/4.8-s3-bucket-policy-changes.json"),
    corpus: OnceLock::new(),
};

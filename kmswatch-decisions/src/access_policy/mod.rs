//! Resource-based access policies (SNS topic policies, KMS key policies): may
//! a service principal make a request?
//!
//! [`PolicyDocument::parse`] reads the document, [`evaluate`] decides one
//! [`Request`] against it: explicit Deny first, then Allow, with the
//! wildcards of `Action`, `Resource` and their `Not` forms, `Principal` /
//! `NotPrincipal`, and the string and ARN condition operators on the keys the
//! request carries. Nothing here does I/O.

mod evaluate;
mod parse;

pub use evaluate::{applies, evaluate, wildcard, Applies, Decision, Request};
pub use parse::{
    Condition, Effect, Patterns, PolicyDocument, PolicyError, PrincipalMatch, Principals, Statement,
};

/// The access policy SNS gives a new topic: the owning account's principals
/// (and its services, tied by `AWS:SourceOwner`) may use it.
///
/// ```
/// let text = kmswatch_decisions::access_policy::sns_default_policy(
///     "arn:aws:sns:us-east-1:111122223333:alerts", "111122223333");
/// assert!(kmswatch_decisions::access_policy::PolicyDocument::parse(&text).is_ok());
/// ```
pub fn sns_default_policy(topic_arn: &str, account_id: &str) -> String {
    serde_json::json!({
        "Version": "2008-10-17",
        "Id": "__default_policy_ID",
        "Statement": [{
            "Sid": "__default_statement_ID",
            "Effect": "Allow",
            "Principal": { "AWS": "*" },
            "Action": [
                "SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:AddPermission",
                "SNS:RemovePermission", "SNS:DeleteTopic", "SNS:Subscribe",
                "SNS:ListSubscriptionsByTopic", "SNS:Publish"
            ],
            "Resource": topic_arn,
            "Condition": { "StringEquals": { "AWS:SourceOwner": account_id } }
        }]
    })
    .to_string()
}

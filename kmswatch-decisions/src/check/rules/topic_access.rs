//! Can CloudWatch publish to the alert topic at all: the topic's encryption
//! key (CloudWatch must be able to use it) and the topic's access policy
//! (CloudWatch must be allowed `SNS:Publish`, and no Deny may apply).
//!
//! CloudWatch cannot use the AWS managed key `alias/aws/sns`: its key policy
//! admits only principals of the account, and AWS does not let anyone change
//! it. A customer managed key works when its key policy lets the
//! `cloudwatch.amazonaws.com` service principal call `kms:Decrypt` and
//! `kms:GenerateDataKey*`, and while the key is enabled.

use super::unknown::unknown_gap;
use crate::access_policy::{evaluate, Decision, PolicyDocument, PolicyError, Request};
use crate::check::facts::{is_visibility_error, Facts, TopicFacts};
use crate::check::gap::{Gap, Severity};
use crate::check::gap_code::GapCode;
use crate::model::Arn;
use crate::operation::Operation;

/// The service principal CloudWatch alarms publish as.
pub const CLOUDWATCH: &str = "cloudwatch.amazonaws.com";

/// The KMS actions CloudWatch needs on a topic's key.
pub const KEY_ACTIONS: [&str; 2] = ["kms:Decrypt", "kms:GenerateDataKey"];

/// Every gap of a topic's encryption and access policy, for the alarm
/// `alarm_arn` when known (policies may condition on `aws:SourceArn`).
pub fn access_gaps(facts: &Facts, topic: &TopicFacts, alarm_arn: Option<&str>) -> Vec<Gap> {
    let mut gaps = encryption_gaps(facts, topic, alarm_arn);
    gaps.extend(policy_gaps(facts, topic, alarm_arn));
    gaps
}

/// The gap for which remediation must not reuse `topic`, if there is one:
/// its key, or a topic policy that denies CloudWatch or cannot be read. A
/// policy that only lacks the Allow is none (remediation merges the statement in).
pub fn reuse_blocker(facts: &Facts, topic: &TopicFacts) -> Option<Gap> {
    let blocking = |g: &Gap| g.is_blocking();
    if let Some(g) = encryption_gaps(facts, topic, None)
        .into_iter()
        .find(blocking)
    {
        return Some(g);
    }
    policy_gaps(facts, topic, None)
        .into_iter()
        .filter(blocking)
        .find(|g| {
            !(g.code == GapCode::TopicPolicyDeniesCloudwatch
                && g.message.starts_with(NO_ALLOW_MESSAGE))
        })
}

/// Whether a `KmsMasterKeyId` names an AWS managed key by its alias.
pub fn names_aws_managed_key(key_id: &str) -> bool {
    let alias = key_id
        .strip_prefix("arn:")
        .and_then(|rest| rest.split_once(":alias/").map(|(_, a)| a))
        .or_else(|| key_id.strip_prefix("alias/"));
    alias.is_some_and(|a| a.starts_with("aws/"))
}

/// The topic's key, as its `KmsMasterKeyId` names it, and the region it
/// resolves in: the one of a key ARN, else the topic's. `None` for an
/// unencrypted topic.
pub fn topic_key(topic: &TopicFacts) -> Option<(String, &str)> {
    let key_id = topic
        .attributes
        .as_ref()?
        .kms_master_key_id
        .as_deref()
        .filter(|k| !k.is_empty())?;
    let region = Arn::parse(key_id)
        .or_else(|| Arn::parse(&topic.topic_arn))
        .map(|a| a.region.to_owned())
        .unwrap_or_default();
    Some((region, key_id))
}

/// Whether gathering must read the topic's key: encrypted, and not with an
/// AWS managed key named by its alias (that fails without a call).
pub fn key_to_read(topic: &TopicFacts) -> Option<(String, &str)> {
    topic_key(topic).filter(|(_, id)| !names_aws_managed_key(id))
}

/// What the topic policy `text` decides about CloudWatch alarms of
/// `account_id` (the alarm `alarm_arn`, when known) publishing to `topic_arn`.
///
/// # Errors
///
/// [`PolicyError`] when the policy cannot be read.
pub fn publish_decision(
    text: &str,
    topic_arn: &str,
    account_id: &str,
    alarm_arn: Option<&str>,
) -> Result<Decision, PolicyError> {
    let policy = PolicyDocument::parse(text)?;
    Ok(evaluate(
        &policy,
        &request(account_id, "SNS:Publish", topic_arn, alarm_arn),
    ))
}

/// The request CloudWatch makes, with the condition keys it carries.
fn request<'a>(
    account_id: &'a str,
    action: &'a str,
    resource: &'a str,
    alarm_arn: Option<&'a str>,
) -> Request<'a> {
    service_request(CLOUDWATCH, account_id, action, resource, alarm_arn)
}

/// The request an AWS service principal (`service`) makes on behalf of a
/// resource of `account_id` (`source_arn`, when known), with the condition
/// keys it carries.
pub fn service_request<'a>(
    service: &'a str,
    account_id: &'a str,
    action: &'a str,
    resource: &'a str,
    source_arn: Option<&'a str>,
) -> Request<'a> {
    let mut context = vec![
        ("aws:SourceAccount", account_id),
        ("aws:SourceOwner", account_id),
    ];
    if let Some(arn) = source_arn {
        context.push(("aws:SourceArn", arn));
    }
    Request {
        service,
        account_id,
        action,
        resource,
        context,
    }
}

/// Rule 2: the key CloudWatch must use to publish to the topic.
pub fn encryption_gaps(facts: &Facts, topic: &TopicFacts, alarm_arn: Option<&str>) -> Vec<Gap> {
    let arn = topic.topic_arn.as_str();
    let Some((region, key_id)) = topic_key(topic) else {
        return Vec::new();
    };
    let aws_managed = |what: &str| {
        vec![Gap::of(
            GapCode::TopicEncryptedWithAwsManagedKey,
            Some(arn),
            format!("the topic is encrypted with {what}, an AWS managed key whose policy CloudWatch may not use: the alarm cannot publish"),
            &[],
        )]
    };
    if names_aws_managed_key(key_id) {
        return aws_managed(key_id);
    }
    let Some(known) = facts.key(&region, key_id) else {
        return vec![key_unknown(facts, arn, Operation::DescribeKey, key_id)];
    };
    if known.exists == Some(false) {
        return vec![Gap::of(
            GapCode::TopicKeyNotEnabled,
            Some(arn),
            format!("the topic is encrypted with KMS key {key_id}, which does not exist: the alarm cannot publish"),
            &[],
        )];
    }
    let Some(key) = &known.key else {
        return vec![key_unknown(facts, arn, Operation::DescribeKey, key_id)];
    };
    if key.is_aws_managed() {
        return aws_managed(&format!("KMS key {}", key.arn));
    }
    match key.key_state.as_deref() {
        Some("Enabled") => {}
        Some(state) => {
            return vec![Gap::of(
                GapCode::TopicKeyNotEnabled,
                Some(arn),
                format!("the topic is encrypted with KMS key {}, whose state is {state}: the alarm cannot publish", key.arn),
                &[],
            )]
        }
        None => {
            return vec![unknown(
                GapCode::TopicKeyUnknown,
                arn,
                format!("the state of KMS key {} is unknown", key.arn),
            )]
        }
    }
    let owner = Arn::parse(&key.arn)
        .map(|a| a.account_id)
        .unwrap_or_default();
    let Some(text) = known.policy.as_deref() else {
        if owner != facts.account_id {
            return vec![unknown(
                GapCode::TopicKeyUnknown,
                arn,
                format!("the topic is encrypted with KMS key {} of account {owner}, whose key policy only that account can read", key.arn),
            )];
        }
        return vec![key_unknown(facts, arn, Operation::GetKeyPolicy, &key.arn)];
    };
    let policy = match PolicyDocument::parse(text) {
        Ok(p) => p,
        Err(e) => {
            return vec![unknown(
                GapCode::TopicKeyUnknown,
                arn,
                format!("the key policy of KMS key {} cannot be read: {e}", key.arn),
            )]
        }
    };
    for action in KEY_ACTIONS {
        let asked = request(&facts.account_id, action, &key.arn, alarm_arn);
        let why = match evaluate(&policy, &asked) {
            Decision::Allowed => continue,
            Decision::Denied(s) => format!("its {s} denies it"),
            Decision::NotAllowed(unevaluated) => not_allowed(&unevaluated),
            Decision::DenyUnknown(s) => {
                return vec![unknown(
                    GapCode::TopicKeyUnknown,
                    arn,
                    format!("whether CloudWatch may use KMS key {} is unknown: its {s} denies {action} under conditions kmswatch cannot evaluate", key.arn),
                )]
            }
        };
        return vec![Gap::of(
            GapCode::TopicKeyNotUsableByCloudwatch,
            Some(arn),
            format!("the topic is encrypted with KMS key {}, whose key policy does not let {CLOUDWATCH} call {action}: {why}", key.arn),
            &[],
        )];
    }
    Vec::new()
}

/// The start of the message of a policy that allows CloudWatch nothing.
const NO_ALLOW_MESSAGE: &str = "no statement of the topic policy allows";

/// Rule 3: the topic policy must allow CloudWatch `SNS:Publish` and deny it nothing.
pub fn policy_gaps(facts: &Facts, topic: &TopicFacts, alarm_arn: Option<&str>) -> Vec<Gap> {
    let arn = topic.topic_arn.as_str();
    // Without the attributes the topic rule already reports them unknown.
    let Some(attributes) = &topic.attributes else {
        return Vec::new();
    };
    let Some(text) = attributes.policy.as_deref() else {
        return vec![Gap::with_fix(
            GapCode::TopicPolicyUnknown,
            Some(arn),
            "the topic's access policy is not in the facts, so whether CloudWatch may publish is unknown",
            "gather the facts again (kmswatch snapshot) so that they hold the topic's Policy attribute",
        )];
    };
    let decision = match publish_decision(text, arn, &facts.account_id, alarm_arn) {
        Ok(d) => d,
        Err(e) => {
            return vec![unknown(
                GapCode::TopicPolicyUnknown,
                arn,
                format!("the topic's access policy cannot be read: {e}"),
            )]
        }
    };
    let message = match decision {
        Decision::Allowed => return Vec::new(),
        Decision::Denied(s) => format!("the topic policy's {s} denies {CLOUDWATCH} SNS:Publish: the alarm cannot publish"),
        Decision::NotAllowed(unevaluated) => format!(
            "{NO_ALLOW_MESSAGE} {CLOUDWATCH} SNS:Publish ({}): the alarm cannot publish",
            not_allowed(&unevaluated)
        ),
        Decision::DenyUnknown(s) => {
            return vec![unknown(
                GapCode::TopicPolicyUnknown,
                arn,
                format!("whether CloudWatch may publish is unknown: the topic policy's {s} denies SNS:Publish under conditions kmswatch cannot evaluate"),
            )]
        }
    };
    vec![Gap::of(
        GapCode::TopicPolicyDeniesCloudwatch,
        Some(arn),
        message,
        &[],
    )]
}

fn not_allowed(unevaluated: &[String]) -> String {
    if unevaluated.is_empty() {
        "no Allow statement names it".to_owned()
    } else {
        format!(
            "the Allow of {} has conditions kmswatch cannot evaluate, which do not count",
            unevaluated.join(", ")
        )
    }
}

/// A MANUAL gap: someone must look.
fn unknown(code: GapCode, topic_arn: &str, message: String) -> Gap {
    Gap::new(
        code,
        Severity::Manual,
        Some(topic_arn),
        message,
        code.fix(&[]),
    )
}

/// The topic's key (or its policy) was not read: MANUAL when these
/// credentials may not read it (a key policy can refuse any IAM principal)
/// or the snapshot predates key reads; ERROR when the call broke.
fn key_unknown(facts: &Facts, topic_arn: &str, operation: Operation, key: &str) -> Gap {
    let what = match operation {
        Operation::GetKeyPolicy => format!("the key policy of KMS key {key} is unknown"),
        _ => format!("KMS key {key}, which encrypts the topic, is unknown"),
    };
    match facts.error_for(operation, Some(key), None) {
        Some(e) => {
            let mut gap = unknown_gap(facts, GapCode::TopicKeyUnknown, e, Some(topic_arn), &what);
            if is_visibility_error(e) {
                gap.severity = Severity::Manual;
                gap.fix = format!(
                    "allow these credentials {} in the key policy (or check the key with credentials that may), then run the check again",
                    e.operation.iam_action()
                );
            }
            gap
        }
        None => Gap::with_fix(
            GapCode::TopicKeyUnknown,
            Some(topic_arn),
            format!("{what}: not in the facts"),
            "gather the facts again (kmswatch snapshot) so that they hold the topic's key",
        ),
    }
}

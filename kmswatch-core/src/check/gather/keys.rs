//! The KMS keys of the alert topics read: `DescribeKey`, then, for a
//! customer managed key of this account, `GetKeyPolicy`. An unencrypted topic,
//! or one encrypted with `alias/aws/sns`, costs no KMS call.

use crate::api::{ApiError, Services};
use crate::check::facts::{Facts, KeyFacts};
use crate::check::reading::{key_to_read, names_aws_managed_key};
use crate::model::Arn;
use futures::stream::{self, StreamExt};
use std::collections::BTreeSet;

/// Reads the keys of the topics in `facts`, and `extra` ((region, key id)
/// pairs, e.g. the key remediation would encrypt its topic with), that are not
/// in `facts` yet.
pub async fn read_keys(
    services: &Services,
    facts: &mut Facts,
    extra: &[(String, String)],
    limit: usize,
) {
    let wanted: BTreeSet<(String, String)> = facts
        .topics
        .iter()
        .filter_map(|t| key_to_read(t).map(|(region, id)| (region, id.to_owned())))
        .chain(
            extra
                .iter()
                .filter(|(_, id)| !names_aws_managed_key(id))
                .cloned(),
        )
        .filter(|(region, id)| {
            !facts
                .keys
                .iter()
                .any(|k| k.region == *region && k.key_id == *id)
        })
        .collect();
    let account = facts.account_id.clone();
    let read: Vec<_> = stream::iter(wanted)
        .map(|(region, key_id)| read_key(services, &account, region, key_id))
        .buffered(limit)
        .collect()
        .await;
    for (key, errors) in read {
        facts.keys.push(key);
        facts.errors.extend(errors);
    }
}

async fn read_key(
    services: &Services,
    account_id: &str,
    region: String,
    key_id: String,
) -> (KeyFacts, Vec<ApiError>) {
    let mut errors = Vec::new();
    let mut facts = KeyFacts {
        key_id,
        region,
        exists: None,
        key: None,
        policy: None,
    };
    match services
        .keys
        .describe_key(&facts.region, &facts.key_id)
        .await
    {
        Ok(Some(key)) => {
            facts.exists = Some(true);
            facts.key = Some(key);
        }
        Ok(None) => facts.exists = Some(false),
        Err(e) => errors.push(e.in_region(&facts.region).about(&facts.key_id)),
    }
    // An AWS managed key fails whatever its policy says; GetKeyPolicy does not
    // work across accounts.
    let readable = facts.key.as_ref().filter(|k| {
        !k.is_aws_managed() && Arn::parse(&k.arn).is_some_and(|a| a.account_id == account_id)
    });
    if let Some(key) = readable {
        let arn = key.arn.clone();
        match services.keys.get_key_policy(&facts.region, &arn).await {
            Ok(policy) => facts.policy = Some(policy),
            Err(e) => errors.push(e.in_region(&facts.region).about(&arn)),
        }
    }
    (facts, errors)
}

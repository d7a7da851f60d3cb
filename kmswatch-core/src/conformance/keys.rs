//! The KMS key behaviours: a key as an SNS topic's `KmsMasterKeyId` names it,
//! and its key policy.

use super::fixture::{unique_name, Fixture, KeySpec};

fn key_policy(account: &str) -> serde_json::Value {
    serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "Root",
                "Effect": "Allow",
                "Principal": { "AWS": format!("arn:aws:iam::{account}:root") },
                "Action": "kms:*",
                "Resource": "*"
            },
            {
                "Sid": "CloudWatchAlarms",
                "Effect": "Allow",
                "Principal": { "Service": "cloudwatch.amazonaws.com" },
                "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
                "Resource": "*"
            }
        ]
    })
}

/// `describe_key` finds a customer managed key by key id, key ARN, alias name
/// and alias ARN, and tells its manager and state; `get_key_policy` returns its
/// policy (compared as JSON: AWS may reformat it).
pub async fn key_described_by_every_name(fixture: &dyn Fixture) {
    let account = super::fixture::account_of(fixture).await;
    let region = fixture.region();
    let alias = unique_name("alias");
    let policy = key_policy(&account);
    let arn = fixture
        .create_key(&KeySpec {
            region: region.to_owned(),
            alias: alias.clone(),
            policy: policy.to_string(),
            enabled: true,
        })
        .await;
    let keys = fixture.services().keys;
    let key_id = arn.rsplit('/').next().unwrap_or_default().to_owned();
    let alias_arn = format!("arn:aws:kms:{region}:{account}:alias/{alias}");
    for name in [&arn, &key_id, &format!("alias/{alias}"), &alias_arn] {
        let key = keys
            .describe_key(region, name)
            .await
            .unwrap_or_else(|e| panic!("describe_key {name}: {e}"))
            .unwrap_or_else(|| panic!("describe_key {name}: no key"));
        assert_eq!(key.arn, arn, "{name}");
        assert_eq!(key.key_id, key_id, "{name}");
        assert_eq!(key.key_manager.as_deref(), Some("CUSTOMER"), "{name}");
        assert_eq!(key.key_state.as_deref(), Some("Enabled"), "{name}");
    }
    let stored = keys
        .get_key_policy(region, &arn)
        .await
        .expect("get_key_policy");
    let stored: serde_json::Value = serde_json::from_str(&stored).expect("the policy is JSON");
    assert_eq!(stored, policy);
}

/// A disabled key says so.
pub async fn disabled_key_state(fixture: &dyn Fixture) {
    let account = super::fixture::account_of(fixture).await;
    let region = fixture.other_region();
    let arn = fixture
        .create_key(&KeySpec {
            region: region.to_owned(),
            alias: unique_name("disabled"),
            policy: key_policy(&account).to_string(),
            enabled: false,
        })
        .await;
    let key = fixture
        .services()
        .keys
        .describe_key(region, &arn)
        .await
        .expect("describe_key")
        .expect("the key exists");
    assert_eq!(key.key_state.as_deref(), Some("Disabled"));
}

/// `describe_key` of a key or alias that does not exist is `None`.
pub async fn missing_key_is_none(fixture: &dyn Fixture) {
    let keys = fixture.services().keys;
    for name in [
        "0b1c2d3e-0000-4000-8000-000000000000".to_owned(),
        format!("alias/{}", unique_name("missing")),
    ] {
        let found = keys
            .describe_key(fixture.region(), &name)
            .await
            .unwrap_or_else(|e| panic!("describe_key {name}: {e}"));
        assert_eq!(found, None, "{name}");
    }
}

/// `list_keys` names a new key by its ARN and `list_aliases` its alias,
/// targeting its key id.
pub async fn keys_and_aliases_listed(fixture: &dyn Fixture) {
    let account = super::fixture::account_of(fixture).await;
    let region = fixture.other_region();
    let alias = unique_name("listed");
    let arn = fixture
        .create_key(&KeySpec {
            region: region.to_owned(),
            alias: alias.clone(),
            policy: key_policy(&account).to_string(),
            enabled: true,
        })
        .await;
    let keys = fixture.services().keys;
    let listed = keys.list_keys(region).await.expect("list_keys");
    assert!(listed.contains(&arn), "{arn} not in {listed:?}");
    let key_id = arn.rsplit('/').next().unwrap_or_default();
    let aliases = keys.list_aliases(region).await.expect("list_aliases");
    let found = aliases
        .iter()
        .find(|a| a.alias_name == format!("alias/{alias}"))
        .unwrap_or_else(|| panic!("alias/{alias} not in {aliases:?}"));
    assert_eq!(found.target_key_id.as_deref(), Some(key_id));
}

/// `enable_key` enables a disabled key (by key id, in its region).
pub async fn disabled_key_enabled(fixture: &dyn Fixture) {
    let account = super::fixture::account_of(fixture).await;
    let region = fixture.region();
    let arn = fixture
        .create_key(&KeySpec {
            region: region.to_owned(),
            alias: unique_name("enabled"),
            policy: key_policy(&account).to_string(),
            enabled: false,
        })
        .await;
    let keys = fixture.services().keys;
    let key_id = arn.rsplit('/').next().unwrap_or_default();
    keys.enable_key(region, key_id).await.expect("enable_key");
    let key = keys
        .describe_key(region, &arn)
        .await
        .expect("describe_key")
        .expect("the key exists");
    assert_eq!(key.key_state.as_deref(), Some("Enabled"));
}

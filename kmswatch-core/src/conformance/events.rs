//! The EventBridge behaviours: rules of a region's default event bus with
//! their state, pattern and targets.

use super::fixture::{unique_name, EventRuleSpec, Fixture};
use crate::api::ApiErrorKind;
use std::collections::BTreeMap;

const PATTERN: &str = r#"{"source": ["aws.kms"], "detail-type": ["AWS API Call via CloudTrail"], "detail": {"eventName": ["DisableKey", "ScheduleKeyDeletion"]}}"#;

/// `list_rules` lists a region's rules with their ARN, state and pattern
/// (compared as JSON), and no rule of another region; `list_targets_by_rule`
/// gives each target's id and ARN.
pub async fn event_rules_with_their_targets(fixture: &dyn Fixture) {
    let services = fixture.services();
    let region = fixture.region();
    let topic = services
        .topics
        .create_topic(region, &unique_name("rule-topic"), &BTreeMap::new())
        .await
        .expect("create_topic");
    let enabled = unique_name("kms-rule");
    let disabled = unique_name("kms-rule-off");
    for (name, on) in [(&enabled, true), (&disabled, false)] {
        fixture
            .create_event_rule(&EventRuleSpec {
                region: region.to_owned(),
                name: name.clone(),
                event_pattern: PATTERN.to_owned(),
                enabled: on,
                targets: vec![("alert".to_owned(), topic.clone())],
            })
            .await;
    }
    let rules = services
        .events
        .list_rules(region)
        .await
        .expect("list_rules");
    for (name, state) in [(&enabled, "ENABLED"), (&disabled, "DISABLED")] {
        let rule = rules
            .iter()
            .find(|r| &r.name == name)
            .unwrap_or_else(|| panic!("rule {name} not listed in {rules:#?}"));
        assert_eq!(rule.state.as_deref(), Some(state), "{name}");
        assert_eq!(rule.event_bus_name, "default", "{name}");
        assert!(
            rule.arn.ends_with(&format!(":rule/{name}")),
            "{name}: {}",
            rule.arn
        );
        let pattern: serde_json::Value =
            serde_json::from_str(rule.event_pattern.as_deref().expect("a pattern")).unwrap();
        assert_eq!(
            pattern,
            serde_json::from_str::<serde_json::Value>(PATTERN).unwrap()
        );
    }
    let targets = services
        .events
        .list_targets_by_rule(region, &enabled)
        .await
        .expect("list_targets_by_rule");
    assert_eq!(targets.len(), 1, "{targets:#?}");
    assert_eq!(targets[0].id, "alert");
    assert_eq!(targets[0].arn, topic);
    assert!(!targets[0].transforms_input);
    let elsewhere = services
        .events
        .list_rules(fixture.other_region())
        .await
        .expect("list_rules in the other region");
    assert!(
        !elsewhere.iter().any(|r| r.name == enabled),
        "a rule of {region} listed in {}",
        fixture.other_region()
    );
}

/// The targets of a rule that does not exist: a not-found error.
pub async fn targets_of_a_missing_rule_not_found(fixture: &dyn Fixture) {
    let missing = unique_name("no-such-rule");
    match fixture
        .services()
        .events
        .list_targets_by_rule(fixture.region(), &missing)
        .await
    {
        Err(e) => assert_eq!(e.kind, ApiErrorKind::NotFound, "{e}"),
        Ok(targets) => panic!("targets of a missing rule: {targets:#?}"),
    }
}

/// `put_rule` creates a rule of the default event bus (listed with its state
/// and pattern), a second `put_rule` of that name updates it in place, and
/// `put_targets` adds a target (replacing one of the same id).
pub async fn put_rule_and_targets_are_listed(fixture: &dyn Fixture) {
    let services = fixture.services();
    let region = fixture.region();
    let topic = services
        .topics
        .create_topic(region, &unique_name("put-rule-topic"), &BTreeMap::new())
        .await
        .expect("create_topic");
    let mut spec = crate::model::EventRuleSpec {
        name: unique_name("kms-put-rule"),
        event_pattern: PATTERN.to_owned(),
        state: "DISABLED".to_owned(),
        description: Some("conformance".to_owned()),
        tags: BTreeMap::from([("kmswatch:managed".to_owned(), "true".to_owned())]),
    };
    let arn = services
        .events
        .put_rule(region, &spec)
        .await
        .expect("put_rule");
    assert!(arn.ends_with(&format!(":rule/{}", spec.name)), "{arn}");
    spec.state = "ENABLED".to_owned();
    let again = services
        .events
        .put_rule(region, &spec)
        .await
        .expect("put_rule again");
    assert_eq!(again, arn);
    let rules = services
        .events
        .list_rules(region)
        .await
        .expect("list_rules");
    let listed: Vec<_> = rules.iter().filter(|r| r.name == spec.name).collect();
    assert_eq!(listed.len(), 1, "{rules:#?}");
    assert_eq!(listed[0].state.as_deref(), Some("ENABLED"));
    let target = |arn: &str| crate::model::RuleTarget {
        id: "kmswatch-alerts".to_owned(),
        arn: arn.to_owned(),
        transforms_input: false,
    };
    services
        .events
        .put_targets(
            region,
            &spec.name,
            &[target("arn:aws:sns:us-east-1:000000000000:gone")],
        )
        .await
        .expect("put_targets");
    services
        .events
        .put_targets(region, &spec.name, &[target(&topic)])
        .await
        .expect("put_targets again");
    let targets = services
        .events
        .list_targets_by_rule(region, &spec.name)
        .await
        .expect("list_targets_by_rule");
    assert_eq!(targets.len(), 1, "{targets:#?}");
    assert_eq!(targets[0].arn, topic);
}

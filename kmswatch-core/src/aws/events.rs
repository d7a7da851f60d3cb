//! EventBridge: the rules of a region's default event bus and their targets;
//! `PutRule` and `PutTargets` for `remediate --via eventbridge`. EventBridge
//! rules are regional: calls go to the region named.

use super::error::required;
use super::AwsBackend;
use crate::api::{ApiResult, EventsApi};
use crate::model::{EventRule, EventRuleSpec, RuleTarget, DEFAULT_EVENT_BUS};
use crate::operation::Operation;
use async_trait::async_trait;
use aws_sdk_eventbridge::types::{RuleState, Tag, Target};

#[async_trait]
impl EventsApi for AwsBackend {
    /// One `ListRules` request per page.
    async fn list_rules(&self, region: &str) -> ApiResult<Vec<EventRule>> {
        let (client, call) = self.call(&self.events, Operation::ListRules, region, None)?;
        let mut rules = Vec::new();
        let mut next_token: Option<String> = None;
        loop {
            let page = client
                .list_rules()
                .event_bus_name(DEFAULT_EVENT_BUS)
                .set_next_token(next_token.take())
                .send()
                .await
                .map_err(|e| call.sdk_error(e))?;
            for rule in page.rules.unwrap_or_default() {
                rules.push(EventRule {
                    name: required(rule.name, "Name").map_err(|m| call.malformed(m))?,
                    arn: required(rule.arn, "Arn").map_err(|m| call.malformed(m))?,
                    event_bus_name: rule
                        .event_bus_name
                        .unwrap_or_else(|| DEFAULT_EVENT_BUS.to_owned()),
                    state: rule.state.map(|s| s.as_str().to_owned()),
                    event_pattern: rule.event_pattern,
                });
            }
            match page.next_token {
                Some(token) if !token.is_empty() => next_token = Some(token),
                _ => return Ok(rules),
            }
        }
    }

    /// One `ListTargetsByRule` request per page.
    async fn list_targets_by_rule(
        &self,
        region: &str,
        rule_name: &str,
    ) -> ApiResult<Vec<RuleTarget>> {
        let (client, call) = self.call(
            &self.events,
            Operation::ListTargetsByRule,
            region,
            Some(rule_name),
        )?;
        let mut targets = Vec::new();
        let mut next_token: Option<String> = None;
        loop {
            let page = client
                .list_targets_by_rule()
                .rule(rule_name)
                .event_bus_name(DEFAULT_EVENT_BUS)
                .set_next_token(next_token.take())
                .send()
                .await
                .map_err(|e| call.sdk_error(e))?;
            for target in page.targets.unwrap_or_default() {
                targets.push(RuleTarget {
                    transforms_input: target.input.is_some()
                        || target.input_path.is_some()
                        || target.input_transformer.is_some(),
                    id: target.id,
                    arn: target.arn,
                });
            }
            match page.next_token {
                Some(token) if !token.is_empty() => next_token = Some(token),
                _ => return Ok(targets),
            }
        }
    }

    /// One `PutRule` request (tags apply when the rule is created).
    async fn put_rule(&self, region: &str, rule: &EventRuleSpec) -> ApiResult<String> {
        let (client, call) =
            self.call(&self.events, Operation::PutRule, region, Some(&rule.name))?;
        let tags = rule
            .tags
            .iter()
            .map(|(k, v)| Tag::builder().key(k).value(v).build())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| call.invalid("ConstructionFailure", e.to_string()))?;
        let state = RuleState::from(rule.state.as_str());
        let out = client
            .put_rule()
            .name(&rule.name)
            .event_bus_name(DEFAULT_EVENT_BUS)
            .event_pattern(&rule.event_pattern)
            .state(state)
            .set_description(rule.description.clone())
            .set_tags((!tags.is_empty()).then_some(tags))
            .send()
            .await
            .map_err(|e| call.sdk_error(e))?;
        required(out.rule_arn, "RuleArn").map_err(|m| call.malformed(m))
    }

    /// One `PutTargets` request; a target AWS did not add is an error.
    async fn put_targets(
        &self,
        region: &str,
        rule_name: &str,
        targets: &[RuleTarget],
    ) -> ApiResult<()> {
        let (client, call) =
            self.call(&self.events, Operation::PutTargets, region, Some(rule_name))?;
        let targets = targets
            .iter()
            .map(|t| Target::builder().id(&t.id).arn(&t.arn).build())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| call.invalid("ConstructionFailure", e.to_string()))?;
        let out = client
            .put_targets()
            .rule(rule_name)
            .event_bus_name(DEFAULT_EVENT_BUS)
            .set_targets(Some(targets))
            .send()
            .await
            .map_err(|e| call.sdk_error(e))?;
        match out.failed_entries.unwrap_or_default().first() {
            None => Ok(()),
            Some(failed) => Err(call.invalid(
                failed.error_code.as_deref().unwrap_or("FailedEntry"),
                failed.error_message.clone().unwrap_or_default(),
            )),
        }
    }
}

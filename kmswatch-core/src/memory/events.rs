//! EventBridge, answered from the in-memory state: the rules of each region's
//! default event bus and their targets, written by `PutRule` and `PutTargets`.

use super::state::{entry, EventBus, RuleRecord};
use super::{not_found, MemoryBackend};
use crate::api::{ApiResult, EventsApi};
use crate::model::{EventRule, EventRuleSpec, RuleTarget, DEFAULT_EVENT_BUS};
use crate::operation::Operation;
use async_trait::async_trait;

impl MemoryBackend {
    /// Adds (or replaces) a rule of the default event bus in `region`, with
    /// its targets; returns its ARN.
    pub fn put_event_rule(
        &self,
        region: &str,
        name: &str,
        state: &str,
        event_pattern: &str,
        targets: Vec<RuleTarget>,
    ) -> String {
        let arn = self.arn("events", region, &format!("rule/{name}"));
        let rule = RuleRecord {
            rule: EventRule {
                name: name.to_owned(),
                arn: arn.clone(),
                event_bus_name: DEFAULT_EVENT_BUS.to_owned(),
                state: Some(state.to_owned()),
                event_pattern: Some(event_pattern.to_owned()),
            },
            targets: Some(targets),
        };
        let mut account = self.lock();
        let bus = entry(&mut account.event_buses, region, || EventBus {
            region: region.to_owned(),
            rules: Some(Vec::new()),
        });
        let rules = bus.rules.get_or_insert_with(Vec::new);
        rules.retain(|r| r.rule.name != name);
        rules.push(rule);
        arn
    }
}

#[async_trait]
impl EventsApi for MemoryBackend {
    async fn list_rules(&self, region: &str) -> ApiResult<Vec<EventRule>> {
        self.replay(Operation::ListRules, None, region)?;
        let account = self.lock();
        Ok(account
            .event_buses
            .iter()
            .filter(|b| b.region == region)
            .flat_map(|b| b.rules.iter().flatten())
            .map(|r| r.rule.clone())
            .collect())
    }

    async fn list_targets_by_rule(
        &self,
        region: &str,
        rule_name: &str,
    ) -> ApiResult<Vec<RuleTarget>> {
        self.replay(Operation::ListTargetsByRule, Some(rule_name), region)?;
        let account = self.lock();
        account
            .event_buses
            .iter()
            .filter(|b| b.region == region)
            .flat_map(|b| b.rules.iter().flatten())
            .find(|r| r.rule.name == rule_name)
            // Targets a snapshot did not read: none known.
            .map(|r| r.targets.clone().unwrap_or_default())
            .ok_or_else(|| {
                not_found(
                    Operation::ListTargetsByRule,
                    "ResourceNotFoundException",
                    rule_name,
                )
            })
    }

    async fn put_rule(&self, region: &str, rule: &EventRuleSpec) -> ApiResult<String> {
        self.replay(Operation::PutRule, Some(&rule.name), region)?;
        let targets = self
            .lock()
            .event_buses
            .iter()
            .filter(|b| b.region == region)
            .flat_map(|b| b.rules.iter().flatten())
            .find(|r| r.rule.name == rule.name)
            .map(|r| r.targets.clone().unwrap_or_default())
            .unwrap_or_default();
        Ok(self.put_event_rule(
            region,
            &rule.name,
            &rule.state,
            &rule.event_pattern,
            targets,
        ))
    }

    async fn put_targets(
        &self,
        region: &str,
        rule_name: &str,
        targets: &[RuleTarget],
    ) -> ApiResult<()> {
        self.replay(Operation::PutTargets, Some(rule_name), region)?;
        let mut account = self.lock();
        let rule = account
            .event_buses
            .iter_mut()
            .filter(|b| b.region == region)
            .flat_map(|b| b.rules.iter_mut().flatten())
            .find(|r| r.rule.name == rule_name)
            .ok_or_else(|| {
                not_found(
                    Operation::PutTargets,
                    "ResourceNotFoundException",
                    rule_name,
                )
            })?;
        let existing = rule.targets.get_or_insert_with(Vec::new);
        for target in targets {
            existing.retain(|t| t.id != target.id);
            existing.push(target.clone());
        }
        Ok(())
    }
}

//! EventBridge.

use super::call::Call;
use super::forward::service_impls;
use crate::api_error::ApiResult;
use crate::model::{EventRule, EventRuleSpec, RuleTarget};
use crate::operation::Operation;
use async_trait::async_trait;

/// EventBridge: the rules of a region's default event bus and their targets.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait EventsApi: Send + Sync {
    /// `ListRules` of the default event bus in `region` (all pages).
    async fn list_rules(&self, region: &str) -> ApiResult<Vec<EventRule>>;
    /// `ListTargetsByRule` of the rule `rule_name` of the default event bus
    /// in `region` (all pages).
    async fn list_targets_by_rule(
        &self,
        region: &str,
        rule_name: &str,
    ) -> ApiResult<Vec<RuleTarget>>;
    /// `PutRule` on the default event bus of `region`: creates the rule, or
    /// updates the one of that name; returns its ARN.
    async fn put_rule(&self, region: &str, rule: &EventRuleSpec) -> ApiResult<String>;
    /// `PutTargets`: adds the targets to the rule `rule_name` of the default
    /// event bus of `region`, replacing those with the same ids.
    async fn put_targets(
        &self,
        region: &str,
        rule_name: &str,
        targets: &[RuleTarget],
    ) -> ApiResult<()>;
}

service_impls! {
    EventsApi;
    answers {
        fn list_rules(region: &str) -> Vec<EventRule> =
            Call::read(Operation::ListRules, region, None);
        fn list_targets_by_rule(region: &str, rule_name: &str) -> Vec<RuleTarget> =
            Call::read(Operation::ListTargetsByRule, region, Some(rule_name));
        fn put_rule(region: &str, rule: &EventRuleSpec) -> String =
            Call::write(Operation::PutRule, region, &rule.name);
    }
    no_answer {
        fn put_targets(region: &str, rule_name: &str, targets: &[RuleTarget]) =
            Call::write(Operation::PutTargets, region, rule_name);
    }
}

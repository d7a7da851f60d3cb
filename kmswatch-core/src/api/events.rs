//! EventBridge.

use super::call::Call;
use super::error::ApiResult;
use super::forward::service_impls;
use crate::model::{EventRule, RuleTarget};
use crate::operation::Operation;
use async_trait::async_trait;

/// EventBridge: the rules of a region's default event bus, read only.
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
}

service_impls! {
    EventsApi;
    answers {
        fn list_rules(region: &str) -> Vec<EventRule> =
            Call::read(Operation::ListRules, region, None);
        fn list_targets_by_rule(region: &str, rule_name: &str) -> Vec<RuleTarget> =
            Call::read(Operation::ListTargetsByRule, region, Some(rule_name));
    }
    no_answer {}
}

//! The log group link: existing, with readable metric filters, in this
//! account or in the account that holds it (an organization trail's log
//! group in the management or a log-archive account), read there.

use super::unknown::{fact_gap, missing_gap};
use crate::check::facts::{Facts, LogGroupFacts};
use crate::check::gap::Gap;
use crate::check::gap_code::GapCode;
use crate::model::Arn;
use crate::operation::Operation;

/// The log group a trail delivers to, when its metric filters are known,
/// with the facts of the account that holds it (`facts`, or those read in
/// another account: [`Facts::linked`]), where the rest of the chain is.
pub fn assess_log_group<'f>(
    facts: &'f Facts,
    group_arn: &str,
) -> Result<(&'f Facts, &'f LogGroupFacts), Gap> {
    let parsed = Arn::parse(group_arn).filter(|a| a.log_group_name().is_some());
    let Some(parsed) = parsed else {
        return Err(Gap::of(
            GapCode::LogGroupArnInvalid,
            Some(group_arn),
            format!("{group_arn:?} is not a log group ARN"),
            &[],
        ));
    };
    let facts = if parsed.account_id == facts.account_id {
        facts
    } else {
        holder(facts, group_arn, parsed.account_id)?
    };
    let Some(group) = facts.log_group(group_arn) else {
        return Err(missing_gap(
            GapCode::LogGroupUnknown,
            group_arn,
            "the log group",
        ));
    };
    if group.exists == Some(false) {
        return Err(Gap::of(
            GapCode::LogGroupNotFound,
            Some(group_arn),
            "the trail's log group does not exist, so no event reaches a metric filter",
            &[],
        ));
    }
    match &group.metric_filters {
        Some(_) if group.location().is_some() => Ok((facts, group)),
        _ => Err(fact_gap(
            facts,
            GapCode::MetricFiltersUnknown,
            Operation::DescribeMetricFilters,
            group_arn,
            "the log group's metric filters are unknown",
        )),
    }
}

/// The facts read in `account`, which holds the log group: MANUAL when it
/// was not entered (no way in, or `AssumeRole` refused).
fn holder<'f>(facts: &'f Facts, group_arn: &str, account: &str) -> Result<&'f Facts, Gap> {
    let linked = facts.linked_account(account);
    if let Some(read) = linked.and_then(|l| l.facts()) {
        return Ok(read);
    }
    let message = match linked.and_then(|l| l.not_entered.as_deref().map(|r| (l, r))) {
        Some((l, reason)) => format!(
            "the log group is in account {account}, which could not be entered{}: {reason}",
            l.role_arn
                .as_deref()
                .map(|r| format!(" with role {r}"))
                .unwrap_or_default()
        ),
        None => format!(
            "the log group is in account {account}, which these credentials (account {}) cannot inspect",
            facts.account_id
        ),
    };
    Err(Gap::of(
        GapCode::LogGroupOtherAccount,
        Some(group_arn),
        message,
        &[("account", account)],
    ))
}

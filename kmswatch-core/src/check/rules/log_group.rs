//! The log group link: in this account, existing, with readable metric filters.

use super::unknown::{fact_gap, missing_gap};
use crate::check::facts::{Facts, LogGroupFacts};
use crate::check::gap::Gap;
use crate::check::gap_code::GapCode;
use crate::model::Arn;
use crate::operation::Operation;

/// The log group a trail delivers to, when its metric filters are known.
pub fn assess_log_group<'f>(facts: &'f Facts, group_arn: &str) -> Result<&'f LogGroupFacts, Gap> {
    let parsed = Arn::parse(group_arn).filter(|a| a.log_group_name().is_some());
    let Some(parsed) = parsed else {
        return Err(Gap::of(
            GapCode::LogGroupArnInvalid,
            Some(group_arn),
            format!("{group_arn:?} is not a log group ARN"),
            &[],
        ));
    };
    if parsed.account_id != facts.account_id {
        return Err(Gap::of(
            GapCode::LogGroupOtherAccount,
            Some(group_arn),
            format!(
                "the log group is in account {}, which these credentials (account {}) cannot inspect",
                parsed.account_id, facts.account_id
            ),
            &[("account", parsed.account_id)],
        ));
    }
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
        Some(_) if group.location().is_some() => Ok(group),
        _ => Err(fact_gap(
            facts,
            GapCode::MetricFiltersUnknown,
            Operation::DescribeMetricFilters,
            group_arn,
            "the log group's metric filters are unknown",
        )),
    }
}

//! What every writer reads from one account's report: its partition, the
//! resources of its chains, and its gaps in the order a reader needs them.

use crate::check::report::Chain;
use crate::check::{Gap, Report};

/// The AWS partition of the report's account: from the first ARN it names
/// (`arn:aws-cn:...`), else from the region (`cn-*`, `us-gov-*`, `us-iso*`).
pub fn partition_of(report: &Report) -> String {
    let arns = report
        .chains
        .iter()
        .map(|c| c.trail_arn.as_str())
        .chain(report.gaps.iter().filter_map(|g| g.resource.as_deref()));
    for arn in arns {
        let mut parts = arn.split(':');
        if let (Some("arn"), Some(partition)) = (parts.next(), parts.next()) {
            if !partition.is_empty() {
                return partition.to_owned();
            }
        }
    }
    let region = report.region.as_str();
    let partition = if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else if region.starts_with("us-isob-") {
        "aws-iso-b"
    } else if region.starts_with("us-iso-") {
        "aws-iso"
    } else {
        "aws"
    };
    partition.to_owned()
}

/// The kind of a resource a chain runs through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ResourceKind {
    Account,
    Trail,
    LogGroup,
    MetricFilter,
    Alarm,
    Topic,
}

impl ResourceKind {
    /// The CloudFormation type name (OCSF `resource.type`).
    pub(super) fn cloudformation_type(self) -> &'static str {
        match self {
            ResourceKind::Account => "AWS::::Account",
            ResourceKind::Trail => "AWS::CloudTrail::Trail",
            ResourceKind::LogGroup => "AWS::Logs::LogGroup",
            ResourceKind::MetricFilter => "AWS::Logs::MetricFilter",
            ResourceKind::Alarm => "AWS::CloudWatch::Alarm",
            ResourceKind::Topic => "AWS::SNS::Topic",
        }
    }

    /// The ASFF `Resources[].Type` (`Other` where ASFF defines none).
    pub(super) fn asff_type(self) -> &'static str {
        match self {
            ResourceKind::Account => "AwsAccount",
            ResourceKind::Trail => "AwsCloudTrailTrail",
            ResourceKind::Alarm => "AwsCloudWatchAlarm",
            ResourceKind::Topic => "AwsSnsTopic",
            ResourceKind::LogGroup | ResourceKind::MetricFilter => "Other",
        }
    }
}

/// A resource a finding is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Resource {
    pub(super) kind: ResourceKind,
    /// ARN, or for a metric filter (which has none) `<log group ARN>:metric-filter:<name>`,
    /// or for the account `AWS::::Account:<id>`.
    pub(super) id: String,
    /// The name, where the resource has one apart from its ARN.
    pub(super) name: Option<String>,
    /// The region the resource lives in, from its ARN.
    pub(super) region: Option<String>,
}

fn region_of(arn: &str) -> Option<String> {
    arn.split(':')
        .nth(3)
        .filter(|r| !r.is_empty())
        .map(str::to_owned)
}

fn push(list: &mut Vec<Resource>, kind: ResourceKind, id: &str, name: Option<&str>) {
    if list.iter().any(|r| r.id == id) {
        return;
    }
    list.push(Resource {
        kind,
        id: id.to_owned(),
        name: name.map(str::to_owned),
        region: region_of(id),
    });
}

/// The resources of one chain, trail first, each once.
pub(super) fn chain_resources(chain: &Chain) -> Vec<Resource> {
    let mut list = Vec::new();
    push(
        &mut list,
        ResourceKind::Trail,
        &chain.trail_arn,
        Some(&chain.trail_name),
    );
    if let Some(group) = &chain.log_group_arn {
        let name = group
            .split_once(":log-group:")
            .map(|(_, name)| name.trim_end_matches(":*"));
        push(&mut list, ResourceKind::LogGroup, group, name);
    }
    for filter in &chain.metric_filters {
        let id = match &chain.log_group_arn {
            Some(group) => format!("{group}:metric-filter:{}", filter.filter_name),
            None => filter.filter_name.clone(),
        };
        push(
            &mut list,
            ResourceKind::MetricFilter,
            &id,
            Some(&filter.filter_name),
        );
        for alarm in &filter.alarms {
            push(
                &mut list,
                ResourceKind::Alarm,
                &alarm.alarm_arn,
                Some(&alarm.alarm_name),
            );
            for topic in &alarm.topics {
                let name = topic.topic_arn.rsplit(':').next();
                push(&mut list, ResourceKind::Topic, &topic.topic_arn, name);
            }
        }
    }
    list
}

/// The account as a resource.
pub(super) fn account_resource(report: &Report) -> Resource {
    Resource {
        kind: ResourceKind::Account,
        id: format!("AWS::::Account:{}", report.account_id),
        name: None,
        region: Some(report.region.clone()),
    }
}

/// Every resource of the report's chains, each once; the account when it
/// has no chain.
pub(super) fn resources(report: &Report) -> Vec<Resource> {
    let mut list: Vec<Resource> = Vec::new();
    for chain in &report.chains {
        for r in chain_resources(chain) {
            if !list.iter().any(|known| known.id == r.id) {
                list.push(r);
            }
        }
    }
    if list.is_empty() {
        list.push(account_resource(report));
    }
    list
}

/// A chain's gaps, the links' own first (topic, alarm, filter, in chain
/// order) and the chain's summary gaps (`NOT_ALARMED:*`) last: the first
/// blocking one names the cause.
pub(super) fn chain_gaps(chain: &Chain) -> Vec<&Gap> {
    let mut gaps = Vec::new();
    for filter in &chain.metric_filters {
        for alarm in &filter.alarms {
            for topic in &alarm.topics {
                gaps.extend(&topic.gaps);
            }
            gaps.extend(&alarm.gaps);
        }
        gaps.extend(&filter.gaps);
    }
    gaps.extend(&chain.gaps);
    gaps
}

/// Every gap of the report that breaks its link: the account's, then each
/// chain's (see [`chain_gaps`]).
pub(super) fn blocking_gaps(report: &Report) -> Vec<&Gap> {
    report
        .gaps
        .iter()
        .chain(report.chains.iter().flat_map(chain_gaps))
        .filter(|g| g.is_blocking())
        .collect()
}

/// The distinct codes of `gaps`, in order.
pub(super) fn distinct_codes<'a>(gaps: impl IntoIterator<Item = &'a Gap>) -> Vec<String> {
    let mut codes: Vec<String> = Vec::new();
    for gap in gaps {
        let code = gap.code.as_string();
        if !codes.contains(&code) {
            codes.push(code);
        }
    }
    codes
}

/// The distinct fix texts of `gaps`, in order.
pub(super) fn distinct_fixes<'a>(gaps: impl IntoIterator<Item = &'a Gap>) -> Vec<String> {
    let mut fixes: Vec<String> = Vec::new();
    for gap in gaps {
        if !gap.fix.is_empty() && !fixes.contains(&gap.fix) {
            fixes.push(gap.fix.clone());
        }
    }
    fixes
}

/// `text` cut to at most `max` characters (an ellipsis marks the cut).
pub(super) fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncation_counts_characters_and_marks_the_cut() {
        assert_eq!(truncate("abc", 3), "abc");
        assert_eq!(truncate("abcd", 3), "ab…");
        assert_eq!(truncate("ééééé", 4).chars().count(), 4);
    }
}

//! `evaluate`: facts in, verdict out. Pure; no I/O.

use super::alarm::{alarm_gaps, watches};
use super::facts::{is_visibility_error, Facts, TrailFacts};
use super::report::{
    status_of, AlarmLink, Chain, CisPatternCheck, FilterLink, Gap, Report, Severity, Status,
    TopicLink, REPORT_SCHEMA,
};
use super::trail::selector_gaps;
use crate::api::ApiError;
use crate::corpus::{self, CorpusEvent};
use crate::model::{Arn, Metric, MetricFilter};
use crate::pattern::{coverage, FilterPattern};

/// The CIS AWS Foundations / Security Hub CloudWatch.7 pattern, as published.
pub const CIS_PATTERN: &str = "{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }";

/// The target event names a chain must cover.
pub const TARGET_EVENT_NAMES: [&str; 2] = ["DisableKey", "ScheduleKeyDeletion"];

/// Whether `pattern` is the CIS pattern text, ignoring white space.
pub fn is_cis_exact(pattern: &str) -> bool {
    let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    squeeze(pattern) == squeeze(CIS_PATTERN)
}

/// Decides whether the account's KMS key disabling and deletion are monitored.
///
/// PASS when at least one trail's chain is complete; otherwise ERROR when some
/// chain could pass but a needed fact is missing, MANUAL when the only candidate
/// chains run through resources these credentials cannot see, FAIL otherwise.
pub fn evaluate(facts: &Facts) -> Report {
    let targets: Vec<&CorpusEvent> = corpus::targets().collect();
    let mut gaps = Vec::new();
    if let Some(e) = facts.error_for("DescribeTrails", None, None) {
        gaps.push(unknown_gap(
            facts,
            "TRAILS_UNKNOWN",
            e,
            None,
            "the account's trails could not be listed",
        ));
    } else if facts.trails.is_empty() {
        gaps.push(Gap::new(
            "NO_TRAIL",
            Severity::Fail,
            None,
            "no CloudTrail trail logs in this region",
            "create a multi-region trail that records management events and delivers to CloudWatch Logs",
        ));
    }
    let chains: Vec<Chain> = facts
        .trails
        .iter()
        .map(|t| evaluate_trail(facts, t, &targets))
        .collect();
    let status = Status::any(
        chains
            .iter()
            .map(|c| c.status)
            .chain(gaps.iter().map(|g| g.severity.status())),
    );
    let cis_filters: Vec<String> = chains
        .iter()
        .filter(|c| c.status == Status::Pass)
        .flat_map(|c| {
            c.metric_filters
                .iter()
                .filter(|f| f.status == Status::Pass && is_cis_exact(&f.filter_pattern))
                .map(move |f| {
                    format!(
                        "{}:{}",
                        c.log_group_arn.as_deref().unwrap_or_default(),
                        f.filter_name
                    )
                })
        })
        .collect();
    let cis_pattern = CisPatternCheck {
        exact: !cis_filters.is_empty(),
        message: if cis_filters.is_empty() {
            "no alarmed metric filter on a passing chain has the exact CIS pattern text; \
             Security Hub CloudWatch.7 compares the text and will report FAILED"
                .to_owned()
        } else {
            "a passing chain uses the exact CIS pattern text, as Security Hub CloudWatch.7 expects"
                .to_owned()
        },
        filters: cis_filters,
    };
    let warnings = collect_warnings(&chains);
    let summary = summarize(status, &chains, &gaps);
    Report {
        schema: REPORT_SCHEMA.to_owned(),
        status,
        summary,
        account_id: facts.account_id.clone(),
        region: facts.region.clone(),
        chains,
        gaps,
        cis_pattern,
        warnings,
        api_calls: 0,
    }
}

fn summarize(status: Status, chains: &[Chain], gaps: &[Gap]) -> String {
    match status {
        Status::Pass => {
            let c = chains.iter().find(|c| c.status == Status::Pass);
            format!(
                "KMS key disabling and deletion are monitored through trail {}",
                c.map(|c| c.trail_name.as_str()).unwrap_or_default()
            )
        }
        Status::Fail => match chains
            .iter()
            .flat_map(|c| {
                c.gaps
                    .iter()
                    .filter(|g| !g.code.starts_with("NOT_ALARMED:"))
                    .chain(c.metric_filters.iter().flat_map(nested_gaps))
            })
            .chain(gaps)
            .find(|g| g.severity == Severity::Fail)
        {
            Some(g) => format!("not monitored: {}", g.message),
            None => "not monitored: no chain delivers a KMS key event to a confirmed subscriber"
                .to_owned(),
        },
        Status::Error => "could not decide: a call needed for the decision failed".to_owned(),
        Status::Manual => {
            "could not decide: the candidate chains run through resources these credentials cannot see"
                .to_owned()
        }
    }
}

fn collect_warnings(chains: &[Chain]) -> Vec<Gap> {
    let mut warnings: Vec<Gap> = Vec::new();
    let all_gaps = chains.iter().flat_map(|c| {
        c.gaps
            .iter()
            .chain(c.metric_filters.iter().flat_map(nested_gaps))
    });
    for g in all_gaps.filter(|g| g.severity == Severity::Warning) {
        if !warnings.contains(g) {
            warnings.push(g.clone());
        }
    }
    warnings
}

/// A gap for a fact that is missing because `error` happened: MANUAL when the
/// credentials may not see a resource of another account, ERROR otherwise
/// (access denied in one's own account is a failed call like any other).
fn unknown_gap(
    facts: &Facts,
    code: &str,
    error: &ApiError,
    resource: Option<&str>,
    what: &str,
) -> Gap {
    let resource = resource.or(error.resource.as_deref());
    let other_account = resource
        .and_then(Arn::parse)
        .is_some_and(|a| !a.account_id.is_empty() && a.account_id != facts.account_id);
    let (severity, fix) = if other_account && is_visibility_error(error) {
        (
            Severity::Manual,
            "check it with credentials of the account that owns it".to_owned(),
        )
    } else if is_visibility_error(error) {
        (
            Severity::Error,
            format!(
                "allow these credentials {} and run the check again",
                error.operation
            ),
        )
    } else {
        (
            Severity::Error,
            "run the check again; if it persists, look into the error".to_owned(),
        )
    };
    Gap::new(code, severity, resource, format!("{what}: {error}"), fix)
}

/// A gap for a fact that is neither present nor explained by an error.
fn missing_gap(code: &str, resource: &str, what: &str) -> Gap {
    Gap::new(
        code,
        Severity::Error,
        Some(resource),
        format!("{what}: not in the facts"),
        "gather the facts again (kmswatch snapshot) so that they are complete",
    )
}

fn fact_gap(facts: &Facts, code: &str, operation: &str, resource: &str, what: &str) -> Gap {
    match facts.error_for(operation, Some(resource), None) {
        Some(e) => unknown_gap(facts, code, e, Some(resource), what),
        None => missing_gap(code, resource, what),
    }
}

fn evaluate_trail(facts: &Facts, tf: &TrailFacts, targets: &[&CorpusEvent]) -> Chain {
    let trail = &tf.trail;
    let arn = trail.trail_arn.as_str();
    let mut chain = Chain {
        status: Status::Fail,
        trail_arn: trail.trail_arn.clone(),
        trail_name: trail.name.clone(),
        home_region: trail.home_region.clone(),
        log_group_arn: trail
            .cloud_watch_logs_log_group_arn
            .as_deref()
            .map(|a| crate::model::normalize_log_group_arn(a).to_owned()),
        metric_filters: Vec::new(),
        gaps: Vec::new(),
    };
    if !trail.is_multi_region_trail {
        chain.gaps.push(Gap::new(
            "TRAIL_NOT_MULTI_REGION",
            Severity::Fail,
            Some(arn),
            format!(
                "trail {} records events of {} only; KMS keys elsewhere are not watched",
                trail.name, trail.home_region
            ),
            format!(
                "aws cloudtrail update-trail --name {} --is-multi-region-trail --region {}",
                trail.name, trail.home_region
            ),
        ));
        chain.status = status_of(&chain.gaps);
        return chain;
    }
    match &tf.status {
        None => chain.gaps.push(fact_gap(
            facts,
            "TRAIL_STATUS_UNKNOWN",
            "GetTrailStatus",
            arn,
            "whether the trail is logging is unknown",
        )),
        Some(s) => {
            if !s.is_logging {
                chain.gaps.push(Gap::new(
                    "TRAIL_NOT_LOGGING",
                    Severity::Fail,
                    Some(arn),
                    format!("trail {} is not logging", trail.name),
                    format!(
                        "aws cloudtrail start-logging --name {} --region {}",
                        trail.trail_arn, trail.home_region
                    ),
                ));
            }
            if let Some(err) = &s.latest_cloud_watch_logs_delivery_error {
                chain.gaps.push(Gap::new(
                    "TRAIL_CLOUDWATCH_DELIVERY_ERROR",
                    Severity::Warning,
                    Some(arn),
                    format!("CloudTrail reported an error delivering to CloudWatch Logs: {err}"),
                    "check the trail's CloudWatchLogsRoleArn and its permissions on the log group",
                ));
            }
        }
    }
    match &tf.event_selectors {
        None => chain.gaps.push(fact_gap(
            facts,
            "TRAIL_SELECTORS_UNKNOWN",
            "GetEventSelectors",
            arn,
            "which events the trail records is unknown",
        )),
        Some(sel) => chain.gaps.extend(selector_gaps(arn, sel)),
    }
    let Some(group_arn) = chain.log_group_arn.clone() else {
        chain.gaps.push(Gap::new(
            "TRAIL_NO_CLOUDWATCH_LOGS",
            Severity::Fail,
            Some(arn),
            format!("trail {} does not deliver to CloudWatch Logs", trail.name),
            "set the trail's CloudWatchLogsLogGroupArn and CloudWatchLogsRoleArn",
        ));
        chain.status = status_of(&chain.gaps);
        return chain;
    };
    let (filters, region) = match log_group_filters(facts, &group_arn) {
        Ok(found) => found,
        Err(gap) => {
            chain.gaps.push(gap);
            chain.status = status_of(&chain.gaps);
            return chain;
        }
    };
    chain.metric_filters = filters
        .iter()
        .filter_map(|f| evaluate_filter(facts, region, f, targets))
        .collect();
    // Every target event must be caught by some filter whose alarm path works.
    let mut coverage = Vec::new();
    for name in TARGET_EVENT_NAMES {
        let of_name: Vec<&&CorpusEvent> = targets.iter().filter(|e| e.event_name == name).collect();
        let missed: Vec<&str> = of_name
            .iter()
            .filter(|e| {
                chain
                    .metric_filters
                    .iter()
                    .all(|f| f.misses.contains(&e.id))
            })
            .map(|e| e.id.as_str())
            .collect();
        if !missed.is_empty() {
            chain.gaps.push(Gap::new(
                format!("PATTERN_MISSES:{name}"),
                Severity::Fail,
                Some(&group_arn),
                format!(
                    "no metric filter on the log group matches {name} events ({})",
                    missed.join(", ")
                ),
                format!("add a metric filter with the CIS pattern {CIS_PATTERN}"),
            ));
            coverage.push(Status::Fail);
            continue;
        }
        let per_event = of_name.iter().map(|e| {
            Status::any(
                chain
                    .metric_filters
                    .iter()
                    .filter(|f| !f.misses.contains(&e.id))
                    .map(|f| f.status),
            )
        });
        let status = Status::all(per_event);
        if status != Status::Pass {
            let mut causes: Vec<&str> = Vec::new();
            for f in chain
                .metric_filters
                .iter()
                .filter(|f| f.catches.iter().any(|c| c == name))
            {
                for g in nested_gaps(f).filter(|g| g.severity != Severity::Warning) {
                    if !causes.contains(&g.code.as_str()) {
                        causes.push(&g.code);
                    }
                }
            }
            chain.gaps.push(Gap::new(
                format!("NOT_ALARMED:{name}"),
                status_severity(status),
                Some(&group_arn),
                format!(
                    "the metric filters that match {name} have no working alarm path ({})",
                    causes.join(", ")
                ),
                "fix the gaps of the metric filters below, or run kmswatch remediate",
            ));
        }
        coverage.push(status);
    }
    chain.status = Status::all(
        chain
            .gaps
            .iter()
            .filter(|g| !g.code.starts_with("NOT_ALARMED:"))
            .map(|g| g.severity.status())
            .chain(coverage),
    );
    chain
}

/// A filter's gaps and those of its alarms and topics.
fn nested_gaps(f: &FilterLink) -> impl Iterator<Item = &Gap> {
    f.gaps.iter().chain(
        f.alarms
            .iter()
            .flat_map(|a| a.gaps.iter().chain(a.topics.iter().flat_map(|t| &t.gaps))),
    )
}

fn status_severity(status: Status) -> Severity {
    match status {
        Status::Pass => Severity::Warning,
        Status::Fail => Severity::Fail,
        Status::Error => Severity::Error,
        Status::Manual => Severity::Manual,
    }
}

/// The metric filters of the log group a trail delivers to, and its region.
fn log_group_filters<'f>(
    facts: &'f Facts,
    group_arn: &str,
) -> Result<(&'f [MetricFilter], &'f str), Gap> {
    let parsed = Arn::parse(group_arn).filter(|a| a.log_group_name().is_some());
    let Some(parsed) = parsed else {
        return Err(Gap::new(
            "LOG_GROUP_ARN_INVALID",
            Severity::Fail,
            Some(group_arn),
            format!("{group_arn:?} is not a log group ARN"),
            "set the trail's CloudWatchLogsLogGroupArn to the ARN of an existing log group",
        ));
    };
    if parsed.account_id != facts.account_id {
        return Err(Gap::new(
            "LOG_GROUP_OTHER_ACCOUNT",
            Severity::Manual,
            Some(group_arn),
            format!(
                "the log group is in account {}, which these credentials (account {}) cannot inspect",
                parsed.account_id, facts.account_id
            ),
            format!("run kmswatch check with credentials of account {}", parsed.account_id),
        ));
    }
    let Some(group) = facts.log_group(group_arn) else {
        return Err(missing_gap("LOG_GROUP_UNKNOWN", group_arn, "the log group"));
    };
    if group.exists == Some(false) {
        return Err(Gap::new(
            "LOG_GROUP_NOT_FOUND",
            Severity::Fail,
            Some(group_arn),
            "the trail's log group does not exist, so no event reaches a metric filter",
            "recreate the log group or point the trail at an existing one",
        ));
    }
    match &group.metric_filters {
        // Region comes from the facts' own string, so it borrows from `facts`.
        Some(filters) => Ok((filters, group.location().map(|l| l.0).unwrap_or_default())),
        None => Err(fact_gap(
            facts,
            "METRIC_FILTERS_UNKNOWN",
            "DescribeMetricFilters",
            group_arn,
            "the log group's metric filters are unknown",
        )),
    }
}

/// A metric filter that matches at least one target event (or cannot be parsed),
/// with its alarms; `None` for filters unrelated to KMS key events.
fn evaluate_filter(
    facts: &Facts,
    region: &str,
    filter: &MetricFilter,
    targets: &[&CorpusEvent],
) -> Option<FilterLink> {
    let mut link = FilterLink {
        status: Status::Fail,
        filter_name: filter.filter_name.clone(),
        filter_pattern: filter.filter_pattern.clone(),
        canonical_pattern: None,
        catches: Vec::new(),
        misses: Vec::new(),
        metric: None,
        alarms: Vec::new(),
        gaps: Vec::new(),
    };
    let resource = format!("{}:{}", filter.log_group_name, filter.filter_name);
    let pattern = match FilterPattern::parse(&filter.filter_pattern) {
        Ok(p) => p,
        Err(e) => {
            link.misses = targets.iter().map(|t| t.id.clone()).collect();
            link.gaps.push(Gap::new(
                "FILTER_PATTERN_UNPARSEABLE",
                Severity::Error,
                Some(&resource),
                format!(
                    "kmswatch cannot parse the filter pattern ({e}), so what it matches is unknown"
                ),
                "report this pattern to the kmswatch maintainers",
            ));
            link.status = status_of(&link.gaps);
            return Some(link);
        }
    };
    let covered = coverage(&pattern, targets.iter().copied());
    // A filter that catches no target event is not part of the chain.
    covered.matched().next()?;
    link.misses = covered.missed().map(|e| e.id.clone()).collect();
    link.catches = TARGET_EVENT_NAMES
        .into_iter()
        .filter(|n| {
            !covered.missed_target_event_names.iter().any(|m| m == n)
                && covered.matched().any(|e| e.event_name == *n)
        })
        .map(str::to_owned)
        .collect();
    link.canonical_pattern = Some(covered.pattern);
    let Some(transformation) = filter.metric_transformations.first() else {
        link.gaps.push(Gap::new(
            "FILTER_NO_METRIC",
            Severity::Fail,
            Some(&resource),
            "the metric filter publishes no metric",
            "give the filter a metric transformation with MetricValue 1",
        ));
        link.status = status_of(&link.gaps);
        return Some(link);
    };
    let metric = Metric {
        namespace: transformation.metric_namespace.clone(),
        metric_name: transformation.metric_name.clone(),
        dimensions: Default::default(),
    };
    link.metric = Some(metric.clone());
    let value = transformation
        .metric_value
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|v| *v > 0.0 && v.is_finite());
    if value.is_none() {
        link.gaps.push(Gap::new(
            "FILTER_METRIC_VALUE_NOT_POSITIVE",
            Severity::Fail,
            Some(&resource),
            format!(
                "the filter publishes {:?} per match, not a positive number",
                transformation.metric_value
            ),
            "set the metric transformation's MetricValue to 1",
        ));
    }
    if !transformation.dimensions.is_empty() {
        link.gaps.push(Gap::new(
            "FILTER_HAS_DIMENSIONS",
            Severity::Fail,
            Some(&resource),
            "the filter publishes its metric with dimensions taken from the event, so an alarm watches only one dimension value",
            "remove the dimensions from the metric transformation",
        ));
    }
    let alarms = match facts.region_alarms(region) {
        Some(r) => r.alarms.as_deref(),
        None => None,
    };
    match alarms {
        None => link.gaps.push(
            match facts.error_for("DescribeAlarms", None, Some(region)) {
                Some(e) => unknown_gap(
                    facts,
                    "ALARMS_UNKNOWN",
                    e,
                    None,
                    "the region's alarms are unknown",
                ),
                None => missing_gap("ALARMS_UNKNOWN", region, "the region's alarms"),
            },
        ),
        Some(alarms) => {
            link.alarms = alarms
                .iter()
                .filter(|a| watches(a, &metric))
                .map(|a| {
                    let mut gaps = alarm_gaps(a, &metric, value.unwrap_or(1.0), transformation.default_value);
                    let topics = alarm_topics(facts, &a.alarm_actions);
                    if topics.is_empty() && !a.alarm_actions.is_empty() {
                        gaps.push(Gap::new(
                            "ALARM_NO_SNS_ACTION",
                            Severity::Fail,
                            Some(&a.alarm_arn),
                            "none of the alarm's actions is an SNS topic",
                            "add an SNS topic with a confirmed subscriber to the alarm's AlarmActions",
                        ));
                    }
                    let status = Status::all([
                        status_of(&gaps),
                        if topics.is_empty() {
                            Status::Pass
                        } else {
                            Status::any(topics.iter().map(|t| t.status))
                        },
                    ]);
                    AlarmLink {
                        status: if topics.is_empty() && status == Status::Pass {
                            Status::Fail
                        } else {
                            status
                        },
                        alarm_name: a.alarm_name.clone(),
                        alarm_arn: a.alarm_arn.clone(),
                        topics,
                        gaps,
                    }
                })
                .collect();
            if link.alarms.is_empty() {
                link.gaps.push(Gap::new(
                    "ALARM_MISSING",
                    Severity::Fail,
                    Some(&resource),
                    format!(
                        "no alarm watches metric {}/{}",
                        metric.namespace, metric.metric_name
                    ),
                    "create an alarm on the metric: Sum >= 1 over 300 s, 1 of 1 datapoints, actions to an SNS topic",
                ));
            }
        }
    }
    link.status = Status::all([
        status_of(&link.gaps),
        if link.alarms.is_empty() {
            Status::Pass
        } else {
            Status::any(link.alarms.iter().map(|a| a.status))
        },
    ]);
    Some(link)
}

fn alarm_topics(facts: &Facts, actions: &[String]) -> Vec<TopicLink> {
    actions
        .iter()
        .filter(|a| Arn::parse(a).is_some_and(|arn| arn.service == "sns"))
        .map(|arn| evaluate_topic(facts, arn))
        .collect()
}

fn evaluate_topic(facts: &Facts, arn: &str) -> TopicLink {
    let mut link = TopicLink {
        status: Status::Fail,
        topic_arn: arn.to_owned(),
        confirmed_subscriptions: None,
        gaps: Vec::new(),
    };
    let topic = facts.topic(arn);
    match topic {
        None => link.gaps.push(fact_gap(
            facts,
            "TOPIC_UNKNOWN",
            "GetTopicAttributes",
            arn,
            "the topic is unknown",
        )),
        Some(t) if t.exists == Some(false) => link.gaps.push(Gap::new(
            "TOPIC_NOT_FOUND",
            Severity::Fail,
            Some(arn),
            "the alarm notifies an SNS topic that does not exist",
            "create the topic and subscribe a monitored endpoint, or point the alarm at an existing topic",
        )),
        Some(t) => {
            match &t.subscriptions {
                None => link.gaps.push(fact_gap(
                    facts,
                    "TOPIC_SUBSCRIPTIONS_UNKNOWN",
                    "ListSubscriptionsByTopic",
                    arn,
                    "the topic's subscriptions are unknown",
                )),
                Some(subs) => {
                    let confirmed = subs.iter().filter(|s| s.is_confirmed()).count();
                    link.confirmed_subscriptions = Some(confirmed);
                    if confirmed == 0 {
                        let pending = subs.len();
                        link.gaps.push(Gap::new(
                            "TOPIC_NO_CONFIRMED_SUBSCRIPTION",
                            Severity::Fail,
                            Some(arn),
                            if pending == 0 {
                                "the topic has no subscription, so the alarm reaches no one".to_owned()
                            } else {
                                format!("the topic's {pending} subscription(s) are not confirmed, so the alarm reaches no one")
                            },
                            "subscribe an endpoint and confirm it (for email: click the link AWS sends)",
                        ));
                    }
                }
            }
            if let Some(key) = t
                .attributes
                .as_ref()
                .and_then(|a| a.kms_master_key_id.as_deref())
                .filter(|k| !k.is_empty() && !k.ends_with("alias/aws/sns"))
            {
                link.gaps.push(Gap::new(
                    "TOPIC_ENCRYPTED_WITH_CMK",
                    Severity::Warning,
                    Some(arn),
                    format!(
                        "the topic is encrypted with customer managed key {key}: disabling or deleting that key silences this alarm"
                    ),
                    "encrypt the alert topic with the AWS managed key alias/aws/sns, or alarm on that key separately",
                ));
            }
        }
    }
    link.status = status_of(&link.gaps);
    link
}

//! A compliant in-memory account, built through the service traits, that each
//! test then breaks in one way.
#![allow(dead_code)]

use kmswatch_core::api::{AlarmsApi, LogsApi, TopicsApi};
use kmswatch_core::check::{self, Report};
use kmswatch_core::memory::MemoryBackend;
use kmswatch_core::model::{
    Alarm, EventSelector, EventSelectors, Metric, MetricDataQuery, MetricFilter, MetricStat,
    MetricTransformation, ReadWriteType, Trail, TrailStatus,
};
use std::collections::BTreeMap;
use std::sync::Arc;

pub const ACCOUNT: &str = "111122223333";
pub const REGION: &str = "us-east-1";
pub const GROUP: &str = "aws-cloudtrail-logs";
pub const TRAIL_ARN: &str = "arn:aws:cloudtrail:us-east-1:111122223333:trail/main";
pub const TOPIC: &str = "security-alerts";
pub const CIS: &str = "{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }";

pub fn trail() -> Trail {
    Trail {
        name: "main".into(),
        trail_arn: TRAIL_ARN.into(),
        home_region: REGION.into(),
        is_multi_region_trail: true,
        is_organization_trail: false,
        cloud_watch_logs_log_group_arn: Some(format!(
            "arn:aws:logs:{REGION}:{ACCOUNT}:log-group:{GROUP}:*"
        )),
        cloud_watch_logs_role_arn: Some(format!("arn:aws:iam::{ACCOUNT}:role/ct")),
        has_custom_event_selectors: false,
    }
}

pub fn status(logging: bool) -> TrailStatus {
    TrailStatus {
        is_logging: logging,
        latest_cloud_watch_logs_delivery_error: None,
        latest_cloud_watch_logs_delivery_time: None,
    }
}

pub fn all_management() -> EventSelectors {
    EventSelectors {
        event_selectors: vec![EventSelector {
            read_write_type: ReadWriteType::All,
            include_management_events: true,
            exclude_management_event_sources: vec![],
        }],
        advanced_event_selectors: vec![],
    }
}

pub fn filter(name: &str, pattern: &str, metric: &str) -> MetricFilter {
    MetricFilter::new(
        name,
        GROUP,
        pattern,
        vec![MetricTransformation {
            metric_name: metric.into(),
            metric_namespace: "CISBenchmark".into(),
            metric_value: "1".into(),
            default_value: Some(0.0),
            dimensions: BTreeMap::new(),
            unit: None,
        }],
    )
}

pub fn alarm(name: &str, metric: &str, topic_arn: &str) -> Alarm {
    Alarm {
        alarm_name: name.into(),
        alarm_arn: String::new(),
        actions_enabled: Some(true),
        alarm_actions: vec![topic_arn.into()],
        ok_actions: vec![],
        insufficient_data_actions: vec![],
        metric: Some(Metric {
            namespace: "CISBenchmark".into(),
            metric_name: metric.into(),
            dimensions: BTreeMap::new(),
        }),
        statistic: Some("Sum".into()),
        extended_statistic: None,
        period: Some(300),
        metrics: vec![],
        threshold: Some(1.0),
        comparison_operator: "GreaterThanOrEqualToThreshold".into(),
        evaluation_periods: 1,
        datapoints_to_alarm: Some(1),
        treat_missing_data: Some("notBreaching".into()),
        state_value: None,
        state_updated_timestamp: None,
        unit: None,
        alarm_description: None,
        tags: BTreeMap::new(),
    }
}

/// A compliant account: trail, log group, CIS filter, alarm, topic with a
/// confirmed sqs subscriber.
pub async fn compliant() -> Arc<MemoryBackend> {
    let world = Arc::new(MemoryBackend::new(ACCOUNT, REGION));
    world.put_trail(trail(), Some(status(true)), Some(all_management()));
    world.create_log_group(REGION, GROUP);
    world
        .put_metric_filter(REGION, &filter("kms", CIS, "KMSKeyDisableOrDelete"))
        .await
        .unwrap();
    let topic = world
        .create_topic(REGION, TOPIC, &BTreeMap::new())
        .await
        .unwrap();
    world
        .subscribe(
            &topic,
            "sqs",
            &format!("arn:aws:sqs:{REGION}:{ACCOUNT}:secops"),
        )
        .await
        .unwrap();
    world
        .put_metric_alarm(REGION, &alarm("kms-alarm", "KMSKeyDisableOrDelete", &topic))
        .await
        .unwrap();
    world
}

pub fn topic_arn() -> String {
    format!("arn:aws:sns:{REGION}:{ACCOUNT}:{TOPIC}")
}

/// Gathers from the world and evaluates.
pub async fn run(world: &Arc<MemoryBackend>) -> Report {
    check::check(&world.services(), REGION).await.unwrap().1
}

/// Metric math over `metric`: its 5-minute sum `m1`, not returned, and
/// `FILL(m1, 0)`, returned (an alarm that treats no data as zero).
pub fn filled_sum(metric: Metric) -> Vec<MetricDataQuery> {
    vec![
        MetricDataQuery {
            id: "m1".into(),
            expression: None,
            metric_stat: Some(MetricStat {
                metric,
                period: 300,
                stat: "Sum".into(),
                unit: None,
            }),
            return_data: Some(false),
            account_id: None,
        },
        MetricDataQuery {
            id: "e1".into(),
            expression: Some("FILL(m1, 0)".into()),
            metric_stat: None,
            return_data: Some(true),
            account_id: None,
        },
    ]
}

/// Whether `code` is among the report's gap codes ([`codes`]).
pub fn has(report: &Report, code: &str) -> bool {
    codes(report).iter().any(|c| c == code)
}

/// Every gap code in the report, chain-level and nested.
pub fn codes(report: &Report) -> Vec<String> {
    let mut out: Vec<String> = report.gaps.iter().map(|g| g.code.as_string()).collect();
    for c in &report.chains {
        out.extend(c.gaps.iter().map(|g| g.code.as_string()));
        for f in &c.metric_filters {
            out.extend(f.gaps.iter().map(|g| g.code.as_string()));
            for a in &f.alarms {
                out.extend(a.gaps.iter().map(|g| g.code.as_string()));
                for t in &a.topics {
                    out.extend(t.gaps.iter().map(|g| g.code.as_string()));
                }
            }
        }
    }
    out
}

/// How many metric filters, alarms and topics of the names `options` gives the
/// account holds, and the most subscriptions of `endpoint` on one topic: after
/// any remediation, none may be there twice.
pub fn kmswatch_resources(
    state: &kmswatch_core::check::Facts,
    options: &kmswatch_core::remediate::RemediateOptions,
    endpoint: &str,
) -> [usize; 4] {
    let filters = state
        .log_groups
        .iter()
        .flat_map(|g| g.metric_filters.iter().flatten())
        .filter(|f| f.filter_name == options.filter_name)
        .count();
    let alarms = state
        .alarms
        .iter()
        .flat_map(|r| r.alarms.iter().flatten())
        .filter(|a| a.alarm_name == options.alarm_name)
        .count();
    let topics = state
        .topics
        .iter()
        .filter(|t| t.topic_arn.ends_with(&format!(":{}", options.topic_name)))
        .count();
    let subscriptions = state
        .topics
        .iter()
        .map(|t| {
            t.subscriptions
                .iter()
                .flatten()
                .filter(|s| s.endpoint == endpoint)
                .count()
        })
        .max()
        .unwrap_or(0);
    [filters, alarms, topics, subscriptions]
}

/// The bundled snapshots (`examples/*.json`), sorted by path; `examples/`
/// also holds other sample files (CloudTrail records), which are not facts.
pub fn example_paths() -> Vec<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
        .expect("examples/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

/// Gathers for `asked` and judges every one of them.
pub async fn check_controls(
    world: &Arc<MemoryBackend>,
    asked: &[&'static kmswatch_core::controls::Control],
) -> (kmswatch_core::check::Facts, Report) {
    let scope = kmswatch_core::check::Scope {
        controls: asked.to_vec(),
        ..kmswatch_core::check::Scope::check()
    };
    let (facts, report) = check::check_with(&world.services(), REGION, &scope)
        .await
        .unwrap();
    let report = kmswatch_core::check::judge(report, &facts, asked);
    (facts, report)
}

//! `gather`: read the facts of an account through the service traits.
//!
//! Only what the decision needs, concurrently, in as few calls as the chain
//! allows: trails of one region (multi-region trails show up in every region),
//! then for multi-region trails their status and selectors (in their home
//! region), their log groups' metric filters, the alarms of the regions whose
//! filters catch a KMS key event, and the topics those alarms notify. A failed
//! call is recorded in [`Facts::errors`] and gathering goes on.

use super::alarm::watches;
use super::facts::{Facts, LogGroupFacts, RegionAlarms, TopicFacts, TrailFacts};
use crate::api::{ApiError, ApiErrorKind, Services};
use crate::corpus;
use crate::model::{normalize_log_group_arn, Arn, Metric, MetricFilter};
use crate::pattern::FilterPattern;
use futures::future::join_all;
use std::collections::BTreeSet;

/// Gathers the facts of the account behind `services`, listing trails in `region`.
///
/// Fails only when the account itself cannot be identified; every other failed
/// call is recorded in the facts.
pub async fn gather(services: &Services, region: &str) -> Result<Facts, ApiError> {
    let (account, trails) = futures::join!(
        services.account.account_id(),
        services.trails.describe_trails(region)
    );
    let mut facts = Facts::new(&account?, region);
    let trails = match trails {
        Ok(t) => t,
        Err(e) => {
            facts.errors.push(e.in_region(region));
            return Ok(facts);
        }
    };
    let mut seen = BTreeSet::new();
    let trails: Vec<_> = trails
        .into_iter()
        .filter(|t| seen.insert(t.trail_arn.clone()))
        .collect();
    facts.trails = join_all(trails.into_iter().map(|trail| async move {
        if !trail.is_multi_region_trail {
            return (
                TrailFacts {
                    trail,
                    status: None,
                    event_selectors: None,
                },
                vec![],
            );
        }
        let (status, selectors) = futures::join!(
            services
                .trails
                .get_trail_status(&trail.home_region, &trail.trail_arn),
            services
                .trails
                .get_event_selectors(&trail.home_region, &trail.trail_arn)
        );
        let mut errors = Vec::new();
        let status = keep(status, &mut errors, &trail.home_region, &trail.trail_arn);
        let event_selectors = keep(selectors, &mut errors, &trail.home_region, &trail.trail_arn);
        (
            TrailFacts {
                trail,
                status,
                event_selectors,
            },
            errors,
        )
    }))
    .await
    .into_iter()
    .map(|(t, errors)| {
        facts.errors.extend(errors);
        t
    })
    .collect();

    let group_arns: BTreeSet<String> = facts
        .trails
        .iter()
        .filter(|t| t.trail.is_multi_region_trail)
        .filter_map(|t| t.trail.cloud_watch_logs_log_group_arn.as_deref())
        .map(|a| normalize_log_group_arn(a).to_owned())
        .filter(|a| {
            Arn::parse(a)
                .is_some_and(|p| p.account_id == facts.account_id && p.log_group_name().is_some())
        })
        .collect();
    let groups = join_all(
        group_arns
            .into_iter()
            .map(|arn| gather_log_group(services, arn)),
    )
    .await;
    for (group, errors) in groups {
        facts.log_groups.push(group);
        facts.errors.extend(errors);
    }

    let metrics = candidate_metrics(&facts);
    let regions: BTreeSet<&str> = metrics.iter().map(|(r, _)| r.as_str()).collect();
    let alarms = join_all(
        regions
            .into_iter()
            .map(|r| async move { (r.to_owned(), services.alarms.describe_alarms(r).await) }),
    )
    .await;
    for (region, result) in alarms {
        match result {
            Ok(all) => {
                let relevant = all
                    .into_iter()
                    .filter(|a| metrics.iter().any(|(r, m)| *r == region && watches(a, m)))
                    .collect();
                facts.alarms.push(RegionAlarms {
                    region,
                    alarms: Some(relevant),
                });
            }
            Err(e) => {
                facts.errors.push(e.in_region(&region));
                facts.alarms.push(RegionAlarms {
                    region,
                    alarms: None,
                });
            }
        }
    }

    let topic_arns: BTreeSet<String> = facts
        .alarms
        .iter()
        .flat_map(|r| r.alarms.iter().flatten())
        .flat_map(|a| &a.alarm_actions)
        .filter(|a| Arn::parse(a).is_some_and(|p| p.service == "sns"))
        .cloned()
        .collect();
    let topics = join_all(
        topic_arns
            .into_iter()
            .map(|arn| gather_topic(services, arn)),
    )
    .await;
    for (topic, errors) in topics {
        facts.topics.push(topic);
        facts.errors.extend(errors);
    }
    Ok(facts)
}

/// Keeps a successful result; records a failure against `resource`.
fn keep<T>(
    result: Result<T, ApiError>,
    errors: &mut Vec<ApiError>,
    region: &str,
    resource: &str,
) -> Option<T> {
    match result {
        Ok(v) => Some(v),
        Err(e) => {
            errors.push(e.in_region(region).about(resource));
            None
        }
    }
}

async fn gather_log_group(services: &Services, arn: String) -> (LogGroupFacts, Vec<ApiError>) {
    let mut errors = Vec::new();
    let mut group = LogGroupFacts {
        arn,
        exists: None,
        metric_filters: None,
    };
    let Some((region, _, name)) = group
        .location()
        .map(|(r, a, n)| (r.to_owned(), a, n.to_owned()))
    else {
        return (group, errors);
    };
    match services.logs.describe_metric_filters(&region, &name).await {
        Ok(filters) if !filters.is_empty() => {
            // Filters exist only on an existing log group.
            group.exists = Some(true);
            group.metric_filters = Some(filters);
        }
        Ok(_) => match services.logs.describe_log_group(&region, &name).await {
            Ok(found) => {
                group.exists = Some(found.is_some());
                group.metric_filters = found.map(|_| Vec::new());
            }
            Err(e) => errors.push(e.in_region(&region).about(&group.arn)),
        },
        Err(e) if e.kind == ApiErrorKind::NotFound => group.exists = Some(false),
        Err(e) => errors.push(e.in_region(&region).about(&group.arn)),
    }
    (group, errors)
}

async fn gather_topic(services: &Services, arn: String) -> (TopicFacts, Vec<ApiError>) {
    let region = Arn::parse(&arn)
        .map(|a| a.region.to_owned())
        .unwrap_or_default();
    let (attributes, subscriptions) = futures::join!(
        services.topics.get_topic_attributes(&arn),
        services.topics.list_subscriptions_by_topic(&arn)
    );
    let mut errors = Vec::new();
    let mut topic = TopicFacts {
        topic_arn: arn,
        exists: None,
        attributes: None,
        subscriptions: None,
    };
    match attributes {
        Ok(Some(a)) => {
            topic.exists = Some(true);
            topic.attributes = Some(a);
        }
        Ok(None) => topic.exists = Some(false),
        Err(e) => errors.push(e.in_region(&region).about(&topic.topic_arn)),
    }
    match subscriptions {
        Ok(s) if topic.exists != Some(false) => topic.subscriptions = Some(s),
        Ok(_) => {}
        Err(e) if e.kind == ApiErrorKind::NotFound => topic.exists = Some(false),
        Err(e) => errors.push(e.in_region(&region).about(&topic.topic_arn)),
    }
    (topic, errors)
}

/// The (region, metric) pairs published by filters that catch at least one
/// target event: only their alarms matter.
fn candidate_metrics(facts: &Facts) -> Vec<(String, Metric)> {
    let mut out = Vec::new();
    for group in &facts.log_groups {
        let Some((region, _, _)) = group.location() else {
            continue;
        };
        for filter in group.metric_filters.iter().flatten() {
            if catches_any_target(filter) {
                for t in &filter.metric_transformations {
                    let metric = Metric {
                        namespace: t.metric_namespace.clone(),
                        metric_name: t.metric_name.clone(),
                        dimensions: Default::default(),
                    };
                    if !out.iter().any(|(r, m)| r == region && *m == metric) {
                        out.push((region.to_owned(), metric));
                    }
                }
            }
        }
    }
    out
}

fn catches_any_target(filter: &MetricFilter) -> bool {
    // An unparseable pattern might catch them: keep its alarms so the report can
    // show them.
    FilterPattern::parse(&filter.filter_pattern)
        .map(|p| corpus::targets().any(|e| p.matches(&e.line)))
        .unwrap_or(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{MockAccountApi, MockAlarmsApi, MockLogsApi, MockTopicsApi, MockTrailsApi};
    use crate::model::{EventSelectors, MetricTransformation, Trail, TrailStatus};
    use mockall::predicate::eq;
    use std::sync::Arc;

    const ACCOUNT: &str = "111122223333";

    fn shadow_trail() -> Trail {
        Trail {
            name: "org".into(),
            trail_arn: format!("arn:aws:cloudtrail:eu-west-1:{ACCOUNT}:trail/main"),
            home_region: "eu-west-1".into(),
            is_multi_region_trail: true,
            is_organization_trail: false,
            cloud_watch_logs_log_group_arn: Some(format!(
                "arn:aws:logs:eu-west-1:{ACCOUNT}:log-group:ct:*"
            )),
            cloud_watch_logs_role_arn: None,
            has_custom_event_selectors: false,
        }
    }

    fn services(
        trails: MockTrailsApi,
        logs: MockLogsApi,
        alarms: MockAlarmsApi,
        topics: MockTopicsApi,
    ) -> Services {
        let mut account = MockAccountApi::new();
        account.expect_account_id().returning(|| Ok(ACCOUNT.into()));
        Services::from_parts(
            Arc::new(account),
            Arc::new(trails),
            Arc::new(logs),
            Arc::new(alarms),
            Arc::new(topics),
        )
    }

    #[tokio::test]
    async fn shadow_trail_is_read_in_its_home_region_and_unrelated_filters_cost_no_alarm_calls() {
        let mut trails = MockTrailsApi::new();
        trails
            .expect_describe_trails()
            .with(eq("us-east-1"))
            .times(1)
            .returning(|_| Ok(vec![shadow_trail()]));
        trails
            .expect_get_trail_status()
            .withf(|region, _| region == "eu-west-1")
            .times(1)
            .returning(|_, _| {
                Ok(TrailStatus {
                    is_logging: true,
                    latest_cloud_watch_logs_delivery_error: None,
                    latest_cloud_watch_logs_delivery_time: None,
                })
            });
        trails
            .expect_get_event_selectors()
            .withf(|region, _| region == "eu-west-1")
            .times(1)
            .returning(|_, _| Ok(EventSelectors::default()));
        let mut logs = MockLogsApi::new();
        logs.expect_describe_metric_filters()
            .with(eq("eu-west-1"), eq("ct"))
            .times(1)
            .returning(|_, _| {
                Ok(vec![MetricFilter {
                    filter_name: "root".into(),
                    log_group_name: "ct".into(),
                    filter_pattern: "{ $.eventName = ConsoleLogin }".into(),
                    metric_transformations: vec![MetricTransformation {
                        metric_name: "m".into(),
                        metric_namespace: "n".into(),
                        metric_value: "1".into(),
                        default_value: None,
                        dimensions: Default::default(),
                        unit: None,
                    }],
                }])
            });
        // No filter catches a KMS event: no alarm or topic call at all.
        let alarms = MockAlarmsApi::new();
        let topics = MockTopicsApi::new();
        let facts = gather(&services(trails, logs, alarms, topics), "us-east-1")
            .await
            .unwrap();
        assert!(facts.errors.is_empty());
        assert!(facts.alarms.is_empty());
        assert_eq!(facts.log_groups[0].exists, Some(true));
    }

    #[tokio::test]
    async fn single_region_trails_cost_no_further_calls_and_errors_are_recorded() {
        let mut trails = MockTrailsApi::new();
        let mut single = shadow_trail();
        single.is_multi_region_trail = false;
        trails
            .expect_describe_trails()
            .returning(move |_| Ok(vec![single.clone()]));
        let facts = gather(
            &services(
                trails,
                MockLogsApi::new(),
                MockAlarmsApi::new(),
                MockTopicsApi::new(),
            ),
            "eu-west-1",
        )
        .await
        .unwrap();
        assert_eq!(facts.trails.len(), 1);
        assert!(facts.trails[0].status.is_none());

        let mut trails = MockTrailsApi::new();
        trails.expect_describe_trails().returning(|_| {
            Err(ApiError::new(
                "DescribeTrails",
                ApiErrorKind::AccessDenied,
                "AccessDeniedException",
                "no",
            ))
        });
        let facts = gather(
            &services(
                trails,
                MockLogsApi::new(),
                MockAlarmsApi::new(),
                MockTopicsApi::new(),
            ),
            "eu-west-1",
        )
        .await
        .unwrap();
        assert_eq!(facts.errors.len(), 1);
        assert_eq!(facts.errors[0].region.as_deref(), Some("eu-west-1"));
        assert_eq!(
            crate::check::evaluate(&facts).status,
            crate::check::Status::Error
        );
    }
}

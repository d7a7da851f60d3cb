//! The log group and metric filter behaviours.

use super::fixture::{account_of, for_each, unique_name, Fixture};
use crate::model::{MetricFilter, MetricTransformation};
use std::collections::BTreeMap;

/// `account_id` answers the 12-digit id of the account.
pub async fn account_id_is_an_account(fixture: &dyn Fixture) {
    let account = account_of(fixture).await;
    assert!(
        account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()),
        "account id {account:?}"
    );
}

/// `describe_log_group` finds exactly the name asked for — not a sibling it is
/// a prefix of, nor one that is a prefix of it — with its ARN without `:*`;
/// a missing group is `None`.
pub async fn log_group_by_exact_name(fixture: &dyn Fixture) {
    let logs = fixture.services().logs;
    let region = fixture.region();
    let account = account_of(fixture).await;
    let base = format!("/kmswatch/{}", unique_name("lg"));
    let short = format!("{base}/a");
    let long = format!("{base}/ab");
    // The long one first, so a backend that returns the first prefix match fails.
    fixture.create_log_group(region, &long).await;
    let created = fixture.create_log_group(region, &short).await;
    let expected_arn = format!("arn:aws:logs:{region}:{account}:log-group:{short}");
    assert_eq!(created, expected_arn, "create_log_group answers the ARN");

    for name in [&short, &long] {
        let group = logs
            .describe_log_group(region, name)
            .await
            .expect("describe_log_group")
            .unwrap_or_else(|| panic!("log group {name} not found"));
        assert_eq!(group.log_group_name, *name);
        assert_eq!(
            group.arn,
            format!("arn:aws:logs:{region}:{account}:log-group:{name}")
        );
    }
    for missing in [format!("{base}/"), format!("{base}/abc"), base.clone()] {
        let found = logs
            .describe_log_group(region, &missing)
            .await
            .expect("describe_log_group");
        assert_eq!(found, None, "{missing} does not exist");
    }
    let elsewhere = logs
        .describe_log_group(fixture.other_region(), &short)
        .await
        .expect("describe_log_group in the other region");
    assert_eq!(elsewhere, None, "log groups are regional");
}

fn transformation(metric_name: &str) -> MetricTransformation {
    MetricTransformation {
        metric_name: metric_name.to_owned(),
        metric_namespace: "CISBenchmark".into(),
        metric_value: "1".into(),
        default_value: None,
        dimensions: BTreeMap::new(),
        unit: None,
    }
}

const KMS_PATTERN: &str = "{($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion))}";

async fn log_group(fixture: &dyn Fixture) -> String {
    let name = format!("/kmswatch/{}", unique_name("mf"));
    fixture.create_log_group(fixture.region(), &name).await;
    name
}

async fn filters_of(fixture: &dyn Fixture, log_group_name: &str) -> Vec<MetricFilter> {
    let mut filters = fixture
        .services()
        .logs
        .describe_metric_filters(fixture.region(), log_group_name)
        .await
        .expect("describe_metric_filters");
    filters.sort_by(|a, b| a.filter_name.cmp(&b.filter_name));
    filters
}

/// What `put_metric_filter` stores, `describe_metric_filters` returns exactly:
/// pattern text, metric, value, default value, dimensions and unit.
pub async fn metric_filter_round_trip(fixture: &dyn Fixture) {
    let group = log_group(fixture).await;
    assert_eq!(
        filters_of(fixture, &group).await,
        vec![],
        "a new log group has no filters"
    );

    let with_default = MetricFilter::new(
        "a-default",
        group.clone(),
        KMS_PATTERN,
        vec![MetricTransformation {
            default_value: Some(0.0),
            ..transformation("KmsKeyDisabled")
        }],
    );
    // AWS refuses a default value together with dimensions, so they go apart.
    let with_dimensions = MetricFilter::new(
        "b-dimensions",
        group.clone(),
        "{ $.eventSource = \"kms.amazonaws.com\" }",
        vec![MetricTransformation {
            metric_value: "$.requestParameters.pendingWindowInDays".into(),
            dimensions: BTreeMap::from([
                ("EventName".into(), "$.eventName".into()),
                ("Region".into(), "$.awsRegion".into()),
            ]),
            unit: Some("Count".into()),
            ..transformation("KmsKeyScheduled")
        }],
    );
    let plain_text = MetricFilter::new(
        "c-text",
        group.clone(),
        "\"DisableKey\"",
        vec![transformation("KmsText")],
    );
    let logs = fixture.services().logs;
    for filter in [&with_default, &with_dimensions, &plain_text] {
        logs.put_metric_filter(fixture.region(), filter)
            .await
            .unwrap_or_else(|e| panic!("put_metric_filter {}: {e}", filter.filter_name));
    }
    assert_eq!(
        filters_of(fixture, &group).await,
        vec![with_default, with_dimensions, plain_text]
    );
}

/// Putting a filter under an existing name replaces it.
pub async fn metric_filter_put_replaces(fixture: &dyn Fixture) {
    let group = log_group(fixture).await;
    let logs = fixture.services().logs;
    let first = MetricFilter::new(
        "kms",
        group.clone(),
        "{ $.eventName = DisableKey }",
        vec![transformation("First")],
    );
    let second = MetricFilter {
        filter_pattern: KMS_PATTERN.into(),
        metric_transformations: vec![transformation("Second")],
        ..first.clone()
    };
    logs.put_metric_filter(fixture.region(), &first)
        .await
        .expect("first put");
    logs.put_metric_filter(fixture.region(), &second)
        .await
        .expect("second put");
    let filters = filters_of(fixture, &group).await;
    if fixture.deviations().put_metric_filter_appends {
        assert!(filters.contains(&second), "{filters:?}");
    } else {
        assert_eq!(filters, vec![second]);
    }
}

/// More filters than one `DescribeMetricFilters` page (50) are all returned, once.
pub async fn metric_filters_all_pages(fixture: &dyn Fixture) {
    const COUNT: usize = 57;
    let group = log_group(fixture).await;
    let logs = fixture.services().logs;
    let filter = |i: usize| {
        MetricFilter::new(
            format!("f{i:03}"),
            group.clone(),
            format!("{{ $.n = {i} }}"),
            vec![transformation(&format!("M{i}"))],
        )
    };
    for_each(COUNT, |i| {
        let (logs, filter) = (logs.clone(), filter(i));
        async move {
            logs.put_metric_filter(fixture.region(), &filter)
                .await
                .unwrap_or_else(|e| panic!("put_metric_filter {}: {e}", filter.filter_name))
        }
    })
    .await;
    let expected: Vec<_> = (0..COUNT).map(filter).collect();
    assert_eq!(filters_of(fixture, &group).await, expected);
}

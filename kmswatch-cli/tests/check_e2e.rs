//! End to end: accounts built with the real AWS SDK on moto server, checked by
//! the `kmswatch` binary exactly as a user runs it (environment variables as in
//! the AWS CLI, `--format json`, exit codes).

use aws_sdk_cloudwatch::types::{ComparisonOperator, Statistic};
use aws_sdk_cloudwatchlogs::types::MetricTransformation;
use kmswatch_tests::moto;
use serde_json::Value;
use std::process::{Command, Output};

const REGION: &str = "us-east-1";
const GROUP: &str = "aws-cloudtrail-logs";
const CIS: &str = "{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }";

/// What to leave out of the compliant account.
#[derive(Default, Clone, Copy)]
struct Breakage {
    not_logging: bool,
    single_region: bool,
    pattern_misses_schedule: bool,
    alarm_without_actions: bool,
    topic_without_subscriber: bool,
    threshold_zero: bool,
}

struct Account {
    id: String,
    endpoint: String,
}

impl Account {
    fn kmswatch(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_kmswatch"))
            .args(args)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", std::env::temp_dir())
            .env("AWS_ACCESS_KEY_ID", &self.id)
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_REGION", REGION)
            .env("AWS_ENDPOINT_URL", &self.endpoint)
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .output()
            .expect("run kmswatch")
    }

    fn check_json(&self, extra: &[&str]) -> (i32, Value) {
        let mut args = vec!["check", "--format", "json"];
        args.extend_from_slice(extra);
        let out = self.kmswatch(&args);
        let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}): stdout {} stderr {}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
        });
        (out.status.code().unwrap_or(-1), report)
    }
}

/// Builds an account on moto: trail → log group → filter → alarm → topic.
async fn account(broken: Breakage) -> Account {
    let endpoint = moto::endpoint();
    let id = moto::unique_account_id();
    let config = moto::sdk_config_in_account(&endpoint, REGION, &id).await;
    let bucket = format!("trail-{id}");
    moto::create_bucket(&endpoint, REGION, &id, &bucket);

    let logs = aws_sdk_cloudwatchlogs::Client::new(&config);
    logs.create_log_group()
        .log_group_name(GROUP)
        .send()
        .await
        .unwrap();
    let group_arn = format!("arn:aws:logs:{REGION}:{id}:log-group:{GROUP}:*");
    let trails = aws_sdk_cloudtrail::Client::new(&config);
    trails
        .create_trail()
        .name("management-events")
        .s3_bucket_name(&bucket)
        .is_multi_region_trail(!broken.single_region)
        .cloud_watch_logs_log_group_arn(&group_arn)
        .cloud_watch_logs_role_arn(format!("arn:aws:iam::{id}:role/CloudTrailToCloudWatch"))
        .send()
        .await
        .unwrap();
    if !broken.not_logging {
        trails
            .start_logging()
            .name("management-events")
            .send()
            .await
            .unwrap();
    }
    let pattern = if broken.pattern_misses_schedule {
        "{ ($.eventSource = kms.amazonaws.com) && ($.eventName = DisableKey) }"
    } else {
        CIS
    };
    logs.put_metric_filter()
        .log_group_name(GROUP)
        .filter_name("KMSKeyDisableOrDelete")
        .filter_pattern(pattern)
        .metric_transformations(
            MetricTransformation::builder()
                .metric_name("KMSKeyDisableOrDelete")
                .metric_namespace("CISBenchmark")
                .metric_value("1")
                .default_value(0.0)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();

    let sns = aws_sdk_sns::Client::new(&config);
    let topic = sns
        .create_topic()
        .name("security-alerts")
        .send()
        .await
        .unwrap();
    let topic_arn = topic.topic_arn().unwrap().to_owned();
    if !broken.topic_without_subscriber {
        sns.subscribe()
            .topic_arn(&topic_arn)
            .protocol("sqs")
            .endpoint(format!("arn:aws:sqs:{REGION}:{id}:secops"))
            .send()
            .await
            .unwrap();
    }
    let cw = aws_sdk_cloudwatch::Client::new(&config);
    let mut alarm = cw
        .put_metric_alarm()
        .alarm_name("KMSKeyDisableOrDelete")
        .namespace("CISBenchmark")
        .metric_name("KMSKeyDisableOrDelete")
        .statistic(Statistic::Sum)
        .period(300)
        .evaluation_periods(1)
        .datapoints_to_alarm(1)
        .threshold(if broken.threshold_zero { 0.0 } else { 1.0 })
        .comparison_operator(ComparisonOperator::GreaterThanOrEqualToThreshold)
        .treat_missing_data("notBreaching");
    if !broken.alarm_without_actions {
        alarm = alarm.alarm_actions(&topic_arn);
    }
    alarm.send().await.unwrap();
    Account { id, endpoint }
}

fn gap_codes(report: &Value) -> Vec<String> {
    let mut out = Vec::new();
    fn walk(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                if let Some(Value::Array(gaps)) = m.get("gaps") {
                    out.extend(
                        gaps.iter()
                            .filter_map(|g| g["code"].as_str().map(str::to_owned)),
                    );
                }
                m.values().for_each(|v| walk(v, out));
            }
            Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    walk(report, &mut out);
    out
}

#[tokio::test]
async fn compliant_account_passes() {
    let acct = account(Breakage::default()).await;
    let (code, report) = acct.check_json(&[]);
    assert_eq!(report["status"], "PASS", "{report:#}");
    assert_eq!(code, 0);
    assert_eq!(report["schema"], "kmswatch.report/v1");
    assert_eq!(report["account_id"], acct.id.as_str());
    assert_eq!(report["cis_pattern"]["exact"], true);
    // GetCallerIdentity, DescribeTrails, GetTrailStatus, GetEventSelectors,
    // DescribeMetricFilters, DescribeAlarms, GetTopicAttributes, ListSubscriptionsByTopic.
    assert_eq!(report["api_calls"], 8);
    let chain = &report["chains"][0];
    assert_eq!(chain["status"], "PASS");
    assert!(chain["trail_arn"].as_str().unwrap().contains(&acct.id));
}

#[tokio::test]
async fn each_broken_link_fails_with_its_gap() {
    let cases = [
        (
            Breakage {
                not_logging: true,
                ..Default::default()
            },
            "TRAIL_NOT_LOGGING",
        ),
        (
            Breakage {
                single_region: true,
                ..Default::default()
            },
            "TRAIL_NOT_MULTI_REGION",
        ),
        (
            Breakage {
                pattern_misses_schedule: true,
                ..Default::default()
            },
            "PATTERN_MISSES:ScheduleKeyDeletion",
        ),
        (
            Breakage {
                alarm_without_actions: true,
                ..Default::default()
            },
            "ALARM_NO_ACTIONS",
        ),
        (
            Breakage {
                topic_without_subscriber: true,
                ..Default::default()
            },
            "TOPIC_NO_CONFIRMED_SUBSCRIPTION",
        ),
        (
            Breakage {
                threshold_zero: true,
                ..Default::default()
            },
            "ALARM_ALWAYS_IN_ALARM",
        ),
    ];
    for (broken, expected) in cases {
        let acct = account(broken).await;
        let (code, report) = acct.check_json(&[]);
        assert_eq!(report["status"], "FAIL", "{expected}: {report:#}");
        assert_eq!(code, 1, "{expected}");
        assert!(
            gap_codes(&report).iter().any(|c| c == expected),
            "{expected}: {:?}",
            gap_codes(&report)
        );
    }
}

#[tokio::test]
async fn snapshot_then_offline_check_gives_the_same_verdict() {
    let acct = account(Breakage {
        alarm_without_actions: true,
        ..Default::default()
    })
    .await;
    let dir = std::env::temp_dir().join(format!("kmswatch-e2e-{}", acct.id));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("snapshot.json");
    let out = acct.kmswatch(&["snapshot", "--out", file.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (live_code, mut live) = acct.check_json(&[]);
    let (offline_code, mut offline) = acct.check_json(&["--snapshot", file.to_str().unwrap()]);
    assert_eq!(live_code, offline_code);
    assert_eq!(offline["api_calls"], 0);
    live["api_calls"] = Value::Null;
    offline["api_calls"] = Value::Null;
    assert_eq!(live, offline);
}

#[test]
fn input_errors_exit_2_with_a_message() {
    let acct = Account {
        id: "123456789012".into(),
        endpoint: "http://127.0.0.1:9".into(),
    };
    let out = acct.kmswatch(&["check", "--region", "mars-central"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not an AWS region name"));

    let out = acct.kmswatch(&["check", "--snapshot", "/nonexistent/snapshot.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read snapshot"));

    let bad = std::env::temp_dir().join("kmswatch-malformed.json");
    std::fs::write(&bad, "{\"schema\": \"kmswatch.facts/v1\", ").unwrap();
    let out = acct.kmswatch(&["check", "--snapshot", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("malformed snapshot"));

    let out = acct.kmswatch(&["check", "--format", "yaml"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn unreachable_endpoint_is_an_error_not_a_verdict() {
    // Nothing listens on port 9 of loopback.
    let acct = Account {
        id: "123456789012".into(),
        endpoint: "http://127.0.0.1:9".into(),
    };
    let out = acct.kmswatch(&["check", "--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty());
    assert!(!String::from_utf8_lossy(&out.stderr).is_empty());
}

#[test]
fn bundled_snapshot_quickstart_works_offline() {
    let acct = Account {
        id: "123456789012".into(),
        endpoint: "http://127.0.0.1:9".into(),
    };
    let examples = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples");
    let out = acct.kmswatch(&["check", "--snapshot", &format!("{examples}/compliant.json")]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("PASS"));
    let out = acct.kmswatch(&[
        "check",
        "--snapshot",
        &format!("{examples}/broken-alarm-no-actions.json"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("ALARM_NO_ACTIONS"));
}

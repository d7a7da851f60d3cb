//! Accounts built with the real AWS SDK on moto server, and the `kmswatch`
//! binary run against them as a user runs it (AWS CLI environment variables).

use crate::moto;
use aws_sdk_cloudwatch::types::{ComparisonOperator, Statistic};
use aws_sdk_cloudwatchlogs::types::MetricTransformation;
use serde_json::Value;
use std::process::{Command, Output};

/// The region the scenarios live in.
pub const REGION: &str = "us-east-1";
pub const GROUP: &str = "aws-cloudtrail-logs";
pub const CIS: &str = "{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }";

/// What to leave out of the compliant account.
#[derive(Debug, Default, Clone, Copy)]
pub struct Breakage {
    /// The trail is never started.
    pub not_logging: bool,
    /// The trail records its home region only.
    pub single_region: bool,
    /// The filter pattern catches DisableKey only.
    pub pattern_misses_schedule: bool,
    /// The alarm has no actions.
    pub alarm_without_actions: bool,
    /// The topic has no subscription.
    pub topic_without_subscriber: bool,
    /// The alarm's threshold is `>= 0`.
    pub threshold_zero: bool,
}

/// A moto account and the `kmswatch` binary to run against it.
pub struct Account {
    /// The moto account id (also the access key id).
    pub id: String,
    /// moto's endpoint URL.
    pub endpoint: String,
    /// The `kmswatch` binary.
    pub binary: String,
}

impl Account {
    /// An account that does not exist, for input-error tests.
    pub fn offline(binary: &str) -> Self {
        Account {
            id: "123456789012".into(),
            endpoint: "http://127.0.0.1:9".into(),
            binary: binary.into(),
        }
    }

    /// Runs `kmswatch ARGS` with this account's credentials, region and endpoint
    /// in the environment.
    pub fn kmswatch(&self, args: &[&str]) -> Output {
        Command::new(&self.binary)
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

    /// `kmswatch check --format json EXTRA`: exit code and report.
    pub fn check_json(&self, extra: &[&str]) -> (i32, Value) {
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

/// Builds an account on moto: trail → log group → filter → alarm → topic, broken
/// as `broken` says; `binary` is the `kmswatch` to run against it.
pub async fn account(binary: &str, broken: Breakage) -> Account {
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
    Account {
        id,
        endpoint,
        binary: binary.into(),
    }
}

/// Every gap code in a JSON report, at any depth (outside `monitored_by`).
pub fn gap_codes(report: &Value) -> Vec<String> {
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
                // Monitoring beside the chain is not a reason for the verdict.
                m.iter()
                    .filter(|(k, _)| k.as_str() != "monitored_by")
                    .for_each(|(_, v)| walk(v, out));
            }
            Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    walk(report, &mut out);
    out
}

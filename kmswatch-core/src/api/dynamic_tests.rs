//! A dynamic backend's answers become the trait methods' results; its
//! failures and wrongly shaped answers name the call.

use super::dynamic::{Dynamic, DynamicBackend};
use super::{ApiError, ApiErrorKind, ApiResult, Call, Services};
use crate::model::MetricFilter;
use crate::operation::Operation;
use async_trait::async_trait;
use serde_json::Value;
use std::sync::{Arc, Mutex};

/// Answers every call with the same text, and keeps the calls it got.
struct Scripted {
    answer: ApiResult<String>,
    calls: Mutex<Vec<(String, Vec<Value>)>>,
}

#[async_trait]
impl DynamicBackend for Scripted {
    async fn call(&self, name: &'static str, c: Call<'_>, json: Vec<Value>) -> ApiResult<String> {
        self.calls.lock().unwrap().push((name.to_owned(), json));
        // A backend's error names the operation it was asked for; `Dynamic`
        // adds the call's region and resource.
        let operation = c.operation;
        self.answer.clone().map_err(|e| ApiError { operation, ..e })
    }
}

fn services(answer: ApiResult<String>) -> (Arc<Dynamic<Scripted>>, Services) {
    let backend = Arc::new(Dynamic::new(Scripted {
        answer,
        calls: Mutex::default(),
    }));
    (backend.clone(), Services::new(backend))
}

#[tokio::test]
async fn an_answer_is_the_result_and_the_arguments_are_json() {
    let (backend, services) = services(Ok(r#"{"is_logging": true}"#.to_owned()));
    let trail = "arn:aws:cloudtrail:eu-west-1:111122223333:trail/main";
    let status = services.trails.get_trail_status("eu-west-1", trail).await;
    assert!(status.expect("a status").is_logging);
    let calls = backend.backend().calls.lock().unwrap().clone();
    let args = vec![Value::from("eu-west-1"), Value::from(trail)];
    assert_eq!(calls, vec![("get_trail_status".to_owned(), args)]);
}

#[tokio::test]
async fn a_wrong_shape_is_an_invalid_backend_response() {
    let (_, services) = services(Ok(r#"[{"name": "x"}]"#.to_owned()));
    let err = services
        .trails
        .describe_trails("eu-west-1")
        .await
        .unwrap_err();
    assert_eq!(err.code, "InvalidBackendResponse");
    assert_eq!(err.operation, Operation::DescribeTrails);
    assert_eq!(err.region.as_deref(), Some("eu-west-1"));
    let expected =
        "describe_trails() returned a value of the wrong shape: missing field `trail_arn`";
    assert!(err.message.starts_with(expected), "{}", err.message);
}

#[tokio::test]
async fn a_failure_names_the_region_and_resource_of_the_call() {
    let denied = ApiError::new(
        Operation::GetCallerIdentity,
        ApiErrorKind::AccessDenied,
        "AccessDenied",
        "no",
    );
    let (_, services) = services(Err(denied));
    let filter = MetricFilter::new("kms", "trail-logs", String::new(), vec![]);
    let err = services.logs.put_metric_filter("eu-west-1", &filter).await;
    let err = err.unwrap_err();
    assert_eq!(err.operation, Operation::PutMetricFilter);
    assert_eq!(err.region.as_deref(), Some("eu-west-1"));
    assert_eq!(err.resource.as_deref(), Some("trail-logs/kms"));
    let err = services.topics.get_topic_attributes("not-an-arn").await;
    let err = err.unwrap_err();
    assert_eq!(
        (err.region, err.resource.as_deref()),
        (None, Some("not-an-arn"))
    );
}

#[tokio::test]
async fn what_a_method_without_a_result_answers_is_ignored() {
    let (_, services) = services(Ok(r#"{"ResponseMetadata": {}}"#.to_owned()));
    let topic = "arn:aws:sns:eu-west-1:111122223333:alerts";
    assert!(services.topics.set_topic_policy(topic, "{}").await.is_ok());
}

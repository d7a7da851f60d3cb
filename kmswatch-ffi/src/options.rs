//! The options document of `kmswatch_plan`: the keyword arguments of the
//! Python `kmswatch.plan()`, as one JSON object.

use crate::error::{ErrorCode, FfiError};
use serde::Deserialize;
use std::collections::BTreeMap;

/// `{"email": ..., "subscribe": ..., "topic_arn": ..., "filter_name": ...,
/// "alarm_name": ..., "topic_name": ..., "metric_namespace": ...,
/// "metric_name": ..., "tags": {...}, "adopt": false}`; every key is optional
/// (absent or `null` keeps kmswatch's default) and unknown keys are rejected,
/// so a misspelt option is an error instead of a silent default.
#[derive(Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanOptions {
    /// Subscribe this e-mail address.
    pub email: Option<String>,
    /// Subscribe `PROTOCOL:ENDPOINT` (`email`, `https`, `sqs`, `lambda`).
    pub subscribe: Option<String>,
    /// Use this existing SNS topic.
    pub topic_arn: Option<String>,
    /// Name of the metric filter to create.
    pub filter_name: Option<String>,
    /// Name of the alarm to create.
    pub alarm_name: Option<String>,
    /// Name of the topic to create.
    pub topic_name: Option<String>,
    /// Namespace of the metric.
    pub metric_namespace: Option<String>,
    /// Name of the metric.
    pub metric_name: Option<String>,
    /// Tags for what kmswatch creates.
    pub tags: Option<BTreeMap<String, String>>,
    /// Take over resources of the chosen names that exist with other settings.
    #[serde(default, deserialize_with = "null_is_false")]
    pub adopt: bool,
}

fn null_is_false<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(Option::<bool>::deserialize(d)?.unwrap_or(false))
}

impl PlanOptions {
    /// Parses the options document.
    pub fn from_json(text: &str) -> Result<Self, FfiError> {
        serde_json::from_str(text).map_err(|e| {
            FfiError::invalid(
                ErrorCode::OptionsInvalid,
                format!("invalid remediation options: {e}"),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_the_python_keywords() {
        let options = PlanOptions::from_json(
            r#"{"email": "secops@example.com", "tags": {"team": "sec"}, "adopt": true,
                "topic_name": null}"#,
        )
        .unwrap();
        assert_eq!(options.email.as_deref(), Some("secops@example.com"));
        assert_eq!(options.tags.unwrap()["team"], "sec");
        assert!(options.adopt);
        assert_eq!(options.topic_name, None);
    }

    #[test]
    fn unknown_keys_are_rejected() {
        let err = PlanOptions::from_json(r#"{"e_mail": "secops@example.com"}"#).unwrap_err();
        assert_eq!(err.code, ErrorCode::OptionsInvalid);
        assert!(
            err.message.contains("unknown field `e_mail`"),
            "{}",
            err.message
        );
    }

    #[test]
    fn wrong_types_are_rejected() {
        let err = PlanOptions::from_json(r#"{"adopt": "yes"}"#).unwrap_err();
        assert_eq!(err.code, ErrorCode::OptionsInvalid);
        assert!(PlanOptions::from_json("[]").is_err());
    }
}

//! The options document of `kmswatch_plan`: the keyword arguments of the
//! Python `kmswatch.plan()`, as one JSON object.

use crate::error::{ErrorCode, FfiError};
pub use kmswatch_decisions::remediate::RemediationFlags as PlanOptions;

/// Parses the options document: `{"email": ..., "subscribe": ..., "topic_arn":
/// ..., "filter_name": ..., "alarm_name": ..., "topic_name": ...,
/// "metric_namespace": ..., "metric_name": ..., "tags": {...}, "adopt": false,
/// "kms_key": ..., "via": ..., "rule_name": ..., "control": [...]}`,
/// the session layer's [`PlanOptions`] (every key optional, unknown keys rejected).
pub fn from_json(text: &str) -> Result<PlanOptions, FfiError> {
    let invalid = |message: String| {
        FfiError::invalid(
            ErrorCode::OptionsInvalid,
            format!("invalid remediation options: {message}"),
        )
    };
    // serde would also read a struct from a JSON array; only an object names its keys.
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| invalid(e.to_string()))?;
    if !value.is_object() {
        return Err(invalid(
            "expected a JSON object of keyword arguments".to_owned(),
        ));
    }
    serde_json::from_value(value).map_err(|e| invalid(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_the_python_keywords() {
        let options = from_json(
            r#"{"email": "secops@example.com", "tags": {"team": "sec"}, "adopt": true,
                "topic_name": null}"#,
        )
        .unwrap();
        assert_eq!(options.email.as_deref(), Some("secops@example.com"));
        assert_eq!(options.tags["team"], "sec");
        assert!(options.adopt);
        assert_eq!(options.topic_name, None);
    }

    #[test]
    fn unknown_keys_are_rejected() {
        let err = from_json(r#"{"e_mail": "secops@example.com"}"#).unwrap_err();
        assert_eq!(err.code, ErrorCode::OptionsInvalid);
        assert!(
            err.message.contains("unknown field `e_mail`"),
            "{}",
            err.message
        );
    }

    #[test]
    fn wrong_types_are_rejected() {
        let err = from_json(r#"{"adopt": "yes"}"#).unwrap_err();
        assert_eq!(err.code, ErrorCode::OptionsInvalid);
        assert!(from_json("[]").is_err());
    }
}

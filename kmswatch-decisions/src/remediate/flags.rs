//! Remediation options from flags (`--email`, `--tag K=V`...) or keywords.

use super::{RemediateError, RemediateOptions, Subscriber, UnknownVia, Via};
use serde::Deserialize;
use std::collections::BTreeMap;

/// The remediation options as the user gave them; `None` keeps the default.
///
/// Deserializes from the JSON object of the Python `plan()` keywords (the C
/// ABI's options document): every key optional, `null` keeps the default, and
/// an unknown key is an error rather than a silently ignored option.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RemediationFlags {
    /// Subscribe this e-mail address.
    pub email: Option<String>,
    /// Subscribe `PROTOCOL:ENDPOINT`.
    pub subscribe: Option<String>,
    /// Notify this existing topic.
    pub topic_arn: Option<String>,
    /// Metric filter name.
    pub filter_name: Option<String>,
    /// Alarm name.
    pub alarm_name: Option<String>,
    /// Topic name.
    pub topic_name: Option<String>,
    /// Metric namespace.
    pub metric_namespace: Option<String>,
    /// Metric name.
    pub metric_name: Option<String>,
    /// Tags for created alarms and topics.
    #[serde(deserialize_with = "null_is_default")]
    pub tags: BTreeMap<String, String>,
    /// Take over resources of the chosen names.
    #[serde(deserialize_with = "null_is_default")]
    pub adopt: bool,
    /// Encrypt the created topic with this KMS key.
    pub kms_key: Option<String>,
    /// What to build: `metric-filter` (default) or `eventbridge`.
    pub via: Option<String>,
    /// EventBridge rule name (`via` `eventbridge`).
    pub rule_name: Option<String>,
    /// The controls to make pass (`--control`): CIS numbers, Security Hub
    /// ids or `cis`, each possibly a comma-separated list; none: the KMS control.
    #[serde(deserialize_with = "null_is_default")]
    pub control: Vec<String>,
}

fn null_is_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

impl RemediationFlags {
    /// The validated options.
    ///
    /// ```
    /// use kmswatch_decisions::remediate::RemediationFlags;
    /// let flags = RemediationFlags { email: Some("secops@example.com".into()), ..Default::default() };
    /// let options = flags.options().unwrap();
    /// assert_eq!(options.subscriber.unwrap().endpoint, "secops@example.com");
    /// assert!(RemediationFlags { email: Some("nobody".into()), ..Default::default() }.options().is_err());
    /// ```
    pub fn options(&self) -> Result<RemediateOptions, RemediateError> {
        let defaults = RemediateOptions::default();
        let subscriber = Subscriber::from_flags(self.email.as_deref(), self.subscribe.as_deref())?;
        let options = RemediateOptions {
            filter_name: self.filter_name.clone().unwrap_or(defaults.filter_name),
            metric_namespace: self.metric_namespace.clone(),
            metric_name: self.metric_name.clone(),
            alarm_name: self.alarm_name.clone().unwrap_or(defaults.alarm_name),
            topic_name: self.topic_name.clone().unwrap_or(defaults.topic_name),
            topic_arn: self.topic_arn.clone(),
            subscriber,
            tags: self.tags.clone(),
            adopt: self.adopt,
            kms_key: self.kms_key.clone(),
            via: match &self.via {
                Some(via) => via
                    .parse()
                    .map_err(|e: UnknownVia| RemediateError::InvalidOption(e.to_string()))?,
                None => Via::MetricFilter,
            },
            rule_name: self.rule_name.clone().unwrap_or(defaults.rule_name),
            controls: control_ids(&self.control)?,
        };
        options.validate()?;
        Ok(options)
    }
}

/// The CIS numbers of the controls `ids` name, in CIS order; empty when
/// they name the KMS control alone (the options of every earlier plan).
fn control_ids(ids: &[String]) -> Result<Vec<String>, RemediateError> {
    let chosen = crate::controls::parse_selection(ids)
        .map_err(|e| RemediateError::InvalidOption(e.to_string()))?;
    if chosen.iter().all(|c| c.is_kms()) {
        return Ok(Vec::new());
    }
    Ok(chosen.iter().map(|c| c.cis.to_owned()).collect())
}

/// Tags given as `KEY=VALUE` (`--tag`, repeatable); a later key wins.
pub fn parse_tags(tags: &[String]) -> Result<BTreeMap<String, String>, RemediateError> {
    tags.iter()
        .map(|tag| {
            tag.split_once('=')
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .ok_or_else(|| {
                    RemediateError::InvalidOption(format!("tag {tag:?} is not KEY=VALUE"))
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_key_value_pairs() {
        let tags = parse_tags(&["team=sec".into(), "env=prod=1".into()]).unwrap();
        assert_eq!(tags["team"], "sec");
        assert_eq!(tags["env"], "prod=1");
        let err = parse_tags(&["team".into()]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid option: tag \"team\" is not KEY=VALUE"
        );
    }

    #[test]
    fn unset_names_keep_the_defaults_and_bad_ones_are_refused() {
        let options = RemediationFlags::default().options().unwrap();
        assert_eq!(options, RemediateOptions::default());
        let flags = RemediationFlags {
            topic_name: Some("bad name".into()),
            ..RemediationFlags::default()
        };
        assert!(matches!(
            flags.options(),
            Err(RemediateError::InvalidOption(_))
        ));
        let flags = RemediationFlags {
            email: Some("a@example.com".into()),
            subscribe: Some("sqs:arn:aws:sqs:us-east-1:111122223333:q".into()),
            ..RemediationFlags::default()
        };
        assert!(flags.options().is_err());
    }
}

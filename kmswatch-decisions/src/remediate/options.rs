//! What the user chose: names, the topic, who is subscribed, tags, `--adopt`.

use super::error::RemediateError;
use super::via::Via;
use crate::controls::{parse_selection, Control};
use crate::model::Arn;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The tag kmswatch puts on the alarms and topics it creates.
pub const MANAGED_TAG: (&str, &str) = ("kmswatch:managed", "true");

/// Default metric filter name; the `kmswatch-` prefix marks it as kmswatch's.
pub const DEFAULT_FILTER_NAME: &str = "kmswatch-kms-key-disable-or-deletion";
/// Default alarm name.
pub const DEFAULT_ALARM_NAME: &str = "kmswatch-kms-key-disable-or-deletion";
/// Default EventBridge rule name (`--via eventbridge`).
pub const DEFAULT_RULE_NAME: &str = "kmswatch-kms-key-disable-or-deletion";
/// Default SNS topic name.
pub const DEFAULT_TOPIC_NAME: &str = "kmswatch-kms-key-alerts";
/// Default metric namespace, used when no existing alarmed metric is reused.
pub const DEFAULT_METRIC_NAMESPACE: &str = "kmswatch";
/// Default metric name.
pub const DEFAULT_METRIC_NAME: &str = "KMSKeyDisableOrScheduledDeletion";

/// The name of the metric filter and of the alarm kmswatch creates for a
/// control other than the KMS one: `kmswatch-` and its name in words, e.g.
/// `kmswatch-unauthorized-api-calls`.
///
/// ```
/// use kmswatch_decisions::remediate::options::control_resource_name;
/// let control = kmswatch_decisions::controls::find("4.2").unwrap();
/// assert_eq!(control_resource_name(control), "kmswatch-console-sign-in-without-mfa");
/// ```
pub fn control_resource_name(control: &Control) -> String {
    format!("{CONTROL_NAME_PREFIX}{}", words(control.name).join("-"))
}

/// What the names of kmswatch's filters and alarms begin with: a plan for
/// several controls lists the alarms named so (`AlarmNamePrefix`).
pub const CONTROL_NAME_PREFIX: &str = "kmswatch-";

/// The metric a control's filter publishes to, e.g.
/// `UnauthorizedApiCalls` (namespace `--metric-namespace`, else `kmswatch`).
pub fn control_metric_name(control: &Control) -> String {
    words(control.name)
        .iter()
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// The lowercase ASCII words of `text`.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect()
}

/// An SNS subscription protocol kmswatch can set up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    /// An e-mail address; AWS sends a confirmation link.
    Email,
    /// An HTTPS URL; the endpoint must confirm.
    Https,
    /// An SQS queue ARN; confirmed at once (the queue policy must allow SNS).
    Sqs,
    /// A Lambda function ARN; confirmed at once (the function must allow SNS).
    Lambda,
}

impl Protocol {
    /// The protocol name SNS uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Email => "email",
            Protocol::Https => "https",
            Protocol::Sqs => "sqs",
            Protocol::Lambda => "lambda",
        }
    }

    /// Whether a human (or the endpoint) must confirm before messages flow.
    pub fn needs_confirmation(self) -> bool {
        matches!(self, Protocol::Email | Protocol::Https)
    }
}

/// Who receives the alarm: a protocol and an endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subscriber {
    /// The protocol.
    pub protocol: Protocol,
    /// The address, URL or ARN.
    pub endpoint: String,
}

impl Subscriber {
    /// The subscriber `--email ADDR` or `--subscribe PROTOCOL:ENDPOINT` names
    /// (at most one of them), if any.
    pub fn from_flags(
        email: Option<&str>,
        subscribe: Option<&str>,
    ) -> Result<Option<Self>, RemediateError> {
        match (email, subscribe) {
            (Some(_), Some(_)) => Err(RemediateError::InvalidOption(
                "give either an e-mail address or a PROTOCOL:ENDPOINT subscriber, not both"
                    .to_owned(),
            )),
            (Some(address), None) => Self::email(address).map(Some),
            (None, Some(spec)) => Self::parse(spec).map(Some),
            (None, None) => Ok(None),
        }
    }

    /// An e-mail subscriber.
    pub fn email(address: &str) -> Result<Self, RemediateError> {
        Self::new(Protocol::Email, address)
    }

    /// A subscriber, validated for its protocol.
    pub fn new(protocol: Protocol, endpoint: &str) -> Result<Self, RemediateError> {
        let valid = match protocol {
            Protocol::Email => {
                let mut parts = endpoint.splitn(2, '@');
                let (user, domain) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
                !user.is_empty() && domain.contains('.') && !endpoint.contains(char::is_whitespace)
            }
            Protocol::Https => {
                endpoint.starts_with("https://") && endpoint.len() > "https://".len()
            }
            Protocol::Sqs => Arn::parse(endpoint).is_some_and(|a| a.service == "sqs"),
            Protocol::Lambda => Arn::parse(endpoint).is_some_and(|a| a.service == "lambda"),
        };
        if !valid {
            return Err(RemediateError::InvalidOption(format!(
                "{endpoint:?} is not a valid {} endpoint",
                protocol.as_str()
            )));
        }
        Ok(Subscriber {
            protocol,
            endpoint: endpoint.to_owned(),
        })
    }

    /// Parses `PROTOCOL:ENDPOINT`, e.g. `sqs:arn:aws:sqs:us-east-1:111122223333:alerts`.
    ///
    /// ```
    /// use kmswatch_decisions::remediate::{Protocol, Subscriber};
    /// let s = Subscriber::parse("email:secops@example.com").unwrap();
    /// assert_eq!(s.protocol, Protocol::Email);
    /// assert!(Subscriber::parse("sms:+15550100").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<Self, RemediateError> {
        let (protocol, endpoint) = text.split_once(':').ok_or_else(|| {
            RemediateError::InvalidOption(format!(
                "{text:?} is not PROTOCOL:ENDPOINT (protocols: email, https, sqs, lambda)"
            ))
        })?;
        let protocol = match protocol {
            "email" => Protocol::Email,
            "https" => Protocol::Https,
            "sqs" => Protocol::Sqs,
            "lambda" => Protocol::Lambda,
            other => {
                return Err(RemediateError::InvalidOption(format!(
                    "unsupported subscription protocol {other:?} (use email, https, sqs or lambda)"
                )))
            }
        };
        // `https:` keeps its scheme: `https:https://hooks.example.com/x` and
        // `https://hooks.example.com/x` both work.
        let endpoint = if protocol == Protocol::Https && endpoint.starts_with("//") {
            format!("https:{endpoint}")
        } else {
            endpoint.to_owned()
        };
        Self::new(protocol, &endpoint)
    }
}

/// How to remediate: every name is configurable; the defaults are kmswatch's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RemediateOptions {
    /// Name of the metric filter kmswatch creates.
    pub filter_name: String,
    /// Namespace of its metric; `None` reuses the metric of an existing working
    /// alarm when there is one, else [`DEFAULT_METRIC_NAMESPACE`].
    pub metric_namespace: Option<String>,
    /// Name of its metric; `None` as for the namespace, else [`DEFAULT_METRIC_NAME`].
    pub metric_name: Option<String>,
    /// Name of the alarm kmswatch creates.
    pub alarm_name: String,
    /// Name of the topic kmswatch creates when it needs one.
    pub topic_name: String,
    /// Use this existing topic instead of creating one.
    pub topic_arn: Option<String>,
    /// Subscribe this endpoint.
    pub subscriber: Option<Subscriber>,
    /// Tags for the alarms and topics kmswatch creates (besides [`MANAGED_TAG`]).
    pub tags: BTreeMap<String, String>,
    /// Take over a filter, alarm or topic of the chosen name that exists with
    /// different settings (and fix alarms kmswatch did not create) instead of stopping.
    pub adopt: bool,
    /// Encrypt the topic kmswatch creates with this KMS key (key id, key ARN,
    /// alias name or alias ARN), which must be enabled and let
    /// `cloudwatch.amazonaws.com` use it; `None` creates it unencrypted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kms_key: Option<String>,
    /// What to build: the metric-filter chain (default) or EventBridge rules.
    #[serde(default)]
    pub via: Via,
    /// Name of the EventBridge rule kmswatch creates (`--via eventbridge`).
    #[serde(default = "default_rule_name")]
    pub rule_name: String,
    /// The monitoring controls the plan makes pass (`--control`), by their
    /// CIS v1.4.0 numbers in CIS order; empty: the KMS control alone. The
    /// KMS control's resources take the names above; every other control
    /// gets its own filter and alarm ([`control_resource_name`]), all
    /// notifying one topic.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub controls: Vec<String>,
}

fn default_rule_name() -> String {
    DEFAULT_RULE_NAME.to_owned()
}

impl Default for RemediateOptions {
    fn default() -> Self {
        RemediateOptions {
            filter_name: DEFAULT_FILTER_NAME.to_owned(),
            metric_namespace: None,
            metric_name: None,
            alarm_name: DEFAULT_ALARM_NAME.to_owned(),
            topic_name: DEFAULT_TOPIC_NAME.to_owned(),
            topic_arn: None,
            subscriber: None,
            tags: BTreeMap::new(),
            adopt: false,
            kms_key: None,
            via: Via::MetricFilter,
            rule_name: DEFAULT_RULE_NAME.to_owned(),
            controls: Vec::new(),
        }
    }
}

impl RemediateOptions {
    /// The controls the plan makes pass ([`RemediateOptions::controls`]):
    /// the KMS control when none is named.
    pub fn selected_controls(&self) -> Result<Vec<&'static Control>, RemediateError> {
        parse_selection(&self.controls).map_err(|e| RemediateError::InvalidOption(e.to_string()))
    }

    /// Whether the plan covers a control other than the KMS one.
    pub fn covers_other_controls(&self) -> bool {
        self.selected_controls()
            .is_ok_and(|controls| controls.iter().any(|c| !c.is_kms()))
    }

    /// The tags of a resource kmswatch creates: the user's and [`MANAGED_TAG`].
    pub fn resource_tags(&self) -> BTreeMap<String, String> {
        let mut tags = self.tags.clone();
        tags.insert(MANAGED_TAG.0.to_owned(), MANAGED_TAG.1.to_owned());
        tags
    }

    /// Checks names against the AWS rules kmswatch can check offline.
    pub fn validate(&self) -> Result<(), RemediateError> {
        let invalid = |what: &str, value: &str, why: &str| {
            Err(RemediateError::InvalidOption(format!(
                "{what} {value:?} {why}"
            )))
        };
        if self.filter_name.is_empty()
            || self.filter_name.len() > 512
            || self.filter_name.contains([':', '*'])
        {
            return invalid(
                "metric filter name",
                &self.filter_name,
                "must be 1-512 characters without ':' or '*'",
            );
        }
        if self.alarm_name.is_empty() || self.alarm_name.len() > 255 {
            return invalid("alarm name", &self.alarm_name, "must be 1-255 characters");
        }
        let topic_ok = !self.topic_name.is_empty()
            && self.topic_name.len() <= 256
            && self
                .topic_name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !topic_ok {
            return invalid(
                "topic name",
                &self.topic_name,
                "must be 1-256 letters, digits, '-' or '_'",
            );
        }
        if let Some(arn) = &self.topic_arn {
            if !Arn::parse(arn).is_some_and(|a| a.service == "sns" && !a.region.is_empty()) {
                return invalid("--topic-arn", arn, "is not an SNS topic ARN");
            }
        }
        for (what, value) in [
            ("metric namespace", &self.metric_namespace),
            ("metric name", &self.metric_name),
        ] {
            if let Some(v) = value {
                if v.is_empty() || v.len() > 255 || v.starts_with(':') {
                    return invalid(what, v, "must be 1-255 characters, not starting with ':'");
                }
            }
        }
        if let Some(key) = &self.kms_key {
            let arn_ok = Arn::parse(key).is_none_or(|a| a.service == "kms" && !a.region.is_empty());
            if key.is_empty() || key.contains(char::is_whitespace) || !arn_ok {
                return invalid(
                    "--kms-key",
                    key,
                    "is not a KMS key id, key ARN, alias name or alias ARN",
                );
            }
        }
        if self.tags.keys().any(|k| k.starts_with("aws:")) {
            return invalid("tag", "aws:*", "keys starting with aws: are reserved");
        }
        let rule_chars = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_');
        if self.rule_name.is_empty()
            || self.rule_name.len() > 64
            || !self.rule_name.chars().all(rule_chars)
        {
            return invalid(
                "EventBridge rule name",
                &self.rule_name,
                "must be 1-64 letters, digits, '.', '-' or '_'",
            );
        }
        self.selected_controls()?;
        if self.via == Via::Eventbridge && self.kms_key.is_some() {
            return Err(RemediateError::InvalidOption(
                "--kms-key applies to the metric-filter chain's topic; with --via eventbridge kmswatch creates its topics unencrypted (EventBridge cannot publish to a topic encrypted with alias/aws/sns, and a customer managed key's policy would have to let events.amazonaws.com use it): encrypt an existing topic and name it with --topic-arn instead".to_owned(),
            ));
        }
        Ok(())
    }
}

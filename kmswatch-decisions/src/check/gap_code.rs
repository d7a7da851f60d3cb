//! The gap codes: every way a link of the chain can be broken, unknown or weak.
//!
//! Each code carries, next to its variant, its stable string (printed in
//! `kmswatch.report/v1`), its severity when it has a fixed one, its fix text and
//! what remediation can do about it. Rules and the planner match on the enum;
//! the string appears only here.

use super::status::Severity;
use super::status::Severity::{Error, Fail, Manual, Warning};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A KMS API call whose every occurrence must reach a human.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TargetEvent {
    /// `DisableKey`.
    DisableKey,
    /// `ScheduleKeyDeletion`.
    ScheduleKeyDeletion,
}

impl TargetEvent {
    /// Both target events, in report order.
    pub const ALL: [TargetEvent; 2] = [TargetEvent::DisableKey, TargetEvent::ScheduleKeyDeletion];

    /// The CloudTrail `eventName`.
    pub fn event_name(self) -> &'static str {
        match self {
            TargetEvent::DisableKey => "DisableKey",
            TargetEvent::ScheduleKeyDeletion => "ScheduleKeyDeletion",
        }
    }

    /// The target event with this CloudTrail `eventName`.
    pub fn from_event_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.event_name() == name)
    }
}

/// What `kmswatch remediate` can do about a gap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Remedy {
    /// Nothing to do: the gap does not break the chain.
    None,
    /// kmswatch does not fix it (trail, log group): the user must.
    Prerequisite,
    /// A fact is unknown: read it (permissions, run again) before planning.
    Unknown,
    /// Fixed by completing the coverage (a filter, an alarm, a topic).
    Coverage,
    /// A metric filter kmswatch adds beside the broken one.
    NewFilter,
    /// An alarm on the filter's metric.
    NewAlarm,
    /// Settings `PutMetricAlarm` can fix in place (`--adopt`), or a new alarm beside it.
    AlarmSettings,
    /// The alarm's topic: subscribe, or use another topic.
    Topic,
}

/// Where a gap's fix text comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fix {
    /// The same text for every occurrence.
    Text(&'static str),
    /// A text with `{name}` placeholders the rule fills in.
    Template(&'static str),
    /// Depends on why the fact is unknown (see the check's unknown-fact rule).
    FromCause,
}

/// Everything a code knows about itself.
#[derive(Debug, Clone, Copy)]
pub struct CodeInfo {
    /// The stable string, e.g. `TRAIL_NOT_LOGGING`.
    pub code: &'static str,
    /// The severity, when it is always the same (unknown facts are ERROR or
    /// MANUAL depending on the cause).
    pub severity: Option<Severity>,
    /// The fix.
    pub fix: Fix,
    /// What remediation can do.
    pub remedy: Remedy,
}

macro_rules! gap_codes {
    ($( $(#[$doc:meta])* $variant:ident = $code:literal, $severity:expr, $fix:expr, $remedy:expr; )*) => {
        /// A gap code. Serializes to its stable string.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum GapCode {
            $( $(#[$doc])* $variant, )*
            /// `PATTERN_MISSES:<event>`: no filter pattern on the log group matches those corpus events.
            PatternMisses(TargetEvent),
            /// `NOT_ALARMED:<event>`: the filters that match have no working alarm path.
            NotAlarmed(TargetEvent),
        }

        impl GapCode {
            /// Every code without a parameter.
            pub const SIMPLE: &'static [GapCode] = &[$(GapCode::$variant,)*];

            /// The code's severity, fix and remedy.
            pub fn info(self) -> CodeInfo {
                match self {
                    $( GapCode::$variant => CodeInfo { code: $code, severity: $severity, fix: $fix, remedy: $remedy }, )*
                    GapCode::PatternMisses(_) => CodeInfo {
                        code: "PATTERN_MISSES",
                        severity: Some(Fail),
                        fix: Fix::Template("add a metric filter with the CIS pattern {pattern}"),
                        remedy: Remedy::Coverage,
                    },
                    GapCode::NotAlarmed(_) => CodeInfo {
                        code: "NOT_ALARMED",
                        severity: None,
                        fix: Fix::Text("fix the gaps of the metric filters below, or run kmswatch remediate"),
                        remedy: Remedy::Coverage,
                    },
                }
            }
        }
    };
}

use Fix::{FromCause, Template, Text};
use Remedy as R;

gap_codes! {
    /// No trail logs in the region.
    NoTrail = "NO_TRAIL", Some(Fail),
        Text("create a multi-region trail that records management events and delivers to CloudWatch Logs"), R::Prerequisite;
    /// DescribeTrails failed.
    TrailsUnknown = "TRAILS_UNKNOWN", None, FromCause, R::Unknown;
    /// The trail records one region only.
    TrailNotMultiRegion = "TRAIL_NOT_MULTI_REGION", Some(Fail),
        Template("aws cloudtrail update-trail --name {name} --is-multi-region-trail --region {region}"), R::Prerequisite;
    /// The trail is stopped.
    TrailNotLogging = "TRAIL_NOT_LOGGING", Some(Fail),
        Template("aws cloudtrail start-logging --name {arn} --region {region}"), R::Prerequisite;
    /// GetTrailStatus failed.
    TrailStatusUnknown = "TRAIL_STATUS_UNKNOWN", None, FromCause, R::Unknown;
    /// GetEventSelectors failed.
    TrailSelectorsUnknown = "TRAIL_SELECTORS_UNKNOWN", None, FromCause, R::Unknown;
    /// No selector records management events.
    TrailNoManagementEvents = "TRAIL_NO_MANAGEMENT_EVENTS", Some(Fail),
        Text("set IncludeManagementEvents=true with ReadWriteType All on an event selector"), R::Prerequisite;
    /// Management events are recorded read-only.
    TrailManagementReadOnly = "TRAIL_MANAGEMENT_READ_ONLY", Some(Fail),
        Text("set ReadWriteType to All (or WriteOnly) on the management event selector"), R::Prerequisite;
    /// `ExcludeManagementEventSources` drops KMS.
    TrailExcludesKmsEvents = "TRAIL_EXCLUDES_KMS_EVENTS", Some(Fail),
        Text("remove kms.amazonaws.com from ExcludeManagementEventSources"), R::Prerequisite;
    /// Advanced event selectors drop KMS management write events.
    TrailNotRecordingKmsWrites = "TRAIL_NOT_RECORDING_KMS_WRITES", Some(Fail),
        Text("add an advanced event selector with eventCategory = Management that does not restrict readOnly to true nor exclude eventSource kms.amazonaws.com"), R::Prerequisite;
    /// CloudTrail reports a delivery error and has delivered nothing for 24 hours (or ever).
    TrailCloudwatchDeliveryBroken = "TRAIL_CLOUDWATCH_DELIVERY_BROKEN", Some(Fail),
        Text("give the trail a CloudWatchLogsRoleArn that exists and allows logs:CreateLogStream and logs:PutLogEvents on the log group"), R::Prerequisite;
    /// CloudTrail reports a delivery error and when it last delivered is unknown.
    TrailCloudwatchDeliveryUnverified = "TRAIL_CLOUDWATCH_DELIVERY_UNVERIFIED", Some(Error),
        Text("gather the facts again with their capture time (kmswatch snapshot) so the last delivery can be dated"), R::Unknown;
    /// The trail does not deliver to CloudWatch Logs.
    TrailNoCloudwatchLogs = "TRAIL_NO_CLOUDWATCH_LOGS", Some(Fail),
        Text("set the trail's CloudWatchLogsLogGroupArn and CloudWatchLogsRoleArn"), R::Prerequisite;
    /// CloudTrail reports a delivery error to the log group.
    TrailCloudwatchDeliveryError = "TRAIL_CLOUDWATCH_DELIVERY_ERROR", Some(Warning),
        Text("check the trail's CloudWatchLogsRoleArn and its permissions on the log group"), R::None;
    /// The log group belongs to another account.
    LogGroupOtherAccount = "LOG_GROUP_OTHER_ACCOUNT", Some(Manual),
        Template("follow the chain into account {account}, reads only: kmswatch check --log-account-role arn:aws:iam::{account}:role/NAME (or scan the organization)"), R::Prerequisite;
    /// The log group does not exist.
    LogGroupNotFound = "LOG_GROUP_NOT_FOUND", Some(Fail),
        Text("recreate the log group or point the trail at an existing one"), R::Prerequisite;
    /// The trail's log group ARN is not one.
    LogGroupArnInvalid = "LOG_GROUP_ARN_INVALID", Some(Fail),
        Text("set the trail's CloudWatchLogsLogGroupArn to the ARN of an existing log group"), R::Prerequisite;
    /// The log group is not in the facts.
    LogGroupUnknown = "LOG_GROUP_UNKNOWN", None, FromCause, R::Unknown;
    /// DescribeMetricFilters failed.
    MetricFiltersUnknown = "METRIC_FILTERS_UNKNOWN", None, FromCause, R::Unknown;
    /// kmswatch cannot parse a stored pattern.
    FilterPatternUnparseable = "FILTER_PATTERN_UNPARSEABLE", Some(Error),
        Text("report this pattern to the kmswatch maintainers"), R::NewFilter;
    /// The filter reads the log events as a log transformer rewrites them.
    FilterOnTransformedLogs = "FILTER_ON_TRANSFORMED_LOGS", Some(Manual),
        Text("point a filter at the events as CloudTrail delivers them (applyOnTransformedLogs false), or confirm what the log group's transformer makes of them"), R::NewFilter;
    /// The filter publishes no metric.
    FilterNoMetric = "FILTER_NO_METRIC", Some(Fail),
        Text("give the filter a metric transformation with MetricValue 1"), R::NewFilter;
    /// The metric value is not a positive number.
    FilterMetricValueNotPositive = "FILTER_METRIC_VALUE_NOT_POSITIVE", Some(Fail),
        Text("set the metric transformation's MetricValue to 1"), R::NewFilter;
    /// The filter publishes with dimensions.
    FilterHasDimensions = "FILTER_HAS_DIMENSIONS", Some(Fail),
        Text("remove the dimensions from the metric transformation"), R::NewFilter;
    /// No alarm on the metric.
    AlarmMissing = "ALARM_MISSING", Some(Fail),
        Text("create an alarm on the metric: Sum >= 1 over 300 s, 1 of 1 datapoints, actions to an SNS topic"), R::NewAlarm;
    /// DescribeAlarms failed.
    AlarmsUnknown = "ALARMS_UNKNOWN", None, FromCause, R::Unknown;
    /// DescribeAlarmsForMetric failed, so the region's alarms were listed instead.
    AlarmsReadByListing = "ALARMS_READ_BY_LISTING", Some(Warning),
        Text("allow these credentials cloudwatch:DescribeAlarmsForMetric (see kmswatch iam-policy check), so that a check reads the alarms on its metrics instead of every alarm of the region"), R::None;
    /// The alarm's actions are disabled.
    AlarmActionsDisabled = "ALARM_ACTIONS_DISABLED", Some(Fail),
        Template("aws cloudwatch enable-alarm-actions --alarm-names {name}"), R::AlarmSettings;
    /// The alarm has no alarm actions.
    AlarmNoActions = "ALARM_NO_ACTIONS", Some(Fail),
        Text("add an SNS topic with a confirmed subscriber to the alarm's AlarmActions"), R::AlarmSettings;
    /// None of the alarm's actions is an SNS topic.
    AlarmNoSnsAction = "ALARM_NO_SNS_ACTION", Some(Fail),
        Text("add an SNS topic with a confirmed subscriber to the alarm's AlarmActions"), R::AlarmSettings;
    /// One event does not breach.
    AlarmDoesNotFireOnOneEvent = "ALARM_DOES_NOT_FIRE_ON_ONE_EVENT", Some(Fail),
        Text("use Statistic Sum, ComparisonOperator GreaterThanOrEqualToThreshold, Threshold 1"), R::AlarmSettings;
    /// It breaches with no event: it stays in ALARM.
    AlarmAlwaysInAlarm = "ALARM_ALWAYS_IN_ALARM", Some(Fail),
        Text("use Threshold 1 with GreaterThanOrEqualToThreshold so that 0 does not breach"), R::AlarmSettings;
    /// DatapointsToAlarm (or EvaluationPeriods) is not 1.
    AlarmNeedsSeveralDatapoints = "ALARM_NEEDS_SEVERAL_DATAPOINTS", Some(Fail),
        Text("set DatapointsToAlarm (or EvaluationPeriods) to 1"), R::AlarmSettings;
    /// A metric-math expression kmswatch does not evaluate.
    AlarmExpressionUnverified = "ALARM_EXPRESSION_UNVERIFIED", Some(Manual),
        Text("alarm directly on the metric, or on FILL(m1, 0) of it"), R::Unknown;
    /// An anomaly detection band.
    AlarmAnomalyDetection = "ALARM_ANOMALY_DETECTION", Some(Manual),
        Text("use a static threshold: Sum >= 1 over one period"), R::Unknown;
    /// A comparison kmswatch does not evaluate.
    AlarmComparisonUnverified = "ALARM_COMPARISON_UNVERIFIED", Some(Manual),
        Text("use ComparisonOperator GreaterThanOrEqualToThreshold with Threshold 1"), R::AlarmSettings;
    /// A statistic kmswatch does not evaluate.
    AlarmStatisticUnverified = "ALARM_STATISTIC_UNVERIFIED", Some(Manual),
        Text("use the Sum statistic"), R::AlarmSettings;
    /// The alarm's topic does not exist.
    TopicNotFound = "TOPIC_NOT_FOUND", Some(Fail),
        Text("create the topic and subscribe a monitored endpoint, or point the alarm at an existing topic"), R::Topic;
    /// GetTopicAttributes failed.
    TopicUnknown = "TOPIC_UNKNOWN", None, FromCause, R::Unknown;
    /// ListSubscriptionsByTopic failed.
    TopicSubscriptionsUnknown = "TOPIC_SUBSCRIPTIONS_UNKNOWN", None, FromCause, R::Unknown;
    /// No subscription is confirmed.
    TopicNoConfirmedSubscription = "TOPIC_NO_CONFIRMED_SUBSCRIPTION", Some(Fail),
        Text("subscribe an endpoint and confirm it (for email: click the link AWS sends)"), R::Topic;
    /// The topic is encrypted with a customer managed key.
    TopicEncryptedWithCmk = "TOPIC_ENCRYPTED_WITH_CMK", Some(Warning),
        Text("encrypt the alert topic with the AWS managed key alias/aws/sns, or alarm on that key separately"), R::None;
    /// Every confirmed subscription's filter policy drops the alarm's notifications.
    SubscriptionFilterDropsAlarms = "SUBSCRIPTION_FILTER_DROPS_ALARMS", Some(Fail),
        Text("subscribe an endpoint without a filter policy (or with a MessageBody policy such as {\"NewStateValue\": [\"ALARM\"]}); alarm notifications carry no message attributes"), R::Topic;
    /// A subscription's filter policy cannot be shown to deliver or drop the notifications.
    SubscriptionFilterUnverified = "SUBSCRIPTION_FILTER_UNVERIFIED", Some(Manual),
        Text("check that the subscription's filter policy lets CloudWatch alarm notifications through, or subscribe an endpoint without a filter policy"), R::Topic;
    /// GetSubscriptionAttributes failed or was not read.
    SubscriptionAttributesUnknown = "SUBSCRIPTION_ATTRIBUTES_UNKNOWN", None, FromCause, R::Unknown;
    /// The alarm is in another region than its topic.
    TopicInOtherRegion = "TOPIC_IN_OTHER_REGION", Some(Fail),
        Text("notify an SNS topic in the alarm's own region"), R::Topic;
    /// The topic's attributes describe another topic than the ARN read.
    TopicArnMismatch = "TOPIC_ARN_MISMATCH", Some(Error),
        Text("read the topic in the region its ARN names and run the check again"), R::Unknown;
    /// The alarm asks for another unit than the filter publishes.
    AlarmUnitMismatch = "ALARM_UNIT_MISMATCH", Some(Fail),
        Text("remove the alarm's Unit, or set it to the unit of the metric filter's transformation"), R::AlarmSettings;
    /// The alarm's metric-math query reads another account's metric.
    AlarmMetricOtherAccount = "ALARM_METRIC_OTHER_ACCOUNT", Some(Fail),
        Text("remove AccountId from the alarm's MetricStat query so that it reads this account's metric"), R::AlarmSettings;
    /// A composite alarm that follows the alarm notifies in its stead.
    AlarmNotifiesThroughComposite = "ALARM_NOTIFIES_THROUGH_COMPOSITE", Some(Warning),
        Text("keep the composite alarm's rule, actions and topic as they are, or give the alarm its own SNS action"), R::None;
    /// The composite alarm's actions can be suppressed by another alarm.
    CompositeAlarmActionsSuppressible = "COMPOSITE_ALARM_ACTIONS_SUPPRESSIBLE", Some(Warning),
        Text("make sure the ActionsSuppressor alarm cannot be in ALARM when a KMS key is disabled, or give the alarm its own SNS action"), R::None;
    /// The composite alarm's rule can be true without the alarm.
    CompositeAlarmMayStayInAlarm = "COMPOSITE_ALARM_MAY_STAY_IN_ALARM", Some(Warning),
        Text("give the KMS alarm its own SNS action, or a composite alarm whose rule is ALARM(<that alarm>)"), R::None;
    /// A composite alarm's rule cannot be read or decided.
    CompositeAlarmRuleUnverified = "COMPOSITE_ALARM_RULE_UNVERIFIED", Some(Manual),
        Text("check that the composite alarm's AlarmRule is true whenever the KMS alarm is in ALARM, or give the alarm its own SNS action"), R::AlarmSettings;
    /// DescribeAlarms for composite alarms failed or was not read.
    CompositeAlarmsUnknown = "COMPOSITE_ALARMS_UNKNOWN", None, FromCause, R::Unknown;
    /// DescribeAlarms did not say whether the alarm's actions are enabled.
    AlarmActionsEnabledUnknown = "ALARM_ACTIONS_ENABLED_UNKNOWN", Some(Error),
        Text("run the check again; if ActionsEnabled stays missing, enable the alarm's actions explicitly"), R::Unknown;
    /// The topic is encrypted with an AWS managed key (`alias/aws/sns`), which CloudWatch cannot use.
    TopicEncryptedWithAwsManagedKey = "TOPIC_ENCRYPTED_WITH_AWS_MANAGED_KEY", Some(Fail),
        Text("encrypt the topic with a customer managed key whose key policy lets cloudwatch.amazonaws.com call kms:Decrypt and kms:GenerateDataKey*, or remove its encryption"), R::Topic;
    /// The topic's KMS key is disabled, pending deletion or gone.
    TopicKeyNotEnabled = "TOPIC_KEY_NOT_ENABLED", Some(Fail),
        Text("enable the topic's KMS key (aws kms enable-key, aws kms cancel-key-deletion), or encrypt the topic with an enabled key"), R::Topic;
    /// The topic's KMS key policy does not let CloudWatch use the key.
    TopicKeyNotUsableByCloudwatch = "TOPIC_KEY_NOT_USABLE_BY_CLOUDWATCH", Some(Fail),
        Text("let Principal {\"Service\": \"cloudwatch.amazonaws.com\"} call kms:Decrypt and kms:GenerateDataKey* in the key policy, and remove the Deny statements that apply to it"), R::Topic;
    /// The topic's KMS key or its key policy could not be read.
    TopicKeyUnknown = "TOPIC_KEY_UNKNOWN", Some(Manual),
        Text("check the topic's KMS key with credentials the key policy lets call kms:DescribeKey and kms:GetKeyPolicy: cloudwatch.amazonaws.com needs kms:Decrypt and kms:GenerateDataKey*"), R::Unknown;
    /// The topic policy does not let CloudWatch publish.
    TopicPolicyDeniesCloudwatch = "TOPIC_POLICY_DENIES_CLOUDWATCH", Some(Fail),
        Text("allow cloudwatch.amazonaws.com SNS:Publish in the topic policy (conditioned on aws:SourceAccount) and remove the Deny statements that apply to it"), R::Topic;
    /// Whether the topic policy lets CloudWatch publish is unknown.
    TopicPolicyUnknown = "TOPIC_POLICY_UNKNOWN", Some(Manual),
        Text("review the topic policy: cloudwatch.amazonaws.com needs SNS:Publish, and no Deny may apply to it"), R::Unknown;
    /// No enabled rule of the region's default event bus matches both KMS key events.
    EventbridgeNoRule = "EVENTBRIDGE_NO_RULE", Some(Fail),
        Text("add an enabled rule to the default event bus with the pattern {\"source\": [\"aws.kms\"], \"detail-type\": [\"AWS API Call via CloudTrail\"], \"detail\": {\"eventSource\": [\"kms.amazonaws.com\"], \"eventName\": [\"DisableKey\", \"ScheduleKeyDeletion\"]}} and an SNS topic target"), R::None;
    /// The rule matches only one of the two KMS key events, or is disabled.
    EventbridgeRuleIncomplete = "EVENTBRIDGE_RULE_INCOMPLETE", Some(Fail),
        Text("enable the rule and make its pattern match both DisableKey and ScheduleKeyDeletion from kms.amazonaws.com"), R::None;
    /// The rule's event pattern cannot be evaluated.
    EventbridgePatternUnverified = "EVENTBRIDGE_PATTERN_UNVERIFIED", Some(Manual),
        Text("check by hand that the rule's event pattern matches DisableKey and ScheduleKeyDeletion events from aws.kms"), R::None;
    /// The rule's rules or targets could not be read.
    EventbridgeUnknown = "EVENTBRIDGE_UNKNOWN", None, FromCause, R::None;
    /// The rule has no target that reaches a human.
    EventbridgeNoTarget = "EVENTBRIDGE_NO_TARGET", Some(Fail),
        Text("add an SNS topic with a confirmed subscriber as a target of the rule"), R::None;
    /// The rule's only targets are not SNS topics (Lambda, SQS...): kmswatch cannot follow them to a human.
    EventbridgeTargetUnverified = "EVENTBRIDGE_TARGET_UNVERIFIED", Some(Manual),
        Text("check by hand that the target delivers the event to a human, or add an SNS topic target with a confirmed subscriber"), R::None;
    /// EventBridge cannot publish to the target topic (topic policy, encryption key).
    EventbridgeTopicNotPublishable = "EVENTBRIDGE_TOPIC_NOT_PUBLISHABLE", Some(Fail),
        Text("allow events.amazonaws.com SNS:Publish in the topic policy, and, for an encrypted topic, kms:Decrypt and kms:GenerateDataKey* in its key policy (an AWS managed key cannot be used)"), R::None;
    /// No CloudTrail trail is logging in the region, so EventBridge receives no KMS API calls.
    EventbridgeNoTrail = "EVENTBRIDGE_NO_TRAIL", Some(Fail),
        Text("create a trail that logs management events in this region (a multi-region trail covers every region)"), R::None;
    /// The regions that hold customer managed keys are not known, so EventBridge coverage of every such region is not proven.
    EventbridgeKeyRegionsUnknown = "EVENTBRIDGE_KEY_REGIONS_UNKNOWN", Some(Manual),
        Text("list the account's customer managed keys in every region (kmswatch keys) and check that each such region has an EventBridge rule"), R::None;
    /// A region that holds customer managed keys has no passing monitor of an accepted kind.
    EventbridgeKeyRegionUnmonitored = "EVENTBRIDGE_KEY_REGION_UNMONITORED", Some(Fail),
        Text("add an enabled rule with an SNS topic target to the default event bus of every region that holds customer managed keys (kmswatch remediate --via eventbridge plans them)"), R::None;
    /// A monitoring control's target events (other than KMS's) that no metric filter matches.
    ControlPatternMisses = "CONTROL_PATTERN_MISSES", Some(Fail),
        Template("add a metric filter with the CIS pattern {pattern}, an alarm on its metric and an SNS topic with a confirmed subscriber"), R::None;
    /// The filters that match a control's events (other than KMS's) have no working alarm path.
    ControlNotAlarmed = "CONTROL_NOT_ALARMED", None,
        Text("fix the gaps of the metric filters that match its events (listed with it)"), R::None;
    /// `kmswatch scan` could not enter the account (AssumeRole failed, the
    /// account could not be identified, or its deadline passed first).
    AccountNotEntered = "ACCOUNT_NOT_ENTERED", Some(Error),
        Text("let the scanning principal assume the role (its trust policy must name the caller, and the external ID when one is given), or exclude the account"), R::Unknown;
}

impl GapCode {
    /// The stable string, e.g. `TRAIL_NOT_LOGGING` or `PATTERN_MISSES:DisableKey`.
    pub fn as_string(self) -> String {
        match self {
            GapCode::PatternMisses(e) | GapCode::NotAlarmed(e) => {
                format!("{}:{}", self.info().code, e.event_name())
            }
            _ => self.info().code.to_owned(),
        }
    }

    /// The code for a stable string.
    pub fn parse(text: &str) -> Option<Self> {
        if let Some((kind, event)) = text.split_once(':') {
            let event = TargetEvent::from_event_name(event)?;
            return match kind {
                "PATTERN_MISSES" => Some(GapCode::PatternMisses(event)),
                "NOT_ALARMED" => Some(GapCode::NotAlarmed(event)),
                _ => None,
            };
        }
        Self::SIMPLE.iter().copied().find(|c| c.info().code == text)
    }

    /// What remediation can do about it.
    pub fn remedy(self) -> Remedy {
        self.info().remedy
    }

    /// The fix text, with the template's `{key}` placeholders filled from `args`.
    ///
    /// # Panics
    ///
    /// Never: a code whose fix depends on the cause returns an empty string,
    /// which the unknown-fact rule replaces.
    pub fn fix(self, args: &[(&str, &str)]) -> String {
        match self.info().fix {
            Fix::Text(t) => t.to_owned(),
            Fix::Template(t) => args.iter().fold(t.to_owned(), |text, (key, value)| {
                text.replace(&format!("{{{key}}}"), value)
            }),
            Fix::FromCause => String::new(),
        }
    }
}

impl fmt::Display for GapCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.as_string())
    }
}

impl Serialize for GapCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.as_string())
    }
}

impl<'de> Deserialize<'de> for GapCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        GapCode::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown gap code {text:?}")))
    }
}

/// The schema of what [`GapCode`]'s hand-written serde impls write and read:
/// one of the stable strings.
#[cfg(feature = "schema")]
impl schemars::JsonSchema for GapCode {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "GapCode".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let codes: Vec<String> = GapCode::SIMPLE
            .iter()
            .copied()
            .chain(
                TargetEvent::ALL
                    .into_iter()
                    .flat_map(|e| [GapCode::PatternMisses(e), GapCode::NotAlarmed(e)]),
            )
            .map(|code| code.as_string())
            .collect();
        schemars::json_schema!({
            "description": "A gap: its stable code.",
            "type": "string",
            "enum": codes,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_round_trips_through_its_string() {
        let all = GapCode::SIMPLE.iter().copied().chain(
            TargetEvent::ALL
                .into_iter()
                .flat_map(|e| [GapCode::PatternMisses(e), GapCode::NotAlarmed(e)]),
        );
        for code in all {
            assert_eq!(GapCode::parse(&code.as_string()), Some(code), "{code}");
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(serde_json::from_str::<GapCode>(&json).unwrap(), code);
        }
        assert_eq!(GapCode::parse("PATTERN_MISSES:Decrypt"), None);
        assert_eq!(GapCode::parse("NO_SUCH_CODE"), None);
    }

    #[test]
    fn templates_are_filled() {
        let fix = GapCode::TrailNotLogging.fix(&[("arn", "arn:t"), ("region", "eu-west-1")]);
        assert_eq!(
            fix,
            "aws cloudtrail start-logging --name arn:t --region eu-west-1"
        );
    }
}

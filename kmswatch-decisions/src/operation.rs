//! The AWS operations kmswatch calls, as typed values. Errors and facts name
//! them; the string is AWS's operation name, used only when printed.

use serde::{Deserialize, Serialize};
use std::fmt;

/// What an operation does to the account, which decides the IAM policy that
/// lists its action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Access {
    /// Needs no permission (STS `GetCallerIdentity`).
    Unrestricted,
    /// Reads: in the check policy and the remediate policy.
    Read,
    /// Reads only the check makes (EventBridge monitoring beside the chain,
    /// which remediation does not plan): in the check policy only.
    CheckRead,
    /// Writes: in the remediate policy only.
    Write,
    /// Sends findings out of the account under check (`--send-to-security-hub`):
    /// in the security-hub policy only.
    Export,
    /// The writes of `kmswatch respond --apply` (undoing a key's disabling or
    /// scheduled deletion): in the respond policy only.
    Respond,
    /// What the principal running `kmswatch scan` needs to reach the accounts
    /// (list the organization, assume a role in each): in the scan policy only.
    Reach,
}

macro_rules! operations {
    ($( $(#[$doc:meta])* $variant:ident => $service:literal, $access:ident ),* $(,)?) => {
        /// An AWS API operation kmswatch makes.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        pub enum Operation {
            $( $(#[$doc])* $variant, )*
        }

        impl Operation {
            /// Every operation.
            pub const ALL: &'static [Operation] = &[$(Operation::$variant,)*];

            /// AWS's name for it, e.g. `GetTrailStatus`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( Operation::$variant => stringify!($variant), )*
                }
            }

            /// The IAM service prefix of its action, e.g. `cloudtrail`.
            pub fn service(self) -> &'static str {
                match self {
                    $( Operation::$variant => $service, )*
                }
            }

            /// Whether it reads or writes.
            pub fn access(self) -> Access {
                match self {
                    $( Operation::$variant => Access::$access, )*
                }
            }
        }
    };
}

operations! {
    /// STS `GetCallerIdentity`.
    GetCallerIdentity => "sts", Unrestricted,
    /// CloudTrail `DescribeTrails`.
    DescribeTrails => "cloudtrail", Read,
    /// CloudTrail `GetTrailStatus`.
    GetTrailStatus => "cloudtrail", Read,
    /// CloudTrail `GetEventSelectors`.
    GetEventSelectors => "cloudtrail", Read,
    /// CloudWatch Logs `DescribeLogGroups`.
    DescribeLogGroups => "logs", Read,
    /// CloudWatch Logs `DescribeMetricFilters`.
    DescribeMetricFilters => "logs", Read,
    /// CloudWatch Logs `PutMetricFilter`.
    PutMetricFilter => "logs", Write,
    /// CloudWatch `DescribeAlarms`.
    DescribeAlarms => "cloudwatch", Read,
    /// CloudWatch `PutMetricAlarm`.
    PutMetricAlarm => "cloudwatch", Write,
    /// SNS `GetTopicAttributes`.
    GetTopicAttributes => "sns", Read,
    /// SNS `ListSubscriptionsByTopic`.
    ListSubscriptionsByTopic => "sns", Read,
    /// SNS `CreateTopic`.
    CreateTopic => "sns", Write,
    /// SNS `Subscribe`.
    Subscribe => "sns", Write,
    /// SNS `SetTopicAttributes`.
    SetTopicAttributes => "sns", Write,
    /// SNS `GetSubscriptionAttributes`.
    GetSubscriptionAttributes => "sns", Read,
    /// KMS `DescribeKey`.
    DescribeKey => "kms", Read,
    /// KMS `GetKeyPolicy`.
    GetKeyPolicy => "kms", Read,
    /// EventBridge `ListRules`.
    ListRules => "events", Read,
    /// EventBridge `ListTargetsByRule`.
    ListTargetsByRule => "events", Read,
    /// Security Hub `BatchImportFindings`.
    BatchImportFindings => "securityhub", Export,
    /// KMS `ListKeys`.
    ListKeys => "kms", Read,
    /// KMS `ListAliases`.
    ListAliases => "kms", CheckRead,
    /// CloudTrail `LookupEvents` (event history).
    LookupEvents => "cloudtrail", CheckRead,
    /// KMS `CancelKeyDeletion`.
    CancelKeyDeletion => "kms", Respond,
    /// KMS `EnableKey`.
    EnableKey => "kms", Respond,
    /// Organizations `ListAccounts`.
    ListAccounts => "organizations", Reach,
    /// STS `AssumeRole`.
    AssumeRole => "sts", Reach,
    /// CloudWatch `DescribeAlarmsForMetric`.
    DescribeAlarmsForMetric => "cloudwatch", Read,
    /// EventBridge `PutRule` (`remediate --via eventbridge`).
    PutRule => "events", Write,
    /// EventBridge `PutTargets` (`remediate --via eventbridge`).
    PutTargets => "events", Write,
}

impl Operation {
    /// The IAM action, e.g. `cloudtrail:GetTrailStatus`.
    pub fn iam_action(self) -> String {
        format!("{}:{}", self.service(), self.as_str())
    }

    /// The operation AWS calls `name`.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|o| o.as_str() == name)
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_serialize_as_aws_names() {
        for op in Operation::ALL {
            assert_eq!(Operation::from_name(op.as_str()), Some(*op));
            assert_eq!(
                serde_json::to_string(op).unwrap(),
                format!("\"{}\"", op.as_str())
            );
        }
        assert_eq!(
            Operation::DescribeAlarms.iam_action(),
            "cloudwatch:DescribeAlarms"
        );
        assert_eq!(Operation::from_name("DeleteTrail"), None);
    }
}

//! The AWS operations kmswatch calls, as typed values. Errors and facts name
//! them; the string is AWS's operation name, used only when printed.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! operations {
    ($( $(#[$doc:meta])* $variant:ident => $service:literal ),* $(,)?) => {
        /// An AWS API operation kmswatch makes.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
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
        }
    };
}

operations! {
    /// STS `GetCallerIdentity`.
    GetCallerIdentity => "sts",
    /// CloudTrail `DescribeTrails`.
    DescribeTrails => "cloudtrail",
    /// CloudTrail `GetTrailStatus`.
    GetTrailStatus => "cloudtrail",
    /// CloudTrail `GetEventSelectors`.
    GetEventSelectors => "cloudtrail",
    /// CloudWatch Logs `DescribeLogGroups`.
    DescribeLogGroups => "logs",
    /// CloudWatch Logs `DescribeMetricFilters`.
    DescribeMetricFilters => "logs",
    /// CloudWatch Logs `PutMetricFilter`.
    PutMetricFilter => "logs",
    /// CloudWatch `DescribeAlarms`.
    DescribeAlarms => "cloudwatch",
    /// CloudWatch `PutMetricAlarm`.
    PutMetricAlarm => "cloudwatch",
    /// SNS `GetTopicAttributes`.
    GetTopicAttributes => "sns",
    /// SNS `ListSubscriptionsByTopic`.
    ListSubscriptionsByTopic => "sns",
    /// SNS `CreateTopic`.
    CreateTopic => "sns",
    /// SNS `Subscribe`.
    Subscribe => "sns",
    /// SNS `SetTopicAttributes`.
    SetTopicAttributes => "sns",
    /// SNS `GetSubscriptionAttributes`.
    GetSubscriptionAttributes => "sns",
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

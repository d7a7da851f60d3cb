//! CloudWatch composite alarms: `DescribeAlarms` with `AlarmTypes`
//! `CompositeAlarm`.

use super::error::{required, Missing};
use super::AwsBackend;
use crate::api::{ApiResult, COMPOSITE_ALARMS};
use crate::model::CompositeAlarm;
use crate::operation::Operation;
use aws_sdk_cloudwatch::types as sdk;

/// The largest `DescribeAlarms` page AWS serves.
const PAGE_SIZE: i32 = 100;

impl AwsBackend {
    /// Every composite alarm of `region`, one request per 100 alarms.
    pub(crate) async fn composite_alarms(&self, region: &str) -> ApiResult<Vec<CompositeAlarm>> {
        let (client, call) = self.call(
            &self.cloudwatch,
            Operation::DescribeAlarms,
            region,
            Some(COMPOSITE_ALARMS),
        )?;
        let mut pages = client
            .describe_alarms()
            .alarm_types(sdk::AlarmType::CompositeAlarm)
            .max_records(PAGE_SIZE)
            .into_paginator()
            .send();
        let mut alarms = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| call.sdk_error(e))?;
            for alarm in page.composite_alarms.unwrap_or_default() {
                alarms.push(composite_alarm_from_sdk(alarm).map_err(|m| call.malformed(m))?);
            }
        }
        Ok(alarms)
    }
}

/// A composite alarm from `DescribeAlarms`; a missing rule is malformed, a
/// missing `ActionsEnabled` unknown.
pub(crate) fn composite_alarm_from_sdk(
    alarm: sdk::CompositeAlarm,
) -> Result<CompositeAlarm, Missing> {
    Ok(CompositeAlarm {
        alarm_name: required(alarm.alarm_name, "AlarmName")?,
        alarm_arn: required(alarm.alarm_arn, "AlarmArn")?,
        actions_enabled: alarm.actions_enabled,
        alarm_actions: alarm.alarm_actions.unwrap_or_default(),
        alarm_rule: required(alarm.alarm_rule, "AlarmRule")?,
        actions_suppressor: alarm.actions_suppressor.filter(|s| !s.is_empty()),
        alarm_description: alarm.alarm_description.filter(|d| !d.is_empty()),
        state_value: alarm.state_value.map(|s| s.as_str().to_owned()),
        state_updated_timestamp: alarm
            .state_updated_timestamp
            .and_then(super::alarms::rfc3339),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn composite_alarms_need_a_rule() {
        let arn = "arn:aws:cloudwatch:us-east-1:111122223333:alarm:c";
        let full = sdk::CompositeAlarm::builder()
            .alarm_name("c")
            .alarm_arn(arn)
            .actions_enabled(true)
            .alarm_actions("arn:aws:sns:us-east-1:111122223333:t")
            .alarm_rule("ALARM(kms)")
            .actions_suppressor("")
            .state_value(sdk::StateValue::Ok)
            .build();
        let alarm = composite_alarm_from_sdk(full).unwrap();
        assert_eq!(alarm.alarm_rule, "ALARM(kms)");
        assert_eq!(alarm.actions_enabled, Some(true));
        assert_eq!(alarm.actions_suppressor, None);
        assert_eq!(alarm.state_value.as_deref(), Some("OK"));
        let ruleless = sdk::CompositeAlarm::builder()
            .alarm_name("c")
            .alarm_arn(arn)
            .build();
        assert_eq!(
            composite_alarm_from_sdk(ruleless),
            Err(Missing("AlarmRule"))
        );
    }
}

//! CloudTrail: `DescribeTrails`, `GetTrailStatus`, `GetEventSelectors`.

use super::error::{required, Missing};
use super::AwsBackend;
use crate::api::{ApiResult, TrailsApi};
use crate::model::{
    AdvancedEventSelector, Arn, EventSelector, EventSelectors, FieldSelector, ReadWriteType, Trail,
    TrailEvent, TrailStatus,
};
use crate::operation::Operation;
use async_trait::async_trait;
use aws_sdk_cloudtrail::operation::get_event_selectors::GetEventSelectorsOutput;
use aws_sdk_cloudtrail::operation::get_trail_status::GetTrailStatusOutput;
use aws_sdk_cloudtrail::primitives::{DateTime, DateTimeFormat};
use aws_sdk_cloudtrail::types as sdk;

#[async_trait]
impl TrailsApi for AwsBackend {
    /// One `DescribeTrails` request (it has no pages).
    async fn describe_trails(&self, region: &str) -> ApiResult<Vec<Trail>> {
        let (client, call) =
            self.call(&self.cloudtrail, Operation::DescribeTrails, region, None)?;
        let output = client
            .describe_trails()
            .include_shadow_trails(true)
            .send()
            .await
            .map_err(|e| call.sdk_error(e))?;
        output
            .trail_list
            .unwrap_or_default()
            .into_iter()
            .map(trail_from_sdk)
            .collect::<Result<_, _>>()
            .map_err(|m| call.malformed(m))
    }

    /// One `GetTrailStatus` request.
    async fn get_trail_status(&self, region: &str, trail_arn: &str) -> ApiResult<TrailStatus> {
        let (client, call) = self.call(
            &self.cloudtrail,
            Operation::GetTrailStatus,
            region,
            Some(trail_arn),
        )?;
        let output = client
            .get_trail_status()
            .name(trail_arn)
            .send()
            .await
            .map_err(|e| call.sdk_error(e))?;
        Ok(status_from_sdk(output))
    }

    /// `LookupEvents`, every page (see `event_history.rs`).
    async fn lookup_events(
        &self,
        region: &str,
        event_name: &str,
        start_time: &str,
        end_time: &str,
    ) -> ApiResult<Vec<TrailEvent>> {
        self.lookup_events_by_name(region, event_name, start_time, end_time)
            .await
    }

    /// One `GetEventSelectors` request.
    async fn get_event_selectors(
        &self,
        region: &str,
        trail_arn: &str,
    ) -> ApiResult<EventSelectors> {
        let (client, call) = self.call(
            &self.cloudtrail,
            Operation::GetEventSelectors,
            region,
            Some(trail_arn),
        )?;
        let output = client
            .get_event_selectors()
            .trail_name(trail_arn)
            .send()
            .await
            .map_err(|e| call.sdk_error(e))?;
        selectors_from_sdk(output).map_err(|m| call.malformed(m))
    }
}

/// A trail from `DescribeTrails`. A missing home region (older answers) is
/// read from the trail ARN.
pub(crate) fn trail_from_sdk(trail: sdk::Trail) -> Result<Trail, Missing> {
    let trail_arn = required(trail.trail_arn, "TrailARN")?;
    let home_region = match trail.home_region {
        Some(region) => region,
        None => required(Arn::parse(&trail_arn), "HomeRegion")?
            .region
            .to_owned(),
    };
    Ok(Trail {
        name: required(trail.name, "Name")?,
        trail_arn,
        home_region,
        is_multi_region_trail: trail.is_multi_region_trail.unwrap_or(false),
        is_organization_trail: trail.is_organization_trail.unwrap_or(false),
        cloud_watch_logs_log_group_arn: trail.cloud_watch_logs_log_group_arn,
        cloud_watch_logs_role_arn: trail.cloud_watch_logs_role_arn,
        has_custom_event_selectors: trail.has_custom_event_selectors.unwrap_or(false),
    })
}

fn rfc3339(time: Option<DateTime>) -> Option<String> {
    time.and_then(|t| t.fmt(DateTimeFormat::DateTime).ok())
}

/// The parts of `GetTrailStatus` the decision uses; an empty delivery error
/// counts as none.
pub(crate) fn status_from_sdk(status: GetTrailStatusOutput) -> TrailStatus {
    TrailStatus {
        is_logging: status.is_logging.unwrap_or(false),
        latest_cloud_watch_logs_delivery_error: status
            .latest_cloud_watch_logs_delivery_error
            .filter(|e| !e.is_empty()),
        latest_cloud_watch_logs_delivery_time: rfc3339(
            status.latest_cloud_watch_logs_delivery_time,
        ),
    }
}

/// `GetEventSelectors`. A classic selector without `ReadWriteType` or
/// `IncludeManagementEvents` (AWS always returns both), or with an unknown
/// `ReadWriteType`, is malformed rather than a guess.
pub(crate) fn selectors_from_sdk(
    output: GetEventSelectorsOutput,
) -> Result<EventSelectors, Missing> {
    let event_selectors = output
        .event_selectors
        .unwrap_or_default()
        .into_iter()
        .map(|selector| {
            let read_write_type = match selector.read_write_type {
                None => return Err(Missing("ReadWriteType")),
                Some(sdk::ReadWriteType::All) => ReadWriteType::All,
                Some(sdk::ReadWriteType::ReadOnly) => ReadWriteType::ReadOnly,
                Some(sdk::ReadWriteType::WriteOnly) => ReadWriteType::WriteOnly,
                Some(_) => return Err(Missing("known ReadWriteType")),
            };
            Ok(EventSelector {
                read_write_type,
                include_management_events: required(
                    selector.include_management_events,
                    "IncludeManagementEvents",
                )?,
                exclude_management_event_sources: selector
                    .exclude_management_event_sources
                    .unwrap_or_default(),
            })
        })
        .collect::<Result<_, _>>()?;
    let advanced_event_selectors = output
        .advanced_event_selectors
        .unwrap_or_default()
        .into_iter()
        .map(|selector| AdvancedEventSelector {
            name: selector.name,
            field_selectors: selector
                .field_selectors
                .into_iter()
                .map(|f| FieldSelector {
                    field: f.field,
                    equals: f.equals.unwrap_or_default(),
                    not_equals: f.not_equals.unwrap_or_default(),
                    starts_with: f.starts_with.unwrap_or_default(),
                    not_starts_with: f.not_starts_with.unwrap_or_default(),
                    ends_with: f.ends_with.unwrap_or_default(),
                    not_ends_with: f.not_ends_with.unwrap_or_default(),
                })
                .collect(),
        })
        .collect();
    Ok(EventSelectors {
        event_selectors,
        advanced_event_selectors,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARN: &str = "arn:aws:cloudtrail:us-east-1:111122223333:trail/org";

    #[test]
    fn trails() {
        let sdk_trail = sdk::Trail::builder()
            .name("org")
            .trail_arn(ARN)
            .home_region("us-east-1")
            .is_multi_region_trail(true)
            .cloud_watch_logs_log_group_arn("arn:aws:logs:us-east-1:111122223333:log-group:ct:*")
            .cloud_watch_logs_role_arn("arn:aws:iam::111122223333:role/ct")
            .has_custom_event_selectors(true)
            .build();
        assert_eq!(
            trail_from_sdk(sdk_trail).unwrap(),
            Trail {
                name: "org".into(),
                trail_arn: ARN.into(),
                home_region: "us-east-1".into(),
                is_multi_region_trail: true,
                is_organization_trail: false,
                cloud_watch_logs_log_group_arn: Some(
                    "arn:aws:logs:us-east-1:111122223333:log-group:ct:*".into()
                ),
                cloud_watch_logs_role_arn: Some("arn:aws:iam::111122223333:role/ct".into()),
                has_custom_event_selectors: true,
            }
        );
        let bare = sdk::Trail::builder().name("org").trail_arn(ARN).build();
        let trail = trail_from_sdk(bare).unwrap();
        assert_eq!(trail.home_region, "us-east-1");
        assert!(!trail.is_multi_region_trail);
        let nameless = sdk::Trail::builder().trail_arn(ARN).build();
        assert_eq!(trail_from_sdk(nameless), Err(Missing("Name")));
        assert_eq!(
            trail_from_sdk(sdk::Trail::builder().name("x").build()),
            Err(Missing("TrailARN"))
        );
    }

    #[test]
    fn status() {
        let output = GetTrailStatusOutput::builder()
            .is_logging(true)
            .latest_cloud_watch_logs_delivery_error("")
            .latest_cloud_watch_logs_delivery_time(DateTime::from_secs(1_700_000_000))
            .build();
        assert_eq!(
            status_from_sdk(output),
            TrailStatus {
                is_logging: true,
                latest_cloud_watch_logs_delivery_error: None,
                latest_cloud_watch_logs_delivery_time: Some("2023-11-14T22:13:20Z".into()),
            }
        );
        let output = GetTrailStatusOutput::builder()
            .latest_cloud_watch_logs_delivery_error("AccessDenied")
            .build();
        let status = status_from_sdk(output);
        assert!(!status.is_logging);
        assert_eq!(
            status.latest_cloud_watch_logs_delivery_error.as_deref(),
            Some("AccessDenied")
        );
    }

    #[test]
    fn selectors() {
        let output = GetEventSelectorsOutput::builder()
            .event_selectors(
                sdk::EventSelector::builder()
                    .read_write_type(sdk::ReadWriteType::WriteOnly)
                    .include_management_events(true)
                    .exclude_management_event_sources("kms.amazonaws.com")
                    .build(),
            )
            .build();
        assert_eq!(
            selectors_from_sdk(output).unwrap(),
            EventSelectors {
                event_selectors: vec![EventSelector {
                    read_write_type: ReadWriteType::WriteOnly,
                    include_management_events: true,
                    exclude_management_event_sources: vec!["kms.amazonaws.com".into()],
                },],
                advanced_event_selectors: vec![],
            }
        );
        // AWS always says what a classic selector records: unset is malformed.
        for partial in [
            sdk::EventSelector::builder().build(),
            sdk::EventSelector::builder()
                .read_write_type(sdk::ReadWriteType::All)
                .build(),
        ] {
            let output = GetEventSelectorsOutput::builder()
                .event_selectors(partial)
                .build();
            assert!(selectors_from_sdk(output).is_err());
        }

        let field = |name: &str| sdk::AdvancedFieldSelector::builder().field(name);
        let output = GetEventSelectorsOutput::builder()
            .advanced_event_selectors(
                sdk::AdvancedEventSelector::builder()
                    .name("management")
                    .field_selectors(field("eventCategory").equals("Management").build().unwrap())
                    .field_selectors(
                        field("eventSource")
                            .not_equals("kms.amazonaws.com")
                            .build()
                            .unwrap(),
                    )
                    .field_selectors(
                        field("eventName")
                            .starts_with("Disable")
                            .not_starts_with("Get")
                            .ends_with("Key")
                            .not_ends_with("s")
                            .build()
                            .unwrap(),
                    )
                    .build()
                    .unwrap(),
            )
            .build();
        let selectors = selectors_from_sdk(output).unwrap();
        assert!(selectors.event_selectors.is_empty());
        assert_eq!(
            selectors.advanced_event_selectors,
            vec![AdvancedEventSelector {
                name: Some("management".into()),
                field_selectors: vec![
                    FieldSelector {
                        field: "eventCategory".into(),
                        equals: vec!["Management".into()],
                        ..FieldSelector::default()
                    },
                    FieldSelector {
                        field: "eventSource".into(),
                        not_equals: vec!["kms.amazonaws.com".into()],
                        ..FieldSelector::default()
                    },
                    FieldSelector {
                        field: "eventName".into(),
                        starts_with: vec!["Disable".into()],
                        not_starts_with: vec!["Get".into()],
                        ends_with: vec!["Key".into()],
                        not_ends_with: vec!["s".into()],
                        ..FieldSelector::default()
                    },
                ],
            }]
        );

        let unknown = GetEventSelectorsOutput::builder()
            .event_selectors(
                sdk::EventSelector::builder()
                    .read_write_type(sdk::ReadWriteType::from("Sometimes"))
                    .build(),
            )
            .build();
        assert!(selectors_from_sdk(unknown).is_err());
    }
}

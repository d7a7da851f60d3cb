//! The CloudTrail behaviours.

use super::fixture::{account_of, unique_name, Fixture, TrailSpec};
use crate::api::ApiErrorKind;
use crate::model::{
    normalize_log_group_arn, AdvancedEventSelector, Arn, EventSelector, EventSelectors,
    FieldSelector, ReadWriteType, Trail,
};
use crate::operation::Operation;

fn trail_of<'a>(trails: &'a [Trail], arn: &str) -> Option<&'a Trail> {
    trails.iter().find(|t| t.trail_arn == arn)
}

/// A multi-region trail shows in `describe_trails` of its home region and of
/// another (as a shadow trail, with its home region); a single-region trail
/// only at home. Status and selectors are read in the home region.
pub async fn trails_round_trip(fixture: &dyn Fixture) {
    let account = account_of(fixture).await;
    let (home, other) = (fixture.region(), fixture.other_region());
    let trails = fixture.services().trails;
    let group_name = format!("/kmswatch/{}", unique_name("ct"));
    let group_arn = fixture.create_log_group(home, &group_name).await;
    let role = format!("arn:aws:iam::{account}:role/CloudTrail_CloudWatchLogs_Role");
    let classic = EventSelectors {
        event_selectors: vec![EventSelector {
            read_write_type: ReadWriteType::WriteOnly,
            include_management_events: true,
            exclude_management_event_sources: vec![],
        }],
        advanced_event_selectors: vec![],
    };
    let multi = TrailSpec {
        name: unique_name("multi"),
        home_region: home.to_owned(),
        is_multi_region_trail: true,
        cloud_watch_logs_log_group_arn: Some(format!("{group_arn}:*")),
        cloud_watch_logs_role_arn: Some(role.clone()),
        logging: true,
        event_selectors: Some(classic.clone()),
    };
    let advanced = EventSelectors {
        event_selectors: vec![],
        advanced_event_selectors: vec![AdvancedEventSelector {
            name: Some("Management events".into()),
            field_selectors: vec![FieldSelector {
                field: "eventCategory".into(),
                equals: vec!["Management".into()],
                ..FieldSelector::default()
            }],
        }],
    };
    let single = TrailSpec {
        name: unique_name("single"),
        is_multi_region_trail: false,
        cloud_watch_logs_log_group_arn: None,
        cloud_watch_logs_role_arn: None,
        logging: false,
        event_selectors: Some(advanced.clone()),
        ..multi.clone()
    };
    let multi_arn = fixture.create_trail(&multi).await;
    let single_arn = fixture.create_trail(&single).await;
    for spec in [&multi, &single] {
        let arn = if spec.is_multi_region_trail {
            &multi_arn
        } else {
            &single_arn
        };
        assert_eq!(
            *arn,
            format!("arn:aws:cloudtrail:{home}:{account}:trail/{}", spec.name)
        );
    }

    let custom = !fixture.deviations().has_custom_event_selectors_always_false;
    let at_home = trails
        .describe_trails(home)
        .await
        .expect("describe_trails at home");
    let found = trail_of(&at_home, &multi_arn).expect("the multi-region trail at home");
    assert_eq!(
        Trail {
            cloud_watch_logs_log_group_arn: found
                .cloud_watch_logs_log_group_arn
                .as_deref()
                .map(|a| normalize_log_group_arn(a).to_owned()),
            ..found.clone()
        },
        Trail {
            name: multi.name.clone(),
            trail_arn: multi_arn.clone(),
            home_region: home.to_owned(),
            is_multi_region_trail: true,
            is_organization_trail: false,
            cloud_watch_logs_log_group_arn: Some(group_arn.clone()),
            cloud_watch_logs_role_arn: Some(role),
            has_custom_event_selectors: custom,
        }
    );
    let found = trail_of(&at_home, &single_arn).expect("the single-region trail at home");
    assert!(!found.is_multi_region_trail);
    assert_eq!(found.cloud_watch_logs_log_group_arn, None);
    assert_eq!(found.has_custom_event_selectors, custom);

    let away = trails
        .describe_trails(other)
        .await
        .expect("describe_trails elsewhere");
    let shadow = trail_of(&away, &multi_arn).expect("the multi-region trail's shadow");
    assert_eq!(
        shadow.home_region, home,
        "a shadow trail names its home region"
    );
    assert_eq!(
        trail_of(&away, &single_arn),
        None,
        "a single-region trail stays home"
    );

    let status = trails
        .get_trail_status(home, &multi_arn)
        .await
        .expect("status");
    assert!(status.is_logging);
    let status = trails
        .get_trail_status(home, &single_arn)
        .await
        .expect("status");
    assert!(!status.is_logging);
    assert_eq!(
        trails
            .get_event_selectors(home, &multi_arn)
            .await
            .expect("selectors"),
        classic
    );
    assert_eq!(
        trails
            .get_event_selectors(home, &single_arn)
            .await
            .expect("selectors"),
        advanced
    );
}

/// A trail without custom selectors reports AWS's default selector.
pub async fn trail_default_event_selectors(fixture: &dyn Fixture) {
    let spec = TrailSpec {
        name: unique_name("plain"),
        home_region: fixture.other_region().to_owned(),
        is_multi_region_trail: false,
        cloud_watch_logs_log_group_arn: None,
        cloud_watch_logs_role_arn: None,
        logging: true,
        event_selectors: None,
    };
    let arn = fixture.create_trail(&spec).await;
    let trails = fixture.services().trails;
    let listed = trails
        .describe_trails(&spec.home_region)
        .await
        .expect("describe_trails");
    let trail = trail_of(&listed, &arn).expect("the trail");
    assert!(!trail.has_custom_event_selectors);
    let selectors = trails
        .get_event_selectors(&spec.home_region, &arn)
        .await
        .expect("get_event_selectors");
    let expected = if fixture.deviations().no_default_event_selectors {
        EventSelectors::default()
    } else {
        EventSelectors {
            event_selectors: vec![EventSelector {
                read_write_type: ReadWriteType::All,
                include_management_events: true,
                exclude_management_event_sources: vec![],
            }],
            advanced_event_selectors: vec![],
        }
    };
    assert_eq!(selectors, expected);
}

/// Status and selectors of a trail that does not exist fail as `NotFound`,
/// naming the trail.
pub async fn missing_trail_is_not_found(fixture: &dyn Fixture) {
    let account = account_of(fixture).await;
    let region = fixture.region();
    let arn = format!(
        "arn:aws:cloudtrail:{region}:{account}:trail/{}",
        unique_name("gone")
    );
    let trails = fixture.services().trails;
    let err = trails
        .get_trail_status(region, &arn)
        .await
        .expect_err("no such trail");
    assert_eq!(err.kind, ApiErrorKind::NotFound, "{err}");
    assert_eq!(err.resource.as_deref(), Some(arn.as_str()));
    assert_eq!(err.operation, Operation::GetTrailStatus);
    let err = trails
        .get_event_selectors(region, &arn)
        .await
        .expect_err("no such trail");
    assert_eq!(err.kind, ApiErrorKind::NotFound, "{err}");
    assert_eq!(Arn::parse(&arn).map(|a| a.region), Some(region));
}

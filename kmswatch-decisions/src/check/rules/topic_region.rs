//! Where a topic is: a CloudWatch alarm notifies SNS topics of its own region,
//! and a topic's attributes must describe the topic that was asked for.

use crate::check::facts::TopicFacts;
use crate::check::gap::Gap;
use crate::check::gap_code::GapCode;
use crate::model::Arn;

/// The gaps of `topic`'s location for the alarm `alarm_arn`: a topic in another
/// region than the alarm, or attributes that answer for another topic than the
/// ARN read.
pub fn topic_region_gaps(alarm_arn: &str, topic: &TopicFacts) -> Vec<Gap> {
    let arn = topic.topic_arn.as_str();
    let region = |a: &str| Arn::parse(a).map(|p| p.region.to_owned());
    let mut gaps = Vec::new();
    if let Some(answered) = topic.attributes.as_ref().map(|a| a.topic_arn.as_str()) {
        if answered != arn {
            gaps.push(Gap::of(
                GapCode::TopicArnMismatch,
                Some(arn),
                format!(
                    "the topic's attributes were read for {arn} but describe {answered}{}, so what was read is not this topic",
                    match (region(arn), region(answered)) {
                        (Some(a), Some(b)) if a != b => format!(" (region {b}, not {a})"),
                        _ => String::new(),
                    }
                ),
                &[],
            ));
        }
    }
    if let (Some(alarm_region), Some(topic_region)) = (region(alarm_arn), region(arn)) {
        if alarm_region != topic_region {
            gaps.push(Gap::of(
                GapCode::TopicInOtherRegion,
                Some(arn),
                format!(
                    "the alarm is in {alarm_region} but the topic is in {topic_region}: CloudWatch alarms notify SNS topics of their own region"
                ),
                &[],
            ));
        }
    }
    gaps
}

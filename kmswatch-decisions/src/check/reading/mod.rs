//! What the gather (`kmswatch_core::check::gather`) asks the rules before it
//! reads more: whether an alarm watches a metric, which bodies a topic
//! delivers, which topic, key or EventBridge rule is worth a call. The
//! gather reads only what can change the verdict, so it consults the same
//! rules the verdict is made of.

pub use super::rules::eventbridge_events::{delivered_bodies, worth_reading};
pub use super::rules::subscription::{delivery, notification_bodies, Delivery, Notifier};
pub use super::rules::topic::assess_topic;
pub use super::rules::topic_access::{key_to_read, names_aws_managed_key};

mod next;

pub use next::{
    alarms_on, catches_any_target, delivered_groups, follows, keep, own_log_group_regions,
    published_metrics, region_entry, served, unsettled_regions,
};

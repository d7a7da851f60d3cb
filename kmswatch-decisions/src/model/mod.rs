//! The AWS resources kmswatch reasons about, as plain data, one file per
//! service.
//!
//! Field names follow the AWS APIs (in snake_case) so a snapshot reads like the
//! AWS CLI output it came from. Every backend converts to and from these types.

mod alarms;
mod arn;
mod events;
mod keys;
mod logs;
mod topics;
mod trails;

pub use alarms::{Alarm, CompositeAlarm, Metric, MetricDataQuery, MetricStat};
pub use arn::{normalize_log_group_arn, partition_of_region, Arn};
pub use events::{EventRule, EventRuleSpec, RuleTarget, DEFAULT_EVENT_BUS};
pub use keys::{Alias, Key};
pub use logs::{LogGroup, MetricFilter, MetricTransformation};
pub use topics::{Subscription, SubscriptionAttributes, TopicAttributes};
pub use trails::{
    AdvancedEventSelector, EventSelector, EventSelectors, FieldSelector, ReadWriteType, Trail,
    TrailEvent, TrailStatus,
};

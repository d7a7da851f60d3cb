//! What applying a plan reads and yields, as data: the [`scope`] of the
//! facts a plan is made from, and [`Applied`], what applying did. The writes
//! themselves are made by `kmswatch-core` (`remediate::apply`).

use super::executed::Executed;
use super::options::{RemediateOptions, CONTROL_NAME_PREFIX};
use super::via::Via;
use crate::check::{Facts, Report, Scope};

/// What applying a plan (`kmswatch_decisions::remediate::apply`) did and the verdict afterwards.
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    /// The actions executed, in order.
    pub executed: Vec<Executed>,
    /// The facts gathered after applying.
    pub facts_after: Facts,
    /// The verdict after applying.
    pub report_after: Report,
}

/// What [`super::plan()`] needs to read: the facts `check` gathers (alarms
/// by metric, regions listed whole only where no alarm found completes the
/// chain), plus the alarms named `--alarm-name…` in the log groups' regions
/// (whether the name is taken: `DescribeAlarms` with `AlarmNamePrefix`, not
/// every alarm), the topics the options name (the `--topic-arn` one and
/// kmswatch's own), and the `--kms-key` key.
///
/// With [`RemediateOptions::controls`], also the alarms named `kmswatch-…`
/// (each control's) and the alarms of every control's filters.
pub fn scope(options: &RemediateOptions) -> Scope {
    let controls = options
        .selected_controls()
        .unwrap_or_else(|_| vec![&crate::controls::KMS]);
    let others = controls.iter().any(|c| !c.is_kms());
    Scope {
        alarm_name_prefix: Some(options.alarm_name.clone()),
        alarm_name_prefixes: others
            .then(|| CONTROL_NAME_PREFIX.to_owned())
            .into_iter()
            .collect(),
        controls,
        own_topic_name: Some(options.topic_name.clone()),
        topics: options.topic_arn.iter().cloned().collect(),
        keys: options.kms_key.iter().cloned().collect(),
        // The metric-filter plan does not build on EventBridge rules.
        eventbridge: options.via == Via::Eventbridge,
        ..Scope::check()
    }
}

//! An [`Account`] from a snapshot and back: every fact a snapshot holds has
//! its place in the account, so `to_facts(from_facts(facts)) == facts`.

use super::state::{
    Account, AlarmRegion, EventBus, Existence, KeyEntry, LogGroupRecord, MetricAlarms, RuleRecord,
    TopicRecord, TrailRecord,
};
use kmswatch_decisions::check::facts::{
    EventRuleFacts, Facts, KeyFacts, LogGroupFacts, RegionAlarms, RegionEventRules, TopicFacts,
    TrailFacts, FACTS_SCHEMA,
};

impl Account {
    /// The account a snapshot describes (its event history empty).
    pub fn from_facts(facts: Facts) -> Self {
        Account {
            id: facts.account_id,
            home_region: facts.region,
            captured_at: facts.captured_at,
            trails: facts.trails.into_iter().map(trail).collect(),
            log_groups: facts.log_groups.into_iter().map(log_group).collect(),
            alarms: facts.alarms.into_iter().map(alarm_region).collect(),
            topics: facts.topics.into_iter().map(topic).collect(),
            keys: facts.keys.into_iter().map(key).collect(),
            event_buses: facts.event_rules.into_iter().map(event_bus).collect(),
            key_regions: facts.key_regions,
            recorded_errors: facts.errors,
            history: Vec::new(),
            linked: facts.linked,
        }
    }

    /// The account as a snapshot.
    pub fn to_facts(&self) -> Facts {
        Facts {
            schema: FACTS_SCHEMA.to_owned(),
            account_id: self.id.clone(),
            region: self.home_region.clone(),
            captured_at: self.captured_at.clone(),
            trails: self.trails.iter().map(trail_facts).collect(),
            log_groups: self.log_groups.iter().map(log_group_facts).collect(),
            alarms: self.alarms.iter().map(region_alarms).collect(),
            topics: self.topics.iter().map(topic_facts).collect(),
            keys: self.keys.iter().map(key_facts).collect(),
            event_rules: self.event_buses.iter().map(region_event_rules).collect(),
            key_regions: self.key_regions.clone(),
            errors: self.recorded_errors.clone(),
            linked: self.linked.clone(),
        }
    }
}

impl Existence {
    fn from_fact(exists: Option<bool>) -> Self {
        match exists {
            Some(true) => Existence::Exists,
            Some(false) => Existence::Absent,
            None => Existence::Unknown,
        }
    }

    fn fact(self) -> Option<bool> {
        match self {
            Existence::Exists => Some(true),
            Existence::Absent => Some(false),
            Existence::Unknown => None,
        }
    }
}

fn trail(facts: TrailFacts) -> TrailRecord {
    TrailRecord {
        trail: facts.trail,
        status: facts.status,
        selectors: facts.event_selectors,
    }
}

fn trail_facts(record: &TrailRecord) -> TrailFacts {
    TrailFacts {
        trail: record.trail.clone(),
        status: record.status.clone(),
        event_selectors: record.selectors.clone(),
    }
}

fn log_group(facts: LogGroupFacts) -> LogGroupRecord {
    LogGroupRecord {
        arn: facts.arn,
        existence: Existence::from_fact(facts.exists),
        filters: facts.metric_filters,
    }
}

fn log_group_facts(record: &LogGroupRecord) -> LogGroupFacts {
    LogGroupFacts {
        arn: record.arn.clone(),
        exists: record.existence.fact(),
        metric_filters: record.filters.clone(),
    }
}

fn alarm_region(facts: RegionAlarms) -> AlarmRegion {
    let metric_alarms = match (facts.alarms, facts.by_metric) {
        (None, None) => MetricAlarms::NotRead,
        (Some(alarms), None) => MetricAlarms::Listed(alarms),
        (alarms, Some(metrics)) => MetricAlarms::ByMetric {
            metrics,
            alarms,
            name_prefixes: facts.by_name_prefix,
        },
    };
    AlarmRegion {
        region: facts.region,
        metric_alarms,
        composites: facts.composite_alarms,
    }
}

fn region_alarms(record: &AlarmRegion) -> RegionAlarms {
    let (by_metric, by_name_prefix) = match &record.metric_alarms {
        MetricAlarms::ByMetric {
            metrics,
            name_prefixes,
            ..
        } => (Some(metrics.clone()), name_prefixes.clone()),
        MetricAlarms::NotRead | MetricAlarms::Listed(_) => (None, None),
    };
    RegionAlarms {
        region: record.region.clone(),
        alarms: record.metric_alarms.known().cloned(),
        composite_alarms: record.composites.clone(),
        by_metric,
        by_name_prefix,
    }
}

fn topic(facts: TopicFacts) -> TopicRecord {
    TopicRecord {
        arn: facts.topic_arn,
        existence: Existence::from_fact(facts.exists),
        attributes: facts.attributes,
        subscriptions: facts.subscriptions,
        subscription_attributes: facts.subscription_attributes,
    }
}

fn topic_facts(record: &TopicRecord) -> TopicFacts {
    TopicFacts {
        topic_arn: record.arn.clone(),
        exists: record.existence.fact(),
        attributes: record.attributes.clone(),
        subscriptions: record.subscriptions.clone(),
        subscription_attributes: record.subscription_attributes.clone(),
    }
}

/// A key entry from the facts of a key as it was named.
pub(super) fn key(facts: KeyFacts) -> KeyEntry {
    KeyEntry {
        name: facts.key_id,
        region: facts.region,
        existence: Existence::from_fact(facts.exists),
        key: facts.key,
        policy: facts.policy,
    }
}

fn key_facts(entry: &KeyEntry) -> KeyFacts {
    KeyFacts {
        key_id: entry.name.clone(),
        region: entry.region.clone(),
        exists: entry.existence.fact(),
        key: entry.key.clone(),
        policy: entry.policy.clone(),
    }
}

fn event_bus(facts: RegionEventRules) -> EventBus {
    let rule = |r: EventRuleFacts| RuleRecord {
        rule: r.rule,
        targets: r.targets,
    };
    EventBus {
        region: facts.region,
        rules: facts
            .rules
            .map(|rules| rules.into_iter().map(rule).collect()),
    }
}

fn region_event_rules(bus: &EventBus) -> RegionEventRules {
    let rule = |r: &RuleRecord| EventRuleFacts {
        rule: r.rule.clone(),
        targets: r.targets.clone(),
    };
    RegionEventRules {
        region: bus.region.clone(),
        rules: bus
            .rules
            .as_ref()
            .map(|rules| rules.iter().map(rule).collect()),
    }
}

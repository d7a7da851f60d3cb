//! Routine traffic: a metric is *noisy* when a filter publishing to it matches
//! everyday records (KMS `Decrypt` by S3, STS `AssumeRole`...). Such a metric is
//! above zero in every period, so an alarm that fires on one KMS event is always
//! in ALARM and a `DisableKey` changes nothing.

use crate::corpus::{self, CorpusEvent};
use crate::model::{Metric, MetricFilter};
use crate::pattern::FilterPattern;

/// The routine records a metric receives, and from which filters.
#[derive(Debug, Clone)]
pub struct Noise {
    /// The metric.
    pub metric: Metric,
    /// `(filter name, corpus record)` pairs: each filter publishing to the
    /// metric and a routine record it matches.
    pub sources: Vec<(String, &'static CorpusEvent)>,
}

impl Noise {
    /// The distinct event names, e.g. `Decrypt, GenerateDataKey`.
    pub fn event_names(&self) -> Vec<&'static str> {
        let mut names: Vec<&str> = self
            .sources
            .iter()
            .map(|(_, e)| e.event_name.as_str())
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    }

    /// The filters that bring the noise.
    pub fn filters(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.sources.iter().map(|(f, _)| f.as_str()).collect();
        names.dedup();
        names
    }
}

/// The routine records `filter`'s pattern matches in `account_id`'s trail
/// ([`CorpusEvent::line_in`]; none when it does not parse: that filter's own
/// gap says its meaning is unknown).
pub fn routine_matches(filter: &MetricFilter, account_id: &str) -> Vec<&'static CorpusEvent> {
    match FilterPattern::parse(&filter.filter_pattern) {
        Ok(pattern) => corpus::routine()
            .filter(|e| pattern.matches(&e.line_in(account_id)))
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// The noisy metrics among those `filters` of `account_id` publish.
pub fn metric_noise(filters: &[MetricFilter], account_id: &str) -> Vec<Noise> {
    metric_noise_with(filters, |f| routine_matches(f, account_id))
}

/// The noisy metrics among those `filters` publish, `matches` giving the
/// routine records a filter matches (a control's own routine traffic).
pub fn metric_noise_with(
    filters: &[MetricFilter],
    matches: impl Fn(&MetricFilter) -> Vec<&'static CorpusEvent>,
) -> Vec<Noise> {
    let mut noise: Vec<Noise> = Vec::new();
    for filter in filters {
        let matched = matches(filter);
        if matched.is_empty() {
            continue;
        }
        for t in &filter.metric_transformations {
            let metric = Metric {
                namespace: t.metric_namespace.clone(),
                metric_name: t.metric_name.clone(),
                dimensions: Default::default(),
            };
            let sources = matched.iter().map(|e| (filter.filter_name.clone(), *e));
            match noise.iter_mut().find(|n| n.metric == metric) {
                Some(n) => n.sources.extend(sources),
                None => noise.push(Noise {
                    metric,
                    sources: sources.collect(),
                }),
            }
        }
    }
    noise
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::MetricTransformation;

    fn filter(name: &str, pattern: &str, metric: &str) -> MetricFilter {
        MetricFilter::new(
            name,
            "ct",
            pattern,
            vec![MetricTransformation {
                metric_name: metric.into(),
                metric_namespace: "CIS".into(),
                metric_value: "1".into(),
                default_value: None,
                dimensions: Default::default(),
                unit: None,
            }],
        )
    }

    const ACCOUNT: &str = "444455556666";

    #[test]
    fn routine_records_are_those_of_the_account_monitored() {
        // Routine traffic scoped to this account is noise here, and not in
        // another account's trail.
        let own = filter("own", r#"{ $.recipientAccountId = "444455556666" }"#, "m");
        assert!(!routine_matches(&own, ACCOUNT).is_empty());
        assert!(routine_matches(&own, crate::corpus::CORPUS_ACCOUNT).is_empty());
    }

    #[test]
    fn kms_wide_and_empty_patterns_are_noisy_the_cis_pattern_is_not() {
        let cis = filter("cis", crate::check::CIS_PATTERN, "m");
        assert!(routine_matches(&cis, ACCOUNT).is_empty());
        let wide = filter("wide", "{ $.eventSource = kms.amazonaws.com }", "m");
        let names: Vec<&str> = routine_matches(&wide, ACCOUNT)
            .iter()
            .map(|e| e.event_name.as_str())
            .collect();
        assert!(names.contains(&"Decrypt") && names.contains(&"GenerateDataKey"));
        assert!(!names.contains(&"AssumeRole"));
        let empty = filter("all", "", "m");
        assert!(routine_matches(&empty, ACCOUNT)
            .iter()
            .any(|e| e.event_name == "AssumeRole"));
        // Rare look-alikes do not make a metric noisy.
        let lookalike = filter("rot", "{ $.eventName = DisableKeyRotation }", "m");
        assert!(routine_matches(&lookalike, ACCOUNT).is_empty());
    }

    #[test]
    fn noise_is_per_metric_and_names_its_filters() {
        let noise = metric_noise(
            &[
                filter("cis", crate::check::CIS_PATTERN, "m"),
                filter("wide", "{ $.eventSource = kms.amazonaws.com }", "m"),
                filter("sts", "{ $.eventSource = sts.amazonaws.com }", "other"),
            ],
            ACCOUNT,
        );
        assert_eq!(noise.len(), 2);
        assert_eq!(noise[0].metric.metric_name, "m");
        assert_eq!(noise[0].filters(), ["wide"]);
        assert_eq!(noise[1].event_names(), ["AssumeRole"]);
    }
}

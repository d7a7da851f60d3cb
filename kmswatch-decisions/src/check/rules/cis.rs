//! The CIS text: Security Hub CloudWatch.7 compares the pattern text, not its
//! meaning, so kmswatch says whether a passing chain uses it verbatim.

use crate::check::assessment::ChainAssessment;
use crate::check::assessment::CisPatternCheck;
use crate::check::status::Status;

/// The CIS AWS Foundations / Security Hub CloudWatch.7 pattern, as published.
pub const CIS_PATTERN: &str = "{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }";

/// Whether `pattern` is the CIS pattern text, ignoring white space.
pub fn is_cis_exact(pattern: &str) -> bool {
    let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    squeeze(pattern) == squeeze(CIS_PATTERN)
}

/// Which passing chains' passing filters have the exact CIS text, and, when
/// none does, which filters have it on a chain that does not pass, and why.
pub fn assess_cis_pattern(chains: &[ChainAssessment<'_>]) -> CisPatternCheck {
    let name = |c: &ChainAssessment<'_>, f: &str| {
        format!("{}:{f}", c.log_group_arn.as_deref().unwrap_or_default())
    };
    let mut filters = Vec::new();
    let mut elsewhere = Vec::new();
    for c in chains {
        for f in c
            .filters
            .iter()
            .filter(|f| is_cis_exact(&f.filter.filter_pattern))
        {
            if c.status == Status::Pass && f.status == Status::Pass {
                filters.push(name(c, &f.filter.filter_name));
            } else {
                let mut codes: Vec<String> = f
                    .gaps
                    .iter()
                    .chain(f.alarms.iter().flat_map(|a| a.gaps.iter()))
                    .chain(c.gaps.iter())
                    .filter(|g| g.severity != crate::check::gap::Severity::Warning)
                    .map(|g| g.code.to_string())
                    .collect();
                codes.dedup();
                codes.truncate(3);
                elsewhere.push(format!(
                    "filter {} has the exact CIS text, but its chain is {}{}",
                    f.filter.filter_name,
                    c.status,
                    if codes.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", codes.join(", "))
                    }
                ));
            }
        }
    }
    // Log groups whose filters were never seen (another account's, or a read
    // that failed): nothing can be said about their text.
    let unread: Vec<&str> = chains
        .iter()
        .filter(|c| c.log_group.is_none_or(|g| g.metric_filters.is_none()))
        .filter_map(|c| c.log_group_arn.as_deref())
        .collect();
    let message = if let Some(first) = filters.first() {
        format!(
            "filter {} on a passing chain has the exact CIS pattern text, as Security Hub CloudWatch.7 expects",
            first.rsplit(':').next().unwrap_or(first)
        )
    } else if elsewhere.is_empty() && !unread.is_empty() {
        format!(
            "the metric filters of {} were not read, so whether one has the exact CIS pattern \
             text, which Security Hub CloudWatch.7 compares, is unknown",
            unread.join(", ")
        )
    } else if elsewhere.is_empty() {
        "no metric filter has the exact CIS pattern text; Security Hub CloudWatch.7 \
         compares the text and will report FAILED"
            .to_owned()
    } else {
        format!(
            "{}; Security Hub CloudWatch.7 also wants that chain complete",
            elsewhere.join("; ")
        )
    };
    CisPatternCheck {
        exact: !filters.is_empty(),
        filters,
        message,
    }
}

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

/// Which passing chains' passing filters have the exact CIS text.
pub fn assess_cis_pattern(chains: &[ChainAssessment<'_>]) -> CisPatternCheck {
    let filters: Vec<String> = chains
        .iter()
        .filter(|c| c.status == Status::Pass)
        .flat_map(|c| {
            c.filters
                .iter()
                .filter(|f| f.status == Status::Pass && is_cis_exact(&f.filter.filter_pattern))
                .map(move |f| {
                    format!(
                        "{}:{}",
                        c.log_group_arn.as_deref().unwrap_or_default(),
                        f.filter.filter_name
                    )
                })
        })
        .collect();
    CisPatternCheck {
        exact: !filters.is_empty(),
        message: if filters.is_empty() {
            "no alarmed metric filter on a passing chain has the exact CIS pattern text; \
             Security Hub CloudWatch.7 compares the text and will report FAILED"
                .to_owned()
        } else {
            "a passing chain uses the exact CIS pattern text, as Security Hub CloudWatch.7 expects"
                .to_owned()
        },
        filters,
    }
}

//! SNS filter policy limits: keys and value combinations.
//!
//! SNS counts at most [`SNS_MAX_KEYS`] keys and [`SNS_MAX_COMBINATIONS`] value
//! combinations. A policy with `$or` stands for several alternatives; keys are
//! counted per alternative (the largest counts) and combinations are summed over
//! them. In the `MessageBody` scope only top-level keys count toward the key
//! limit, and each value list counts its length times the depth of its key
//! (AWS's example: four values three levels down and three values two levels
//! down make 3 × 4 × 2 × 3 = 72).

use super::ast::{FieldPattern, ObjectPattern};
use super::dialect::{SNS_MAX_COMBINATIONS, SNS_MAX_KEYS};
use super::errors::{ErrorKind, JsonPath, Limit, PatternError};
use std::collections::BTreeSet;

/// Checks a parsed SNS policy against the service limits.
pub(crate) fn check_sns(policy: &ObjectPattern) -> Result<(), PatternError> {
    let keys = top_level_keys(policy, &BTreeSet::new());
    if keys > SNS_MAX_KEYS {
        return Err(limit(Limit::Keys {
            count: keys,
            max: SNS_MAX_KEYS,
        }));
    }
    let count = combinations(policy, 1);
    if count > SNS_MAX_COMBINATIONS {
        return Err(limit(Limit::Combinations {
            count,
            max: SNS_MAX_COMBINATIONS,
        }));
    }
    Ok(())
}

fn limit(limit: Limit) -> PatternError {
    PatternError::new(JsonPath::root(), ErrorKind::LimitExceeded(limit))
}

/// Distinct top-level keys of the largest alternative; `outer` holds the keys
/// already counted around a `$or`.
fn top_level_keys<'a>(pattern: &'a ObjectPattern, outer: &BTreeSet<&'a str>) -> usize {
    let mut seen = outer.clone();
    let own = pattern
        .fields
        .iter()
        .filter(|f| seen.insert(f.name.as_str()))
        .count();
    own + pattern
        .any_of
        .iter()
        .map(|alternative| top_level_keys(alternative, &seen))
        .max()
        .unwrap_or(0)
}

/// Value combinations, summed over `$or` alternatives, saturating.
pub(crate) fn combinations(pattern: &ObjectPattern, depth: u64) -> u64 {
    let mut total: u64 = 1;
    for field in &pattern.fields {
        let count = match &field.pattern {
            FieldPattern::Values(values) => (values.len() as u64).saturating_mul(depth),
            FieldPattern::Object(child) => combinations(child, depth + 1),
        };
        total = total.saturating_mul(count);
    }
    if !pattern.any_of.is_empty() {
        let alternatives = pattern
            .any_of
            .iter()
            .fold(0u64, |sum, a| sum.saturating_add(combinations(a, depth)));
        total = total.saturating_mul(alternatives);
    }
    total
}

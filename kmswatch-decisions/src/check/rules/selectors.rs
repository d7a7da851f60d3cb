//! Does a trail record the KMS management write events we watch for?

use crate::check::gap::Gap;
use crate::check::gap_code::{GapCode, TargetEvent};
use crate::model::{AdvancedEventSelector, EventSelectors, FieldSelector, ReadWriteType};

const KMS: &str = "kms.amazonaws.com";
/// The gaps in a trail's event selectors, empty when `DisableKey` and
/// `ScheduleKeyDeletion` from KMS are recorded.
///
/// A trail without any selector records all management events: that is the
/// AWS default (and moto returns no selectors for it).
pub fn selector_gaps(trail_arn: &str, selectors: &EventSelectors) -> Vec<Gap> {
    if selectors.event_selectors.is_empty() && selectors.advanced_event_selectors.is_empty() {
        return Vec::new();
    }
    let classic_ok = selectors.event_selectors.iter().any(|s| {
        s.include_management_events
            && matches!(
                s.read_write_type,
                ReadWriteType::All | ReadWriteType::WriteOnly
            )
            && !s.exclude_management_event_sources.iter().any(|e| e == KMS)
    });
    if classic_ok {
        return Vec::new();
    }
    let uncovered: Vec<&str> = TargetEvent::ALL
        .into_iter()
        .map(TargetEvent::event_name)
        .filter(|name| {
            !selectors
                .advanced_event_selectors
                .iter()
                .any(|s| advanced_selects(s, name))
        })
        .collect();
    if !selectors.advanced_event_selectors.is_empty() {
        if uncovered.is_empty() {
            return Vec::new();
        }
        return vec![Gap::with_fix(
            GapCode::TrailNotRecordingKmsWrites,
            Some(trail_arn),
            format!(
                "no advanced event selector records KMS management write events ({})",
                uncovered.join(", ")
            ),
            "add an advanced event selector with eventCategory = Management that does not \
             restrict readOnly to true nor exclude eventSource kms.amazonaws.com",
        )];
    }
    let management: Vec<_> = selectors
        .event_selectors
        .iter()
        .filter(|s| s.include_management_events)
        .collect();
    let gap = if management.is_empty() {
        (
            GapCode::TrailNoManagementEvents,
            "the trail does not record management events",
            "set IncludeManagementEvents=true with ReadWriteType All on an event selector",
        )
    } else if management
        .iter()
        .all(|s| s.read_write_type == ReadWriteType::ReadOnly)
    {
        (
            GapCode::TrailManagementReadOnly,
            "the trail records only read-only management events; DisableKey and ScheduleKeyDeletion are writes",
            "set ReadWriteType to All (or WriteOnly) on the management event selector",
        )
    } else {
        (
            GapCode::TrailExcludesKmsEvents,
            "the trail excludes kms.amazonaws.com from its management events",
            "remove kms.amazonaws.com from ExcludeManagementEventSources",
        )
    };
    vec![Gap::with_fix(gap.0, Some(trail_arn), gap.1, gap.2)]
}

/// Whether an advanced selector records the management write event `name` from KMS.
/// Conditions on fields other than the ones a management event selector can use
/// restrict the selector to part of the events; such a selector is not relied on.
fn advanced_selects(selector: &AdvancedEventSelector, name: &str) -> bool {
    let mut is_management = false;
    for field in &selector.field_selectors {
        let value = match field.field.as_str() {
            "eventCategory" => {
                is_management = field.equals.iter().any(|v| v == "Management");
                "Management"
            }
            "readOnly" => "false",
            "eventSource" => KMS,
            "eventName" => name,
            _ => return false,
        };
        if !field_holds(field, value) {
            return false;
        }
    }
    is_management
}

fn field_holds(f: &FieldSelector, value: &str) -> bool {
    (f.equals.is_empty() || f.equals.iter().any(|v| v == value))
        && !f.not_equals.iter().any(|v| v == value)
        && (f.starts_with.is_empty() || f.starts_with.iter().any(|p| value.starts_with(p.as_str())))
        && !f
            .not_starts_with
            .iter()
            .any(|p| value.starts_with(p.as_str()))
        && (f.ends_with.is_empty() || f.ends_with.iter().any(|p| value.ends_with(p.as_str())))
        && !f.not_ends_with.iter().any(|p| value.ends_with(p.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::EventSelector;

    fn classic(rw: ReadWriteType, mgmt: bool, exclude: &[&str]) -> EventSelectors {
        EventSelectors {
            event_selectors: vec![EventSelector {
                read_write_type: rw,
                include_management_events: mgmt,
                exclude_management_event_sources: exclude.iter().map(|s| s.to_string()).collect(),
            }],
            advanced_event_selectors: vec![],
        }
    }

    fn advanced(fields: Vec<FieldSelector>) -> EventSelectors {
        EventSelectors {
            event_selectors: vec![],
            advanced_event_selectors: vec![AdvancedEventSelector {
                name: None,
                field_selectors: fields,
            }],
        }
    }

    fn eq(field: &str, v: &str) -> FieldSelector {
        FieldSelector {
            field: field.into(),
            equals: vec![v.into()],
            ..FieldSelector::default()
        }
    }

    fn codes(s: &EventSelectors) -> Vec<String> {
        selector_gaps("arn:t", s)
            .into_iter()
            .map(|g| g.code.as_string())
            .collect()
    }

    #[test]
    fn default_and_classic_all_or_write_only_pass() {
        assert!(codes(&EventSelectors::default()).is_empty());
        assert!(codes(&classic(ReadWriteType::All, true, &[])).is_empty());
        assert!(codes(&classic(
            ReadWriteType::WriteOnly,
            true,
            &["rdsdata.amazonaws.com"]
        ))
        .is_empty());
    }

    #[test]
    fn classic_gaps() {
        assert_eq!(
            codes(&classic(ReadWriteType::ReadOnly, true, &[])),
            ["TRAIL_MANAGEMENT_READ_ONLY"]
        );
        assert_eq!(
            codes(&classic(ReadWriteType::All, false, &[])),
            ["TRAIL_NO_MANAGEMENT_EVENTS"]
        );
        assert_eq!(
            codes(&classic(ReadWriteType::All, true, &[KMS])),
            ["TRAIL_EXCLUDES_KMS_EVENTS"]
        );
    }

    #[test]
    fn advanced_management_selectors() {
        assert!(codes(&advanced(vec![eq("eventCategory", "Management")])).is_empty());
        assert!(codes(&advanced(vec![
            eq("eventCategory", "Management"),
            eq("readOnly", "false")
        ]))
        .is_empty());
        assert_eq!(
            codes(&advanced(vec![
                eq("eventCategory", "Management"),
                eq("readOnly", "true")
            ])),
            ["TRAIL_NOT_RECORDING_KMS_WRITES"]
        );
        let exclude_kms = FieldSelector {
            field: "eventSource".into(),
            not_equals: vec![KMS.into()],
            ..FieldSelector::default()
        };
        assert_eq!(
            codes(&advanced(vec![
                eq("eventCategory", "Management"),
                exclude_kms
            ])),
            ["TRAIL_NOT_RECORDING_KMS_WRITES"]
        );
        assert_eq!(
            codes(&advanced(vec![eq("eventCategory", "Data")])),
            ["TRAIL_NOT_RECORDING_KMS_WRITES"]
        );
    }
}

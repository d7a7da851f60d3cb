//! Every control judged by its corpus: the CIS text and its documented
//! variants catch every target; a pattern missing one target, an impossible
//! `&&`, an over-broad or a scoped pattern does not pass; the defects found in
//! published templates are caught.

use super::*;
use crate::corpus::CORPUS_ACCOUNT;
use crate::pattern::{coverage, Coverage, FilterPattern};

fn judge(control: &Control, pattern: &str) -> Coverage {
    let p =
        FilterPattern::parse(pattern).unwrap_or_else(|e| panic!("{}: {pattern}: {e}", control.cis));
    coverage(&p, control.events())
}

fn record(e: &CorpusEvent) -> serde_json::Value {
    serde_json::from_str(&e.line).unwrap_or_default()
}

#[test]
fn every_corpus_parses_with_unique_ids_and_targets() {
    assert_eq!(ALL.len(), 15);
    for c in ALL {
        let mut ids: Vec<&str> = c.events().iter().map(|e| e.id.as_str()).collect();
        let total = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), total, "{}: duplicate ids", c.cis);
        assert!(c.targets().count() >= 3, "{}", c.cis);
        assert!(c.routine().count() >= 3, "{}", c.cis);
        for e in c.events() {
            let r = record(e);
            assert_eq!(r["recipientAccountId"], CORPUS_ACCOUNT, "{}", e.id);
            assert!(
                r["eventTime"].is_string() && r["eventID"].is_string(),
                "{}",
                e.id
            );
            assert!(!e.line.contains('\n'));
        }
    }
}

#[test]
fn ids_are_consistent_across_versions() {
    for (i, c) in ALL.iter().enumerate() {
        let n = i + 1;
        assert_eq!(c.cis, format!("4.{n}"));
        assert_eq!(c.cis_v6, format!("5.{n}"));
        assert_eq!(c.cis_v1_2.is_some(), n <= 14, "{}", c.cis);
        assert_eq!(c.security_hub.is_some(), n <= 14, "{}", c.cis);
        assert_eq!(find(c.cis).map(|f| f.cis), Some(c.cis));
        assert_eq!(find(c.cis_v6).map(|f| f.cis), Some(c.cis));
        if let Some(sh) = c.security_hub {
            assert_eq!(find(sh).map(|f| f.cis), Some(c.cis));
        }
    }
    // Security Hub numbers the root and unauthorized-call controls apart from CIS.
    assert_eq!(find("CloudWatch.1").map(|c| c.cis), Some("4.3"));
    assert_eq!(find("CloudWatch.2").map(|c| c.cis), Some("4.1"));
    assert_eq!(find("CloudWatch.3").map(|c| c.cis), Some("4.2"));
    assert!(find("CloudWatch.15").is_none());
}

#[test]
fn the_kms_control_is_the_kms_corpus_and_pattern() {
    let kms = find("4.7").unwrap_or_else(|| panic!("4.7"));
    assert!(kms.is_kms());
    assert_eq!(kms.cis_pattern, crate::check::CIS_PATTERN);
    let lines: Vec<&str> = kms.events().iter().map(|e| e.line.as_str()).collect();
    let today: Vec<&str> = crate::corpus::kms_key_lifecycle()
        .iter()
        .map(|e| e.line.as_str())
        .collect();
    assert_eq!(lines, today);
}

#[test]
fn the_cis_text_and_every_variant_catch_every_target_and_no_routine_record() {
    for c in ALL {
        for pattern in std::iter::once(&c.cis_pattern).chain(c.variants) {
            let judged = judge(c, pattern);
            assert!(
                judged.is_complete(),
                "{}: {pattern} misses {:?}",
                c.cis,
                judged.missed_targets().map(|e| &e.id).collect::<Vec<_>>()
            );
            assert_eq!(
                judged.matched_in(EventCategory::Routine).count(),
                0,
                "{}: {pattern} catches routine records",
                c.cis
            );
        }
    }
}

#[test]
fn a_pattern_missing_one_target_event_name_is_incomplete() {
    for c in ALL {
        let names = c.target_event_names();
        let (dropped, kept) = names.split_first().unwrap_or_else(|| panic!("{}", c.cis));
        let pattern = if kept.is_empty() {
            // One name (ConsoleLogin): name another.
            "{ $.eventName = \"SomethingElse\" }".to_owned()
        } else {
            let terms: Vec<String> = kept
                .iter()
                .map(|n| format!("($.eventName = \"{n}\")"))
                .collect();
            format!("{{ {} }}", terms.join(" || "))
        };
        let judged = judge(c, &pattern);
        assert!(!judged.is_complete(), "{}: {pattern}", c.cis);
        assert!(
            judged
                .missed_target_event_names
                .iter()
                .any(|n| n == dropped),
            "{}: {dropped} not reported",
            c.cis
        );
    }
}

#[test]
fn an_impossible_conjunction_catches_nothing() {
    for c in ALL {
        let names = c.target_event_names();
        let other = names.get(1).copied().unwrap_or("SomethingElse");
        let pattern = format!(
            "{{ ($.eventName = \"{}\") && ($.eventName = \"{other}\") }}",
            names[0]
        );
        let judged = judge(c, &pattern);
        assert_eq!(
            judged.matched_in(EventCategory::Target).count(),
            0,
            "{}",
            c.cis
        );
        assert!(!judged.is_complete());
    }
}

#[test]
fn an_over_broad_pattern_catches_routine_records() {
    for c in ALL {
        let judged = judge(c, "{ $.eventName = \"*\" }");
        assert!(judged.is_complete(), "{}", c.cis);
        assert!(
            judged.matched_in(EventCategory::Routine).count() >= 3,
            "{}",
            c.cis
        );
    }
}

#[test]
fn a_pattern_scoped_to_one_region_or_identity_misses_targets() {
    for c in ALL {
        let targets: Vec<serde_json::Value> = c.targets().map(record).collect();
        let scope = [
            ("awsRegion", "/awsRegion"),
            ("userIdentity.type", "/userIdentity/type"),
            ("userAgent", "/userAgent"),
        ]
        .into_iter()
        .find_map(|(selector, pointer)| {
            let first = targets[0].pointer(pointer)?.as_str()?.to_owned();
            targets
                .iter()
                .any(|t| t.pointer(pointer).and_then(|v| v.as_str()) != Some(&first))
                .then(|| format!("($.{selector} = \"{first}\")"))
        })
        .unwrap_or_else(|| panic!("{}: targets all alike", c.cis));
        let inner = c
            .cis_pattern
            .trim()
            .trim_start_matches('{')
            .trim_end_matches('}');
        let judged = judge(c, &format!("{{ ({inner}) && {scope} }}"));
        assert!(!judged.is_complete(), "{}: {scope}", c.cis);
    }
}

#[test]
fn targets_come_from_several_regions_or_identities() {
    for c in ALL {
        let mut regions: Vec<String> = c
            .targets()
            .map(|e| {
                record(e)["awsRegion"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned()
            })
            .collect();
        regions.sort_unstable();
        regions.dedup();
        let console = c.targets().any(|e| {
            let r = record(e);
            r["userAgent"] == "AWS Internal" || r["eventType"] == "AwsConsoleSignIn"
        });
        assert!(console, "{}: no console record", c.cis);
        let global = ["iam", "organizations"].iter().any(|s| {
            c.targets()
                .all(|e| e.event_source == format!("{s}.amazonaws.com"))
        });
        assert!(global || regions.len() >= 2, "{}: {regions:?}", c.cis);
    }
}

#[test]
fn failed_authentication_without_its_space_catches_nothing() {
    let c = find("4.6").unwrap_or_else(|| panic!("4.6"));
    let judged = judge(
        c,
        "{ ($.eventName = ConsoleLogin) && ($.errorMessage = \"Failedauthentication\") }",
    );
    assert_eq!(judged.matched_in(EventCategory::Target).count(), 0);
}

#[test]
fn an_organizations_filter_whose_source_check_binds_its_first_name_only_is_noisy() {
    let c = find("4.15").unwrap_or_else(|| panic!("4.15"));
    let names = c.target_event_names();
    let rest: Vec<String> = names[1..]
        .iter()
        .map(|n| format!("($.eventName = \"{n}\")"))
        .collect();
    let pattern = format!(
        "{{ ($.eventSource = organizations.amazonaws.com) && ($.eventName = \"{}\") || {} }}",
        names[0],
        rest.join(" || ")
    );
    let judged = judge(c, &pattern);
    let routine: Vec<&str> = judged
        .matched_in(EventCategory::Routine)
        .map(|e| e.id.as_str())
        .collect();
    assert_eq!(routine, ["routine-iot-attach-policy"]);
    assert!(judged
        .matched_in(EventCategory::LookAlike)
        .any(|e| e.event_source == "iam.amazonaws.com"));
}

#[test]
fn stray_quotes_are_refused_or_catch_nothing() {
    let c = find("4.5").unwrap_or_else(|| panic!("4.5"));
    assert!(FilterPattern::parse("{ ($.eventName = \"CreateTrail\"\") }").is_err());
    let quoted = format!("\"{}\"", c.cis_pattern);
    let judged = judge(c, &quoted);
    assert_eq!(judged.matched_in(EventCategory::Target).count(), 0);
}

#[test]
fn selection_reads_ids_lists_and_the_family() {
    let chosen = parse_selection(["CloudWatch.1", "4.7,5.7", " 3.14 "]).unwrap_or_default();
    let ids: Vec<&str> = chosen.iter().map(|c| c.cis).collect();
    assert_eq!(ids, ["4.3", "4.7", "4.14"]);
    let none: [&str; 0] = [];
    let default = parse_selection(none).unwrap_or_default();
    assert!(default.len() == 1 && default[0].is_kms());
    assert_eq!(parse_selection(["CIS"]).unwrap_or_default().len(), 15);
    let err = parse_selection(["4.7", "CloudWatch.99"]).unwrap_err();
    assert_eq!(err.id, "CloudWatch.99");
    assert!(err.to_string().contains("cis"));
}

//! Printing reports for people (`table`) and programs (`json`).

use crate::terminal;
use kmswatch_core::check::{Gap, Report, Severity, Status};
use std::fmt::Write;

fn mark(status: Status) -> String {
    let text = match status {
        Status::Pass => "ok",
        Status::Fail => "FAIL",
        Status::Error => "ERROR",
        Status::Manual => "MANUAL",
    };
    terminal::status(status, text)
}

fn write_gaps(out: &mut String, gaps: &[Gap], indent: &str) {
    for g in gaps {
        let tag = match g.severity {
            Severity::Fail => "x",
            Severity::Error => "?",
            Severity::Manual => "~",
            Severity::Warning => "!",
        };
        let tag = terminal::severity(g.severity, tag);
        let _ = writeln!(out, "{indent}{tag} {}: {}", g.code, g.message);
        let _ = writeln!(out, "{indent}  fix: {}", g.fix);
    }
}

/// The report for a terminal (wrap it with [`terminal::finish`]).
pub fn table(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}  account {} (trails listed in {})",
        terminal::status(report.status, report.status.as_str()),
        report.account_id,
        report.region
    );
    let _ = writeln!(out, "{}", report.summary);
    write_gaps(&mut out, &report.gaps, "  ");
    for (i, c) in report.chains.iter().enumerate() {
        let _ = writeln!(
            out,
            "\nchain {}: trail {} ({})  [{}]",
            i + 1,
            c.trail_name,
            c.home_region,
            mark(c.status)
        );
        let _ = writeln!(out, "  trail      {}", c.trail_arn);
        if let Some(g) = &c.log_group_arn {
            let _ = writeln!(out, "  log group  {g}");
        }
        write_gaps(&mut out, &c.gaps, "  ");
        for name in &c.other_filters {
            let _ = writeln!(
                out,
                "  filter     {name}  not a link: it matches some target records, which other filters catch whole"
            );
        }
        for f in &c.metric_filters {
            let catches = if f.catches.is_empty() {
                "part of the targets".to_owned()
            } else {
                f.catches.join(" + ")
            };
            let _ = writeln!(
                out,
                "  filter     {}  catches {catches}  [{}]",
                f.filter_name,
                mark(f.status)
            );
            let _ = writeln!(out, "             {}", f.filter_pattern);
            write_gaps(&mut out, &f.gaps, "    ");
            for a in &f.alarms {
                let _ = writeln!(out, "    alarm    {}  [{}]", a.alarm_name, mark(a.status));
                write_gaps(&mut out, &a.gaps, "      ");
                for t in &a.topics {
                    let subs = t
                        .confirmed_subscriptions
                        .map(|n| format!("{n} confirmed subscription(s)"))
                        .unwrap_or_else(|| "subscriptions unknown".to_owned());
                    let _ = writeln!(
                        out,
                        "      topic  {}  {subs}  [{}]",
                        t.topic_arn,
                        mark(t.status)
                    );
                    write_gaps(&mut out, &t.gaps, "        ");
                }
            }
        }
    }
    let _ = writeln!(
        out,
        "\nCIS / Security Hub CloudWatch.7 pattern text: {}",
        if report.cis_pattern.exact {
            "on a passing chain"
        } else {
            "not on a passing chain"
        }
    );
    let _ = writeln!(out, "  {}", report.cis_pattern.message);
    write_monitors(&mut out, report);
    if !report.warnings.is_empty() {
        let _ = writeln!(out, "\nwarnings:");
        write_gaps(&mut out, &report.warnings, "  ");
    }
    if let Some(keys) = &report.keys {
        let _ = writeln!(out, "\nkeys: {}", keys.summary);
        for key in keys.keys.iter().filter(|k| k.risk.is_some()) {
            let _ = writeln!(
                out,
                "  {}  {}",
                key.key_state.as_deref().unwrap_or("?"),
                key.arn
            );
        }
    }
    write_controls(&mut out, report);
    let _ = writeln!(out, "\n{}", provenance(report));
    out
}

/// A line per control asked for with `--control`, with the gaps of those that do not pass.
fn write_controls(out: &mut String, report: &Report) {
    if report.controls.is_empty() {
        return;
    }
    let _ = writeln!(out, "\ncontrols:");
    for c in &report.controls {
        let _ = writeln!(
            out,
            "  {:<5} {:<14} {}  {}",
            c.control,
            c.security_hub.as_deref().unwrap_or("-"),
            terminal::status(c.status, c.status.as_str()),
            c.summary
        );
        write_gaps(out, &c.gaps, "        ");
    }
}

/// Monitoring besides the CIS chain (read when the chain does not pass).
fn write_monitors(out: &mut String, report: &Report) {
    if report.monitored_by.is_empty() {
        return;
    }
    let verdict = match &report.accepted_by {
        Some(kinds) => format!("accepted for the verdict: {kinds}"),
        None => "not part of the CIS verdict; --accept eventbridge counts it".to_owned(),
    };
    let _ = writeln!(out, "\nmonitored by ({verdict}):");
    for m in &report.monitored_by {
        let rule = m
            .rule
            .as_deref()
            .map_or_else(|| "no rule matches".to_owned(), |r| format!("rule {r}"));
        let _ = writeln!(
            out,
            "  {} {}  {rule}  [{}]",
            m.kind,
            m.region,
            mark(m.status)
        );
        write_gaps(out, &m.gaps, "    ");
        for t in &m.targets {
            let subs = t
                .confirmed_subscriptions
                .map(|n| format!("  {n} confirmed subscription(s)"))
                .unwrap_or_default();
            let _ = writeln!(out, "    target {}{subs}  [{}]", t.arn, mark(t.status));
            write_gaps(out, &t.gaps, "      ");
        }
    }
}

/// Where the facts came from: how many requests, or which snapshot and how old.
fn provenance(report: &Report) -> String {
    match (report.api_calls, &report.captured_at) {
        (Some(1), _) => "1 AWS request".to_owned(),
        (Some(n), _) => format!("{n} AWS requests"),
        (None, Some(captured)) => {
            let age = report
                .generated_at
                .as_deref()
                .and_then(|now| age(captured, now))
                .map(|a| format!(", {a} before this report"))
                .unwrap_or_default();
            format!("offline: from a snapshot captured {captured}{age}")
        }
        (None, None) => "offline: from a snapshot (its capture time is not recorded)".to_owned(),
    }
}

/// How long before `now` the time `then` was, in whole minutes (both RFC 3339).
fn age(then: &str, now: &str) -> Option<String> {
    let then = humantime::parse_rfc3339_weak(then).ok()?;
    let now = humantime::parse_rfc3339_weak(now).ok()?;
    let elapsed = now.duration_since(then).ok()?;
    Some(in_days_hours_minutes(elapsed.as_secs() / 60))
}

/// A number of minutes as people write it: `8 days 10 h 42 min`, `1 day`,
/// `5 min` (units that are zero are left out).
fn in_days_hours_minutes(minutes: u64) -> String {
    if minutes == 0 {
        return "less than a minute".to_owned();
    }
    let (days, hours, minutes) = (minutes / 1440, minutes / 60 % 24, minutes % 60);
    let mut parts = Vec::new();
    match days {
        0 => {}
        1 => parts.push("1 day".to_owned()),
        n => parts.push(format!("{n} days")),
    }
    if hours > 0 {
        parts.push(format!("{hours} h"));
    }
    if minutes > 0 {
        parts.push(format!("{minutes} min"));
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_read_as_people_write_them() {
        let age = |now| age("2026-03-01T00:00:00Z", now).unwrap_or_default();
        assert_eq!(age("2026-03-09T10:42:30Z"), "8 days 10 h 42 min");
        assert_eq!(age("2026-03-02T00:00:00Z"), "1 day");
        assert_eq!(age("2026-03-01T01:05:00Z"), "1 h 5 min");
        assert_eq!(age("2026-03-01T00:00:59Z"), "less than a minute");
    }

    #[test]
    fn a_region_without_a_matching_rule_says_so() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../examples/broken-pattern-misses-schedule-eventbridge.json"
        );
        let facts =
            kmswatch_core::check::Facts::load(path.as_ref()).unwrap_or_else(|e| panic!("{e}"));
        let mut report = kmswatch_core::check::report(&facts);
        assert!(!report.monitored_by.is_empty());
        let named = table(&report);
        let rule = report.monitored_by[0].rule.clone().unwrap_or_default();
        assert!(named.contains(&format!("  rule {rule}  ")), "{named}");
        report.monitored_by[0].rule = None;
        let none = table(&report);
        assert!(none.contains("  no rule matches  "), "{none}");
        assert!(!none.contains("rule no rule"), "{none}");
    }
}

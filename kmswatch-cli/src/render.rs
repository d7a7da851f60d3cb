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
    let _ = writeln!(out, "\n{}", provenance(report));
    out
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
        let rule = m.rule.as_deref().unwrap_or("no rule");
        let _ = writeln!(
            out,
            "  {} {}  rule {rule}  [{}]",
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
    let minutes = std::time::Duration::from_secs(elapsed.as_secs() / 60 * 60);
    Some(if minutes.is_zero() {
        "less than a minute".to_owned()
    } else {
        humantime::format_duration(minutes)
            .to_string()
            .replace(' ', ", ")
    })
}

//! JUnit XML for CI gates: one test suite per control, one test case per
//! account (classname the control, name `<account>/<region>`). FAIL is a
//! `<failure>`; ERROR and MANUAL are an `<error>` whose `type` says which.

use super::account;
use super::subjects::{control_id, subjects, Subject};
use super::Context;
use crate::check::{Report, Status};
use std::fmt::Write;

/// The JUnit document of `reports`: a test suite per control, in the order
/// the reports judge them.
pub fn document(reports: &[Report], ctx: &Context) -> String {
    let subjects = subjects(reports);
    let mut suites: Vec<(String, Vec<&Subject<'_>>)> = Vec::new();
    for subject in &subjects {
        let id = control_id(subject.control);
        match suites.iter_mut().find(|(known, _)| *known == id) {
            Some((_, members)) => members.push(subject),
            None => suites.push((id, vec![subject])),
        }
    }
    let all: Vec<&Subject<'_>> = subjects.iter().collect();
    let (tests, failures, errors) = counts(&all);
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        xml,
        "<testsuites name=\"kmswatch\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\">"
    );
    for (id, members) in &suites {
        let (tests, failures, errors) = counts(members);
        let _ = writeln!(
            xml,
            "  <testsuite name=\"kmswatch {id}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"0\" timestamp=\"{}\">",
            escape(&timestamp(&ctx.generated_at))
        );
        let _ = writeln!(xml, "    <properties>");
        let _ = writeln!(
            xml,
            "      <property name=\"kmswatch.version\" value=\"{}\"/>",
            escape(&ctx.kmswatch_version)
        );
        let _ = writeln!(xml, "    </properties>");
        for subject in members {
            testcase(&mut xml, &subject.report, id);
        }
        xml.push_str("  </testsuite>\n");
    }
    xml.push_str("</testsuites>\n");
    xml
}

/// Tests, failures and errors among `subjects`.
fn counts(subjects: &[&Subject<'_>]) -> (usize, usize, usize) {
    let failures = subjects
        .iter()
        .filter(|s| s.report.status == Status::Fail)
        .count();
    let errors = subjects
        .iter()
        .filter(|s| matches!(s.report.status, Status::Error | Status::Manual))
        .count();
    (subjects.len(), failures, errors)
}

/// JUnit's `timestamp` is an ISO 8601 time without a zone (Jenkins' schema):
/// the UTC time with its `Z` dropped.
fn timestamp(rfc3339: &str) -> String {
    rfc3339.trim_end_matches('Z').to_owned()
}

fn testcase(xml: &mut String, report: &Report, control_id: &str) {
    let name = format!("{}/{}", report.account_id, report.region);
    let _ = write!(
        xml,
        "    <testcase classname=\"{control_id}\" name=\"{}\"",
        escape(&name)
    );
    let element = match report.status {
        Status::Pass => {
            xml.push_str("/>\n");
            return;
        }
        Status::Fail => "failure",
        Status::Error | Status::Manual => "error",
    };
    let gaps = account::blocking_gaps(report);
    let codes = account::distinct_codes(gaps.iter().copied());
    let message = if codes.is_empty() {
        format!("{}: {}", report.status, report.summary)
    } else {
        format!(
            "{}: {} ({})",
            report.status,
            report.summary,
            codes.join(", ")
        )
    };
    let mut body = String::new();
    for gap in &gaps {
        let _ = writeln!(body, "{}: {}", gap.code, gap.message);
        if !gap.fix.is_empty() {
            let _ = writeln!(body, "  fix: {}", gap.fix);
        }
    }
    let _ = writeln!(
        xml,
        ">\n      <{element} type=\"{}\" message=\"{}\">{}</{element}>\n    </testcase>",
        report.status,
        escape(&message),
        escape(&body).replace("&#10;", "\n")
    );
}

/// `text` as an XML attribute value (a newline kept as `&#10;`, which
/// attribute normalization would otherwise turn into a space). Characters XML 1.0 cannot
/// hold (most C0 controls) are dropped: a message must not make the document
/// unreadable.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\t' | '\r' => out.push(c),
            c if (c as u32) < 0x20 => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_keeps_the_document_well_formed() {
        assert_eq!(escape("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;");
        assert_eq!(timestamp("2026-03-01T12:00:00Z"), "2026-03-01T12:00:00");
    }
}

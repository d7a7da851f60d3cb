//! The least-privilege IAM policies kmswatch needs, derived from the operations
//! it calls ([`Operation::access`]), so that a new call cannot be forgotten in
//! them. `policies/*.json` in the repository are these documents (a test
//! compares them); `kmswatch iam-policy check|remediate` prints them.

use crate::operation::{Access, Operation};
use serde::Serialize;
use std::collections::BTreeSet;

/// Which policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PolicyKind {
    /// What `kmswatch check` and `kmswatch snapshot` (and a dry-run
    /// `remediate`) read.
    Check,
    /// The reads remediation plans from (the check's, without EventBridge)
    /// plus the writes of `kmswatch remediate --apply`.
    Remediate,
    /// What `--send-to-security-hub` adds to the check policy
    /// (`securityhub:BatchImportFindings`); attach it beside `Check`.
    SecurityHub,
    /// What `kmswatch respond --apply` needs: the key's state
    /// (`kms:DescribeKey`), `kms:CancelKeyDeletion` and `kms:EnableKey`.
    Respond,
    /// What the principal running `kmswatch scan` needs: list the
    /// organization's accounts, assume a role in each, and check its own
    /// account (the check's reads). The roles it assumes need the check policy.
    Scan,
}

/// The reads `kmswatch respond` makes (before and after it acts).
const RESPOND_READS: &[Operation] = &[Operation::DescribeKey];

impl PolicyKind {
    /// Every policy.
    pub const ALL: [PolicyKind; 5] = [
        PolicyKind::Check,
        PolicyKind::Remediate,
        PolicyKind::SecurityHub,
        PolicyKind::Respond,
        PolicyKind::Scan,
    ];

    /// Its name, as `kmswatch iam-policy` takes it.
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyKind::Check => "check",
            PolicyKind::Remediate => "remediate",
            PolicyKind::SecurityHub => "security-hub",
            PolicyKind::Respond => "respond",
            PolicyKind::Scan => "scan",
        }
    }

    /// The file it ships as, under `policies/`.
    pub fn file_name(self) -> String {
        format!("kmswatch-{}.json", self.as_str())
    }
}

/// Services whose created resources kmswatch tags: AWS authorizes
/// `TagResource` on top of the create call when the request carries tags.
const TAGS_ON_CREATE: &[&str] = &["cloudwatch", "sns", "events"];

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Document {
    version: &'static str,
    statement: Vec<Statement>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Statement {
    sid: String,
    effect: &'static str,
    action: Vec<String>,
    resource: &'static str,
}

/// The policy document, pretty-printed, with a final newline.
///
/// ```
/// use kmswatch_decisions::iam_policy::{iam_policy, PolicyKind};
/// let check = iam_policy(PolicyKind::Check);
/// assert!(check.contains("\"cloudtrail:GetTrailStatus\""));
/// assert!(!check.contains("PutMetricAlarm"));
/// assert!(iam_policy(PolicyKind::Remediate).contains("\"cloudwatch:PutMetricAlarm\""));
/// ```
pub fn iam_policy(kind: PolicyKind) -> String {
    let statement = match kind {
        PolicyKind::Check => {
            let mut statement = statements(Access::Read, Operation::ALL);
            statement.extend(statements(Access::CheckRead, Operation::ALL));
            statement
        }
        PolicyKind::Remediate => {
            let mut statement = statements(Access::Read, Operation::ALL);
            statement.extend(statements(Access::Write, Operation::ALL));
            statement
        }
        PolicyKind::SecurityHub => statements(Access::Export, Operation::ALL),
        PolicyKind::Respond => {
            let mut statement = statements(Access::Read, RESPOND_READS);
            statement.extend(statements(Access::Respond, Operation::ALL));
            statement
        }
        PolicyKind::Scan => {
            let mut statement = statements(Access::Read, Operation::ALL);
            statement.extend(statements(Access::CheckRead, Operation::ALL));
            statement.extend(statements(Access::Reach, Operation::ALL));
            statement
        }
    };
    let document = Document {
        version: "2012-10-17",
        statement: merged(statement),
    };
    // Strings and lists only: serialization cannot fail.
    serde_json::to_string_pretty(&document).unwrap_or_default() + "\n"
}

/// IAM wants each `Sid` once per policy: statements of the same name (the
/// check's own reads of a service beside the shared ones) become one.
fn merged(statements: Vec<Statement>) -> Vec<Statement> {
    let mut out: Vec<Statement> = Vec::new();
    for statement in statements {
        match out.iter_mut().find(|s| s.sid == statement.sid) {
            Some(same) => {
                let actions: BTreeSet<String> =
                    same.action.drain(..).chain(statement.action).collect();
                same.action = actions.into_iter().collect();
            }
            None => out.push(statement),
        }
    }
    out
}

/// One statement per service for the operations of `among` with this
/// access, in the order the operations are declared.
fn statements(access: Access, among: &[Operation]) -> Vec<Statement> {
    let mut services: Vec<&'static str> = Vec::new();
    for op in among.iter().filter(|o| o.access() == access) {
        if !services.contains(&op.service()) {
            services.push(op.service());
        }
    }
    services
        .into_iter()
        .map(|service| {
            let mut actions: BTreeSet<String> = among
                .iter()
                .filter(|o| o.access() == access && o.service() == service)
                .map(|o| o.iam_action())
                .collect();
            if access == Access::Write && TAGS_ON_CREATE.contains(&service) {
                actions.insert(format!("{service}:TagResource"));
            }
            Statement {
                sid: sid(access, service),
                effect: "Allow",
                action: actions.into_iter().collect(),
                resource: "*",
            }
        })
        .collect()
}

fn sid(access: Access, service: &str) -> String {
    let what = match (access, service) {
        (Access::Write, "logs") => "MetricFilter".to_owned(),
        (Access::Write, "cloudwatch") => "Alarm".to_owned(),
        (Access::Write, "sns") => "Topic".to_owned(),
        (Access::Respond, "kms") => "KeyResponse".to_owned(),
        (_, "cloudtrail") => "Trails".to_owned(),
        (_, "logs") => "LogGroupsAndMetricFilters".to_owned(),
        (_, "cloudwatch") => "Alarms".to_owned(),
        (_, "sns") => "Topics".to_owned(),
        (_, "kms") => "Keys".to_owned(),
        (Access::Export, "securityhub") => "Findings".to_owned(),
        (Access::Reach, "organizations") => "OrganizationAccounts".to_owned(),
        (Access::Reach, "sts") => "AccountRoles".to_owned(),
        (_, other) => other
            .split(|c: char| !c.is_ascii_alphanumeric())
            .map(|w| {
                let mut c = w.chars();
                c.next()
                    .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                    .unwrap_or_default()
            })
            .collect(),
    };
    let verb = match access {
        Access::Write | Access::Respond => "Write",
        Access::Export => "Import",
        Access::Reach => "Reach",
        Access::Read | Access::CheckRead | Access::Unrestricted => "Read",
    };
    format!("Kmswatch{verb}{what}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shipped files are exactly the generated documents; bless a change
    /// with `KMSWATCH_BLESS=1`.
    #[test]
    fn shipped_policies_are_the_generated_ones() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../policies");
        for kind in PolicyKind::ALL {
            let path = dir.join(kind.file_name());
            let generated = iam_policy(kind);
            if std::env::var_os("KMSWATCH_BLESS").is_some() {
                std::fs::write(&path, &generated).unwrap();
            }
            let shipped = std::fs::read_to_string(&path).unwrap_or_default();
            assert_eq!(
                shipped,
                generated,
                "{} differs from the operations kmswatch calls (KMSWATCH_BLESS=1 to rewrite)",
                path.display()
            );
        }
    }

    #[test]
    fn every_sid_is_used_once_per_policy() {
        for kind in PolicyKind::ALL {
            let document: serde_json::Value = serde_json::from_str(&iam_policy(kind)).unwrap();
            let sids: Vec<&str> = document["Statement"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["Sid"].as_str().unwrap())
                .collect();
            let unique: BTreeSet<&str> = sids.iter().copied().collect();
            assert_eq!(unique.len(), sids.len(), "{}: {sids:?}", kind.as_str());
        }
    }

    #[test]
    fn every_read_is_in_both_and_every_write_only_in_remediate_but_the_check_only_reads() {
        let check = iam_policy(PolicyKind::Check);
        let remediate = iam_policy(PolicyKind::Remediate);
        let security_hub = iam_policy(PolicyKind::SecurityHub);
        let respond = iam_policy(PolicyKind::Respond);
        let scan = iam_policy(PolicyKind::Scan);
        for op in Operation::ALL {
            let action = format!("\"{}\"", op.iam_action());
            let held = (
                check.contains(&action),
                remediate.contains(&action),
                scan.contains(&action),
            );
            match op.access() {
                Access::Unrestricted => assert_eq!(held, (false, false, false), "{action}"),
                Access::Read => assert_eq!(held, (true, true, true), "{action}"),
                Access::CheckRead => assert_eq!(held, (true, false, true), "{action}"),
                Access::Write => assert_eq!(held, (false, true, false), "{action}"),
                Access::Reach => assert_eq!(held, (false, false, true), "{action}"),
                Access::Export => {
                    assert_eq!(held, (false, false, false), "{action}");
                    assert!(security_hub.contains(&action), "{action}");
                }
                Access::Respond => {
                    assert_eq!(held, (false, false, false), "{action}");
                    assert!(respond.contains(&action), "{action}");
                }
            }
            if op.access() != Access::Export {
                assert!(!security_hub.contains(&action), "{action}");
            }
        }
    }

    #[test]
    fn the_respond_policy_reads_only_the_key() {
        let respond: serde_json::Value =
            serde_json::from_str(&iam_policy(PolicyKind::Respond)).unwrap();
        let actions: Vec<&str> = respond["Statement"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|s| s["Action"].as_array().unwrap())
            .filter_map(|a| a.as_str())
            .collect();
        assert_eq!(
            actions,
            ["kms:DescribeKey", "kms:CancelKeyDeletion", "kms:EnableKey"]
        );
    }
}

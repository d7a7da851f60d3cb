//! Snapshots in and out: loading one to check offline, capturing one from a
//! live account.

use super::clock::Clock;
use super::connect::Account;
use super::failure::Failure;
use crate::check::{Facts, Scope, SnapshotError};
use crate::remediate::{self, RemediateOptions};
use std::path::{Path, PathBuf};

/// Where a snapshot comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SnapshotSource {
    /// A file.
    Path(PathBuf),
    /// Standard input.
    Stdin,
    /// The JSON document itself.
    Text(String),
}

impl SnapshotSource {
    /// A path as the command line gives it: `-` is standard input.
    pub fn from_arg(path: &Path) -> Self {
        if path.as_os_str() == "-" {
            SnapshotSource::Stdin
        } else {
            SnapshotSource::Path(path.to_owned())
        }
    }
}

/// Reads and validates a snapshot.
pub fn load_snapshot(source: &SnapshotSource) -> Result<Facts, Failure> {
    let facts = match source {
        SnapshotSource::Path(path) => Facts::load(path)?,
        SnapshotSource::Text(text) => Facts::from_json(text)?,
        SnapshotSource::Stdin => {
            let mut text = String::new();
            std::io::Read::read_to_string(&mut std::io::stdin(), &mut text).map_err(|source| {
                SnapshotError::Read {
                    path: "-".into(),
                    source,
                }
            })?;
            Facts::from_json(&text)?
        }
    };
    Ok(facts)
}

/// Gathers the facts of a live account, stamped with the time `clock` gives:
/// what `check` reads, and what `remediate` with its default names reads
/// beyond it (the alarms named like its alarm, its topic), so that
/// `remediate --snapshot` can plan from the file.
/// Failed calls are recorded in the facts' `errors`; only an account that
/// cannot be identified fails.
pub async fn capture(account: &Account, clock: &dyn Clock) -> Result<Facts, Failure> {
    capture_for(account, clock, &[&crate::controls::KMS]).await
}

/// [`capture`] reading, besides, the alarms of every filter that catches the
/// target events of one of `controls` (`kmswatch snapshot --control`).
pub async fn capture_for(
    account: &Account,
    clock: &dyn Clock,
    controls: &[&'static crate::controls::Control],
) -> Result<Facts, Failure> {
    // What a plan for these controls reads (each control's alarm name too),
    // so that `remediate --snapshot --control` can plan from the file.
    let options = RemediateOptions {
        controls: controls
            .iter()
            .filter(|c| !c.is_kms())
            .map(|c| c.cis.to_owned())
            .collect(),
        ..RemediateOptions::default()
    };
    let scope = Scope {
        // EventBridge rules as `check` reads them: the snapshot is checked too.
        eventbridge: true,
        controls: controls.to_vec(),
        ..remediate::scope(&options)
    };
    let chains = account
        .log_accounts
        .as_ref()
        .map(|l| l.chains().with_controls(controls.to_vec()));
    let mut facts =
        crate::check::gather_linked(&account.services, &account.region, &scope, chains.as_ref())
            .await
            .map_err(Failure::Identify)?;
    facts.captured_at = Some(clock.now_rfc3339());
    Ok(facts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::memory::MemoryBackend;
    use crate::session::clock::FixedClock;
    use crate::session::failure::ErrorClass;
    use std::sync::Arc;

    #[tokio::test]
    async fn captures_are_stamped_by_the_clock_and_load_back() {
        let backend = Arc::new(MemoryBackend::new("111122223333", "eu-west-1"));
        let account = Account::new(backend.services(), "eu-west-1");
        let clock = FixedClock("2026-03-01T12:00:00Z".into());
        let facts = capture(&account, &clock).await.unwrap();
        assert_eq!(facts.captured_at.as_deref(), Some("2026-03-01T12:00:00Z"));
        assert_eq!(facts.account_id, "111122223333");
        let loaded = load_snapshot(&SnapshotSource::Text(facts.to_json())).unwrap();
        assert_eq!(loaded, facts);
    }

    /// `kmswatch snapshot` then `kmswatch remediate --snapshot`: the capture
    /// holds what the plan needs (whether the alarm name is taken).
    #[tokio::test]
    async fn a_capture_can_be_remediated() {
        // A trail and its log group, no metric filter yet: no alarm is read
        // by metric, so nothing lists the region's alarms but the capture.
        let mut example = Facts::load("../examples/broken-alarm-no-actions.json".as_ref()).unwrap();
        for group in &mut example.log_groups {
            group.metric_filters = Some(Vec::new());
        }
        example.alarms.clear();
        let region = example.region.clone();
        let backend = Arc::new(MemoryBackend::from_facts(example));
        let account = Account::new(backend.services(), &region);
        let clock = FixedClock("2026-03-01T12:00:00Z".into());
        let facts = capture(&account, &clock).await.unwrap();
        let options = RemediateOptions {
            subscriber: Some(remediate::Subscriber::email("secops@example.com").unwrap()),
            ..RemediateOptions::default()
        };
        let listed = facts.region_alarms(&region).unwrap();
        assert!(listed.name_listed(&options.alarm_name), "{listed:#?}");
        let planned = remediate::dry_run(&facts, &options).unwrap();
        assert!(!planned.plan.actions.is_empty(), "{planned:#?}");
        // Alarms read by metric, and another alarm name than the one a
        // snapshot lists: the refusal says what was not read and how to read it.
        let mut by_metric = facts.clone();
        for region in &mut by_metric.alarms {
            region.by_metric.get_or_insert_with(Vec::new);
        }
        let options = RemediateOptions {
            alarm_name: "elsewhere".into(),
            ..options
        };
        let refused = remediate::dry_run(&by_metric, &options)
            .unwrap_err()
            .to_string();
        assert!(refused.contains("elsewhere"), "{refused}");
        assert!(!refused.contains("by metric only"), "{refused}");
    }

    #[test]
    fn bad_snapshots_are_snapshot_failures() {
        let missing = SnapshotSource::from_arg(Path::new("/nonexistent/snapshot.json"));
        assert_eq!(
            missing,
            SnapshotSource::Path("/nonexistent/snapshot.json".into())
        );
        let failure = load_snapshot(&missing).unwrap_err();
        assert_eq!(failure.class(), ErrorClass::Snapshot);
        assert!(
            failure.to_string().starts_with("cannot read snapshot"),
            "{failure}"
        );
        let failure = load_snapshot(&SnapshotSource::Text("{".into())).unwrap_err();
        assert!(
            failure.to_string().starts_with("malformed snapshot"),
            "{failure}"
        );
        assert_eq!(
            SnapshotSource::from_arg(Path::new("-")),
            SnapshotSource::Stdin
        );
    }
}

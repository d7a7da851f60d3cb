//! `kmswatch_core::scan` on an in-memory organization: which accounts are
//! scanned, how each is entered, and what each ends as.

use kmswatch_core::api::ApiResult;
use kmswatch_core::check::{Facts, Report, Status};
use kmswatch_core::layer::{Call, Layer, Next, Reply};
use kmswatch_core::memory::MemoryBackend;
use kmswatch_core::scan::{
    self, AccountSource, AccountState, Caller, Entered, MemoryOrganization, OrgAccount,
    OrganizationApi, RoleChoice, ScanDocument, ScanOptions,
};
use kmswatch_core::session::{block_on, ErrorClass};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

const MANAGEMENT: &str = "100000000000";
const REGION: &str = "us-east-1";

fn example(name: &str, account: &str) -> Arc<MemoryBackend> {
    let path = format!("{}/../examples/{name}.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(path)
        .unwrap()
        .replace("111122223333", account);
    Arc::new(MemoryBackend::from_facts(Facts::from_json(&text).unwrap()))
}

/// The management account (compliant), a compliant member, a broken one, one
/// whose role cannot be assumed, and a suspended one.
fn organization() -> MemoryOrganization {
    let mut org = MemoryOrganization::new(MANAGEMENT);
    for (id, example_name, state) in [
        (MANAGEMENT, "compliant", AccountState::Active),
        ("200000000000", "compliant", AccountState::Active),
        (
            "300000000000",
            "broken-trail-not-logging",
            AccountState::Active,
        ),
        ("400000000000", "compliant", AccountState::Active),
        ("500000000000", "compliant", AccountState::Suspended),
    ] {
        org.add_account(id, state, Some(example(example_name, id).services()));
    }
    org.refuse_role("400000000000");
    org
}

fn scan_with(
    org: &MemoryOrganization,
    source: AccountSource,
    options: &ScanOptions,
) -> ScanDocument {
    let never = std::future::pending::<()>();
    block_on(scan::execute(
        org,
        &source,
        &[],
        options,
        never,
        |_| {},
        |_, _| {},
    ))
    .unwrap()
}

fn by_account(document: &ScanDocument) -> Vec<(String, Status)> {
    let mut pairs: Vec<_> = document
        .accounts
        .iter()
        .map(|r| (r.account_id.clone(), r.status))
        .collect();
    pairs.sort_by(|a, b| a.0.cmp(&b.0));
    pairs
}

fn gap_codes(report: &Report) -> Vec<String> {
    report.gaps.iter().map(|g| g.code.as_string()).collect()
}

#[test]
fn each_active_account_gets_its_verdict_and_suspended_ones_are_skipped() {
    let document = scan_with(
        &organization(),
        AccountSource::Organization,
        &ScanOptions::new(REGION),
    );
    assert_eq!(
        by_account(&document),
        [
            (MANAGEMENT.to_owned(), Status::Pass),
            ("200000000000".to_owned(), Status::Pass),
            ("300000000000".to_owned(), Status::Fail),
            ("400000000000".to_owned(), Status::Error),
        ]
    );
    assert_eq!(document.skipped_accounts.len(), 1);
    assert_eq!(document.skipped_accounts[0].account_id, "500000000000");
    assert_eq!(document.skipped_accounts[0].reason, "SUSPENDED");
    let s = &document.summary;
    assert_eq!(
        (s.total, s.pass, s.fail, s.error, s.manual, s.skipped),
        (4, 2, 1, 1, 0, 1)
    );
    assert_eq!(document.status, Status::Error);
    assert!(document.accounts.iter().all(|r| r.generated_at.is_some()));
}

#[test]
fn a_refused_role_is_an_error_report_naming_the_role() {
    let document = scan_with(
        &organization(),
        AccountSource::Listed(vec!["400000000000".into()]),
        &ScanOptions::new(REGION),
    );
    let report = &document.accounts[0];
    assert_eq!(report.status, Status::Error);
    assert_eq!(gap_codes(report), ["ACCOUNT_NOT_ENTERED"]);
    assert!(
        report.summary.contains("AssumeRole failed"),
        "{}",
        report.summary
    );
    assert!(
        report
            .summary
            .contains("arn:aws:iam::400000000000:role/OrganizationAccountAccessRole"),
        "{}",
        report.summary
    );
    assert!(report.chains.is_empty());
}

#[test]
fn the_own_account_uses_the_callers_credentials_unless_told_otherwise() {
    let mut org = organization();
    // No role can be assumed in the management account.
    org.refuse_role(MANAGEMENT);
    let listed = AccountSource::Listed(vec![MANAGEMENT.into()]);
    let document = scan_with(&org, listed.clone(), &ScanOptions::new(REGION));
    assert_eq!(document.accounts[0].status, Status::Pass);
    let options = ScanOptions {
        role_in_own_account: true,
        ..ScanOptions::new(REGION)
    };
    let document = scan_with(&org, listed, &options);
    assert_eq!(gap_codes(&document.accounts[0]), ["ACCOUNT_NOT_ENTERED"]);
}

#[test]
fn a_role_template_names_the_role_in_each_account() {
    let options = ScanOptions {
        role: RoleChoice::Template("arn:{partition}:iam::{account}:role/Audit".into()),
        ..ScanOptions::new(REGION)
    };
    let document = scan_with(
        &organization(),
        AccountSource::Listed(vec!["400000000000".into()]),
        &options,
    );
    assert!(document.accounts[0]
        .summary
        .contains("arn:aws:iam::400000000000:role/Audit"));
}

#[test]
fn credentials_of_another_account_are_not_taken_for_the_one_asked() {
    let mut org = MemoryOrganization::new(MANAGEMENT);
    org.add_account(
        "200000000000",
        AccountState::Active,
        Some(example("compliant", "999999999999").services()),
    );
    let document = scan_with(&org, AccountSource::Organization, &ScanOptions::new(REGION));
    let report = &document.accounts[0];
    assert_eq!(report.account_id, "200000000000");
    assert_eq!(gap_codes(report), ["ACCOUNT_NOT_ENTERED"]);
    assert!(
        report.summary.contains("belong to account 999999999999"),
        "{}",
        report.summary
    );
}

#[test]
fn listed_and_excluded_accounts() {
    let org = organization();
    let source = AccountSource::Listed(vec![
        "200000000000".into(),
        "300000000000".into(),
        "200000000000".into(),
    ]);
    let (caller, selection) =
        block_on(scan::prepare(&org, &source, &["300000000000".into()])).unwrap();
    assert_eq!(caller.account_id, MANAGEMENT);
    assert_eq!(selection.accounts, ["200000000000"]);
    assert_eq!(selection.skipped[0].reason, "excluded");
    let err = block_on(scan::prepare(
        &org,
        &source,
        &["200000000000".into(), "300000000000".into()],
    ))
    .unwrap_err();
    assert_eq!(err.class(), ErrorClass::Usage);
    assert!(err.to_string().starts_with("no account to scan"), "{err}");
}

/// 200000000000 answers each call after 30 s; 300000000000 at once.
fn slow_and_fast() -> MemoryOrganization {
    let mut org = MemoryOrganization::new(MANAGEMENT);
    let slow = example("compliant", "200000000000")
        .services()
        .layer(Delay(Duration::from_secs(30)));
    org.add_account("200000000000", AccountState::Active, Some(slow));
    org.add_account(
        "300000000000",
        AccountState::Active,
        Some(example("compliant", "300000000000").services()),
    );
    org
}

#[test]
fn the_deadline_ends_a_slow_account_as_error_and_the_others_finish() {
    let org = slow_and_fast();
    let options = ScanOptions {
        account_timeout: Some(Duration::from_millis(200)),
        max_concurrency: 1,
        ..ScanOptions::new(REGION)
    };
    let document = scan_with(&org, AccountSource::Organization, &options);
    assert_eq!(
        by_account(&document),
        [
            ("200000000000".to_owned(), Status::Error),
            ("300000000000".to_owned(), Status::Pass)
        ]
    );
}

#[test]
fn the_scan_document_round_trips_and_counts_api_calls() {
    let document = scan_with(
        &organization(),
        AccountSource::Organization,
        &ScanOptions::new(REGION),
    );
    let json: serde_json::Value = serde_json::from_str(&document.to_json()).unwrap();
    assert_eq!(json["schema"], "kmswatch.scan/v1");
    assert_eq!(json["status"], "ERROR");
    assert_eq!(json["summary"]["total"], 4);
    assert_eq!(json["interrupted"], false);
    let back: ScanDocument = serde_json::from_value(json).unwrap();
    assert_eq!(back, document);
    let calls: u64 = document.accounts.iter().filter_map(|r| r.api_calls).sum();
    assert!(calls > 0);
    assert_eq!(document.summary.api_calls, calls);
}

/// Holds every call back by a fixed time.
struct Delay(Duration);

impl Layer for Delay {
    fn around<'a, T: Reply>(&'a self, _call: Call<'a>, next: Next<'a, T>) -> Next<'a, T> {
        Box::pin(async move {
            tokio::time::sleep(self.0).await;
            next.await
        })
    }
}

/// An organization that notes how many accounts are entered and not yet
/// reported on.
struct Gauge {
    org: MemoryOrganization,
    entered: AtomicUsize,
    reported: Arc<AtomicUsize>,
    peak: AtomicUsize,
}

#[async_trait::async_trait]
impl OrganizationApi for Gauge {
    async fn caller(&self) -> ApiResult<Caller> {
        self.org.caller().await
    }
    async fn list_accounts(&self) -> ApiResult<Vec<OrgAccount>> {
        self.org.list_accounts().await
    }
    async fn enter(&self, account_id: &str, role_arn: Option<&str>) -> ApiResult<Entered> {
        let entered = self.entered.fetch_add(1, Ordering::SeqCst) + 1;
        let running = entered - self.reported.load(Ordering::SeqCst);
        self.peak.fetch_max(running, Ordering::SeqCst);
        self.org.enter(account_id, role_arn).await
    }
}

#[test]
fn at_most_max_concurrency_accounts_run_at_once() {
    let mut org = MemoryOrganization::new(MANAGEMENT);
    for n in 1..=6 {
        let id = format!("{n}00000000001");
        let services = example("compliant", &id)
            .services()
            .layer(Delay(Duration::from_millis(5)));
        org.add_account(&id, AccountState::Active, Some(services));
    }
    let reported = Arc::new(AtomicUsize::new(0));
    let gauge = Gauge {
        org,
        entered: AtomicUsize::new(0),
        reported: reported.clone(),
        peak: AtomicUsize::new(0),
    };
    let options = ScanOptions {
        max_concurrency: 2,
        ..ScanOptions::new(REGION)
    };
    let mut passed = 0;
    block_on(async {
        let (caller, selection) = scan::prepare(&gauge, &AccountSource::Organization, &[]).await?;
        scan::run(&gauge, &caller, &selection.accounts, &options, |s| {
            passed += usize::from(s.report.status == Status::Pass);
            reported.fetch_add(1, Ordering::SeqCst);
        })
        .await;
        Ok(())
    })
    .unwrap();
    assert_eq!(passed, 6);
    assert_eq!(gauge.peak.load(Ordering::SeqCst), 2);
}

#[test]
fn a_stopped_scan_keeps_what_finished_and_says_it_was_interrupted() {
    let org = slow_and_fast();
    let stop = async { tokio::time::sleep(Duration::from_millis(200)).await };
    let mut total = 0;
    let document = block_on(scan::execute(
        &org,
        &AccountSource::Organization,
        &[],
        &ScanOptions::new(REGION),
        stop,
        |n| total = n,
        |_, _| {},
    ))
    .unwrap();
    assert_eq!(total, 2);
    assert!(document.interrupted);
    assert_eq!(
        by_account(&document),
        [("300000000000".to_owned(), Status::Pass)]
    );
    assert_eq!(document.status, Status::Error);
    assert_eq!(document.caller_account_id.as_deref(), Some(MANAGEMENT));
}

#[test]
fn each_entered_account_sends_its_own_finding_to_its_own_security_hub() {
    let org = organization();
    let options = ScanOptions {
        send_to_security_hub: true,
        ..ScanOptions::new(REGION)
    };
    let document = scan_with(&org, AccountSource::Organization, &options);
    let summary = document.security_hub.as_ref().expect("an import summary");
    // Three accounts entered (the management one, 200 and 300); 400 refused
    // the role, 500 is suspended.
    assert_eq!(summary.imported, 3);
    assert!(summary.failed.is_empty());
    for id in [MANAGEMENT, "200000000000", "300000000000"] {
        let findings = org.security_hub(id).unwrap().findings();
        assert_eq!(findings.len(), 1, "{id}");
        assert_eq!(findings[0].aws_account_id, id);
        assert!(findings[0]
            .product_arn
            .contains(&format!(":{id}:product/{id}/default")));
    }
    let failing = &org.security_hub("300000000000").unwrap().findings()[0];
    assert_eq!(failing.compliance.status, "FAILED");
    assert!(org
        .security_hub("400000000000")
        .unwrap()
        .findings()
        .is_empty());
}

#[test]
fn a_security_hub_that_refuses_is_named_and_the_scan_goes_on() {
    let org = organization();
    org.security_hub("200000000000").unwrap().deny_calls();
    let options = ScanOptions {
        send_to_security_hub: true,
        ..ScanOptions::new(REGION)
    };
    let document = scan_with(&org, AccountSource::Organization, &options);
    let summary = document.security_hub.unwrap();
    assert_eq!(summary.imported, 2);
    assert_eq!(summary.failed.len(), 1);
    assert!(summary.failed[0].id.contains("/200000000000/"));
    assert_eq!(document.accounts.len(), 4);
}

#[test]
fn without_sending_no_security_hub_is_touched() {
    let org = organization();
    let document = scan_with(&org, AccountSource::Organization, &ScanOptions::new(REGION));
    assert!(document.security_hub.is_none());
    assert!(!document.to_json().contains("security_hub"));
    assert!(org.security_hub(MANAGEMENT).unwrap().findings().is_empty());
}

#[test]
fn a_scan_with_controls_judges_each_of_them_in_every_account() {
    let options = ScanOptions {
        controls: vec!["4.3".into(), "4.7".into()],
        ..ScanOptions::new(REGION)
    };
    let document = scan_with(
        &organization(),
        AccountSource::Listed(vec!["200000000000".into()]),
        &options,
    );
    let report = &document.accounts[0];
    let asked: Vec<(&str, Status)> = report
        .controls
        .iter()
        .map(|c| (c.control.as_str(), c.status))
        .collect();
    // The bundled compliant account's root filter has no alarm.
    assert_eq!(asked, [("4.3", Status::Fail), ("4.7", Status::Pass)]);
    assert_eq!(report.status, Status::Fail);
}

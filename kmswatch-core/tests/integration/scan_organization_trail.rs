//! Organization trails on an in-memory organization: one trail in the
//! management account delivers every member's events to one log group (in
//! the management or a log-archive account), where the filter, alarm and
//! topic are. Every member gets that chain's verdict for its own events, and
//! the chain is read once per scan.

use kmswatch_core::check::{self, Facts, LinkedChains, Report, Scope, Status};
use kmswatch_core::layer::CallCount;
use kmswatch_core::memory::MemoryBackend;
use kmswatch_core::scan::{
    self, AccountSource, AccountState, MemoryOrganization, ScanDocument, ScanOptions,
};
use kmswatch_core::session::block_on;
use std::sync::Arc;

const MANAGEMENT: &str = "100000000000";
const LOG_ARCHIVE: &str = "900000000000";
const MEMBERS: [&str; 4] = [
    "200000000000",
    "300000000000",
    "400000000000",
    "500000000000",
];
const REGION: &str = "us-east-1";

/// The compliant example with its chain in `account`.
fn compliant_in(account: &str) -> Facts {
    let path = format!("{}/../examples/compliant.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(path)
        .unwrap()
        .replace("111122223333", account);
    let mut facts = Facts::from_json(&text).unwrap();
    facts.captured_at = None;
    for t in &mut facts.trails {
        t.trail.is_organization_trail = true;
        t.trail.trail_arn = t.trail.trail_arn.replace(account, MANAGEMENT);
    }
    facts
}

/// What `viewer` sees of the organization trail in `holder`: the trail
/// alone (its ARN in the management account, its log group where it is).
fn member_view(holder: &Facts, viewer: &str) -> Facts {
    let mut facts = Facts::new(viewer, REGION);
    facts.trails = holder.trails.clone();
    facts
}

/// An organization whose every account sees `holder`'s trail; `holder`
/// itself is the account its facts name (the management account, or a log
/// archive). Returns the organization and a counter of the holder's calls.
fn organization(holder: Facts) -> (MemoryOrganization, Arc<CallCount>) {
    organization_of(holder, &MEMBERS)
}

/// [`organization`] with these members.
fn organization_of(holder: Facts, members: &[&str]) -> (MemoryOrganization, Arc<CallCount>) {
    let mut org = MemoryOrganization::new(MANAGEMENT);
    let count = Arc::new(CallCount::default());
    let mut accounts: Vec<String> = members.iter().map(|m| m.to_string()).collect();
    accounts.push(MANAGEMENT.to_owned());
    accounts.push(LOG_ARCHIVE.to_owned());
    for id in accounts {
        let facts = if id == holder.account_id {
            holder.clone()
        } else {
            member_view(&holder, &id)
        };
        let mut services = Arc::new(MemoryBackend::from_facts(facts)).services();
        if id == holder.account_id {
            services = services.layer(count.clone());
        }
        org.add_account(&id, AccountState::Active, Some(services));
    }
    (org, count)
}

fn scan_of(org: &MemoryOrganization, source: AccountSource) -> ScanDocument {
    let never = std::future::pending::<()>();
    let options = ScanOptions::new(REGION);
    block_on(scan::execute(
        org,
        &source,
        &[],
        &options,
        never,
        |_| {},
        |_, _| {},
    ))
    .unwrap()
}

fn verdicts(document: &ScanDocument) -> Vec<(&str, Status)> {
    document
        .accounts
        .iter()
        .map(|r| (r.account_id.as_str(), r.status))
        .collect()
}

fn status_of<'d>(document: &'d ScanDocument, account: &str) -> &'d Report {
    document
        .accounts
        .iter()
        .find(|r| r.account_id == account)
        .unwrap_or_else(|| panic!("{account} not in the scan"))
}

fn all_are(document: &ScanDocument, status: Status) {
    assert!(
        document.accounts.iter().all(|r| r.status == status),
        "{:?}",
        verdicts(document)
    );
}

#[test]
fn a_chain_in_the_management_account_passes_every_member() {
    let (org, count) = organization(compliant_in(MANAGEMENT));
    let document = scan_of(&org, AccountSource::Organization);
    assert_eq!(document.accounts.len(), 6);
    all_are(&document, Status::Pass);
    assert_eq!(document.status, Status::Pass);
    // The shared chain is read once for all members: the management
    // account answers as many calls with four members as with one.
    let (one, one_count) = organization_of(compliant_in(MANAGEMENT), &MEMBERS[..1]);
    let small = scan_of(&one, AccountSource::Organization);
    all_are(&small, Status::Pass);
    assert!(one_count.get() > 0);
    assert_eq!(count.get(), one_count.get());
}

#[test]
fn the_same_chain_without_its_alarm_fails_every_member() {
    let mut holder = compliant_in(MANAGEMENT);
    holder.alarms.clear();
    let (org, _) = organization(holder);
    let document = scan_of(&org, AccountSource::Organization);
    all_are(&document, Status::Fail);
}

#[test]
fn a_chain_in_a_log_archive_passes_the_management_account_and_every_member() {
    let (org, _) = organization(compliant_in(LOG_ARCHIVE));
    let document = scan_of(&org, AccountSource::Organization);
    assert_eq!(document.accounts.len(), 6);
    all_are(&document, Status::Pass);
    let member = status_of(&document, MEMBERS[0]);
    assert!(member.chains[0]
        .log_group_arn
        .as_deref()
        .is_some_and(|a| a.contains(LOG_ARCHIVE)));
}

#[test]
fn a_filter_scoped_to_the_management_account_passes_it_and_fails_the_members() {
    let mut holder = compliant_in(MANAGEMENT);
    let filter = &mut holder.log_groups[0].metric_filters.as_mut().unwrap()[0];
    filter.filter_pattern = format!(
        "{{ ($.recipientAccountId = \"{MANAGEMENT}\") && ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }}"
    );
    let (org, _) = organization(holder);
    let document = scan_of(&org, AccountSource::Organization);
    for report in &document.accounts {
        let expected = if report.account_id == MANAGEMENT {
            Status::Pass
        } else {
            Status::Fail
        };
        assert_eq!(report.status, expected, "{}", report.account_id);
    }
}

#[test]
fn a_stopped_organization_trail_fails_all_but_a_member_with_its_own_chain() {
    let mut holder = compliant_in(MANAGEMENT);
    holder.trails[0].status.as_mut().unwrap().is_logging = false;
    let mut org = MemoryOrganization::new(MANAGEMENT);
    let own = MEMBERS[1];
    // The member with its own complete chain sees the organization trail too.
    let mut own_facts = compliant_in(own);
    for t in &mut own_facts.trails {
        t.trail.is_organization_trail = false;
        t.trail.trail_arn = t.trail.trail_arn.replace(MANAGEMENT, own);
    }
    own_facts.trails.extend(holder.trails.clone());
    for id in [MANAGEMENT, MEMBERS[0], own, MEMBERS[2]] {
        let facts = match id {
            MANAGEMENT => holder.clone(),
            id if id == own => own_facts.clone(),
            id => member_view(&holder, id),
        };
        let services = Arc::new(MemoryBackend::from_facts(facts)).services();
        org.add_account(id, AccountState::Active, Some(services));
    }
    let document = scan_of(&org, AccountSource::Organization);
    for report in &document.accounts {
        let expected = if report.account_id == own {
            Status::Pass
        } else {
            Status::Fail
        };
        assert_eq!(report.status, expected, "{}", report.account_id);
    }
}

#[test]
fn a_log_archive_outside_the_list_is_entered_to_read_the_chain_only() {
    let (org, count) = organization(compliant_in(LOG_ARCHIVE));
    let listed: Vec<String> = MEMBERS.iter().map(|m| m.to_string()).collect();
    let document = scan_of(&org, AccountSource::Listed(listed));
    assert_eq!(document.accounts.len(), 4);
    all_are(&document, Status::Pass);
    assert!(document
        .accounts
        .iter()
        .all(|r| r.account_id != LOG_ARCHIVE));
    assert!(count.get() > 0, "the log archive was not read");
}

#[test]
fn a_log_archive_whose_role_is_refused_leaves_the_members_manual_naming_it() {
    let (mut org, _) = organization(compliant_in(LOG_ARCHIVE));
    org.refuse_role(LOG_ARCHIVE);
    let listed: Vec<String> = MEMBERS.iter().map(|m| m.to_string()).collect();
    let document = scan_of(&org, AccountSource::Listed(listed));
    all_are(&document, Status::Manual);
    let gap = &document.accounts[0].chains[0].gaps[0];
    assert_eq!(gap.code.as_string(), "LOG_GROUP_OTHER_ACCOUNT");
    assert!(gap.message.contains(LOG_ARCHIVE), "{}", gap.message);
    assert!(
        gap.message.contains("AccessDenied") || gap.message.contains("not authorized"),
        "{}",
        gap.message
    );
    assert!(gap.fix.contains("--log-account-role"), "{}", gap.fix);
}

#[test]
fn a_member_checked_alone_follows_the_chain_with_a_role_template() {
    let (org, _) = organization(compliant_in(LOG_ARCHIVE));
    let member = MemoryBackend::from_facts(member_view(&compliant_in(LOG_ARCHIVE), MEMBERS[0]));
    let services = Arc::new(member).services();
    let template = "arn:aws:iam::{account}:role/Audit".to_owned();
    let role_for = move |id: &str| Some(template.replace("{account}", id));
    let linked = LinkedChains::new(&org, Box::new(role_for), Vec::new());
    let (facts, report) = block_on(async {
        Ok(
            check::check_linked(&services, REGION, &Scope::check(), Some(&linked))
                .await
                .unwrap(),
        )
    })
    .unwrap();
    assert_eq!(report.status, Status::Pass, "{:?}", report.gaps);
    assert_eq!(facts.linked.len(), 1);
    assert_eq!(facts.linked[0].account_id, LOG_ARCHIVE);
    assert_eq!(
        facts.linked[0].role_arn.as_deref(),
        Some("arn:aws:iam::900000000000:role/Audit")
    );
    // The snapshot decides offline the same way.
    let again = Facts::from_json(&facts.to_json()).unwrap();
    assert_eq!(check::report(&again).status, Status::Pass);
    // Without the linked facts the member's verdict is MANUAL, naming the flag.
    let alone = check::report(&member_view(&compliant_in(LOG_ARCHIVE), MEMBERS[0]));
    assert_eq!(alone.status, Status::Manual);
}

#[test]
fn a_filter_scoped_to_the_checked_account_catches_its_own_events_only() {
    for (scoped_to, expected) in [
        ("444455556666", Status::Pass),
        ("777788889999", Status::Fail),
    ] {
        let mut facts = compliant_in("444455556666");
        for t in &mut facts.trails {
            t.trail.is_organization_trail = false;
            t.trail.trail_arn = t.trail.trail_arn.replace(MANAGEMENT, "444455556666");
        }
        let filter = &mut facts.log_groups[0].metric_filters.as_mut().unwrap()[0];
        filter.filter_pattern = format!(
            "{{ ($.recipientAccountId = \"{scoped_to}\") && ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }}"
        );
        assert_eq!(check::report(&facts).status, expected, "{scoped_to}");
    }
}

#[test]
fn credentials_of_another_account_are_not_read_as_the_log_archive() {
    let holder = compliant_in(LOG_ARCHIVE);
    let mut org = MemoryOrganization::new(MANAGEMENT);
    // The role "into" the log archive lands in a look-alike account.
    let mut impostor = holder.clone();
    impostor.account_id = "999999999999".to_owned();
    let impostor = Arc::new(MemoryBackend::from_facts(impostor)).services();
    org.add_account(LOG_ARCHIVE, AccountState::Active, Some(impostor));
    let member = Arc::new(MemoryBackend::from_facts(member_view(&holder, MEMBERS[0]))).services();
    org.add_account(MEMBERS[0], AccountState::Active, Some(member));
    let document = scan_of(&org, AccountSource::Listed(vec![MEMBERS[0].into()]));
    let report = &document.accounts[0];
    assert_eq!(report.status, Status::Manual, "{:?}", report.chains);
    let message = &report.chains[0].gaps[0].message;
    assert!(
        message.contains("belong to account 999999999999"),
        "{message}"
    );
}

#[test]
fn remediation_plans_nothing_in_a_member_for_a_chain_held_elsewhere() {
    let mut holder = compliant_in(LOG_ARCHIVE);
    holder.alarms.clear();
    let (org, _) = organization(holder.clone());
    let member = Arc::new(MemoryBackend::from_facts(member_view(&holder, MEMBERS[0])));
    let services = member.services();
    let role_for = |id: &str| Some(format!("arn:aws:iam::{id}:role/Audit"));
    let linked = LinkedChains::new(&org, Box::new(role_for), Vec::new());
    let facts = block_on(async {
        Ok(
            check::gather_linked(&services, REGION, &Scope::check(), Some(&linked))
                .await
                .unwrap(),
        )
    })
    .unwrap();
    let report = check::report(&facts);
    assert_eq!(report.status, Status::Fail);
    assert_eq!(
        report.chains[0].log_group_account_id.as_deref(),
        Some(LOG_ARCHIVE)
    );
    assert!(
        report
            .summary
            .contains(&format!("monitored in account {LOG_ARCHIVE}")),
        "{}",
        report.summary
    );
    let assessment = check::evaluate(&facts);
    let refused = kmswatch_core::remediate::plan_for(
        &assessment,
        &kmswatch_core::remediate::RemediateOptions::default(),
    )
    .unwrap_err();
    let text = refused.to_string();
    assert!(
        text.contains(LOG_ARCHIVE) && text.contains("LOG_GROUP_OTHER_ACCOUNT"),
        "{text}"
    );
}

/// A member that may not read its organization trail's status and selectors
/// (they are recorded as denied in its account).
fn denied_view(holder: &Facts, viewer: &str) -> Facts {
    use kmswatch_core::api::{ApiError, ApiErrorKind};
    use kmswatch_core::operation::Operation;
    let mut facts = member_view(holder, viewer);
    for t in &mut facts.trails {
        t.status = None;
        t.event_selectors = None;
        for operation in [Operation::GetTrailStatus, Operation::GetEventSelectors] {
            let denied = ApiError::new(
                operation,
                ApiErrorKind::AccessDenied,
                "AccessDenied",
                "denied",
            );
            facts
                .errors
                .push(denied.in_region(REGION).about(&t.trail.trail_arn));
        }
    }
    facts
}

#[test]
fn trail_facts_a_member_cannot_read_come_from_the_management_account() {
    for (logging, expected) in [(true, Status::Pass), (false, Status::Fail)] {
        let mut holder = compliant_in(LOG_ARCHIVE);
        holder.trails[0].status.as_mut().unwrap().is_logging = logging;
        let mut org = MemoryOrganization::new(MANAGEMENT);
        let management = compliant_in(MANAGEMENT);
        let mut management_view = member_view(&holder, MANAGEMENT);
        management_view.log_groups = management.log_groups.clone();
        for (id, facts) in [
            (MANAGEMENT, management_view),
            (LOG_ARCHIVE, holder.clone()),
            (MEMBERS[0], denied_view(&holder, MEMBERS[0])),
        ] {
            let services = Arc::new(MemoryBackend::from_facts(facts)).services();
            org.add_account(id, AccountState::Active, Some(services));
        }
        let document = scan_of(&org, AccountSource::Listed(vec![MEMBERS[0].into()]));
        let report = &document.accounts[0];
        assert_eq!(report.status, expected, "{:?}", report.chains);
    }
    // Scanned from a delegated administrator that cannot enter the
    // management account, the member's trail stays unknown: never PASS.
    let holder = compliant_in(LOG_ARCHIVE);
    let mut org = MemoryOrganization::new(LOG_ARCHIVE);
    for (id, facts) in [
        (MANAGEMENT, member_view(&holder, MANAGEMENT)),
        (LOG_ARCHIVE, holder.clone()),
        (MEMBERS[0], denied_view(&holder, MEMBERS[0])),
    ] {
        let services = Arc::new(MemoryBackend::from_facts(facts)).services();
        org.add_account(id, AccountState::Active, Some(services));
    }
    org.refuse_role(MANAGEMENT);
    let document = scan_of(&org, AccountSource::Listed(vec![MEMBERS[0].into()]));
    let report = &document.accounts[0];
    assert_eq!(report.status, Status::Manual, "{}", report.summary);
    let codes: Vec<String> = report.chains[0]
        .gaps
        .iter()
        .map(|g| g.code.as_string())
        .collect();
    assert!(
        codes.contains(&"TRAIL_STATUS_UNKNOWN".to_owned()),
        "{codes:?}"
    );
}

/// A member entered through `org` with a role, following its chains.
fn member_account(
    org: Arc<MemoryOrganization>,
    services: kmswatch_core::api::Services,
) -> kmswatch_core::session::Account {
    use kmswatch_core::session::{Account, LogAccounts};
    Account::new(services, REGION).with_log_accounts(LogAccounts {
        org,
        role: kmswatch_core::api::RoleChoice::Template(
            "arn:aws:iam::{account}:role/Audit".to_owned(),
        ),
        partition: "aws".to_owned(),
    })
}

#[test]
fn remediation_of_a_member_is_planned_and_applied_in_the_log_archive() {
    use kmswatch_core::remediate::{RemediateOptions, Subscriber};
    let mut holder = compliant_in(LOG_ARCHIVE);
    holder.alarms.clear();
    let archive = Arc::new(MemoryBackend::from_facts(holder.clone()));
    let mut org = MemoryOrganization::new(MANAGEMENT);
    org.add_account(LOG_ARCHIVE, AccountState::Active, Some(archive.services()));
    let org = Arc::new(org);
    let member = Arc::new(MemoryBackend::from_facts(member_view(&holder, MEMBERS[0])));
    let account = member_account(org.clone(), member.services());
    let options = RemediateOptions {
        subscriber: Some(
            Subscriber::parse(&format!("sqs:arn:aws:sqs:{REGION}:{LOG_ARCHIVE}:oncall")).unwrap(),
        ),
        ..RemediateOptions::default()
    };
    let (dry, _) =
        block_on(async { kmswatch_core::session::remediate(&account, &options, false).await })
            .unwrap();
    assert_eq!(dry.plan.account_id, LOG_ARCHIVE);
    assert!(!dry.plan.actions.is_empty());
    assert!(dry.reaches_pass(), "{:?}", dry.predicted_status);
    assert!(
        dry.plan.notes[0].contains(MEMBERS[0]),
        "{}",
        dry.plan.notes[0]
    );
    let before = member.to_facts();
    let (applied, _) =
        block_on(async { kmswatch_core::session::remediate(&account, &options, true).await })
            .unwrap();
    assert_eq!(applied.status_after, Some(Status::Pass));
    // The alarm is in the log archive; nothing was created in the member.
    assert!(!archive.to_facts().alarms.is_empty());
    assert_eq!(member.to_facts(), before);
}

#[test]
fn a_plan_in_the_log_archive_that_leaves_the_member_failing_is_refused() {
    use kmswatch_core::remediate::RemediateOptions;
    // The management account holds the chain; its filter catches its own
    // events only: it passes, the member does not, and no plan changes that.
    let mut holder = compliant_in(MANAGEMENT);
    let filter = &mut holder.log_groups[0].metric_filters.as_mut().unwrap()[0];
    filter.filter_pattern = format!(
        "{{ ($.recipientAccountId = \"{MANAGEMENT}\") && ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }}"
    );
    let mut org = MemoryOrganization::new(LOG_ARCHIVE);
    let management = Arc::new(MemoryBackend::from_facts(holder.clone()));
    org.add_account(
        MANAGEMENT,
        AccountState::Active,
        Some(management.services()),
    );
    let member = Arc::new(MemoryBackend::from_facts(member_view(&holder, MEMBERS[0])));
    let account = member_account(Arc::new(org), member.services());
    let refused = block_on(async {
        kmswatch_core::session::remediate(&account, &RemediateOptions::default(), false).await
    })
    .unwrap_err();
    let message = refused.message();
    assert!(
        message.contains(MEMBERS[0]) && message.contains(MANAGEMENT),
        "{message}"
    );
}

#[test]
fn the_shared_chain_is_read_for_every_control_asked() {
    use kmswatch_core::session::{check_run, CheckRun};
    // The log archive also watches IAM policy changes (CIS 4.4), a filter
    // that catches no KMS event: its alarm is read only when 4.4 is asked.
    let iam = kmswatch_core::controls::find("4.4").unwrap();
    let mut holder = compliant_in(LOG_ARCHIVE);
    let filters = holder.log_groups[0].metric_filters.as_mut().unwrap();
    let mut filter = filters[0].clone();
    filter.filter_name = "IAMPolicyChanges".to_owned();
    filter.filter_pattern = iam.cis_pattern.to_owned();
    filter.metric_transformations[0].metric_name = "IAMPolicyChanges".to_owned();
    filters.push(filter);
    let region = holder.alarms[0].alarms.as_mut().unwrap();
    let mut alarm = region[0].clone();
    alarm.alarm_name = "IAMPolicyChanges".to_owned();
    alarm.alarm_arn = alarm
        .alarm_arn
        .replace("KMSKeyDisableOrScheduledDeletion", "IAMPolicyChanges");
    alarm.metric.as_mut().unwrap().metric_name = "IAMPolicyChanges".to_owned();
    region.push(alarm);
    let archive = Arc::new(MemoryBackend::from_facts(holder.clone()));
    let mut org = MemoryOrganization::new(MANAGEMENT);
    org.add_account(LOG_ARCHIVE, AccountState::Active, Some(archive.services()));
    let member = Arc::new(MemoryBackend::from_facts(member_view(&holder, MEMBERS[0])));
    let account = member_account(Arc::new(org), member.services());
    let run = CheckRun {
        controls: kmswatch_core::controls::parse_selection(["4.4", "4.7"]).unwrap(),
        ..CheckRun::default()
    };
    let (facts, report) = block_on(check_run(&account, &run)).unwrap();
    let report = check::controls::judge(report, &facts, &run.controls);
    let verdict = report.controls.iter().find(|c| c.control == "4.4").unwrap();
    assert_eq!(verdict.status, Status::Pass, "{:?}", verdict.gaps);
    assert_eq!(report.status, Status::Pass);
}

/// Holds every call of an account for a while.
struct Slow(std::time::Duration);

impl kmswatch_core::layer::Layer for Slow {
    fn around<'a, T: kmswatch_core::layer::Reply>(
        &'a self,
        _call: kmswatch_core::layer::Call<'a>,
        next: kmswatch_core::layer::Next<'a, T>,
    ) -> kmswatch_core::layer::Next<'a, T> {
        Box::pin(async move {
            tokio::time::sleep(self.0).await;
            next.await
        })
    }
}

#[test]
fn a_slow_log_archive_is_read_within_the_scans_deadline() {
    let holder = compliant_in(LOG_ARCHIVE);
    let mut org = MemoryOrganization::new(MANAGEMENT);
    let archive = Arc::new(MemoryBackend::from_facts(holder.clone()))
        .services()
        .layer(Slow(std::time::Duration::from_secs(30)));
    org.add_account(LOG_ARCHIVE, AccountState::Active, Some(archive));
    let member = Arc::new(MemoryBackend::from_facts(member_view(&holder, MEMBERS[0]))).services();
    org.add_account(MEMBERS[0], AccountState::Active, Some(member));
    let mut options = ScanOptions::new(REGION);
    options.account_timeout = Some(std::time::Duration::from_millis(300));
    let document = block_on(scan::execute(
        &org,
        &AccountSource::Listed(vec![MEMBERS[0].into()]),
        &[],
        &options,
        std::future::pending::<()>(),
        |_| {},
        |_, _| {},
    ))
    .unwrap();
    // The shared chain's calls ran out of time: never a PASS on facts not read.
    assert_ne!(document.accounts[0].status, Status::Pass);
}

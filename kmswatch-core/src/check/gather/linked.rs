//! The links an account's trails lead to in other accounts: an organization
//! trail delivers every member's events to one log group in the management
//! or a log-archive account, where its filters, alarms and topics are too.
//! They are read there, with that account's credentials, once per run
//! however many accounts share them ([`LinkedChains`] keeps each read), and
//! each account gets them in [`Facts::linked`].

use super::{read_groups, read_trail, Scope};
use crate::api::OrganizationApi;
use crate::check::facts::{Facts, LinkedAccount, TrailFacts};
use crate::check::reading::delivered_groups;
use crate::controls::Control;
use crate::model::{normalize_log_group_arn, Arn, Trail};
use futures::future::{BoxFuture, FutureExt, Shared};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// The role to assume in an account that holds links (`None`: enter it with
/// the caller's own credentials, the caller's own account).
pub type RoleFor<'a> = Box<dyn Fn(&str) -> Option<String> + Send + Sync + 'a>;

/// Where links held by other accounts are read: entering an account through
/// `org` with the role `role_for` names, each account's links read once and
/// kept for every account whose trails lead there.
pub struct LinkedChains<'a> {
    org: &'a dyn OrganizationApi,
    role_for: RoleFor<'a>,
    subjects: Vec<String>,
    controls: Vec<&'static Control>,
    deadline: Option<std::time::Duration>,
    max_in_flight: usize,
    read: Mutex<HashMap<String, Shared<BoxFuture<'a, LinkedAccount>>>>,
    reads: AtomicUsize,
}

impl<'a> LinkedChains<'a> {
    /// Links read through `org`, entering each account with `role_for`'s
    /// role. `subjects` are the accounts whose events the shared log groups
    /// receive (the accounts of the run): the alarms of every filter that
    /// catches a target event of one of them are read, so that one read
    /// serves them all.
    pub fn new(org: &'a dyn OrganizationApi, role_for: RoleFor<'a>, subjects: Vec<String>) -> Self {
        LinkedChains {
            org,
            role_for,
            subjects,
            controls: Scope::check().controls,
            deadline: None,
            max_in_flight: Scope::check().max_in_flight,
            read: Mutex::new(HashMap::new()),
            reads: AtomicUsize::new(0),
        }
    }

    /// The same, reading what `controls` need of the shared chains (the
    /// alarms of the filters that catch any of their targets).
    pub fn with_controls(mut self, controls: Vec<&'static Control>) -> Self {
        if !controls.is_empty() {
            self.controls = controls;
        }
        self
    }

    /// The same, each account's links read within `budget` from entering it
    /// (a scan's `--timeout`): calls still running then fail.
    pub fn with_deadline(mut self, budget: Option<std::time::Duration>) -> Self {
        self.deadline = budget;
        self
    }

    /// How many times the links of an account were read (each distinct set
    /// of log groups of each account once, whatever the number of accounts
    /// sharing them).
    pub fn reads(&self) -> usize {
        self.reads.load(Ordering::Relaxed)
    }

    /// What `account_id` holds of `facts`' chains, read once: the log groups
    /// `groups`, and the status and selectors of `trails` (its trails, which
    /// the checked account could not read); `facts` is the account whose
    /// trails lead there (its region and trails tell what to read).
    async fn account(
        &self,
        account_id: &str,
        groups: BTreeSet<String>,
        trails: Vec<Trail>,
        facts: &Facts,
    ) -> LinkedAccount {
        let names: Vec<&str> = groups
            .iter()
            .map(String::as_str)
            .chain(trails.iter().map(|t| t.trail_arn.as_str()))
            .collect();
        let key = format!("{account_id} {}", names.join(" "));
        let shared = {
            let mut read = self.read.lock().unwrap_or_else(|e| e.into_inner());
            read.entry(key)
                .or_insert_with(|| {
                    self.reads.fetch_add(1, Ordering::Relaxed);
                    let mut subjects = self.subjects.clone();
                    subjects.push(facts.account_id.clone());
                    let asked = Asked {
                        role: (self.role_for)(account_id),
                        // The trails that lead there say which chains to settle.
                        lent: facts
                            .trails
                            .iter()
                            .filter(|t| {
                                t.trail
                                    .cloud_watch_logs_log_group_arn
                                    .as_deref()
                                    .is_some_and(|g| groups.contains(normalize_log_group_arn(g)))
                            })
                            .cloned()
                            .collect(),
                        groups,
                        trails,
                        subjects,
                        controls: self.controls.clone(),
                        deadline: self.deadline,
                        limit: self.max_in_flight,
                    };
                    let holder = Facts::new(account_id, &facts.region);
                    read_account(self.org, holder, asked).boxed().shared()
                })
                .clone()
        };
        shared.await
    }
}

/// What to read in an account that holds links.
struct Asked {
    role: Option<String>,
    lent: Vec<TrailFacts>,
    groups: BTreeSet<String>,
    trails: Vec<Trail>,
    subjects: Vec<String>,
    controls: Vec<&'static Control>,
    deadline: Option<std::time::Duration>,
    limit: usize,
}

/// Enters the account of `holder` and reads there what `asked` says.
async fn read_account(org: &dyn OrganizationApi, mut holder: Facts, asked: Asked) -> LinkedAccount {
    let role = asked.role;
    let entered = match org.enter(&holder.account_id, role.as_deref()).await {
        Ok(entered) => entered,
        Err(e) => return LinkedAccount::not_entered(&holder.account_id, role, e.to_string()),
    };
    let services = &match asked.deadline {
        Some(budget) => entered
            .services
            .layer(crate::layer::Deadline::after(budget)),
        None => entered.services,
    };
    // Another account's credentials would read another account's resources
    // under this one's name.
    match services.account.account_id().await {
        Ok(id) if id == holder.account_id => {}
        Ok(id) => {
            let reason = format!("the credentials for it belong to account {id}");
            return LinkedAccount::not_entered(&holder.account_id, role, reason);
        }
        Err(e) => return LinkedAccount::not_entered(&holder.account_id, role, e.to_string()),
    }
    let mut scope = Scope::check();
    scope.max_in_flight = asked.limit;
    scope.controls = asked.controls;
    holder.trails = asked.lent;
    read_groups(
        services,
        &mut holder,
        asked.groups,
        &asked.subjects,
        &scope,
        asked.limit,
    )
    .await;
    // The lent trails were the reader's view, to settle the chains; the
    // facts of the account hold what was read there.
    holder.trails.clear();
    for trail in asked.trails {
        let (read, errors) = read_trail(services, trail).await;
        holder.trails.push(read);
        holder.errors.extend(errors);
    }
    LinkedAccount::read(holder, role)
}

/// Reads, through `linked`, the log groups `facts`' trails deliver to in
/// other accounts, into [`Facts::linked`].
pub(super) async fn read_linked(linked: &LinkedChains<'_>, facts: &mut Facts) {
    let mut by_account: BTreeMap<String, (BTreeSet<String>, Vec<Trail>)> = BTreeMap::new();
    let other = |arn: &str| {
        Arn::parse(arn)
            .map(|a| a.account_id.to_owned())
            .filter(|a| *a != facts.account_id && !a.is_empty())
    };
    for group in delivered_groups(facts) {
        if let Some(account) = other(&group) {
            by_account.entry(account).or_default().0.insert(group);
        }
    }
    // An organization trail whose status or selectors the member could not
    // read is answered where it lives.
    for t in &facts.trails {
        let unanswered =
            t.trail.is_multi_region_trail && (t.status.is_none() || t.event_selectors.is_none());
        if let Some(account) = other(&t.trail.trail_arn).filter(|_| unanswered) {
            by_account
                .entry(account)
                .or_default()
                .1
                .push(t.trail.clone());
        }
    }
    let view: &Facts = facts;
    let reads = by_account
        .into_iter()
        .map(|(account, (groups, trails))| async move {
            linked.account(&account, groups, trails, view).await
        });
    let read = futures::future::join_all(reads).await;
    facts.linked.extend(read);
}

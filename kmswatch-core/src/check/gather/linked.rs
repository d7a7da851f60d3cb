//! The links an account's trails lead to in other accounts: an organization
//! trail delivers every member's events to one log group in the management
//! or a log-archive account, where its filters, alarms and topics are too.
//! They are read there, with that account's credentials, once per run
//! however many accounts share them ([`LinkedChains`] keeps each read), and
//! each account gets them in [`Facts::linked`].

use super::{delivered_groups, read_groups, Scope};
use crate::api::OrganizationApi;
use crate::check::facts::{Facts, LinkedAccount};
use crate::model::Arn;
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
            max_in_flight: Scope::check().max_in_flight,
            read: Mutex::new(HashMap::new()),
            reads: AtomicUsize::new(0),
        }
    }

    /// How many times the links of an account were read (each distinct set
    /// of log groups of each account once, whatever the number of accounts
    /// sharing them).
    pub fn reads(&self) -> usize {
        self.reads.load(Ordering::Relaxed)
    }

    /// The links `groups` of `account_id`, read once; `facts` is the account
    /// whose trails lead there (its region and trails tell what to read).
    async fn account(
        &self,
        account_id: &str,
        groups: BTreeSet<String>,
        facts: &Facts,
    ) -> LinkedAccount {
        let key = format!(
            "{account_id} {}",
            groups.iter().cloned().collect::<Vec<_>>().join(" ")
        );
        let shared = {
            let mut read = self.read.lock().unwrap_or_else(|e| e.into_inner());
            read.entry(key)
                .or_insert_with(|| {
                    self.reads.fetch_add(1, Ordering::Relaxed);
                    let mut subjects = self.subjects.clone();
                    subjects.push(facts.account_id.clone());
                    let role = (self.role_for)(account_id);
                    let mut holder = Facts::new(account_id, &facts.region);
                    // The trails that lead there say which chains to settle.
                    holder.trails = facts
                        .trails
                        .iter()
                        .filter(|t| {
                            t.trail
                                .cloud_watch_logs_log_group_arn
                                .as_deref()
                                .is_some_and(|g| {
                                    groups.contains(crate::model::normalize_log_group_arn(g))
                                })
                        })
                        .cloned()
                        .collect();
                    read_account(self.org, holder, role, groups, subjects, self.max_in_flight)
                        .boxed()
                        .shared()
                })
                .clone()
        };
        shared.await
    }
}

/// Enters the account of `holder` and reads `groups` there.
async fn read_account(
    org: &dyn OrganizationApi,
    mut holder: Facts,
    role: Option<String>,
    groups: BTreeSet<String>,
    subjects: Vec<String>,
    limit: usize,
) -> LinkedAccount {
    let entered = match org.enter(&holder.account_id, role.as_deref()).await {
        Ok(entered) => entered,
        Err(e) => return LinkedAccount::not_entered(&holder.account_id, role, e.to_string()),
    };
    // Another account's credentials would read another account's resources
    // under this one's name.
    match entered.services.account.account_id().await {
        Ok(id) if id == holder.account_id => {}
        Ok(id) => {
            let reason = format!("the credentials for it belong to account {id}");
            return LinkedAccount::not_entered(&holder.account_id, role, reason);
        }
        Err(e) => return LinkedAccount::not_entered(&holder.account_id, role, e.to_string()),
    }
    let mut scope = Scope::check();
    scope.max_in_flight = limit;
    read_groups(
        &entered.services,
        &mut holder,
        groups,
        &subjects,
        &scope,
        limit,
    )
    .await;
    // The trails were the reader's view, lent to settle the chains; the
    // facts of the account hold what was read there.
    holder.trails.clear();
    LinkedAccount::read(holder, role)
}

/// Reads, through `linked`, the log groups `facts`' trails deliver to in
/// other accounts, into [`Facts::linked`].
pub(super) async fn read_linked(linked: &LinkedChains<'_>, facts: &mut Facts) {
    let mut by_account: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for group in delivered_groups(facts) {
        let Some(account) = Arn::parse(&group).map(|a| a.account_id.to_owned()) else {
            continue;
        };
        if account != facts.account_id && !account.is_empty() {
            by_account.entry(account).or_default().insert(group);
        }
    }
    let view: &Facts = facts;
    let reads = by_account
        .into_iter()
        .map(|(account, groups)| async move { linked.account(&account, groups, view).await });
    let read = futures::future::join_all(reads).await;
    facts.linked.extend(read);
}

//! Remediating a chain held in another account: an organization trail
//! delivers the account's events to a log group in the management or a
//! log-archive account, where the filter, alarm and topic are. The plan is
//! made, previewed and applied there, with the role `--log-account-role`
//! names; nothing is created in the account itself. The plan must make the
//! account itself pass, judged on its own events.

use super::connect::{Account, LogAccounts};
use super::failure::Failure;
use super::stopped::Stopped;
use super::Clock;
use crate::check::{self, Facts, Status};
use crate::model::Arn;
use crate::remediate::{self, Applied, RemediateError, RemediateOptions, Remediation};

/// The account that holds the chains `facts` could be fixed on, when none is
/// in the account itself: its chains that do not pass all run through a log
/// group read in another account ([`Facts::linked`]), and one of those has a
/// sound trail.
pub(super) fn held_elsewhere(facts: &Facts) -> Option<String> {
    let assessment = check::evaluate(facts);
    if assessment.status == Status::Pass {
        return None;
    }
    let holder_of = |c: &check::ChainAssessment<'_>| {
        let arn = Arn::parse(c.log_group_arn.as_deref()?)?;
        (arn.account_id != facts.account_id).then(|| arn.account_id.to_owned())
    };
    let sound = |c: &&check::ChainAssessment<'_>| c.trail_level_gaps().next().is_none();
    if assessment
        .chains
        .iter()
        .filter(sound)
        .any(|c| holder_of(c).is_none())
    {
        return None;
    }
    assessment
        .chains
        .iter()
        .filter(sound)
        .filter_map(holder_of)
        .find(|holder| {
            facts
                .linked_account(holder)
                .is_some_and(|l| l.facts().is_some())
        })
}

/// Plans (and with `apply`, applies) in `holder` the fix of the chain of the
/// account `facts` describe.
pub(super) async fn remediate_in(
    log_accounts: &LogAccounts,
    account: &Account,
    facts: &Facts,
    holder: &str,
    options: &RemediateOptions,
    apply: bool,
) -> Result<(Remediation, Option<Applied>), Stopped> {
    let stop = |failure: Failure| Stopped {
        failure,
        account_id: Some(holder.to_owned()),
        region: Some(account.region.clone()),
        remediation: None,
    };
    let role = log_accounts.role.role_arn(&log_accounts.partition, holder);
    let entered = log_accounts
        .org
        .enter(holder, Some(&role))
        .await
        .map_err(|e| stop(Failure::Identify(e)))?;
    let there = Account::new(entered.services, account.region.clone());
    let held = super::remediation_facts(&there, options)
        .await
        .map_err(stop)?;
    if held.account_id != holder {
        let message = format!(
            "the credentials of role {role} belong to account {}, not {holder}",
            held.account_id
        );
        return Err(stop(Failure::Usage(message)));
    }
    let plan = remediate::plan(&held, options).map_err(|e| stop(e.into()))?;
    let preview = remediate::preview(&held, &plan).map_err(|e| stop(e.into()))?;
    let mut remediation = Remediation::dry_run(plan, &preview);
    remediation.plan.generated_at = Some(super::SystemClock.now_rfc3339());
    // The account itself, its chain read where the plan leaves it, judged
    // for every control the plan covers.
    let controls = remediation.plan.selected_controls();
    let judged = |after: &Facts| {
        let mut mine = facts.clone();
        for linked in mine.linked.iter_mut().filter(|l| l.account_id == holder) {
            linked.facts = Some(Box::new(after.clone()));
        }
        check::controls::judge(check::report(&mine), &mine, &controls).status
    };
    let (after, confirmed) = preview
        .facts_after
        .as_ref()
        .ok_or_else(|| stop(Failure::Usage("the preview kept no facts".to_owned())))?;
    remediation.predicted_status = judged(after);
    remediation.predicted_status_once_confirmed = confirmed.as_ref().map(judged);
    remediation.plan.notes.insert(
        0,
        format!(
            "account {}'s chain runs through log group {} of account {holder}: the plan is made there, with role {role}, and judged on account {}'s own events; nothing is created in account {}",
            facts.account_id,
            remediation.plan.log_group_arn.as_deref().unwrap_or("?"),
            facts.account_id,
            facts.account_id
        ),
    );
    let stop_with = |failure: Failure, remediation: Remediation| Stopped {
        failure,
        account_id: Some(holder.to_owned()),
        region: Some(account.region.clone()),
        remediation: Some(remediation),
    };
    if !remediation.reaches_pass() {
        let failure = RemediateError::NotPassAfterPreview {
            predicted: remediation
                .predicted_status_once_confirmed
                .unwrap_or(remediation.predicted_status),
            summary: format!(
                "the plan in account {holder} would not make account {} pass: its filter must catch that account's events",
                facts.account_id
            ),
        };
        if apply || remediation.plan.actions.is_empty() {
            return Err(stop_with(failure.into(), remediation));
        }
        return Ok((remediation, None));
    }
    if !apply {
        return Ok((remediation, None));
    }
    let applied = remediate::apply(&there.services, &held, &remediation.plan)
        .await
        .map_err(|e| stop_with(e.into(), remediation.clone()))?;
    // The account itself, checked again through its own and the holder's eyes.
    let chains = log_accounts.chains().with_controls(controls.clone());
    let scope = check::Scope {
        controls: controls.clone(),
        ..check::Scope::check()
    };
    let (facts_after, report_after) =
        check::check_linked(&account.services, &account.region, &scope, Some(&chains))
            .await
            .map_err(|e| stop_with(Failure::Identify(e), remediation.clone()))?;
    let report_after = check::controls::judge(report_after, &facts_after, &controls);
    let applied = Applied {
        executed: applied.executed,
        facts_after,
        report_after,
    };
    Ok((remediation.with_applied(&applied), Some(applied)))
}

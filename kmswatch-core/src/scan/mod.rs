//! `kmswatch scan`: the full check in every account of an organization, or of
//! a list, each entered by assuming a role, a bounded number at once.
//!
//! Each account ends as one `kmswatch.report/v1` [`Report`](crate::check::Report),
//! the same as `kmswatch check` makes for it; an account that could not be
//! entered (AssumeRole refused, no answer before its deadline) is an ERROR
//! report with one `ACCOUNT_NOT_ENTERED` gap naming why, so that every output
//! format renders one shape. [`ScanDocument`] gathers them
//! (`kmswatch.scan/v1`).
//!
//! ```
//! use kmswatch_core::memory::MemoryBackend;
//! use kmswatch_core::scan::{self, AccountSource, AccountState, MemoryOrganization, ScanOptions};
//! use std::sync::Arc;
//!
//! let mut org = MemoryOrganization::new("111111111111");
//! let member = Arc::new(MemoryBackend::new("222222222222", "us-east-1"));
//! org.add_account("222222222222", AccountState::Active, Some(member.services()));
//! let mut reports = Vec::new();
//! kmswatch_core::session::block_on(async {
//!     let (caller, selection) = scan::prepare(&org, &AccountSource::Organization, &[]).await?;
//!     scan::run(&org, &caller, &selection.accounts, &ScanOptions::new("us-east-1"), |s| reports.push(s.report)).await;
//!     Ok(())
//! }).unwrap();
//! assert_eq!(reports[0].status.as_str(), "FAIL"); // no trail at all
//! ```

mod accounts;
#[cfg(feature = "aws")]
mod connect;
mod document;
mod flags;
mod memory;
#[cfg(not(feature = "aws"))]
mod no_aws;
mod run;

pub use crate::api::{AccountState, Caller, Entered, OrgAccount, OrganizationApi};
pub use crate::api::{
    AssumeRoleSettings, RoleChoice, RoleError, DEFAULT_ROLE_NAME, DEFAULT_SESSION_NAME,
    DURATION_RANGE,
};
pub use accounts::{
    is_account_id, parse_account_list, parse_accounts_file, select, AccountSource, Selection,
    SelectionError, SkippedAccount,
};
#[cfg(feature = "aws")]
pub use connect::connect;
pub use document::{not_entered, ScanDocument, ScanSummary, SCAN_SCHEMA};
pub use flags::ScanFlags;
pub use memory::MemoryOrganization;
#[cfg(not(feature = "aws"))]
pub use no_aws::{connect, NoOrganization};
pub use run::{check_account, execute, prepare, run, ScanOptions, Scanned, DEFAULT_MAX_ACCOUNTS};

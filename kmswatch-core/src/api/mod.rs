//! The service traits: every AWS call kmswatch makes goes through one of these.
//!
//! Four families of implementations exist: the AWS SDK backend (`aws` feature),
//! the in-memory backend ([`crate::memory::MemoryBackend`], which is also what a
//! snapshot loads into), backends answered by name ([`Dynamic`] over a
//! [`DynamicBackend`]: the Python package's protocol) and mockall mocks
//! (`Mock*Api`, under the `mocks` feature and in this crate's tests). A
//! [`Backend`] is one value answering all seven traits; [`Services`] are the
//! handles the check and the remediation take. Cross-cutting behaviour (call
//! counting, fault injection, concurrency limits) is a [`Layer`] stacked on
//! any backend with [`Services::layer`]: see the `layer` module.
//!
//! Each service has one file: its trait, and one entry per method from which
//! its forwarding through [`Layered`] and its answer through [`Dynamic`] are
//! made (the `service_impls!` macro of `forward.rs`).

mod account;
mod alarms;
mod call;
mod dynamic;
#[cfg(test)]
mod dynamic_tests;
mod events;
mod findings;
mod forward;
mod keys;
mod logs;
mod organization;
mod role;
mod services;
mod topics;
mod trails;

pub use crate::api_error::{alarm_name_prefix_resource, metric_resource, COMPOSITE_ALARMS};
pub use crate::api_error::{ApiError, ApiErrorKind, ApiResult};
pub use account::AccountApi;
pub use alarms::AlarmsApi;
pub use call::{Call, Layer, Layered, Next, Reply};
pub use dynamic::{wrong_shape, Dynamic, DynamicBackend};
pub use events::EventsApi;
pub use findings::{FailedFinding, FindingsApi};
pub use keys::KeysApi;
pub use logs::LogsApi;
pub use organization::{
    AccountState, AssumeRoleSettings, Caller, Entered, OrgAccount, OrganizationApi,
    DEFAULT_SESSION_NAME,
};
pub use role::{is_role_arn, RoleChoice, RoleError, DEFAULT_ROLE_NAME, DURATION_RANGE};
pub use services::{Backend, RequestCount, Services};
pub use topics::TopicsApi;
pub use trails::TrailsApi;

#[cfg(any(test, feature = "mocks"))]
pub use account::MockAccountApi;
#[cfg(any(test, feature = "mocks"))]
pub use alarms::MockAlarmsApi;
#[cfg(any(test, feature = "mocks"))]
pub use events::MockEventsApi;
#[cfg(any(test, feature = "mocks"))]
pub use keys::MockKeysApi;
#[cfg(any(test, feature = "mocks"))]
pub use logs::MockLogsApi;
#[cfg(any(test, feature = "mocks"))]
pub use topics::MockTopicsApi;
#[cfg(any(test, feature = "mocks"))]
pub use trails::MockTrailsApi;

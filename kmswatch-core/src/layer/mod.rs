//! Wrappers that add one cross-cutting behaviour to any backend, the way
//! tower layers wrap services and object_store's `ThrottledStore` / `LimitStore`
//! wrap stores.
//!
//! A [`Layer`] sees every service call as a [`Call`] (the AWS operation, its
//! region and resource) together with the not-yet-started call itself, and
//! returns the future to run instead: it may count, wait, fail, or just pass
//! the call on. Every service trait forwards its methods to a layer through
//! [`Layered`], next to the trait, so a wrapper is only its `around` method:
//!
//! ```
//! use kmswatch_core::api::Services;
//! use kmswatch_core::layer::{Call, Layer, Next, Reply};
//! use kmswatch_core::memory::MemoryBackend;
//! use std::sync::atomic::{AtomicU64, Ordering};
//! use std::sync::Arc;
//!
//! /// Counts the write calls.
//! #[derive(Default)]
//! struct Writes(AtomicU64);
//!
//! impl Layer for Writes {
//!     fn around<'a, T: Reply>(&'a self, call: Call<'a>, next: Next<'a, T>) -> Next<'a, T> {
//!         if call.writes {
//!             self.0.fetch_add(1, Ordering::Relaxed);
//!         }
//!         next
//!     }
//! }
//!
//! # futures::executor::block_on(async {
//! let writes = Arc::new(Writes::default());
//! let account = Arc::new(MemoryBackend::new("111122223333", "us-east-1"));
//! let services = Services::new(account).layer(writes.clone());
//! services.topics.create_topic("us-east-1", "alerts", &Default::default()).await.unwrap();
//! services.trails.describe_trails("us-east-1").await.unwrap();
//! assert_eq!(writes.0.load(Ordering::Relaxed), 1);
//! # });
//! ```
//!
//! Layers stack in any order with [`crate::api::Services::layer`]; the last one added
//! sees a call first. This module's own layers: [`Faults`] (fault injection:
//! per-call rules and seeded random faults), [`ConcurrencyLimit`] (a bounded
//! number of requests in flight), [`Deadline`] (every call ends by a fixed
//! instant) and [`CallCount`] (what
//! [`crate::counting::Counting`] is made of).

mod count;
mod deadline;
mod faults;
mod limit;

pub use crate::api::{Call, Layer, Layered, Next, Reply};
pub use count::CallCount;
pub use deadline::{Deadline, DEADLINE_EXCEEDED};
pub use faults::{FaultRule, Faults};
pub use limit::ConcurrencyLimit;

//! [`CallCount`]: counts the service calls made through it.

use crate::api::{Call, Layer, Next, Reply};
use std::sync::atomic::{AtomicU64, Ordering};

/// Counts every service call (one per trait method invocation, whatever the
/// number of pages behind it).
#[derive(Debug, Default)]
pub struct CallCount(AtomicU64);

impl CallCount {
    /// Calls counted so far.
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

impl Layer for CallCount {
    fn around<'a, T: Reply>(&'a self, _call: Call<'a>, next: Next<'a, T>) -> Next<'a, T> {
        self.0.fetch_add(1, Ordering::Relaxed);
        next
    }
}

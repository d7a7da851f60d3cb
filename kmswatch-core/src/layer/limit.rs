//! [`ConcurrencyLimit`]: at most N requests in flight through it.

use crate::api::{Call, Layer, Next, Reply};
use tokio::sync::Semaphore;

/// Lets at most `max` calls run at once; the others wait their turn (first
/// come, first served). Useful against API rate limits when many accounts or
/// regions are checked from one process.
#[derive(Debug)]
pub struct ConcurrencyLimit {
    permits: Semaphore,
}

impl ConcurrencyLimit {
    /// At most `max` calls in flight (at least one).
    pub fn new(max: usize) -> Self {
        ConcurrencyLimit {
            permits: Semaphore::new(max.max(1)),
        }
    }
}

impl Layer for ConcurrencyLimit {
    fn around<'a, T: Reply>(&'a self, _call: Call<'a>, next: Next<'a, T>) -> Next<'a, T> {
        Box::pin(async move {
            // The semaphore is never closed, so acquiring only waits.
            let _permit = self.permits.acquire().await.ok();
            next.await
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Services;
    use crate::memory::MemoryBackend;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    /// Records the most calls ever in flight below it; each call yields once,
    /// so that concurrent calls overlap.
    #[derive(Default)]
    struct InFlight {
        now: AtomicUsize,
        peak: AtomicUsize,
    }

    impl Layer for InFlight {
        fn around<'a, T: Reply>(&'a self, _call: Call<'a>, next: Next<'a, T>) -> Next<'a, T> {
            Box::pin(async move {
                let now = self.now.fetch_add(1, Ordering::SeqCst) + 1;
                self.peak.fetch_max(now, Ordering::SeqCst);
                tokio::task::yield_now().await;
                let result = next.await;
                self.now.fetch_sub(1, Ordering::SeqCst);
                result
            })
        }
    }

    async fn peak(limit: Option<usize>) -> usize {
        let in_flight = Arc::new(InFlight::default());
        let account = Arc::new(MemoryBackend::new("111122223333", "us-east-1"));
        let mut services: Services = account.services().layer(in_flight.clone());
        if let Some(max) = limit {
            services = services.layer(ConcurrencyLimit::new(max));
        }
        let calls = (0..10).map(|_| services.trails.describe_trails("us-east-1"));
        for result in futures::future::join_all(calls).await {
            assert!(result.is_ok());
        }
        in_flight.peak.load(Ordering::SeqCst)
    }

    #[tokio::test]
    async fn no_more_than_the_limit_in_flight() {
        assert_eq!(peak(None).await, 10);
        assert_eq!(peak(Some(3)).await, 3);
        assert_eq!(peak(Some(0)).await, 1);
    }
}

//! A wrapper around any backend that counts the calls made through it.
//!
//! Every trait method is one AWS API request per page; paginated methods count
//! one call per method invocation here, which is what the AWS backend also makes
//! for a result that fits one page. The report's `api_calls` comes from this
//! when the backend does not count its own requests.

use crate::api::Services;
use crate::layer::CallCount;
use std::sync::Arc;

/// Counts calls made through the services it wraps.
#[derive(Clone)]
pub struct Counting {
    services: Services,
    count: Arc<CallCount>,
}

impl Counting {
    /// Wraps `inner`; the count starts at zero.
    pub fn new(inner: Services) -> Self {
        let count = Arc::new(CallCount::default());
        Counting {
            services: inner.layer(count.clone()),
            count,
        }
    }

    /// Calls made so far.
    pub fn calls(&self) -> u64 {
        self.count.get()
    }

    /// The wrapped services, counted.
    pub fn services(&self) -> Services {
        self.services.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::memory::MemoryBackend;

    #[tokio::test]
    async fn every_call_counts_once_and_the_inner_request_count_passes_through() {
        let account = Arc::new(MemoryBackend::new("111122223333", "us-east-1"));
        let mut inner = account.services();
        inner.requests = Some(crate::api::RequestCount::default());
        let counting = Counting::new(inner.clone());
        let services = counting.services();
        services.account.account_id().await.unwrap();
        services.trails.describe_trails("us-east-1").await.unwrap();
        let missing = services
            .topics
            .get_topic_attributes("arn:aws:sns:us-east-1:111122223333:none")
            .await
            .unwrap();
        assert_eq!(missing, None);
        assert_eq!(counting.calls(), 3);
        inner.requests.as_ref().unwrap().add_one();
        assert_eq!(services.requests.as_ref().map(|r| r.get()), Some(1));
    }
}

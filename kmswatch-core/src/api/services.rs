//! [`Backend`]: the service traits together; [`Services`]: the handles the
//! check and the remediation take.

use super::account::AccountApi;
use super::alarms::AlarmsApi;
use super::call::{Layer, Layered};
use super::dynamic::{Dynamic, DynamicBackend};
use super::events::EventsApi;
use super::keys::KeysApi;
use super::logs::LogsApi;
use super::topics::TopicsApi;
use super::trails::TrailsApi;
use std::sync::Arc;

/// A shared count of the requests a backend sent (every page and retry).
#[derive(Debug, Clone, Default)]
pub struct RequestCount(std::sync::Arc<std::sync::atomic::AtomicU64>);

impl RequestCount {
    /// Counts one request.
    pub fn add_one(&self) {
        self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }

    /// Requests counted so far.
    pub fn get(&self) -> u64 {
        self.0.load(std::sync::atomic::Ordering::Relaxed)
    }
}

/// A complete backend: one value that answers every service trait.
///
/// The AWS SDK backend, the in-memory backend and [`Dynamic`] implement
/// it; [`Services::new`] turns one into the handles the check and the
/// remediation take, and [`Services::layer`] wraps them all.
pub trait Backend:
    AccountApi + TrailsApi + LogsApi + AlarmsApi + TopicsApi + KeysApi + EventsApi + 'static
{
    /// The backend's own count of the requests it sends (every page and
    /// retry), when it keeps one; wrappers pass the inner backend's through.
    fn request_count(&self) -> Option<RequestCount> {
        None
    }
}

/// One account's services, as the check and the remediation use them.
///
/// Built from one [`Backend`] with [`Services::new`]; wrappers stack on it with
/// [`Services::layer`]. [`Services::from_parts`] mixes implementations of the
/// single traits (mockall mocks, mostly).
#[derive(Clone)]
pub struct Services {
    /// STS.
    pub account: Arc<dyn AccountApi>,
    /// CloudTrail.
    pub trails: Arc<dyn TrailsApi>,
    /// CloudWatch Logs.
    pub logs: Arc<dyn LogsApi>,
    /// CloudWatch.
    pub alarms: Arc<dyn AlarmsApi>,
    /// SNS.
    pub topics: Arc<dyn TopicsApi>,
    /// KMS.
    pub keys: Arc<dyn KeysApi>,
    /// EventBridge.
    pub events: Arc<dyn EventsApi>,
    /// The backend's own count of the requests it sends, when it keeps one
    /// (the AWS SDK backend does); otherwise calls are counted per method.
    pub requests: Option<RequestCount>,
}

impl Services {
    /// The seven services of one backend.
    ///
    /// ```
    /// use kmswatch_core::api::Services;
    /// use kmswatch_core::memory::MemoryBackend;
    /// let services = Services::new(std::sync::Arc::new(MemoryBackend::new("111122223333", "us-east-1")));
    /// assert!(services.requests.is_none());
    /// ```
    pub fn new<B: Backend>(backend: Arc<B>) -> Self {
        Services {
            requests: backend.request_count(),
            account: backend.clone(),
            trails: backend.clone(),
            logs: backend.clone(),
            alarms: backend.clone(),
            topics: backend.clone(),
            keys: backend.clone(),
            events: backend,
        }
    }

    /// Services from one implementation per trait; no request count.
    pub fn from_parts(
        account: Arc<dyn AccountApi>,
        trails: Arc<dyn TrailsApi>,
        logs: Arc<dyn LogsApi>,
        alarms: Arc<dyn AlarmsApi>,
        topics: Arc<dyn TopicsApi>,
        keys: Arc<dyn KeysApi>,
        events: Arc<dyn EventsApi>,
    ) -> Self {
        Services {
            account,
            trails,
            logs,
            alarms,
            topics,
            keys,
            events,
            requests: None,
        }
    }

    /// These services with `layer` around every call. Layers stack: the last
    /// one added sees a call first.
    pub fn layer<L: Layer>(self, layer: L) -> Services {
        let layer = Arc::new(layer);
        Services {
            account: Arc::new(Layered::new(self.account, layer.clone())),
            trails: Arc::new(Layered::new(self.trails, layer.clone())),
            logs: Arc::new(Layered::new(self.logs, layer.clone())),
            alarms: Arc::new(Layered::new(self.alarms, layer.clone())),
            topics: Arc::new(Layered::new(self.topics, layer.clone())),
            keys: Arc::new(Layered::new(self.keys, layer.clone())),
            events: Arc::new(Layered::new(self.events, layer)),
            requests: self.requests,
        }
    }
}

impl<D: DynamicBackend> Backend for Dynamic<D> {}

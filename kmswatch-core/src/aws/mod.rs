//! The AWS SDK backend: every service trait, answered by AWS.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use kmswatch_core::aws::{connect, AwsOptions};
//! let backend = connect(&AwsOptions { region: Some("eu-west-1".into()), ..Default::default() }).await?;
//! let services = backend.services();
//! let trails = services.trails.describe_trails("eu-west-1").await?;
//! # Ok(()) }
//! ```
//!
//! Calls go to the region they name (a trail's home region, a topic's region
//! from its ARN), each through a client made for that region on first use and
//! then reused. Listing calls follow every page. Every client has connect,
//! per-attempt and per-operation timeouts ([`CONNECT_TIMEOUT`],
//! [`ATTEMPT_TIMEOUT`], [`OPERATION_TIMEOUT`]) and, unless `AWS_RETRY_MODE` /
//! `AWS_MAX_ATTEMPTS` or the profile say otherwise, standard retries with six
//! attempts. The backend does not count calls: wrappers do that.

// `ApiError` is the service traits' error type; boxing it here alone would
// only add an allocation on the error path.
#![allow(clippy::result_large_err)]

mod account;
mod alarms;
mod alarms_for_metric;
#[cfg(feature = "s3")]
mod archive;
mod composite_alarms;
mod config;
mod error;
mod event_history;
mod events;
mod http_client;
mod keys;
mod logs;
mod malformed;
mod organization;
mod regions;
mod request_log;
mod requests;
mod retry_settings;
mod security_hub;
mod topics;
mod trails;

use crate::operation::Operation;
#[cfg(feature = "s3")]
pub use archive::S3Archive;
pub use config::{
    is_region_name, AwsOptions, ConnectError, ATTEMPT_TIMEOUT, CONNECT_TIMEOUT, OPERATION_TIMEOUT,
};
pub use organization::AwsOrganization;
pub use regions::{closest_region, is_known_region, known_regions, partition_regions};
pub use request_log::REQUEST_LOG_TARGET;
use requests::RequestCounter;

use crate::api::{ApiError, Backend, RequestCount, Services};
use aws_types::region::Region;
use aws_types::SdkConfig;
use error::Call;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Loads the AWS configuration for `options` (credential chain, shared config,
/// `AWS_*` environment variables, explicit options first) and makes a backend.
///
/// Fails without any network call when no region can be determined, when the
/// region is not a region name, when the endpoint URL is not a URL, or when
/// the chosen profile does not exist. Credentials are resolved lazily, on the
/// first call.
pub async fn connect(options: &AwsOptions) -> Result<AwsBackend, ConnectError> {
    AwsBackend::new(config::load(options).await?)
}

/// A client constructor for `$service` whose requests `RequestCounter` counts.
macro_rules! counted {
    ($service:ident) => {
        |config: &SdkConfig, counter: &RequestCounter| {
            $service::Client::from_conf(
                $service::config::Builder::from(config)
                    .interceptor(counter.clone())
                    .interceptor(malformed::RetryMalformedReads)
                    .interceptor(request_log::LogRequests)
                    .build(),
            )
        }
    };
}

/// The SDK clients of one service, one per region, made on first use.
struct RegionalClients<C> {
    service: &'static str,
    make: fn(&SdkConfig, &RequestCounter) -> C,
    clients: Mutex<HashMap<String, C>>,
}

impl<C: Clone> RegionalClients<C> {
    fn new(service: &'static str, make: fn(&SdkConfig, &RequestCounter) -> C) -> Self {
        RegionalClients {
            service,
            make,
            clients: Mutex::new(HashMap::new()),
        }
    }

    fn get(&self, shared: &SdkConfig, counter: &RequestCounter, region: &str) -> C {
        // A panic elsewhere while holding the lock leaves the map intact.
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        clients
            .entry(region.to_owned())
            .or_insert_with(|| {
                let regional = shared
                    .to_builder()
                    .region(Region::new(region.to_owned()))
                    .build();
                (self.make)(&regional, counter)
            })
            .clone()
    }

    fn len(&self) -> usize {
        self.clients.lock().unwrap_or_else(|e| e.into_inner()).len()
    }
}

/// The AWS SDK implementation of [`crate::api::AccountApi`],
/// [`crate::api::TrailsApi`], [`crate::api::LogsApi`], [`crate::api::AlarmsApi`],
/// [`crate::api::TopicsApi`], [`crate::api::KeysApi`] and [`crate::api::EventsApi`].
pub struct AwsBackend {
    config: SdkConfig,
    region: String,
    requests: RequestCounter,
    sts: RegionalClients<aws_sdk_sts::Client>,
    cloudtrail: RegionalClients<aws_sdk_cloudtrail::Client>,
    logs: RegionalClients<aws_sdk_cloudwatchlogs::Client>,
    cloudwatch: RegionalClients<aws_sdk_cloudwatch::Client>,
    sns: RegionalClients<aws_sdk_sns::Client>,
    kms: RegionalClients<aws_sdk_kms::Client>,
    events: RegionalClients<aws_sdk_eventbridge::Client>,
    securityhub: RegionalClients<aws_sdk_securityhub::Client>,
}

impl std::fmt::Debug for AwsBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AwsBackend")
            .field("region", &self.region)
            .field("endpoint_url", &self.config.endpoint_url())
            .finish_non_exhaustive()
    }
}

impl Backend for AwsBackend {
    fn request_count(&self) -> Option<RequestCount> {
        Some(self.requests.0.clone())
    }
}

impl AwsBackend {
    /// A backend on an already loaded configuration (e.g. one pointing at
    /// moto server); its region is the default region.
    pub fn new(config: SdkConfig) -> Result<AwsBackend, ConnectError> {
        let region = config::default_region(&config)?;
        Ok(AwsBackend {
            config,
            region,
            requests: RequestCounter::default(),
            sts: RegionalClients::new("sts", counted!(aws_sdk_sts)),
            cloudtrail: RegionalClients::new("cloudtrail", counted!(aws_sdk_cloudtrail)),
            logs: RegionalClients::new("logs", counted!(aws_sdk_cloudwatchlogs)),
            cloudwatch: RegionalClients::new("monitoring", counted!(aws_sdk_cloudwatch)),
            sns: RegionalClients::new("sns", counted!(aws_sdk_sns)),
            kms: RegionalClients::new("kms", counted!(aws_sdk_kms)),
            events: RegionalClients::new("events", counted!(aws_sdk_eventbridge)),
            securityhub: RegionalClients::new("securityhub", counted!(aws_sdk_securityhub)),
        })
    }

    /// The default region: where STS is called, and the region `connect` settled on.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The loaded SDK configuration.
    pub fn sdk_config(&self) -> &SdkConfig {
        &self.config
    }

    /// How many SDK clients have been made so far (one per service and region used).
    pub fn client_count(&self) -> usize {
        self.sts.len()
            + self.cloudtrail.len()
            + self.logs.len()
            + self.cloudwatch.len()
            + self.sns.len()
            + self.kms.len()
            + self.events.len()
            + self.securityhub.len()
    }

    /// The seven service handles, all backed by this one backend.
    pub fn services(self) -> Services {
        Services::new(Arc::new(self))
    }

    /// Describes a call for errors, and gives the client for its region;
    /// an invalid region fails here rather than as a DNS error later.
    fn call<'a, C: Clone>(
        &'a self,
        clients: &RegionalClients<C>,
        operation: Operation,
        region: &'a str,
        resource: Option<&'a str>,
    ) -> Result<(C, Call<'a>), ApiError> {
        let call = Call {
            operation,
            service: clients.service,
            region,
            resource,
            endpoint_url: self.config.endpoint_url(),
        };
        if !is_region_name(region) {
            return Err(call.invalid(
                "InvalidRegion",
                format!("{region:?} is not an AWS region name"),
            ));
        }
        Ok((clients.get(&self.config, &self.requests, region), call))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::ApiErrorKind;

    pub(crate) fn backend() -> AwsBackend {
        let config = SdkConfig::builder()
            .region(Region::new("us-east-1"))
            .behavior_version(aws_config::BehaviorVersion::latest())
            .build();
        AwsBackend::new(config).unwrap()
    }

    #[test]
    fn clients_are_made_once_per_service_and_region() {
        let backend = backend();
        assert_eq!(backend.client_count(), 0);
        for region in ["us-east-1", "eu-west-1", "us-east-1"] {
            backend
                .call(&backend.sns, Operation::Subscribe, region, None)
                .unwrap();
        }
        backend
            .call(
                &backend.logs,
                Operation::DescribeLogGroups,
                "eu-west-1",
                None,
            )
            .unwrap();
        assert_eq!(backend.client_count(), 3);
        let (client, _) = backend
            .call(&backend.sns, Operation::Subscribe, "eu-west-1", None)
            .unwrap();
        assert_eq!(
            client.config().region().map(|r| r.as_ref()),
            Some("eu-west-1")
        );
    }

    #[test]
    fn invalid_regions_make_no_client() {
        let backend = backend();
        let err = backend
            .call(
                &backend.cloudtrail,
                Operation::GetTrailStatus,
                "mars-1",
                Some("t"),
            )
            .unwrap_err();
        assert_eq!(err.kind, ApiErrorKind::InvalidRequest);
        assert_eq!(err.code, "InvalidRegion");
        assert_eq!(backend.client_count(), 0);
    }

    #[test]
    fn a_config_without_region_is_refused() {
        let err = AwsBackend::new(SdkConfig::builder().build()).unwrap_err();
        assert!(matches!(err, ConnectError::NoRegion));
    }
}

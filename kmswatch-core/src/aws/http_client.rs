//! One HTTPS client for every SDK client a run makes. Without it each SDK
//! client builds its own (the SDK's default): its own connection pool and its
//! own load of the system's TLS roots, which a `kmswatch scan` of 200
//! accounts (six clients each) would otherwise do 1,200 times.

use aws_smithy_http_client::proxy::ProxyConfig;
use aws_smithy_http_client::tls::{rustls_provider::CryptoMode, Provider};
use aws_smithy_http_client::{Builder, ConnectorBuilder};
use aws_smithy_runtime_api::client::http::SharedHttpClient;

/// The SDK's default HTTPS client (hyper 1, rustls with aws-lc, the proxy from
/// `HTTPS_PROXY` / `NO_PROXY`), made once and shared. Connectors are made per
/// timeout setting, on first use, and reused.
pub(crate) fn shared_https_client() -> SharedHttpClient {
    Builder::new().build_with_connector_fn(|settings, components| {
        let mut connector =
            ConnectorBuilder::default().tls_provider(Provider::Rustls(CryptoMode::AwsLc));
        connector.set_connector_settings(settings.cloned());
        if let Some(components) = components {
            connector.set_sleep_impl(components.sleep_impl());
        }
        connector.set_proxy_config(Some(ProxyConfig::from_env()));
        connector.build()
    })
}

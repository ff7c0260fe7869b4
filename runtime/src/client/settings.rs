//! The settings a client keeps, with their defaults.

use std::time::Duration;

use crate::format::Format;
use crate::limits::{DEFAULT_MAX_IN_FLIGHT, DEFAULT_MAX_RESPONSE_BYTES};
use crate::network::Network;
use crate::request::Method;
use crate::retry::RetryPolicy;

use super::proxy::ProxyChoice;
use super::SignatureVersion;

/// What a [`ClientBuilder`](crate::ClientBuilder) sets and a [`Client`](crate::Client)
/// keeps, besides credentials.
#[derive(Debug, Clone)]
pub(super) struct Settings {
    pub(super) region: Option<String>,
    pub(super) endpoint: Option<String>,
    /// The `host` header of requests to `endpoint`, as the HTTP client sends it (signed by V3).
    pub(super) endpoint_host: Option<String>,
    pub(super) network: Network,
    pub(super) endpoint_suffix: Option<String>,
    pub(super) format: Format,
    pub(super) method: Method,
    pub(super) signature_version: SignatureVersion,
    pub(super) retry: RetryPolicy,
    pub(super) connect_timeout: Duration,
    pub(super) attempt_timeout: Duration,
    pub(super) max_response_bytes: usize,
    pub(super) proxy: ProxyChoice,
    /// Requests on the wire at once, at most.
    pub(super) max_in_flight: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            region: None,
            endpoint: None,
            endpoint_host: None,
            network: Network::Public,
            endpoint_suffix: None,
            format: Format::Json,
            method: Method::Post,
            signature_version: SignatureVersion::V1,
            retry: RetryPolicy::default(),
            connect_timeout: Duration::from_secs(5),
            attempt_timeout: Duration::from_secs(10),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            proxy: ProxyChoice::Environment,
            max_in_flight: DEFAULT_MAX_IN_FLIGHT,
        }
    }
}

//! [`ClientBuilder`]: the settings a [`Client`] keeps, and the bootstrap from the environment.

use std::sync::atomic::AtomicI64;
use std::sync::Arc;
use std::time::Duration;

use super::proxy::{ProxyChoice, ProxyUrl};
use super::settings::Settings;
use super::{Client, Inner, SignatureVersion};
use crate::endpoint;
use crate::error::Error;
use crate::format::Format;
use crate::keys::{empty_keys, Credentials, ProvideCredentials};
use crate::network::Network;
use crate::request::Method;
use crate::retry::RetryPolicy;
use crate::wire::USER_AGENT;

/// Configures a [`Client`]. Defaults: JSON, POST, connect timeout 5 s, attempt timeout 10 s,
/// answers up to 16 MiB, endpoint `https://{product}.{region}.aliyuncs.com`. Every limit
/// and timeout, with its default, is listed in [`limits`](crate::limits).
#[derive(Debug, Clone, Default)]
pub struct ClientBuilder {
    credentials: Option<Arc<dyn ProvideCredentials>>,
    settings: Settings,
    /// Why the endpoint given is refused, reported by `build` (the endpoint itself is not
    /// kept: it may hold user-info, which must not reach `Debug`).
    endpoint_error: Option<String>,
    /// The field of the fixed credentials given that is empty, if one is.
    empty_credentials: Option<&'static str>,
    /// Why the proxy given is refused, reported by `build` (never with its user-info).
    proxy_error: Option<String>,
}

impl ClientBuilder {
    /// The region calls go to, e.g. `cn-hangzhou`.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.settings.region = Some(region.into());
        self
    }

    /// Fixed credentials to sign with. An empty access key id or secret makes
    /// [`build`](Self::build) fail.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.empty_credentials = credentials.empty_field();
        self.credentials = Some(Arc::new(credentials));
        self
    }

    /// A credentials provider, asked before every attempt (wrap providers of temporary
    /// credentials in [`CachedProvider`](crate::credentials::CachedProvider)).
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.empty_credentials = None;
        self.credentials = Some(Arc::new(provider));
        self
    }

    /// How failed attempts are retried (default: [`RetryPolicy::default`], 3 attempts).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.settings.retry = policy;
        self
    }

    /// Sends every call to `endpoint` (`http://127.0.0.1:PORT` for the emulator, a VPC
    /// endpoint, a proxy) instead of the product's regional endpoint.
    ///
    /// It must be a bare `scheme://host[:port]` (`http` or `https`, an optional trailing
    /// `/`; a bare host gets `https://`). User-info, a path, a query or a fragment make
    /// [`build`](Self::build) fail with [`Error::Config`] naming what is wrong; user-info is
    /// never repeated, in the error or anywhere else.
    ///
    /// ```
    /// use aliyun_rpc::{Client, Credentials};
    ///
    /// let creds = Credentials::new("LTAI5tExample", "secret");
    /// assert!(Client::builder().credentials(creds.clone()).endpoint("http://127.0.0.1:8080/").build().is_ok());
    /// let err = Client::builder()
    ///     .credentials(creds)
    ///     .endpoint("https://alice:hunter2@ecs.aliyuncs.com")
    ///     .build()
    ///     .unwrap_err();
    /// assert!(err.to_string().contains("has user-info"));
    /// assert!(!err.to_string().contains("hunter2") && !format!("{err:?}").contains("hunter2"));
    /// ```
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        match endpoint::parse_override(&endpoint.into()) {
            Ok(endpoint) => {
                self.settings.endpoint = Some(endpoint);
                self.endpoint_error = None;
            }
            Err(e) => {
                self.settings.endpoint = None;
                self.endpoint_error = Some(match e {
                    Error::Config { message } => message,
                    other => other.to_string(),
                });
            }
        }
        self
    }

    /// The network to reach the product's endpoint on (default [`Network::Public`]);
    /// see [`crate::endpoint`] for the rule.
    pub fn network(mut self, network: Network) -> Self {
        self.settings.network = network;
        self
    }

    /// A suffix for the endpoint's first label (`{product}-{suffix}.{region}.aliyuncs.com`);
    /// like the region, it must be one DNS label, or [`build`](Self::build) fails.
    pub fn endpoint_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.settings.endpoint_suffix = Some(suffix.into());
        self
    }

    /// The response format to ask for: [`Format::Json`] (default) or [`Format::Xml`]. With
    /// signature v1 it is sent as the `Format` param; with V3, which has no common params, as
    /// the `Accept` header (`application/json` or `application/xml`, the header Aliyun
    /// documents for choosing the response type of header-signed calls).
    pub fn format(mut self, format: Format) -> Self {
        self.settings.format = format;
        self
    }

    /// The HTTP method for actions that do not pin one: [`Method::Post`] (default, params
    /// in a form body) or [`Method::Get`] (params in the query string).
    pub fn method(mut self, method: Method) -> Self {
        self.settings.method = method;
        self
    }

    /// The signature calls are signed with: [`SignatureVersion::V1`] (default) or
    /// [`SignatureVersion::V3`] (`ACS3-HMAC-SHA256`); see [`SignatureVersion`] for what each
    /// sends, and why v1 is the default.
    ///
    /// With V3, params of `#[rpc(body)]` fields travel in the form body of a `POST` and
    /// every other param in the query; a `GET` has no body, so it sends them all in its
    /// query, where Aliyun reads them too. Retries, clock-skew correction, client tokens,
    /// [`prepare`](Client::prepare) and the signature diagnosis work alike for both.
    ///
    /// ```
    /// use aliyun_rpc::client::SignatureVersion;
    /// use aliyun_rpc::{Client, Credentials, Format};
    ///
    /// let client = Client::builder()
    ///     .region("cn-hangzhou")
    ///     .credentials(Credentials::new("LTAI5tExample", "secret"))
    ///     .signature_version(SignatureVersion::V3)
    ///     .format(Format::Xml) // sent as `Accept: application/xml`
    ///     .build()?;
    /// # Ok::<(), aliyun_rpc::Error>(())
    /// ```
    pub fn signature_version(mut self, version: SignatureVersion) -> Self {
        self.settings.signature_version = version;
        self
    }

    /// How long to wait for a connection (default 5 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.settings.connect_timeout = timeout;
        self
    }

    /// How long one attempt may take for its whole answer, from sending the request to the
    /// last byte of the body (default 10 s); an attempt that runs out is a
    /// [`TransportKind::Timeout`](crate::error::TransportKind::Timeout) error, retried like
    /// any transport failure.
    ///
    /// This is one timer per attempt covering the whole answer, not a timer per socket read
    /// (reqwest's `read_timeout`): a slow trickle of bytes cannot stretch an attempt past it,
    /// and one timer is measurably cheaper with many calls in flight. The whole call, retries
    /// and waits included, is bounded by [`RetryPolicy::total_timeout`].
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.settings.attempt_timeout = timeout;
        self
    }

    /// The largest answer body the client reads, in bytes (default
    /// [`DEFAULT_MAX_RESPONSE_BYTES`](crate::limits::DEFAULT_MAX_RESPONSE_BYTES), 16 MiB,
    /// far above any real Aliyun answer). A longer body, whether announced by
    /// `Content-Length` or not, fails the call with [`Error::ResponseTooLarge`] as soon as
    /// the limit is passed, so memory stays bounded whatever a server sends.
    ///
    /// ```
    /// use aliyun_rpc::{Client, Credentials};
    ///
    /// let client = Client::builder()
    ///     .region("cn-hangzhou")
    ///     .credentials(Credentials::new("LTAI5tExample", "secret"))
    ///     .max_response_bytes(64 * 1024 * 1024)
    ///     .build()?;
    /// # Ok::<(), aliyun_rpc::Error>(())
    /// ```
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.settings.max_response_bytes = limit;
        self
    }

    /// Sends every call through the HTTP proxy at `url` (`http://host:port`, or `https://`
    /// for a proxy spoken to over TLS; a bare `host:port` gets `http://`), whatever the
    /// endpoint and the environment: HTTPS calls through a `CONNECT` tunnel, plain HTTP ones
    /// (the emulator) forwarded. A `user:password@` before the host is sent as the proxy's
    /// basic authentication and never shown: `Debug` and errors print `***` in its place.
    /// A malformed URL, another scheme (`socks5`), or a path makes [`build`](Self::build)
    /// fail with [`Error::Config`].
    ///
    /// Without this call the client honours the variables reqwest reads: `HTTPS_PROXY` for
    /// `https://` endpoints, `HTTP_PROXY` for `http://` ones, `ALL_PROXY` for both, and
    /// `NO_PROXY` (a comma-separated list of hosts, domains and IP ranges that go direct),
    /// each also in lower case (`HTTP_PROXY` is ignored in a CGI program, where a request
    /// could set it). A client whose endpoint is a loopback address (`127.0.0.0/8`, `::1`,
    /// `localhost`, as for the emulator) ignores those variables and connects directly, so
    /// tests against a local server pass in a proxied CI. [`no_proxy`](Self::no_proxy)
    /// turns every proxy off.
    ///
    /// ```
    /// use aliyun_rpc::{Client, Credentials};
    ///
    /// let creds = Credentials::new("LTAI5tExample", "secret");
    /// let client = Client::builder()
    ///     .region("cn-hangzhou")
    ///     .credentials(creds.clone())
    ///     .proxy("http://alice:hunter2@proxy.corp.example:3128")
    ///     .build()?;
    /// assert!(!format!("{client:?}").contains("hunter2"));
    ///
    /// let err = Client::builder().credentials(creds).proxy("socks5://proxy:1080").build().unwrap_err();
    /// assert!(err.to_string().contains("has the scheme `socks5`"), "{err}");
    /// # Ok::<(), aliyun_rpc::Error>(())
    /// ```
    pub fn proxy(mut self, url: impl AsRef<str>) -> Self {
        match ProxyUrl::parse(url.as_ref()) {
            Ok(proxy) => {
                self.settings.proxy = ProxyChoice::Url(proxy);
                self.proxy_error = None;
            }
            Err(message) => {
                self.settings.proxy = ProxyChoice::Off;
                self.proxy_error = Some(message);
            }
        }
        self
    }

    /// Connects directly, with no proxy: neither one set with [`proxy`](Self::proxy) nor
    /// the environment's (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`).
    pub fn no_proxy(mut self) -> Self {
        self.settings.proxy = ProxyChoice::Off;
        self.proxy_error = None;
        self
    }

    /// At most `n` requests of this client (and its clones) on the wire at once (default
    /// [`DEFAULT_MAX_IN_FLIGHT`](crate::limits::DEFAULT_MAX_IN_FLIGHT), 256; `0` counts as
    /// 1). A call beyond it waits for a turn before it is sent; the turn is held from
    /// sending the request to reading the last byte of its answer, never during a retry's
    /// wait, and the wait for a turn does not count against the attempt timeout. The client
    /// also keeps at most `n` idle connections, so it holds at most `2 n` sockets: the
    /// default keeps a program under the common `ulimit -n 1024` however many tasks share
    /// the client.
    ///
    /// ```
    /// use aliyun_rpc::{Client, Credentials};
    ///
    /// // A program under `ulimit -n 256`: at most 128 sockets for this client.
    /// let client = Client::builder()
    ///     .region("cn-hangzhou")
    ///     .credentials(Credentials::new("LTAI5tExample", "secret"))
    ///     .max_in_flight(64)
    ///     .build()?;
    /// # Ok::<(), aliyun_rpc::Error>(())
    /// ```
    pub fn max_in_flight(mut self, n: usize) -> Self {
        self.settings.max_in_flight = n.max(1);
        self
    }

    /// Builds the client. Fails without credentials, with fixed credentials whose key id or
    /// secret is empty, with a malformed endpoint, or with a region or endpoint suffix that
    /// is not a DNS label (see [`crate::endpoint`]).
    ///
    /// ```
    /// use aliyun_rpc::{Client, Credentials};
    ///
    /// let err = Client::builder().credentials(Credentials::new("LTAI5tExample", "")).build();
    /// assert_eq!(
    ///     err.unwrap_err().to_string(),
    ///     "credentials: the access key secret is empty; nothing is signed with empty keys"
    /// );
    /// ```
    pub fn build(self) -> Result<Client, Error> {
        let credentials = self.credentials.ok_or_else(|| {
            Error::credentials(
                "no credentials: call `ClientBuilder::credentials`, or use `Client::from_env`",
            )
        })?;
        if let Some(field) = self.empty_credentials {
            return Err(empty_keys(field));
        }
        if let Some(message) = self.endpoint_error.or(self.proxy_error) {
            return Err(Error::Config { message });
        }
        let mut settings = self.settings;
        settings.endpoint_host = match &settings.endpoint {
            Some(endpoint) => Some(endpoint::host_header(endpoint)?),
            None => None,
        };
        if let Some(region) = settings
            .region
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty())
        {
            endpoint::check_region(region)?;
        }
        if let Some(suffix) = settings
            .endpoint_suffix
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            endpoint::check_suffix(suffix)?;
        }
        if settings.endpoint.is_none() {
            warn_if_unknown_region(settings.region.as_deref());
        }
        // Aliyun's RPC endpoints never redirect; following one would re-send the signed
        // request (and its security token) elsewhere and take that host's answer as the API's.
        let mut http = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .connect_timeout(settings.connect_timeout)
            .pool_max_idle_per_host(settings.max_in_flight)
            .redirect(reqwest::redirect::Policy::none());
        let loopback = settings
            .endpoint
            .as_deref()
            .is_some_and(endpoint::is_loopback);
        http = match &settings.proxy {
            ProxyChoice::Url(proxy) => http.proxy(proxy.to_reqwest().map_err(Error::config)?),
            ProxyChoice::Off => http.no_proxy(),
            ProxyChoice::Environment if loopback => http.no_proxy(),
            ProxyChoice::Environment => http,
        };
        let http = http.build().map_err(|e| Error::Config {
            message: format!("cannot build the HTTP client: {}", e.without_url()),
        })?;
        let in_flight = Arc::new(tokio::sync::Semaphore::new(
            settings
                .max_in_flight
                .min(tokio::sync::Semaphore::MAX_PERMITS),
        ));
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                credentials,
                settings,
                clock_offset: AtomicI64::new(0),
                in_flight,
            }),
        })
    }
}

/// Logs a warning (once: a client is built once) when the endpoint is derived from a region
/// the endpoint rules do not know: a misspelt region makes a host that does not exist.
fn warn_if_unknown_region(region: Option<&str>) {
    let Some(region) = region.map(str::trim).filter(|r| !r.is_empty()) else {
        return;
    };
    if !endpoint::is_known_region(region) {
        tracing::warn!(
            region,
            "region `{region}` is not one the endpoint rules know (see \
             `aliyun_rpc::endpoint::KNOWN_REGIONS`); calls go to hosts derived from it, which \
             may not exist: check the spelling"
        );
    }
}

impl Client {
    /// A builder with the defaults.
    // `Client::from_env` lives with the default credentials chain (`credentials/chain.rs`):
    // the client knows no provider.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }
}

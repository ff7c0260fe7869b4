//! The client: adds the common params, signs, sends over reqwest (rustls), decodes.

use std::borrow::Cow;
use std::fmt;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use time::OffsetDateTime;
use tracing::Instrument as _;

use reqwest::header::{HeaderName, HeaderValue};

use crate::credentials::{Credentials, ProvideCredentials};
use crate::endpoint::{self, Network};
use crate::error::{Error, TransportKind};
use crate::params::key_prefix;
use crate::params::{ParamSink as _, ParamWriter, Scratch};
use crate::request::{Method, Request};
use crate::response::{self, Format};
use crate::retry::{rate_limit_wait, RetryPolicy};
use crate::signing::{self, is_unreserved, SignedQuery};

mod prepared;
mod timestamp;

pub use prepared::PreparedRequest;
use timestamp::TimestampBuf;

/// `User-Agent` sent with every call.
pub const USER_AGENT: &str = concat!("aliyun-rpc/", env!("CARGO_PKG_VERSION"), " (rust)");

/// Calls Aliyun RPC APIs. Cheap to clone (an `Arc` inside); one connection pool per builder.
///
/// ```no_run
/// # async fn run() -> Result<(), aliyun_rpc::Error> {
/// use aliyun_rpc::{Client, Credentials, Format};
///
/// let client = Client::builder()
///     .region("cn-hangzhou")
///     .credentials(Credentials::new("LTAI5tExample", "secret"))
///     .format(Format::Json)
///     .build()?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    credentials: Arc<dyn ProvideCredentials>,
    settings: Settings,
    /// Server time minus local time, in seconds, learnt from `InvalidTimeStamp.Expired`.
    clock_offset: AtomicI64,
}

/// What a [`ClientBuilder`] sets and a [`Client`] keeps, besides credentials.
#[derive(Debug, Clone)]
struct Settings {
    region: Option<String>,
    endpoint: Option<String>,
    network: Network,
    endpoint_suffix: Option<String>,
    format: Format,
    method: Method,
    retry: RetryPolicy,
    connect_timeout: Duration,
    read_timeout: Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            region: None,
            endpoint: None,
            network: Network::Public,
            endpoint_suffix: None,
            format: Format::Json,
            method: Method::Post,
            retry: RetryPolicy::default(),
            connect_timeout: Duration::from_secs(5),
            read_timeout: Duration::from_secs(10),
        }
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("credentials", &self.inner.credentials)
            .field("settings", &self.inner.settings)
            .field(
                "clock_offset_secs",
                &self.inner.clock_offset.load(Ordering::Relaxed),
            )
            .finish_non_exhaustive()
    }
}

/// Configures a [`Client`]. Defaults: JSON, POST, connect timeout 5 s, read timeout 10 s,
/// endpoint `https://{product}.{region}.aliyuncs.com`.
#[derive(Debug, Clone, Default)]
pub struct ClientBuilder {
    credentials: Option<Arc<dyn ProvideCredentials>>,
    settings: Settings,
}

impl ClientBuilder {
    /// The region calls go to, e.g. `cn-hangzhou`.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.settings.region = Some(region.into());
        self
    }

    /// Fixed credentials to sign with.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(Arc::new(credentials));
        self
    }

    /// A credentials provider, asked before every attempt (wrap providers of temporary
    /// credentials in [`CachedProvider`](crate::credentials::CachedProvider)).
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
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
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.settings.endpoint = Some(endpoint.into());
        self
    }

    /// The network to reach the product's endpoint on (default [`Network::Public`]);
    /// see [`crate::endpoint`] for the rule.
    pub fn network(mut self, network: Network) -> Self {
        self.settings.network = network;
        self
    }

    /// A suffix for the endpoint's first label (`{product}-{suffix}.{region}.aliyuncs.com`).
    pub fn endpoint_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.settings.endpoint_suffix = Some(suffix.into());
        self
    }

    /// The response format to ask for: [`Format::Json`] (default) or [`Format::Xml`].
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

    /// How long to wait for a connection (default 5 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.settings.connect_timeout = timeout;
        self
    }

    /// How long one attempt may wait for its whole answer, from sending the request to the
    /// last byte of the body (default 10 s). One timer per attempt: cheaper than a timer per
    /// socket read, which measurably slowed concurrent calls.
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.settings.read_timeout = timeout;
        self
    }

    /// Builds the client. Fails without credentials, or with a malformed endpoint.
    pub fn build(self) -> Result<Client, Error> {
        let credentials = self.credentials.ok_or_else(|| {
            Error::credentials(
                "no credentials: call `ClientBuilder::credentials`, or use `Client::from_env`",
            )
        })?;
        let mut settings = self.settings;
        settings.endpoint = match settings.endpoint {
            Some(e) => Some(normalize_endpoint(&e)?),
            None => None,
        };
        let http = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .connect_timeout(settings.connect_timeout)
            .build()
            .map_err(|e| Error::Config {
                message: format!("cannot build the HTTP client: {e}"),
            })?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                credentials,
                settings,
                clock_offset: AtomicI64::new(0),
            }),
        })
    }
}

/// `https://host[:port]` without a trailing slash; a bare host gets `https://`.
fn normalize_endpoint(endpoint: &str) -> Result<String, Error> {
    let endpoint = endpoint.trim().trim_end_matches('/');
    let with_scheme = if endpoint.contains("://") {
        endpoint.to_owned()
    } else {
        format!("https://{endpoint}")
    };
    match reqwest::Url::parse(&with_scheme) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => {
            Ok(with_scheme)
        }
        _ => Err(Error::config(format!(
            "endpoint `{endpoint}` is not an http(s) URL like `https://ecs.aliyuncs.com`"
        ))),
    }
}

impl Client {
    /// A builder with the defaults.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client from the environment: credentials from the
    /// [default chain](crate::credentials::DefaultChain), region from
    /// `ALIBABA_CLOUD_REGION_ID` or else the chosen profile's `region_id`.
    ///
    /// The chain takes the first configured source, in the official SDKs' order:
    ///
    /// 1. the variables `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET` and
    ///    `ALIBABA_CLOUD_SECURITY_TOKEN`;
    /// 2. the Aliyun CLI's `~/.aliyun/config.json`, profile `ALIBABA_CLOUD_PROFILE` or its
    ///    `current` one (modes `AK`, `StsToken`, `RamRoleArn`, `EcsRamRole`);
    /// 3. the ini file `~/.alibabacloud/credentials` (or `ALIBABA_CLOUD_CREDENTIALS_FILE`),
    ///    section `ALIBABA_CLOUD_PROFILE` or `default` (types `access_key`, `sts`,
    ///    `ram_role_arn`, `ecs_ram_role`);
    /// 4. the ECS instance's RAM role, when `ALIBABA_CLOUD_ECS_METADATA` names it.
    ///
    /// A broken source (bad JSON or ini, a missing field) is an error naming the file, the
    /// profile and the field; with no source at all, the error lists what was tried.
    pub fn from_env() -> Result<Client, Error> {
        Self::builder_from_env()?.build()
    }

    /// A builder preloaded from the environment, like [`from_env`](Self::from_env), to adjust
    /// before building.
    pub fn builder_from_env() -> Result<ClientBuilder, Error> {
        let chain = crate::credentials::DefaultChain::new()?;
        let region = crate::credentials::Vars::Process
            .get("ALIBABA_CLOUD_REGION_ID")
            .or_else(|| chain.region().map(str::to_owned));
        let mut builder = Self::builder().credentials_provider(chain);
        if let Some(region) = region {
            builder = builder.region(region);
        }
        Ok(builder)
    }

    /// The region calls go to, if set.
    pub fn region(&self) -> Option<&str> {
        self.inner.settings.region.as_deref()
    }

    /// The learnt difference between the server's clock and ours (server minus local).
    pub fn clock_offset(&self) -> time::Duration {
        time::Duration::seconds(self.inner.clock_offset.load(Ordering::Relaxed))
    }

    /// Now, by the server's clock as far as we know it.
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc() + self.clock_offset()
    }

    /// Validates, adds the common params with the current time and a fresh nonce, and signs,
    /// without sending. Its `Display` is a `curl` command with the signature and token redacted.
    pub async fn prepare<R: Request>(&self, request: &R) -> Result<PreparedRequest, Error> {
        request.validate()?;
        let base = self.endpoint_for::<R>()?;
        let credentials = self.inner.credentials.provide_credentials().await?;
        let token = fresh_client_token(request);
        let mut nonce = [0; uuid::fmt::Hyphenated::LENGTH];
        self.sign(
            request,
            &base,
            &credentials,
            self.now(),
            fresh_nonce(&mut nonce),
            token.as_ref().map(|(k, v)| (*k, v.as_str())),
        )
    }

    /// [`prepare`](Self::prepare) with given credentials, timestamp and nonce: a pure function
    /// of its inputs, for tests and benchmarks.
    pub fn prepare_with<R: Request>(
        &self,
        request: &R,
        credentials: &Credentials,
        timestamp: OffsetDateTime,
        nonce: &str,
    ) -> Result<PreparedRequest, Error> {
        request.validate()?;
        let base = self.endpoint_for::<R>()?;
        self.sign(request, &base, credentials, timestamp, nonce, None)
    }

    /// Flattens, merges with the common params and signs `request` for the endpoint `base`.
    fn sign<R: Request>(
        &self,
        request: &R,
        base: &str,
        creds: &Credentials,
        timestamp: OffsetDateTime,
        nonce: &str,
        client_token: Option<(&str, &str)>,
    ) -> Result<PreparedRequest, Error> {
        let inner = &*self.inner;
        let method = R::METHOD.unwrap_or(inner.settings.method);
        let timestamp_buf = TimestampBuf::new(timestamp)?;

        // One arena: flatten into it, add the common params, sort its index, then one pass
        // that encodes straight into the body (or URL) and feeds the HMAC as it goes.
        let Scratch {
            arena: mut params,
            key,
            value,
        } = Scratch::take();
        let mut writer = ParamWriter::with_buffers(&mut params, key, value);
        request.write_params(&mut writer);
        let (key, value) = writer.into_buffers();
        if let Some((name, token)) = client_token {
            params.push(name, token);
        }
        params.sort_by_key();
        let common =
            CommonParams::new::<R>(inner.settings.format, creds, nonce, timestamp_buf.as_str());
        let common = common.as_slice();
        let common_len: usize = common.iter().map(|c| c.key.len() + c.value.len() + 2).sum();

        // Where the canonical query starts: after `base/?` in a `GET`'s URL.
        let query_start = match method {
            Method::Get => base.len() + 2,
            Method::Post => 0,
        };
        // Room for typical escaping (`:` in timestamps, `.` is kept) and the signature.
        let text_len = params.text_len() + common_len;
        let capacity = query_start + text_len + text_len / 4 + 2 * params.len() + 48;
        let mut encoded = String::with_capacity(capacity);
        if method == Method::Get {
            encoded.push_str(base);
            encoded.push_str("/?");
        }
        let mut query = SignedQuery::new(&mut encoded, method.as_str(), creds.signing_key());
        // Merge the sorted business params with the common ones (sorted by construction);
        // on equal keys the business param goes first, as a stable sort would put it.
        let mut next_common = 0;
        for pair in params.iter() {
            while let Some(c) = common.get(next_common) {
                let before = c.prefix < pair.prefix
                    || (c.prefix == pair.prefix && c.key.as_bytes() < pair.key.as_bytes());
                if !before {
                    break;
                }
                query.pair_with(c.key, true, c.value, c.value_unreserved);
                next_common += 1;
            }
            query.pair_with(pair.key, pair.key_unreserved, pair.value, false);
        }
        for c in common.get(next_common..).unwrap_or_default() {
            query.pair_with(c.key, true, c.value, c.value_unreserved);
        }
        let digest = query.finish();
        let canonical = query_start..encoded.len();
        encoded.push_str("&Signature=");
        signing::write_encoded_signature(&mut encoded, &digest);

        Scratch {
            arena: params,
            key,
            value,
        }
        .give_back();

        let (url, body) = match method {
            Method::Get => (encoded, None),
            Method::Post => {
                let mut url = String::with_capacity(base.len() + 1);
                url.push_str(base);
                url.push('/');
                (url, Some(bytes::Bytes::from(encoded)))
            }
        };
        Ok(PreparedRequest {
            method,
            url,
            // Checked when `R` is compiled: an action or version that cannot be a header
            // value fails the build instead of every call.
            action: const { HeaderValue::from_static(R::ACTION) },
            version: const { HeaderValue::from_static(R::VERSION) },
            body,
            format: inner.settings.format,
            canonical,
            string_to_sign: OnceLock::new(),
            security_token: creds.security_token().map(str::to_owned),
        })
    }

    /// The endpoint `R` goes to: the override, or the product's for the client's region.
    fn endpoint_for<R: Request>(&self) -> Result<Cow<'_, str>, Error> {
        let inner = &*self.inner;
        match &inner.settings.endpoint {
            Some(endpoint) => Ok(Cow::Borrowed(endpoint)),
            None => endpoint::resolve_with(
                R::PRODUCT,
                inner.settings.region.as_deref(),
                inner.settings.network,
                inner.settings.endpoint_suffix.as_deref(),
            )
            .map(Cow::Owned),
        }
    }

    /// Validates, signs, sends and decodes one call, retrying by the client's [`RetryPolicy`].
    ///
    /// A validation error sends nothing. Every attempt gets fresh credentials from the
    /// provider, a fresh nonce and timestamp, and a new signature; a `#[rpc(client_token)]`
    /// left unset gets one token for the whole call. On `InvalidTimeStamp.Expired` the client
    /// learns the server's clock from its `Date` header and retries once; later calls use the
    /// corrected time. An error answer comes back as [`Error::Api`] with the service's `Code`,
    /// `Message`, `RequestId` and the number of attempts; a `SignatureDoesNotMatch` also says
    /// whether the secret is wrong or the request was changed on the way.
    pub async fn call<R: Request>(&self, request: &R) -> Result<R::Response, Error> {
        request.validate()?;
        let inner = &*self.inner;
        let base = self.endpoint_for::<R>()?;
        let client_token = fresh_client_token(request);
        let client_token = client_token.as_ref().map(|(k, v)| (*k, v.as_str()));
        let started = Instant::now();
        let deadline = inner.settings.retry.deadline().map(|d| started + d);
        let span = tracing::info_span!(
            "aliyun_rpc.call",
            product = R::PRODUCT,
            action = R::ACTION,
            version = R::VERSION,
            region = inner.settings.region.as_deref().unwrap_or(""),
            host = host_of(&base),
        );
        let mut last = AttemptInfo::default();
        let mut attempt = 0u32;
        let result = async {
            let mut skew_corrected = false;
            loop {
                attempt += 1;
                let attempt_span = tracing::debug_span!("aliyun_rpc.attempt", attempt);
                let outcome = self
                    .attempt(request, &base, client_token, &mut last)
                    .instrument(attempt_span)
                    .await;
                let mut error = match outcome {
                    Ok(response) => return Ok(response),
                    Err(e) => e,
                };
                let skewed = !skew_corrected && error.code() == Some("InvalidTimeStamp.Expired");
                if skewed {
                    if let Some(offset) = error_server_offset(&error) {
                        inner.clock_offset.store(offset, Ordering::Relaxed);
                        skew_corrected = true;
                        tracing::warn!(
                            offset_secs = offset,
                            "timestamp rejected: correcting for the server's clock"
                        );
                        continue;
                    }
                }
                let wait = match &error {
                    Error::Api(api) => api
                        .retry_after
                        .max(Some(inner.settings.retry.backoff(attempt))),
                    _ => Some(inner.settings.retry.backoff(attempt)),
                }
                .unwrap_or_default();
                let out_of_time = deadline.is_some_and(|d| Instant::now() + wait >= d);
                if !error.is_retryable()
                    || attempt >= inner.settings.retry.attempts()
                    || out_of_time
                {
                    error.set_attempts(attempt);
                    return Err(error);
                }
                tracing::info!(
                    attempt,
                    code = error.code().unwrap_or(""),
                    error = %error,
                    wait_ms = wait.as_millis() as u64,
                    "retrying"
                );
                tokio::time::sleep(wait).await;
            }
        }
        .instrument(span.clone())
        .await;
        let _entered = span.enter();
        let latency_ms = started.elapsed().as_millis() as u64;
        let request_id = last.request_id();
        let status = last.status.unwrap_or(0);
        match &result {
            Ok(_) => tracing::debug!(
                attempts = attempt,
                status,
                request_id,
                latency_ms,
                "call succeeded"
            ),
            Err(e) => tracing::debug!(
                attempts = attempt,
                status,
                request_id,
                latency_ms,
                code = e.code().unwrap_or(""),
                error = %e,
                "call failed"
            ),
        }
        result
    }

    async fn attempt<R: Request>(
        &self,
        request: &R,
        base: &str,
        client_token: Option<(&str, &str)>,
        last: &mut AttemptInfo,
    ) -> Result<R::Response, Error> {
        *last = AttemptInfo::default();
        let credentials = self.inner.credentials.provide_credentials().await?;
        let mut nonce = [0; uuid::fmt::Hyphenated::LENGTH];
        let nonce = fresh_nonce(&mut nonce);
        let prepared = self.sign(request, base, &credentials, self.now(), nonce, client_token)?;
        let answer = self.send(&prepared).await?;
        last.status = Some(answer.status);
        let result = if (200..300).contains(&answer.status) {
            last.request_id = answer.request_id;
            response::decode(prepared.format, answer.status, &answer.body)
        } else {
            let mut error = prepared.api_error(answer.status, &answer.body);
            error.retry_after = answer.retry_after;
            error.server_date = httpdate::parse_http_date(header_str(answer.date.as_ref())).ok();
            last.request_id = error
                .request_id
                .as_deref()
                .and_then(|id| HeaderValue::from_str(id).ok())
                .or(answer.request_id);
            Err(error.into())
        };
        tracing::debug!(
            status = answer.status,
            request_id = last.request_id(),
            "answered"
        );
        result
    }

    async fn send(&self, prepared: &PreparedRequest) -> Result<Answer, Error> {
        let url = prepared.url_without_query();
        match tokio::time::timeout(self.inner.settings.read_timeout, self.exchange(prepared)).await
        {
            Ok(answer) => answer.map_err(|e| transport_error(url, e)),
            Err(elapsed) => Err(Error::Transport {
                kind: TransportKind::Timeout,
                attempts: 1,
                url: url.to_owned(),
                source: Box::new(elapsed),
            }),
        }
    }

    /// One request and its whole answer.
    async fn exchange(&self, prepared: &PreparedRequest) -> Result<Answer, reqwest::Error> {
        let http = &self.inner.http;
        let builder = match prepared.method {
            Method::Get => http.get(&prepared.url),
            Method::Post => http
                .post(&prepared.url)
                .header(reqwest::header::CONTENT_TYPE, FORM_CONTENT_TYPE)
                .body(prepared.body.clone().unwrap_or_default()),
        };
        let response = builder
            .header(X_ACS_ACTION, prepared.action.clone())
            .header(X_ACS_VERSION, prepared.version.clone())
            .send()
            .await?;
        let status = response.status().as_u16();
        let headers = response.headers();
        let retry_after = rate_limit_wait(headers);
        // Kept as they came (cloning a header value allocates nothing); read when needed.
        let date = headers.get(reqwest::header::DATE).cloned();
        let request_id = headers.get(X_ACS_REQUEST_ID).cloned();
        let body = response.bytes().await?;
        Ok(Answer {
            status,
            body,
            retry_after,
            date,
            request_id,
        })
    }
}

/// Headers of every call, made once (static bytes: cloning one allocates nothing).
const X_ACS_ACTION: HeaderName = HeaderName::from_static("x-acs-action");
const X_ACS_VERSION: HeaderName = HeaderName::from_static("x-acs-version");
const X_ACS_REQUEST_ID: HeaderName = HeaderName::from_static("x-acs-request-id");
const FORM_CONTENT_TYPE: HeaderValue =
    HeaderValue::from_static("application/x-www-form-urlencoded");

/// A new `SignatureNonce` (a v4 UUID), written into `buf`: no allocation per attempt.
fn fresh_nonce(buf: &mut [u8; uuid::fmt::Hyphenated::LENGTH]) -> &str {
    uuid::Uuid::new_v4().hyphenated().encode_lower(buf)
}

/// The name and a new value for `request`'s `#[rpc(client_token)]` field, if it is unset.
fn fresh_client_token<R: Request>(request: &R) -> Option<(&'static str, String)> {
    request
        .missing_client_token()
        .map(|name| (name, uuid::Uuid::new_v4().to_string()))
}

/// The `host[:port]` of a URL.
fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    rest.split(['/', '?']).next().unwrap_or(rest)
}

/// What the last attempt learnt, for the call's closing event.
#[derive(Default)]
struct AttemptInfo {
    status: Option<u16>,
    request_id: Option<HeaderValue>,
}

impl AttemptInfo {
    fn request_id(&self) -> &str {
        header_str(self.request_id.as_ref())
    }
}

/// A header's value as text, or `""`.
fn header_str(value: Option<&HeaderValue>) -> &str {
    value.and_then(|v| v.to_str().ok()).unwrap_or_default()
}

/// What came back from one attempt, before decoding.
struct Answer {
    status: u16,
    body: bytes::Bytes,
    retry_after: Option<Duration>,
    date: Option<HeaderValue>,
    request_id: Option<HeaderValue>,
}

/// Server time minus local time, in whole seconds, from the `Date` of an error answer.
fn error_server_offset(error: &Error) -> Option<i64> {
    let date = error.as_api()?.server_date?;
    let server = OffsetDateTime::from(date);
    Some((server - OffsetDateTime::now_utc()).whole_seconds())
}

/// One common param: its key (unreserved, as all of them are) and the key's sort prefix,
/// its value, and whether the value is known to be unreserved (then signing skips its scan).
#[derive(Debug, Clone, Copy)]
struct CommonParam<'a> {
    prefix: u64,
    key: &'static str,
    value: &'a str,
    value_unreserved: bool,
}

/// The common params every call carries, in one place, already in byte order of their
/// keys, so that they merge into the sorted business params without being sorted or copied.
struct CommonParams<'a> {
    params: [CommonParam<'a>; 9],
    len: usize,
}

impl<'a> CommonParams<'a> {
    fn new<R: Request>(
        format: Format,
        creds: &'a Credentials,
        nonce: &'a str,
        timestamp: &'a str,
    ) -> Self {
        macro_rules! param {
            ($key:literal, $value:expr, $unreserved:expr) => {
                CommonParam {
                    prefix: const { key_prefix($key) },
                    key: $key,
                    value: $value,
                    value_unreserved: $unreserved,
                }
            };
        }
        let token = creds.security_token();
        let mut params = [
            param!("AccessKeyId", creds.access_key_id(), false),
            param!("Action", R::ACTION, (const { is_unreserved(R::ACTION) })),
            param!("Format", format.as_str(), true),
            param!("SecurityToken", token.unwrap_or_default(), false),
            param!("SignatureMethod", "HMAC-SHA1", true),
            param!("SignatureNonce", nonce, false),
            param!("SignatureVersion", "1.0", true),
            param!("Timestamp", timestamp, false),
            param!("Version", R::VERSION, (const { is_unreserved(R::VERSION) })),
        ];
        // Without STS credentials there is no `SecurityToken` at all.
        let len = if token.is_some() {
            params.len()
        } else {
            params.copy_within(4.., 3);
            params.len() - 1
        };
        CommonParams { params, len }
    }

    fn as_slice(&self) -> &[CommonParam<'a>] {
        self.params.get(..self.len).unwrap_or_default()
    }
}

fn transport_error(url: &str, e: reqwest::Error) -> Error {
    let kind = if e.is_timeout() {
        TransportKind::Timeout
    } else if e.is_connect() {
        TransportKind::Connect
    } else {
        TransportKind::Other
    };
    // reqwest's messages can include the full URL, and so the signature of a GET: drop it.
    Error::Transport {
        kind,
        attempts: 1,
        url: url.to_owned(),
        source: Box::new(e.without_url()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Req;

    impl Request for Req {
        const PRODUCT: &'static str = "Ecs";
        const VERSION: &'static str = "2014-05-26";
        const ACTION: &'static str = "DescribeRegions";
        type Response = ();
        fn write_params(&self, _: &mut ParamWriter<'_>) {}
        fn validate(&self) -> Result<(), Error> {
            Ok(())
        }
    }

    /// The merge relies on the common params coming sorted, with true prefixes and hints.
    #[test]
    fn common_params_are_sorted_with_true_prefixes_and_hints() {
        let long_lived = Credentials::new("id", "s");
        let sts = Credentials::new("id", "s").with_security_token("tok");
        for (creds, count) in [(&long_lived, 8), (&sts, 9)] {
            let common = CommonParams::new::<Req>(Format::Json, creds, "n", "t");
            let common = common.as_slice();
            assert_eq!(common.len(), count);
            assert!(common.windows(2).all(|w| w[0].key < w[1].key));
            for c in common {
                assert_eq!(c.prefix, key_prefix(c.key), "{}", c.key);
                assert!(is_unreserved(c.key));
                assert!(!c.value_unreserved || is_unreserved(c.value), "{}", c.key);
            }
            let token = common.iter().find(|c| c.key == "SecurityToken");
            assert_eq!(token.map(|c| c.value), creds.security_token());
        }
    }
}

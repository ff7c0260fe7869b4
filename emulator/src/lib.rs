//! A local Alibaba Cloud (Aliyun) RPC API server that verifies signatures exactly like
//! Aliyun: for examples, tests, and your own tests.
//!
//! It listens on `127.0.0.1`, accepts `GET` and `POST` calls signed with signature v1
//! (HMAC-SHA1), runs Aliyun's checks in Aliyun's order (mandatory params, signature
//! method and version, access key and STS token, timestamp window, signature, nonce
//! replay, action and version) and answers in the requested `Format` (XML unless
//! `Format=JSON`), with Aliyun's error codes. It serves ECS `2014-05-26`
//! `DescribeRegions`, `DescribeImageSupportInstanceTypes` and `CreateSecurityGroup`
//! (idempotent with `ClientToken`), STS `2015-04-01` `AssumeRole` (credentials it then
//! accepts until they expire) out of the box, and any action you register with
//! [`EmulatorBuilder::handler`]. It can also serve the ECS instance metadata service for a
//! RAM role ([`EmulatorBuilder::ecs_ram_role`]) and misbehave on purpose ([`Faults`]).
//!
//! A whole signed call, made by hand with the runtime's signer:
//!
//! ```
//! use aliyun_rpc_emulator::Emulator;
//! use aliyun_rpc_runtime::signing::{percent_encode, sign, string_to_sign};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let emulator = Emulator::start().await?;
//!
//! let timestamp = time::OffsetDateTime::now_utc()
//!     .format(time::macros::format_description!(
//!         "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
//!     ))?;
//! let mut params: Vec<(String, String)> = [
//!     ("Action", "DescribeRegions"), ("Version", "2014-05-26"), ("Format", "JSON"),
//!     ("AccessKeyId", emulator.access_key_id()), ("SignatureMethod", "HMAC-SHA1"),
//!     ("SignatureVersion", "1.0"), ("SignatureNonce", "9d4ef1d0-5f5c-4a0b-8e4b-3b1a7c2d9e10"),
//!     ("Timestamp", &timestamp),
//! ].iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
//! let signature = sign(&string_to_sign("GET", &params), emulator.access_key_secret());
//! params.push(("Signature".into(), signature));
//! let query: Vec<String> =
//!     params.iter().map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v))).collect();
//!
//! let response = reqwest::get(format!("{}/?{}", emulator.endpoint(), query.join("&"))).await?;
//! assert_eq!(response.status(), 200);
//! let body = response.text().await?;
//! assert!(body.contains(r#""RegionId":"cn-hangzhou""#));
//! assert_eq!(emulator.request_count(), 1);
//!
//! emulator.shutdown().await;
//! # Ok(())
//! # }
//! ```
#![warn(missing_docs, missing_debug_implementations)]
#![forbid(unsafe_code)]

mod clock;
mod dispatch;
mod ecs;
mod error;
mod faults;
mod ids;
mod imds;
mod keys;
mod nonces;
mod params;
mod request;
mod response;
mod rpc;
mod security_group;
mod server;
mod shared;
mod sts;
mod sync;
mod verify;
mod wire;
mod xml;

use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use serde_json::Value;

pub use error::{ApiError, StartError};
pub use faults::Faults;
pub use request::EmulatorRequest;

use dispatch::{Actions, Handler};
use imds::Imds;
use keys::{AccessKey, KeyStore, StsToken};
use nonces::{NonceCache, NonceLedger};
use security_group::SecurityGroups;
use server::Server;
use shared::Shared;
use sts::Sts;

/// The access key id the emulator accepts when none is configured.
pub const DEFAULT_ACCESS_KEY_ID: &str = "testid";
/// The access key secret that goes with [`DEFAULT_ACCESS_KEY_ID`].
pub const DEFAULT_ACCESS_KEY_SECRET: &str = "testsecret";
/// How far a call's `Timestamp` may be from the emulator's clock, either way, by default
/// (Aliyun's 15 minutes).
pub const DEFAULT_TIMESTAMP_WINDOW: Duration = Duration::from_secs(15 * 60);

/// A running emulator, listening on `127.0.0.1`.
///
/// Dropping it stops the server (gracefully: calls in flight finish); call
/// [`shutdown`](Emulator::shutdown) to also wait until it has stopped.
///
/// ```
/// use aliyun_rpc_emulator::Emulator;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), aliyun_rpc_emulator::StartError> {
/// let emulator = Emulator::start().await?;
/// assert!(emulator.endpoint().starts_with("http://127.0.0.1:"));
/// assert_eq!(emulator.access_key_id(), "testid");
/// assert_eq!(emulator.request_count(), 0);
/// emulator.shutdown().await;
/// # Ok(())
/// # }
/// ```
pub struct Emulator {
    addr: SocketAddr,
    endpoint: String,
    shared: Arc<Shared>,
    /// The first configured key (or the default one), for the accessors.
    primary_key: (String, AccessKey),
    server: Server,
}

/// The role name the metadata service serves by default (see
/// [`EmulatorBuilder::ecs_ram_role`]).
pub const DEFAULT_ECS_RAM_ROLE: &str = imds::DEFAULT_ROLE;

impl Emulator {
    /// Starts an emulator with the defaults: a free port, key `testid` / `testsecret`,
    /// a ±15 minute timestamp window and the built-in actions.
    pub async fn start() -> Result<Emulator, StartError> {
        Emulator::builder().start().await
    }

    /// A builder, for keys, STS tokens, the timestamp window, the port and handlers.
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder::default()
    }

    /// The base URL to send calls to: `http://127.0.0.1:PORT` (no trailing slash).
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The address the emulator listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// How many HTTP requests the emulator has received, whatever became of them
    /// (refused ones included): a call that fails validation on the client side should
    /// leave it unchanged.
    pub fn request_count(&self) -> u64 {
        self.shared.request_count.load(Ordering::SeqCst)
    }

    /// The base URL of the instance metadata service: the same server as
    /// [`endpoint`](Emulator::endpoint) (paths under `/latest/`), served once
    /// [`EmulatorBuilder::ecs_ram_role`] enabled it.
    pub fn metadata_endpoint(&self) -> &str {
        &self.endpoint
    }

    /// How many STS `AssumeRole` calls were answered with credentials.
    pub fn assume_role_count(&self) -> u64 {
        self.shared.sts.assume_role_count()
    }

    /// How many credential documents the metadata service served (each is a new set).
    pub fn imds_credential_count(&self) -> u64 {
        self.shared.imds.as_ref().map_or(0, Imds::served)
    }

    /// How many security groups `CreateSecurityGroup` actually created (a repeat with
    /// the same `ClientToken` creates none).
    pub fn security_groups_created(&self) -> u64 {
        self.shared.security_groups.created()
    }

    /// The fault controls, to change them while the emulator runs.
    ///
    /// ```
    /// # use aliyun_rpc_emulator::Emulator;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), aliyun_rpc_emulator::StartError> {
    /// let emulator = Emulator::start().await?;
    /// emulator.faults().fail_next(3, "Throttling.User", 400);
    /// # Ok(())
    /// # }
    /// ```
    pub fn faults(&self) -> &Faults {
        &self.shared.faults
    }

    /// How many requests were failed, throttled or dropped by fault injection.
    pub fn faults_injected(&self) -> u64 {
        self.shared.faults.injected()
    }

    /// How many RPC requests arrived with a `SignatureNonce` already seen (across all
    /// access keys, within the timestamp window), whatever became of them: refused,
    /// faulted or answered. A client that never reuses a nonce keeps it at 0.
    pub fn nonce_reuse_count(&self) -> u64 {
        sync::lock(&self.shared.nonce_ledger).reuse_count()
    }

    /// The first configured access key id (`testid` by default).
    pub fn access_key_id(&self) -> &str {
        &self.primary_key.0
    }

    /// The secret of [`access_key_id`](Emulator::access_key_id) (`testsecret` by default).
    pub fn access_key_secret(&self) -> &str {
        &self.primary_key.1.secret
    }

    /// The STS token that must come with [`access_key_id`](Emulator::access_key_id), if
    /// the first configured key is an STS one.
    pub fn security_token(&self) -> Option<&str> {
        self.primary_key
            .1
            .sts
            .as_ref()
            .map(|sts| sts.token.as_str())
    }

    /// Stops the server and waits until it has: calls in flight get a few seconds to
    /// finish, idle connections are closed.
    pub async fn shutdown(mut self) {
        self.server.shutdown().await;
    }
}

impl fmt::Debug for Emulator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Emulator")
            .field("endpoint", &self.endpoint)
            .field("access_key_id", &self.primary_key.0)
            .field("request_count", &self.request_count())
            .finish_non_exhaustive()
    }
}

/// Configures an [`Emulator`]; get one with [`Emulator::builder`].
///
/// ```
/// use std::time::Duration;
/// use aliyun_rpc_emulator::{ApiError, Emulator};
/// use serde_json::json;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), aliyun_rpc_emulator::StartError> {
/// let emulator = Emulator::builder()
///     .access_key("LTAI-test", "secret-1")
///     .access_key("LTAI-other", "secret-2")
///     .sts_token("STS.test", "sts-secret", "the-security-token")
///     .timestamp_window(Duration::from_secs(60))
///     .handler("2016-04-28", "DescribeVpcs", |req| {
///         let region = req.region_id().ok_or_else(|| ApiError::missing_parameter("RegionId"))?;
///         Ok(json!({ "TotalCount": 0, "Vpcs": { "Vpc": [] }, "RegionId": region }))
///     })
///     .start()
///     .await?;
/// assert_eq!(emulator.access_key_id(), "LTAI-test");
/// # Ok(())
/// # }
/// ```
pub struct EmulatorBuilder {
    keys: Vec<(String, AccessKey)>,
    window: Duration,
    port: u16,
    handlers: Vec<((String, String), Handler)>,
    sts_duration_override: Option<Duration>,
    ecs_ram_role: Option<String>,
    imds_require_token: bool,
    faults: Faults,
}

impl Default for EmulatorBuilder {
    fn default() -> Self {
        EmulatorBuilder {
            keys: Vec::new(),
            window: DEFAULT_TIMESTAMP_WINDOW,
            port: 0,
            handlers: Vec::new(),
            sts_duration_override: None,
            ecs_ram_role: None,
            imds_require_token: false,
            faults: Faults::default(),
        }
    }
}

impl EmulatorBuilder {
    /// Accepts calls signed with this access key. Once any key is configured (with this
    /// or [`sts_token`](Self::sts_token)), the default `testid` / `testsecret` is not
    /// accepted any more. Configuring an id twice keeps the last secret.
    pub fn access_key(mut self, id: impl Into<String>, secret: impl Into<String>) -> Self {
        self.add_key(
            id.into(),
            AccessKey {
                secret: secret.into(),
                sts: None,
            },
        );
        self
    }

    /// Accepts calls signed with this STS access key that carry `SecurityToken=token`.
    /// Without the token a call gets `MissingSecurityToken`, with another one
    /// `InvalidSecurityToken.MismatchWithAccessKey`.
    pub fn sts_token(
        self,
        id: impl Into<String>,
        secret: impl Into<String>,
        token: impl Into<String>,
    ) -> Self {
        self.sts_key(id.into(), secret.into(), token.into(), None)
    }

    /// Like [`sts_token`](Self::sts_token), for a token that expires at `expires_at`:
    /// from then on calls get `InvalidSecurityToken.Expired`.
    ///
    /// ```
    /// use std::time::{Duration, SystemTime};
    /// # use aliyun_rpc_emulator::Emulator;
    /// let expired_yesterday = SystemTime::now() - Duration::from_secs(86_400);
    /// let builder = Emulator::builder()
    ///     .sts_token_expiring_at("STS.old", "secret", "token", expired_yesterday);
    /// # let _ = builder;
    /// ```
    pub fn sts_token_expiring_at(
        self,
        id: impl Into<String>,
        secret: impl Into<String>,
        token: impl Into<String>,
        expires_at: SystemTime,
    ) -> Self {
        let expires_at = time::OffsetDateTime::from(expires_at);
        self.sts_key(id.into(), secret.into(), token.into(), Some(expires_at))
    }

    fn sts_key(
        mut self,
        id: String,
        secret: String,
        token: String,
        expires_at: Option<time::OffsetDateTime>,
    ) -> Self {
        self.add_key(
            id,
            AccessKey {
                secret,
                sts: Some(StsToken { token, expires_at }),
            },
        );
        self
    }

    fn add_key(&mut self, id: String, key: AccessKey) {
        match self.keys.iter_mut().find(|(k, _)| *k == id) {
            Some(slot) => slot.1 = key,
            None => self.keys.push((id, key)),
        }
    }

    /// How far a call's `Timestamp` may be from the emulator's clock, either way
    /// (default ±15 minutes). Nonces are remembered for as long as this.
    pub fn timestamp_window(mut self, window: Duration) -> Self {
        self.window = window;
        self
    }

    /// Makes every credential the emulator issues (STS `AssumeRole`, the metadata
    /// service) live exactly `lifetime`, whatever `DurationSeconds` asked for (which is
    /// still validated): for tests of expiry and refresh without waiting an hour.
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use aliyun_rpc_emulator::Emulator;
    /// // Inside a 180 s refresh margin from the start.
    /// let builder = Emulator::builder().sts_duration_override(Duration::from_secs(200));
    /// # let _ = builder;
    /// ```
    pub fn sts_duration_override(mut self, lifetime: Duration) -> Self {
        self.sts_duration_override = Some(lifetime);
        self
    }

    /// Serves the ECS instance metadata service for RAM role `role` on the same port:
    /// `PUT /latest/api/token`, `GET /latest/meta-data/ram/security-credentials/` (the
    /// role name) and `GET /latest/meta-data/ram/security-credentials/<role>` (temporary
    /// credentials the RPC side accepts). An empty `role` means
    /// [`DEFAULT_ECS_RAM_ROLE`].
    ///
    /// ```
    /// # use aliyun_rpc_emulator::Emulator;
    /// let builder = Emulator::builder().ecs_ram_role("MyAppRole").imds_require_token(true);
    /// # let _ = builder;
    /// ```
    pub fn ecs_ram_role(mut self, role: impl Into<String>) -> Self {
        let role = role.into();
        self.ecs_ram_role = Some(if role.is_empty() {
            DEFAULT_ECS_RAM_ROLE.to_owned()
        } else {
            role
        });
        self
    }

    /// Hardened mode (IMDSv2): metadata `GET`s without a valid
    /// `X-aliyun-ecs-metadata-token` header get `401` (default off: a token is checked
    /// only when sent).
    pub fn imds_require_token(mut self, require: bool) -> Self {
        self.imds_require_token = require;
        self
    }

    /// Arms faults from the start (the same controls as [`Emulator::faults`]).
    ///
    /// ```
    /// # use aliyun_rpc_emulator::Emulator;
    /// let builder = Emulator::builder().faults(|f| {
    ///     f.seed(42).fail_percent(10.0, "ServiceUnavailable", 503).clock_skew_secs(-3600);
    /// });
    /// # let _ = builder;
    /// ```
    pub fn faults(self, configure: impl FnOnce(&Faults)) -> Self {
        configure(&self.faults);
        self
    }

    /// The port to listen on (default 0: any free port).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Answers `action` of API `version` with `handler`, after the signature checks.
    ///
    /// The handler gets the decoded params and returns a JSON object (the emulator adds
    /// `RequestId` and renders it as JSON or XML) or an [`ApiError`]. A handler that
    /// returns something other than an object, or panics, makes the emulator answer
    /// `500 InternalError`. Registering the same action and version twice, or a built-in
    /// one, keeps the last handler.
    pub fn handler<F>(
        mut self,
        version: impl Into<String>,
        action: impl Into<String>,
        handler: F,
    ) -> Self
    where
        F: Fn(&EmulatorRequest) -> Result<Value, ApiError> + Send + Sync + 'static,
    {
        self.handlers
            .push(((version.into(), action.into()), Arc::new(handler)));
        self
    }

    /// Binds `127.0.0.1` and starts serving in a background task of the current Tokio
    /// runtime.
    pub async fn start(self) -> Result<Emulator, StartError> {
        let port = self.port;
        let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, port))
            .await
            .map_err(|source| StartError::Bind { port, source })?;
        let addr = listener
            .local_addr()
            .map_err(|source| StartError::Bind { port, source })?;

        let mut keys = self.keys;
        let primary_key = keys.first().cloned().unwrap_or_else(|| {
            let key = AccessKey {
                secret: DEFAULT_ACCESS_KEY_SECRET.to_owned(),
                sts: None,
            };
            (DEFAULT_ACCESS_KEY_ID.to_owned(), key)
        });
        if keys.is_empty() {
            keys.push(primary_key.clone());
        }

        let keys = Arc::new(KeyStore::new(keys));
        let faults = Arc::new(self.faults);
        let sts = Arc::new(Sts::new(
            Arc::clone(&keys),
            Arc::clone(faults.clock()),
            self.sts_duration_override,
        ));
        let security_groups = Arc::new(SecurityGroups::default());

        let mut actions = built_in_actions(&sts, &security_groups);
        for ((version, action), handler) in self.handlers {
            actions.insert(version, action, handler);
        }

        let imds = self
            .ecs_ram_role
            .map(|role| Imds::new(role, self.imds_require_token, Arc::clone(&sts)));
        let shared = Arc::new(Shared {
            keys,
            window: self.window,
            nonces: Mutex::new(NonceCache::new(self.window)),
            nonce_ledger: Mutex::new(NonceLedger::new(self.window)),
            actions,
            request_count: AtomicU64::new(0),
            faults,
            sts,
            security_groups,
            imds,
        });
        let server = Server::start(listener, Arc::clone(&shared));
        tracing::info!(%addr, "aliyun-rpc-emulator listening");

        Ok(Emulator {
            addr,
            endpoint: format!("http://{addr}"),
            shared,
            primary_key,
            server,
        })
    }
}

/// Every built-in action and the product of every built-in API version: the one place
/// that lists them.
fn built_in_actions(sts: &Arc<Sts>, security_groups: &Arc<SecurityGroups>) -> Actions {
    let mut actions = Actions::default();
    actions.product(ecs::VERSION, ecs::PRODUCT);
    actions.insert(
        ecs::VERSION,
        "DescribeRegions",
        Arc::new(ecs::describe_regions),
    );
    actions.insert(
        ecs::VERSION,
        "DescribeImageSupportInstanceTypes",
        Arc::new(ecs::describe_image_support_instance_types),
    );
    let groups = Arc::clone(security_groups);
    actions.insert(
        ecs::VERSION,
        "CreateSecurityGroup",
        Arc::new(move |req: &EmulatorRequest| groups.create(req)),
    );
    actions.product(sts::VERSION, sts::PRODUCT);
    let sts = Arc::clone(sts);
    actions.insert(
        sts::VERSION,
        "AssumeRole",
        Arc::new(move |req: &EmulatorRequest| sts.assume_role(req)),
    );
    actions
}

impl fmt::Debug for EmulatorBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let key_ids: Vec<&str> = self.keys.iter().map(|(id, _)| id.as_str()).collect();
        let handlers: Vec<String> = self
            .handlers
            .iter()
            .map(|((version, action), _)| format!("{version}/{action}"))
            .collect();
        f.debug_struct("EmulatorBuilder")
            .field("access_key_ids", &key_ids)
            .field("timestamp_window", &self.window)
            .field("port", &self.port)
            .field("handlers", &handlers)
            .field("sts_duration_override", &self.sts_duration_override)
            .field("ecs_ram_role", &self.ecs_ram_role)
            .field("imds_require_token", &self.imds_require_token)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn debug_never_shows_secrets() {
        let builder = Emulator::builder()
            .access_key("id-1", "very-secret-1")
            .sts_token("STS.id-2", "very-secret-2", "very-secret-token");
        let shown = format!("{builder:?}");
        assert_eq!(
            shown,
            "EmulatorBuilder { access_key_ids: [\"id-1\", \"STS.id-2\"], \
             timestamp_window: 900s, port: 0, handlers: [], sts_duration_override: None, \
             ecs_ram_role: None, imds_require_token: false, .. }"
        );
        let emulator = builder.start().await.unwrap();
        let shown = format!("{emulator:?}");
        assert_eq!(
            shown,
            format!(
                "Emulator {{ endpoint: \"{}\", access_key_id: \"id-1\", request_count: 0, .. }}",
                emulator.endpoint()
            )
        );
        assert!(!shown.contains("very-secret"));
        emulator.shutdown().await;
    }
}

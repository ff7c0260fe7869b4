//! Configuring and starting an emulator: [`EmulatorBuilder`], the defaults, and the one
//! place that assembles the built-in actions and the schemas of schema mode. [`Emulator::start`] and
//! [`Emulator::builder`], the ways in, live here too, beside what they call.

use std::fmt;
use std::net::Ipv4Addr;
use std::path::PathBuf;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use serde_json::Value;

use crate::credentials_uri::CredentialsUri;
use crate::dispatch::{Actions, Handler, Owns};
use crate::ecs;
use crate::emulator::Emulator;
use crate::error::{ApiError, StartError};
use crate::faults::Faults;
use crate::imds::{Imds, DEFAULT_ECS_RAM_ROLE};
use crate::keys::{AccessKey, KeyStore, StsToken};
use crate::limits::Limits;
use crate::nonces::{NonceCache, NonceLedger};
use crate::request::EmulatorRequest;
use crate::schema::{self, DocsSource, LoadedDocs};
use crate::security_group::SecurityGroups;
use crate::server::Server;
use crate::shared::Shared;
use crate::sts::{self, Sts};

/// The access key id the emulator accepts when none is configured.
pub const DEFAULT_ACCESS_KEY_ID: &str = "testid";
/// The access key secret that goes with [`DEFAULT_ACCESS_KEY_ID`].
pub const DEFAULT_ACCESS_KEY_SECRET: &str = "testsecret";
/// How far a call's `Timestamp` may be from the emulator's clock, either way, by default
/// (Aliyun's 15 minutes).
pub const DEFAULT_TIMESTAMP_WINDOW: Duration = Duration::from_secs(15 * 60);

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
    oidc_tokens: Vec<String>,
    credentials_uri: Option<String>,
    faults: Faults,
    limits: Limits,
    api_docs: Vec<DocsSource>,
    built_in_schema: bool,
    allow_undeclared_params: bool,
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
            oidc_tokens: Vec::new(),
            credentials_uri: None,
            faults: Faults::default(),
            limits: Limits::default(),
            api_docs: Vec::new(),
            built_in_schema: true,
            allow_undeclared_params: false,
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

    /// Accepts `token` as an OIDC token in STS `AssumeRoleWithOIDC` (repeatable: every token
    /// given is accepted). That action is anonymous, as on Aliyun: no access key, no
    /// signature; the token is the proof. The emulator verifies no JWT: a registered token
    /// is accepted whatever it looks like, with any well-formed `RoleArn` and
    /// `OIDCProviderArn`, and gets credentials that the RPC side accepts until they expire;
    /// any other token is refused with Aliyun's `AuthenticationFail.OIDCToken.*` codes.
    ///
    /// ```
    /// # use aliyun_rpc_emulator::Emulator;
    /// let builder = Emulator::builder()
    ///     .oidc_token("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwb2QifQ.c2ln")
    ///     .oidc_token("the-next-rotated-token");
    /// # let _ = builder;
    /// ```
    pub fn oidc_token(mut self, token: impl Into<String>) -> Self {
        self.oidc_tokens.push(token.into());
        self
    }

    /// Serves a credentials URI at `path` (`/credentials`, say) on the same port: `GET` gives
    /// a JSON document of fresh temporary credentials (`Code`, `AccessKeyId`,
    /// `AccessKeySecret`, `SecurityToken`, `Expiration`, `LastUpdated`) that the RPC side
    /// accepts, what `ALIBABA_CLOUD_CREDENTIALS_URI` points a client at
    /// ([`Emulator::credentials_uri`] gives the whole URL). A path without its leading `/`
    /// gets one; the path `/` itself is the RPC endpoint's, so [`start`](Self::start) refuses
    /// it. Faults reach it as they reach RPC calls.
    ///
    /// ```
    /// # use aliyun_rpc_emulator::Emulator;
    /// let builder = Emulator::builder().credentials_uri("/v1/credentials");
    /// # let _ = builder;
    /// ```
    pub fn credentials_uri(mut self, path: impl Into<String>) -> Self {
        let path = path.into();
        self.credentials_uri = Some(if path.starts_with('/') {
            path
        } else {
            format!("/{path}")
        });
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

    /// The largest request body accepted, in bytes (default
    /// [`DEFAULT_MAX_BODY_BYTES`](crate::DEFAULT_MAX_BODY_BYTES), 1 MiB); a larger one is
    /// answered `400 InvalidParameter` without being read further, before any other check.
    ///
    /// ```
    /// # use aliyun_rpc_emulator::Emulator;
    /// // A test that sends one 4 MiB param.
    /// let builder = Emulator::builder().max_body_bytes(8 * 1024 * 1024);
    /// # let _ = builder;
    /// ```
    pub fn max_body_bytes(mut self, max: usize) -> Self {
        self.limits.max_body_bytes = max;
        self
    }

    /// How long a connection may take to deliver a request head (request line and
    /// headers), from when the emulator starts waiting for one: when the connection opens,
    /// and after each answer — so this is also how long an idle keep-alive connection is
    /// kept. Default [`DEFAULT_HEADER_READ_TIMEOUT`](crate::DEFAULT_HEADER_READ_TIMEOUT),
    /// 15 s. A connection that runs out of time is closed (slowloris, idle floods).
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use aliyun_rpc_emulator::Emulator;
    /// let builder = Emulator::builder().header_read_timeout(Duration::from_secs(2));
    /// # let _ = builder;
    /// ```
    pub fn header_read_timeout(mut self, timeout: Duration) -> Self {
        self.limits.header_read_timeout = timeout;
        self
    }

    /// How long a request's body may take to arrive whole, from its head (default
    /// [`DEFAULT_BODY_READ_TIMEOUT`](crate::DEFAULT_BODY_READ_TIMEOUT), 15 s). A body still
    /// coming then (a chunked body that never ends, a trickle) is answered
    /// `408 RequestTimeout` and the connection closed.
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use aliyun_rpc_emulator::Emulator;
    /// let builder = Emulator::builder().body_read_timeout(Duration::from_secs(5));
    /// # let _ = builder;
    /// ```
    pub fn body_read_timeout(mut self, timeout: Duration) -> Self {
        self.limits.body_read_timeout = timeout;
        self
    }

    /// How many connections are served at once (default
    /// [`DEFAULT_MAX_CONNECTIONS`](crate::DEFAULT_MAX_CONNECTIONS), 512; at least 1). Beyond
    /// it, new connections wait unaccepted in the listen backlog until a served one closes
    /// — an idle one does after the [header-read timeout](Self::header_read_timeout) — so
    /// a flood of idle connections delays calls by at most about that long, and cannot
    /// exhaust the process's file descriptors.
    ///
    /// ```
    /// # use aliyun_rpc_emulator::Emulator;
    /// let builder = Emulator::builder().max_connections(64);
    /// # let _ = builder;
    /// ```
    pub fn max_connections(mut self, max: usize) -> Self {
        self.limits.max_connections = max.max(1);
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

    /// Schema mode: serves every action of the `api-docs.json` file at `path` (Aliyun's
    /// OpenAPI metadata, `https://api.aliyun.com/meta/v1/products/{Product}/versions/{Version}/api-docs.json`).
    /// Repeatable; a later file replaces the actions (same version and name) of an earlier one
    /// and of the built-in ECS schema. The file is read by [`start`](Self::start), which fails
    /// with [`StartError::ApiDocs`] naming the file (and the action) when it cannot be read or
    /// is malformed.
    ///
    /// Each call to a loaded action is checked against its definition after the signature
    /// checks (missing required params, types, `enum`, bounds, lengths, list indices, `json`
    /// values, params the action does not declare), a `DryRun=true` call that passes is
    /// answered `DryRunOperation`, and a call no handler serves gets the action's example
    /// answer with its identifiers echoed (emulator/README.md, "Schema mode").
    ///
    /// ```no_run
    /// # use aliyun_rpc_emulator::Emulator;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), aliyun_rpc_emulator::StartError> {
    /// let emulator = Emulator::builder()
    ///     .api_docs("metadata/vpc-2016-04-28.json")
    ///     .start()
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn api_docs(mut self, path: impl Into<PathBuf>) -> Self {
        self.api_docs.push(DocsSource::File(path.into()));
        self
    }

    /// Like [`api_docs`](Self::api_docs), for metadata as text; `name` names it in errors.
    ///
    /// ```
    /// # use aliyun_rpc_emulator::Emulator;
    /// use aliyun_rpc_metadata::vendored;
    ///
    /// let builder = Emulator::builder()
    ///     .api_docs_str(vendored::NLB_2022_04_30_FILE, vendored::NLB_2022_04_30);
    /// # let _ = builder;
    /// ```
    pub fn api_docs_str(mut self, name: impl Into<String>, json: impl Into<String>) -> Self {
        self.api_docs.push(DocsSource::Text {
            name: name.into(),
            text: json.into(),
        });
        self
    }

    /// Whether the vendored ECS `2014-05-26` metadata is loaded (default on: every ECS
    /// action answers out of the box, and the built-in ECS actions get its checks). Off, the
    /// emulator answers only its built-in handlers, yours and your
    /// [`api_docs`](Self::api_docs), as before schema mode: for a handler that must see ECS
    /// calls the schema would refuse.
    pub fn built_in_schema(mut self, on: bool) -> Self {
        self.built_in_schema = on;
        self
    }

    /// Lets params that an action's schema does not declare pass unchecked, as the real
    /// service ignores them (default off: they are refused with `InvalidParameter.Undeclared`,
    /// naming the closest declared names, so a misspelt param fails in your tests instead of
    /// being dropped silently in production). Turn it on for clients that add params of their
    /// own, or metadata older than the service.
    pub fn allow_undeclared_params(mut self, allow: bool) -> Self {
        self.allow_undeclared_params = allow;
        self
    }

    /// Binds `127.0.0.1` and starts serving in a background task of the current Tokio
    /// runtime.
    pub async fn start(self) -> Result<Emulator, StartError> {
        if let Some(path) = self.credentials_uri.as_deref() {
            if path == "/" || path.contains(['?', '#']) {
                return Err(StartError::Config {
                    message: format!(
                        "the credentials URI path `{path}` is not a path other than `/` \
                         (`/` is the RPC endpoint's)"
                    ),
                });
            }
        }
        // Metadata first: a bad file fails before anything listens.
        let mut schemas: Vec<Arc<LoadedDocs>> = Vec::new();
        if self.built_in_schema {
            schemas
                .push(schema::built_in_ecs().map_err(|message| StartError::ApiDocs { message })?);
        }
        for source in &self.api_docs {
            let docs = schema::load(source).map_err(|message| StartError::ApiDocs { message })?;
            schemas.push(Arc::new(docs));
        }
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
            self.oidc_tokens,
        ));
        let security_groups = Arc::new(SecurityGroups::default());

        let mut actions = built_in_actions(&sts, &security_groups);
        for docs in &schemas {
            actions.product(&docs.version, &docs.product);
            for action in &docs.actions {
                actions.insert_schema(Arc::clone(action));
            }
        }
        for ((version, action), handler) in self.handlers {
            actions.insert(version, action, handler);
        }
        actions.allow_undeclared_params = self.allow_undeclared_params;

        let imds = self
            .ecs_ram_role
            .map(|role| Imds::new(role, self.imds_require_token, Arc::clone(&sts)));
        let credentials_uri = self
            .credentials_uri
            .map(|path| CredentialsUri::new(path, Arc::clone(&sts), Arc::clone(&faults)));
        let shared = Arc::new(Shared {
            keys,
            window: self.window,
            limits: self.limits,
            nonces: Mutex::new(NonceCache::new(self.window)),
            nonce_ledger: Mutex::new(NonceLedger::new(self.window)),
            actions,
            request_count: AtomicU64::new(0),
            faults,
            sts,
            security_groups,
            imds,
            credentials_uri,
        });
        let server = Server::start(listener, Arc::clone(&shared));
        tracing::info!(%addr, "aliyun-rpc-emulator listening");
        Ok(Emulator::new(addr, shared, primary_key, server))
    }
}

/// Every built-in action and the product of every built-in API version: the one place
/// that lists them. The ECS ones check their required params themselves (with the codes their
/// README tables pin); schema mode, when on, checks the rest before them.
fn built_in_actions(sts: &Arc<Sts>, security_groups: &Arc<SecurityGroups>) -> Actions {
    let mut actions = Actions::default();
    actions.product(ecs::VERSION, ecs::PRODUCT);
    let owns = |params| Owns {
        required: true,
        params,
    };
    actions.insert_owning(
        ecs::VERSION,
        "DescribeRegions",
        Arc::new(ecs::describe_regions),
        owns(&[]),
    );
    actions.insert_owning(
        ecs::VERSION,
        "DescribeImageSupportInstanceTypes",
        Arc::new(ecs::describe_image_support_instance_types),
        owns(&["Usage"]),
    );
    let groups = Arc::clone(security_groups);
    actions.insert_owning(
        ecs::VERSION,
        "CreateSecurityGroup",
        Arc::new(move |req: &EmulatorRequest| groups.create(req)),
        owns(&[]),
    );
    actions.product(sts::VERSION, sts::PRODUCT);
    let assume_role = Arc::clone(sts);
    actions.insert(
        sts::VERSION,
        "AssumeRole",
        Arc::new(move |req: &EmulatorRequest| assume_role.assume_role(req)),
    );
    // Anonymous: `anonymous.rs` lets it through without a signature.
    let sts = Arc::clone(sts);
    actions.insert(
        sts::VERSION,
        "AssumeRoleWithOIDC",
        Arc::new(move |req: &EmulatorRequest| sts.assume_role_with_oidc(req)),
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
            .field("oidc_tokens", &self.oidc_tokens.len())
            .field("credentials_uri", &self.credentials_uri)
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
            .sts_token("STS.id-2", "very-secret-2", "very-secret-token")
            .oidc_token("very-secret-oidc-token");
        let shown = format!("{builder:?}");
        assert_eq!(
            shown,
            "EmulatorBuilder { access_key_ids: [\"id-1\", \"STS.id-2\"], \
             timestamp_window: 900s, port: 0, handlers: [], sts_duration_override: None, \
             ecs_ram_role: None, imds_require_token: false, oidc_tokens: 1, \
             credentials_uri: None, .. }"
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

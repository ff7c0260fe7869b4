//! Credentials of the RAM role attached to an ECS instance, from the instance metadata
//! service (IMDS) at `http://100.100.100.200`.
//!
//! IMDSv2 (hardened mode) first: `PUT /latest/api/token` with
//! `X-aliyun-ecs-metadata-token-ttl-seconds`, then the token in `X-aliyun-ecs-metadata-token`
//! on every `GET`. If the token cannot be had, plain IMDSv1 `GET`s follow, unless
//! [`EcsRamRoleProvider::require_imds_v2`] is set
//! (<https://www.alibabacloud.com/help/en/ecs/user-guide/view-instance-metadata>).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::{BoxFuture, CachedProvider, Credentials, ProvideCredentials, SessionDocument};
use crate::error::{BoxError, Error};
use crate::limits::{read_body, BodyError, CREDENTIALS_DOCUMENT_BYTES, MAX_CODE_BYTES};
use crate::untrusted::{bound, Escaped};

/// Where the metadata service listens on every ECS instance.
pub(crate) const DEFAULT_METADATA_ENDPOINT: &str = "http://100.100.100.200";

const TOKEN_PATH: &str = "/latest/api/token";
const CREDENTIALS_PATH: &str = "/latest/meta-data/ram/security-credentials/";
const TOKEN_TTL_HEADER: &str = "X-aliyun-ecs-metadata-token-ttl-seconds";
const TOKEN_HEADER: &str = "X-aliyun-ecs-metadata-token";
/// The token outlives any one refresh by far; the maximum Aliyun allows.
const TOKEN_TTL_SECONDS: &str = "21600";

/// Fetches the ECS instance's RAM role credentials from the metadata service at each call.
///
/// It does not cache: wrap it in [`CachedProvider`] (or call [`cached`](Self::cached)), which
/// refreshes 180 s before the credentials expire.
///
/// ```
/// use aliyun_rpc::credentials::EcsRamRoleProvider;
///
/// let p = EcsRamRoleProvider::new()
///     .role_name("EcsRole")
///     .endpoint("http://127.0.0.1:8080")
///     .require_imds_v2(true);
/// assert_eq!(
///     format!("{p:?}"),
///     r#"EcsRamRoleProvider { endpoint: "http://127.0.0.1:8080", role_name: Some("EcsRole"), require_imds_v2: true }"#
/// );
/// ```
#[derive(Clone)]
pub struct EcsRamRoleProvider {
    /// The HTTP client with the metadata service's timeouts and no proxy, or why it could
    /// not be built (reported by every fetch, rather than falling back to a client without
    /// them).
    http: Result<reqwest::Client, Arc<reqwest::Error>>,
    /// `scheme://host[:port]`, or why the endpoint given is refused (reported by every
    /// fetch; the endpoint itself is not kept, as it may hold user-info).
    endpoint: Result<String, String>,
    role_name: Option<String>,
    require_imds_v2: bool,
}

impl fmt::Debug for EcsRamRoleProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EcsRamRoleProvider")
            .field("endpoint", &self.endpoint.as_deref().unwrap_or("(refused)"))
            .field("role_name", &self.role_name)
            .field("require_imds_v2", &self.require_imds_v2)
            .finish()
    }
}

impl Default for EcsRamRoleProvider {
    fn default() -> Self {
        Self::new()
    }
}

impl EcsRamRoleProvider {
    /// Asks the metadata service at `http://100.100.100.200` and discovers the role name (the instance has at
    /// most one role).
    pub fn new() -> Self {
        // The metadata service is link-local: it answers at once or not at all.
        let http = reqwest::Client::builder()
            .user_agent(crate::wire::USER_AGENT)
            .connect_timeout(Duration::from_secs(1))
            .timeout(Duration::from_secs(5))
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(Arc::new);
        EcsRamRoleProvider {
            http,
            endpoint: Ok(DEFAULT_METADATA_ENDPOINT.to_owned()),
            role_name: None,
            require_imds_v2: false,
        }
    }

    /// The role to fetch, instead of asking the metadata service for it.
    pub fn role_name(mut self, role_name: impl Into<String>) -> Self {
        self.role_name = Some(role_name.into()).filter(|r| !r.is_empty());
        self
    }

    /// Another metadata service base URL, `scheme://host[:port]`, e.g. a test server. One
    /// with user-info, a path, a query or a fragment makes every fetch fail with a
    /// configuration error (see [`crate::endpoint`]).
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = crate::endpoint::parse_override(&endpoint.into()).map_err(|e| match e {
            Error::Config { message } => message,
            other => other.to_string(),
        });
        self
    }

    /// Fail when no IMDSv2 token can be had, instead of falling back to IMDSv1.
    pub fn require_imds_v2(mut self, require: bool) -> Self {
        self.require_imds_v2 = require;
        self
    }

    /// This provider behind a [`CachedProvider`].
    pub fn cached(self) -> CachedProvider<Self> {
        CachedProvider::new(self)
    }

    /// Fetches the credentials once.
    pub async fn fetch(&self) -> Result<Credentials, Error> {
        let token = match self.token().await {
            Ok(token) => Some(token),
            Err(e) if self.require_imds_v2 => return Err(e),
            Err(e) => {
                tracing::debug!(
                    target: "aliyun_rpc::credentials",
                    error = %e,
                    "no IMDSv2 token; falling back to IMDSv1"
                );
                None
            }
        };
        let role = match &self.role_name {
            Some(role) => role.clone(),
            None => {
                let listing = self.get(CREDENTIALS_PATH, token.as_deref()).await?;
                let role = listing
                    .lines()
                    .map(str::trim)
                    .find(|l| !l.is_empty())
                    .ok_or_else(|| {
                        self.error("the instance has no RAM role attached".to_owned(), None)
                    })?;
                // It goes into the next URL and into messages: a RAM role name is 1 to 64
                // letters, digits, `.` and `-`.
                if role.len() > 64
                    || !role
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
                {
                    return Err(self.error(
                        format!(
                            "the service names the role `{}`, which is not a RAM role name",
                            Escaped(&bound(role, MAX_CODE_BYTES))
                        ),
                        None,
                    ));
                }
                role.to_owned()
            }
        };
        let path = format!("{CREDENTIALS_PATH}{role}");
        let body = self.get(&path, token.as_deref()).await?;
        let answer: SessionDocument = serde_json::from_str(&body).map_err(|e| {
            self.error(
                format!("the credentials of role `{role}` are not the expected JSON"),
                Some(Box::new(e)),
            )
        })?;
        if let Some(code) = answer.code.as_deref().filter(|c| *c != "Success") {
            return Err(self.error(
                format!(
                    "role `{role}`: the service answered `{}`",
                    Escaped(&bound(code, MAX_CODE_BYTES))
                ),
                None,
            ));
        }
        answer
            .into_credentials()
            .map_err(|(problem, source)| self.error(format!("role `{role}`: {problem}"), source))
    }

    /// The HTTP client, or the error that kept it from being built.
    fn http(&self) -> Result<&reqwest::Client, Error> {
        self.http.as_ref().map_err(|e| {
            self.error(
                "cannot build the HTTP client for the metadata service".to_owned(),
                Some(Box::new(Arc::clone(e))),
            )
        })
    }

    /// The endpoint, or why it was refused.
    fn base(&self) -> Result<&str, Error> {
        self.endpoint.as_deref().map_err(|message| Error::Config {
            message: message.clone(),
        })
    }

    async fn token(&self) -> Result<String, Error> {
        let url = format!("{}{TOKEN_PATH}", self.base()?);
        let request = self
            .http()?
            .put(&url)
            .header(TOKEN_TTL_HEADER, TOKEN_TTL_SECONDS);
        self.text("PUT", &url, request).await
    }

    async fn get(&self, path: &str, token: Option<&str>) -> Result<String, Error> {
        let url = format!("{}{path}", self.base()?);
        let mut request = self.http()?.get(&url);
        if let Some(token) = token {
            request = request.header(TOKEN_HEADER, token);
        }
        self.text("GET", &url, request).await
    }

    /// Sends `request` (`verb url`, for errors) and reads a successful answer's text, up to
    /// [`CREDENTIALS_DOCUMENT_BYTES`].
    async fn text(
        &self,
        verb: &str,
        url: &str,
        request: reqwest::RequestBuilder,
    ) -> Result<String, Error> {
        let failed =
            |e: reqwest::Error| self.error(format!("{verb} {url} failed"), Some(Box::new(e)));
        let response = request.send().await.map_err(failed)?;
        let status = response.status();
        if !status.is_success() {
            let not_followed = if status.is_redirection() {
                " (a redirect, which is not followed)"
            } else {
                ""
            };
            return Err(self.error(
                format!(
                    "{verb} {url} answered http {}{not_followed}",
                    status.as_u16()
                ),
                None,
            ));
        }
        match read_body(response, CREDENTIALS_DOCUMENT_BYTES).await {
            Ok(body) => Ok(String::from_utf8_lossy(&body).into_owned()),
            Err(BodyError::Read(e)) => Err(failed(e)),
            Err(too_large @ BodyError::TooLarge { .. }) => Err(self.error(
                format!("{verb} {url}: {too_large} for a credentials document"),
                None,
            )),
        }
    }

    fn error(&self, what: String, source: Option<BoxError>) -> Error {
        Error::Credentials {
            message: format!("ECS RAM role from the metadata service: {what}"),
            source,
        }
    }
}

impl ProvideCredentials for EcsRamRoleProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, Error>> {
        Box::pin(self.fetch())
    }
}

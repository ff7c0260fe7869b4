//! Temporary credentials for a RAM role, from STS `AssumeRoleWithOIDC` with an OIDC token:
//! RRSA (RAM Roles for Service Accounts) on Alibaba Cloud Kubernetes, where each pod gets a
//! token file instead of any key
//! (<https://www.alibabacloud.com/help/en/ram/developer-reference/api-sts-2015-04-01-assumerolewithoidc>).
//!
//! The call is anonymous (no access key, no signature): the token is the proof. The token
//! file is read again at every refresh, since Kubernetes rotates it.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;

use super::anonymous;
use super::assume_role::{AssumedRoleUser, StsCredentials, DEFAULT_DURATION_SECONDS};
use super::env::Vars;
use super::sts_endpoint::StsLocation;
use super::{file, message_of, BoxFuture, CachedProvider, Credentials, ProvideCredentials};
use crate::error::Error;
use crate::params::Secret;

/// The role to assume.
pub(crate) const ROLE_ARN_VAR: &str = "ALIBABA_CLOUD_ROLE_ARN";
/// The OIDC identity provider's ARN.
pub(crate) const OIDC_PROVIDER_ARN_VAR: &str = "ALIBABA_CLOUD_OIDC_PROVIDER_ARN";
/// The file that holds the OIDC token.
pub(crate) const OIDC_TOKEN_FILE_VAR: &str = "ALIBABA_CLOUD_OIDC_TOKEN_FILE";
/// The session name (optional).
pub(crate) const ROLE_SESSION_NAME_VAR: &str = "ALIBABA_CLOUD_ROLE_SESSION_NAME";

/// The longest OIDC token STS takes, in characters.
const MAX_TOKEN_LEN: usize = 20_000;

/// STS `AssumeRoleWithOIDC`: temporary credentials for `role_arn`, for the holder of an OIDC
/// token that the identity provider `oidc_provider_arn` issued. The token is a
/// [`Secret`]: `Debug` never shows it.
///
/// ```
/// use aliyun_rpc::credentials::AssumeRoleWithOidc;
/// use aliyun_rpc::Request;
///
/// let req = AssumeRoleWithOidc::new(
///     "acs:ram::113511544585:role/testoidc",
///     "acs:ram::113511544585:oidc-provider/TestOidcIdp",
///     "eyJraWQiOiJKQzl3eHpyaHFKMGd0",
///     "pod-1",
/// );
/// assert_eq!(AssumeRoleWithOidc::ACTION, "AssumeRoleWithOIDC");
/// assert_eq!(req.to_params()[1].0, "OIDCProviderArn");
/// assert_eq!(req.to_params()[2].0, "OIDCToken");
/// assert!(!format!("{req:?}").contains("eyJ"));
/// ```
#[derive(Debug, Clone, aliyun_rpc_macros::Request)]
#[rpc(
    crate = "crate",
    product = "Sts",
    version = "2015-04-01",
    action = "AssumeRoleWithOIDC",
    response = AssumeRoleWithOidcResponse
)]
pub struct AssumeRoleWithOidc {
    /// The role's ARN, `acs:ram::<account id>:role/<role name>`.
    #[rpc(max_len = 2048)]
    pub role_arn: String,
    /// The identity provider's ARN, `acs:ram::<account id>:oidc-provider/<name>`.
    #[rpc(name = "OIDCProviderArn", max_len = 2048)]
    pub oidc_provider_arn: String,
    /// The OIDC token (a JWT, 4 to 20,000 characters), as the identity provider issued it.
    #[rpc(name = "OIDCToken", secret)]
    pub oidc_token: Secret<String>,
    /// A name for the session, shown in the audit log: 2–64 of `A-Za-z0-9.@-_`.
    #[rpc(max_len = 64)]
    pub role_session_name: String,
    /// How long the credentials last, 900 s up to the role's maximum (default 3600 s).
    #[rpc(min = 900, max = 43200)]
    pub duration_seconds: Option<u32>,
    /// A policy that narrows the role's permissions, as JSON.
    #[rpc(max_len = 2048)]
    pub policy: Option<String>,
}

/// The answer to [`AssumeRoleWithOidc`]. `Debug` hides the secret and the token.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct AssumeRoleWithOidcResponse {
    /// The request id.
    #[serde(default)]
    pub request_id: String,
    /// Who the session is.
    pub assumed_role_user: Option<AssumedRoleUser>,
    /// The temporary credentials.
    pub credentials: StsCredentials,
}

/// Assumes a RAM role through STS `AssumeRoleWithOIDC` at each call, with the OIDC token read
/// from a file at that moment: RRSA on Alibaba Cloud Kubernetes.
///
/// The call carries no key and no signature. The token file is read again at every call
/// (Kubernetes rotates it), as a credentials file is: a regular file of at most 1 MiB, within
/// 5 s. The token never appears in `Debug`, an error or a log; an STS error that echoes it
/// shows a marker instead.
///
/// It does not cache: wrap it in [`CachedProvider`] (or call [`cached`](Self::cached)), which
/// refreshes 180 s before the credentials expire and lets concurrent callers share one
/// refresh. [`from_env`](Self::from_env) reads the variables ACK injects.
///
/// ```
/// use aliyun_rpc::credentials::OidcRoleArnProvider;
///
/// let p = OidcRoleArnProvider::builder(
///     "acs:ram::113511544585:role/testoidc",
///     "acs:ram::113511544585:oidc-provider/ack-rrsa",
///     "/var/run/secrets/ack.alibabacloud.com/rrsa-tokens/token",
/// )
/// .role_session_name("pod-1")
/// .sts_region("cn-hangzhou")
/// .vpc_endpoint(true)
/// .build()?;
/// assert_eq!(
///     format!("{p:?}"),
///     r#"OidcRoleArnProvider { role_arn: "acs:ram::113511544585:role/testoidc", oidc_provider_arn: "acs:ram::113511544585:oidc-provider/ack-rrsa", token_file: "/var/run/secrets/ack.alibabacloud.com/rrsa-tokens/token", role_session_name: "pod-1", duration_seconds: 3600, policy: None, sts_endpoint: "https://sts-vpc.cn-hangzhou.aliyuncs.com" }"#
/// );
/// let credentials = p.cached(); // what a client takes
/// # let _ = credentials;
/// # Ok::<(), aliyun_rpc::Error>(())
/// ```
#[derive(Clone)]
pub struct OidcRoleArnProvider {
    /// The HTTP client with the credentials timeouts, or why it could not be built (reported
    /// by every fetch).
    http: Result<reqwest::Client, Arc<reqwest::Error>>,
    sts_endpoint: String,
    role_arn: String,
    oidc_provider_arn: String,
    token_file: PathBuf,
    role_session_name: String,
    duration_seconds: u32,
    policy: Option<String>,
}

impl fmt::Debug for OidcRoleArnProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OidcRoleArnProvider")
            .field("role_arn", &self.role_arn)
            .field("oidc_provider_arn", &self.oidc_provider_arn)
            .field("token_file", &self.token_file)
            .field("role_session_name", &self.role_session_name)
            .field("duration_seconds", &self.duration_seconds)
            .field("policy", &self.policy)
            .field("sts_endpoint", &self.sts_endpoint)
            .finish()
    }
}

impl OidcRoleArnProvider {
    /// Starts a provider that assumes `role_arn` with the token in `token_file`, issued by
    /// the identity provider `oidc_provider_arn`.
    pub fn builder(
        role_arn: impl Into<String>,
        oidc_provider_arn: impl Into<String>,
        token_file: impl Into<PathBuf>,
    ) -> OidcRoleArnProviderBuilder {
        OidcRoleArnProviderBuilder {
            role_arn: role_arn.into(),
            oidc_provider_arn: oidc_provider_arn.into(),
            token_file: token_file.into(),
            role_session_name: None,
            duration_seconds: DEFAULT_DURATION_SECONDS,
            policy: None,
            sts: StsLocation::default(),
        }
    }

    /// The provider the variables that ACK injects describe, `Ok(None)` unless all of
    /// `ALIBABA_CLOUD_ROLE_ARN`, `ALIBABA_CLOUD_OIDC_PROVIDER_ARN` and
    /// `ALIBABA_CLOUD_OIDC_TOKEN_FILE` are set: with `ALIBABA_CLOUD_ROLE_SESSION_NAME`, and
    /// the STS endpoint `ALIBABA_CLOUD_STS_ENDPOINT` (a host, or `scheme://host[:port]`), else
    /// STS in `ALIBABA_CLOUD_STS_REGION` (at its VPC endpoint when
    /// `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED=true`), else the central `sts.aliyuncs.com`.
    pub fn from_env() -> Result<Option<Self>, Error> {
        match Self::builder_from(&Vars::Process) {
            Ok(builder) => builder.build().map(Some),
            Err(_) => Ok(None),
        }
    }

    /// [`from_env`](Self::from_env)'s builder from `vars`; or the variables that are missing.
    pub(crate) fn builder_from(
        vars: &Vars,
    ) -> Result<OidcRoleArnProviderBuilder, Vec<&'static str>> {
        let required = [ROLE_ARN_VAR, OIDC_PROVIDER_ARN_VAR, OIDC_TOKEN_FILE_VAR];
        let [role, provider, token] = required.map(|name| vars.get(name));
        match (role, provider, token) {
            (Some(role), Some(provider), Some(token)) => {
                let mut builder = Self::builder(role.trim(), provider.trim(), token);
                if let Some(name) = vars.get(ROLE_SESSION_NAME_VAR) {
                    builder = builder.role_session_name(name.trim());
                }
                Ok(builder.sts_location(StsLocation::default().with_vars(vars)))
            }
            _ => Err(required
                .into_iter()
                .filter(|name| vars.get(name).is_none())
                .collect()),
        }
    }

    /// This provider behind a [`CachedProvider`].
    pub fn cached(self) -> CachedProvider<Self> {
        CachedProvider::new(self)
    }

    /// The role this provider assumes.
    pub fn role_arn(&self) -> &str {
        &self.role_arn
    }

    /// The file the token is read from.
    pub fn token_file(&self) -> &Path {
        &self.token_file
    }

    /// Reads the token file and calls `AssumeRoleWithOIDC` once.
    pub async fn fetch(&self) -> Result<Credentials, Error> {
        let token = self.token()?;
        let mut request = AssumeRoleWithOidc::new(
            self.role_arn.clone(),
            self.oidc_provider_arn.clone(),
            token,
            self.role_session_name.clone(),
        )
        .duration_seconds(self.duration_seconds);
        request.policy = self.policy.clone();
        let http = self.http.as_ref().map_err(|e| Error::Credentials {
            message: "STS AssumeRoleWithOIDC: cannot build the HTTP client".to_owned(),
            source: Some(Box::new(Arc::clone(e))),
        })?;
        let response = anonymous::call(http, &self.sts_endpoint, &request)
            .await
            .map_err(|e| {
                let message = format!(
                    "STS AssumeRoleWithOIDC for `{}` at {} failed: {}",
                    self.role_arn,
                    self.sts_endpoint,
                    message_of(&e)
                );
                Error::Credentials {
                    message,
                    source: Some(Box::new(e)),
                }
            })?;
        response
            .credentials
            .credentials_of("STS AssumeRoleWithOIDC")
    }

    /// The token in the file now, trimmed of surrounding whitespace (a JWT has none).
    fn token(&self) -> Result<Secret<String>, Error> {
        let text = file::read(&self.token_file)?;
        let token = text.trim();
        let problem = if token.is_empty() {
            Some("is empty".to_owned())
        } else if token.chars().count() > MAX_TOKEN_LEN {
            Some(format!(
                "holds a token longer than {MAX_TOKEN_LEN} characters, the most STS takes"
            ))
        } else {
            None
        };
        match problem {
            Some(what) => Err(file::file_error(
                &self.token_file,
                None,
                format!("the OIDC token file {what}"),
                None,
            )),
            None => Ok(Secret::new(token.to_owned())),
        }
    }
}

impl ProvideCredentials for OidcRoleArnProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, Error>> {
        Box::pin(self.fetch())
    }
}

/// Configures an [`OidcRoleArnProvider`].
#[derive(Debug, Clone)]
pub struct OidcRoleArnProviderBuilder {
    role_arn: String,
    oidc_provider_arn: String,
    token_file: PathBuf,
    role_session_name: Option<String>,
    duration_seconds: u32,
    policy: Option<String>,
    sts: StsLocation,
}

impl OidcRoleArnProviderBuilder {
    /// The session name (default `aliyun-rpc-<unix seconds>`).
    pub fn role_session_name(mut self, name: impl Into<String>) -> Self {
        self.role_session_name = Some(name.into()).filter(|n| !n.is_empty());
        self
    }

    /// How long the credentials last, in seconds (default 3600, at least 900).
    pub fn duration_seconds(mut self, seconds: u32) -> Self {
        self.duration_seconds = seconds;
        self
    }

    /// A policy (JSON) that narrows the role's permissions.
    pub fn policy(mut self, policy: impl Into<String>) -> Self {
        self.policy = Some(policy.into()).filter(|p| !p.is_empty());
        self
    }

    /// Calls STS in `region` (`https://sts.{region}.aliyuncs.com`) instead of the central
    /// endpoint.
    pub fn sts_region(mut self, region: impl Into<String>) -> Self {
        self.sts.region = Some(region.into()).filter(|r| !r.is_empty());
        self
    }

    /// With [`sts_region`](Self::sts_region), calls the region's VPC endpoint
    /// (`https://sts-vpc.{region}.aliyuncs.com`), as pods in a VPC do.
    pub fn vpc_endpoint(mut self, vpc: bool) -> Self {
        self.sts.vpc = vpc;
        self
    }

    /// Calls STS at `endpoint`: a host (`sts-vpc.cn-hangzhou.aliyuncs.com`, over https) or a
    /// bare `scheme://host[:port]` (a test server); wins over
    /// [`sts_region`](Self::sts_region).
    pub fn sts_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.sts.set_endpoint(&endpoint.into());
        self
    }

    /// What a profile says about the endpoint, completed by the variables.
    pub(crate) fn sts_location(mut self, sts: StsLocation) -> Self {
        self.sts = sts;
        self
    }

    /// Builds the provider; fails on a malformed endpoint or region, a duration out of
    /// range, or an empty ARN or token file path. Reads nothing yet.
    pub fn build(self) -> Result<OidcRoleArnProvider, Error> {
        let sts_endpoint = self.sts.resolve()?;
        for (name, empty) in [
            ("role ARN", self.role_arn.trim().is_empty()),
            (
                "OIDC provider ARN",
                self.oidc_provider_arn.trim().is_empty(),
            ),
            ("OIDC token file", self.token_file.as_os_str().is_empty()),
        ] {
            if empty {
                return Err(Error::credentials(format!(
                    "STS AssumeRoleWithOIDC: the {name} is empty"
                )));
            }
        }
        let role_session_name = self.role_session_name.unwrap_or_else(|| {
            format!(
                "aliyun-rpc-{}",
                time::OffsetDateTime::now_utc().unix_timestamp()
            )
        });
        // The request as it will be sent, with a stand-in token: its constraints are the
        // ones that can be checked before the first call.
        let mut request = AssumeRoleWithOidc::new(
            self.role_arn.clone(),
            self.oidc_provider_arn.clone(),
            "token",
            role_session_name.clone(),
        )
        .duration_seconds(self.duration_seconds);
        request.policy = self.policy.clone();
        crate::request::Request::validate(&request).map_err(|e| Error::Credentials {
            message: format!("STS AssumeRoleWithOIDC: {e}"),
            source: Some(Box::new(e)),
        })?;
        Ok(OidcRoleArnProvider {
            // STS on a loopback address (the emulator) is reached without the environment's
            // proxy, like the client's own loopback endpoints.
            http: super::http::client(crate::endpoint::is_loopback(&sts_endpoint)),
            sts_endpoint,
            role_arn: self.role_arn,
            oidc_provider_arn: self.oidc_provider_arn,
            token_file: self.token_file,
            role_session_name,
            duration_seconds: self.duration_seconds,
            policy: self.policy,
        })
    }
}

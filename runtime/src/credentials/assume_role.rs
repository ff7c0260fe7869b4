//! Temporary credentials for a RAM role, from STS `AssumeRole`, signed with base credentials
//! (<https://www.alibabacloud.com/help/en/ram/developer-reference/api-sts-2015-04-01-assumerole>).

use std::fmt;
use std::sync::Arc;

use serde::Deserialize;

use super::sts_endpoint::StsLocation;
use super::{parse_expiration, BoxFuture, CachedProvider, Credentials, ProvideCredentials};
use crate::client::Client;
use crate::error::Error;
use crate::limits::MAX_CODE_BYTES;
use crate::untrusted::{bound, Escaped};
use crate::wire::REDACTED;

/// The role session lifetime asked for when none is set, in seconds.
pub(crate) const DEFAULT_DURATION_SECONDS: u32 = 3600;

/// STS `AssumeRole`: temporary credentials for `role_arn`.
///
/// ```
/// use aliyun_rpc::credentials::AssumeRole;
/// use aliyun_rpc::Request;
///
/// let req = AssumeRole::new("acs:ram::123456789012****:role/adminrole", "alice")
///     .duration_seconds(3600u32);
/// assert_eq!(req.to_params(), [
///     ("RoleArn".to_owned(), "acs:ram::123456789012****:role/adminrole".to_owned()),
///     ("RoleSessionName".to_owned(), "alice".to_owned()),
///     ("DurationSeconds".to_owned(), "3600".to_owned()),
/// ]);
/// ```
#[derive(Debug, Clone, aliyun_rpc_macros::Request)]
#[rpc(
    crate = "crate",
    product = "Sts",
    version = "2015-04-01",
    action = "AssumeRole",
    response = AssumeRoleResponse
)]
pub struct AssumeRole {
    /// The role's ARN, `acs:ram::<account id>:role/<role name>`.
    #[rpc(max_len = 2048)]
    pub role_arn: String,
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

/// The answer to [`AssumeRole`]. `Debug` hides the secret and the token.
#[derive(Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct AssumeRoleResponse {
    /// The request id.
    pub request_id: String,
    /// Who the session is.
    pub assumed_role_user: Option<AssumedRoleUser>,
    /// The temporary credentials.
    pub credentials: StsCredentials,
}

/// The identity of an assumed role session.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct AssumedRoleUser {
    /// `acs:ram::<account id>:role/<role name>/<session name>`.
    pub arn: String,
    /// The session's id, `<role id>:<session name>`.
    pub assumed_role_id: String,
}

/// The `Credentials` object of an STS answer. `Debug` hides the secret and the token.
#[derive(Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct StsCredentials {
    /// `STS.…`
    pub access_key_id: String,
    /// The secret. Never log it.
    pub access_key_secret: String,
    /// The security token. Never log it.
    pub security_token: String,
    /// When they expire, RFC 3339 UTC (`2015-04-09T11:52:19Z`).
    pub expiration: String,
}

impl fmt::Debug for AssumeRoleResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AssumeRoleResponse")
            .field("request_id", &self.request_id)
            .field("assumed_role_user", &self.assumed_role_user)
            .field("credentials", &self.credentials)
            .finish()
    }
}

impl fmt::Debug for StsCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StsCredentials")
            .field("access_key_id", &self.access_key_id)
            .field("access_key_secret", &REDACTED)
            .field("security_token", &REDACTED)
            .field("expiration", &self.expiration)
            .finish()
    }
}

impl StsCredentials {
    /// As [`Credentials`], with the token and the parsed expiry. An empty key id, secret or
    /// token is an error naming the field.
    pub fn to_credentials(&self) -> Result<Credentials, Error> {
        self.credentials_of("STS AssumeRole")
    }

    /// [`to_credentials`](Self::to_credentials), errors naming `what` answered.
    pub(crate) fn credentials_of(&self, what: &str) -> Result<Credentials, Error> {
        for (name, value) in [
            ("AccessKeyId", &self.access_key_id),
            ("AccessKeySecret", &self.access_key_secret),
            ("SecurityToken", &self.security_token),
        ] {
            if value.trim().is_empty() {
                return Err(Error::credentials(format!(
                    "{what}: the answer's `{name}` is empty"
                )));
            }
        }
        let expiration = parse_expiration(&self.expiration).map_err(|e| Error::Credentials {
            message: format!(
                "{what}: `Expiration` `{}` is not an RFC 3339 time",
                Escaped(&bound(&self.expiration, MAX_CODE_BYTES))
            ),
            source: Some(Box::new(e)),
        })?;
        Ok(
            Credentials::new(self.access_key_id.clone(), self.access_key_secret.clone())
                .with_security_token(self.security_token.clone())
                .with_expiration(expiration),
        )
    }
}

/// Assumes a RAM role through STS `AssumeRole` at each call, signing with the credentials of
/// a base provider (an access key, or another role).
///
/// It does not cache: wrap it in [`CachedProvider`] (or call [`cached`](Self::cached)).
///
/// ```
/// use aliyun_rpc::credentials::RamRoleArnProvider;
/// use aliyun_rpc::Credentials;
///
/// let p = RamRoleArnProvider::builder(
///     Credentials::new("LTAI5tExample", "s3cr3t"),
///     "acs:ram::1234:role/admin",
/// )
/// .role_session_name("ci")
/// .build()?;
/// assert_eq!(
///     format!("{p:?}"),
///     r#"RamRoleArnProvider { role_arn: "acs:ram::1234:role/admin", role_session_name: "ci", duration_seconds: 3600, policy: None, sts_endpoint: "https://sts.aliyuncs.com", base: Credentials { access_key_id: "LTAI5tExample", access_key_secret: "** redacted **", security_token: None, expiration: None } }"#
/// );
/// # Ok::<(), aliyun_rpc::Error>(())
/// ```
#[derive(Clone)]
pub struct RamRoleArnProvider {
    client: Client,
    base: Arc<dyn ProvideCredentials>,
    sts_endpoint: String,
    request: AssumeRole,
}

impl fmt::Debug for RamRoleArnProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RamRoleArnProvider")
            .field("role_arn", &self.request.role_arn)
            .field("role_session_name", &self.request.role_session_name)
            .field(
                "duration_seconds",
                &self
                    .request
                    .duration_seconds
                    .unwrap_or(DEFAULT_DURATION_SECONDS),
            )
            .field("policy", &self.request.policy)
            .field("sts_endpoint", &self.sts_endpoint)
            .field("base", &self.base)
            .finish()
    }
}

impl RamRoleArnProvider {
    /// Starts a provider that assumes `role_arn` with the credentials `base` provides.
    pub fn builder(
        base: impl ProvideCredentials + 'static,
        role_arn: impl Into<String>,
    ) -> RamRoleArnProviderBuilder {
        RamRoleArnProviderBuilder {
            base: Arc::new(base),
            role_arn: role_arn.into(),
            role_session_name: None,
            duration_seconds: DEFAULT_DURATION_SECONDS,
            policy: None,
            sts: StsLocation::default(),
        }
    }

    /// This provider behind a [`CachedProvider`].
    pub fn cached(self) -> CachedProvider<Self> {
        CachedProvider::new(self)
    }

    /// The `AssumeRole` request this provider sends.
    pub fn request(&self) -> &AssumeRole {
        &self.request
    }

    /// Calls `AssumeRole` once.
    pub async fn fetch(&self) -> Result<Credentials, Error> {
        let response = self.client.call(&self.request).await.map_err(|e| {
            let message = format!(
                "STS AssumeRole for `{}` at {} failed: {e}",
                self.request.role_arn, self.sts_endpoint
            );
            Error::Credentials {
                message,
                source: Some(Box::new(e)),
            }
        })?;
        response.credentials.to_credentials()
    }
}

impl ProvideCredentials for RamRoleArnProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, Error>> {
        Box::pin(self.fetch())
    }
}

/// Configures a [`RamRoleArnProvider`].
#[derive(Debug, Clone)]
pub struct RamRoleArnProviderBuilder {
    base: Arc<dyn ProvideCredentials>,
    role_arn: String,
    role_session_name: Option<String>,
    duration_seconds: u32,
    policy: Option<String>,
    sts: StsLocation,
}

impl RamRoleArnProviderBuilder {
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
    /// (`https://sts-vpc.{region}.aliyuncs.com`).
    pub fn vpc_endpoint(mut self, vpc: bool) -> Self {
        self.sts.vpc = vpc;
        self
    }

    /// Calls STS at `endpoint` (a VPC endpoint, a test server), a bare
    /// `scheme://host[:port]` as [`ClientBuilder::endpoint`](crate::ClientBuilder::endpoint)
    /// takes; wins over [`sts_region`](Self::sts_region).
    pub fn sts_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.sts.set_endpoint(&endpoint.into());
        self
    }

    /// What a profile says about the endpoint, completed by the variables.
    pub(crate) fn sts_location(mut self, sts: StsLocation) -> Self {
        self.sts = sts;
        self
    }

    /// Builds the provider; fails on a malformed endpoint or region, or a duration out of range.
    pub fn build(self) -> Result<RamRoleArnProvider, Error> {
        let sts_endpoint = self.sts.resolve()?;
        let session_name = self.role_session_name.unwrap_or_else(|| {
            format!(
                "aliyun-rpc-{}",
                time::OffsetDateTime::now_utc().unix_timestamp()
            )
        });
        let mut request =
            AssumeRole::new(self.role_arn, session_name).duration_seconds(self.duration_seconds);
        request.policy = self.policy;
        crate::request::Request::validate(&request).map_err(|e| Error::Credentials {
            message: format!("STS AssumeRole: {e}"),
            source: Some(Box::new(e)),
        })?;
        let client = Client::builder()
            .credentials_provider(self.base.clone())
            .endpoint(sts_endpoint.clone())
            .max_response_bytes(crate::limits::CREDENTIALS_DOCUMENT_BYTES)
            .build()?;
        Ok(RamRoleArnProvider {
            client,
            base: self.base,
            sts_endpoint,
            request,
        })
    }
}

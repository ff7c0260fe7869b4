//! Where [`Credentials`] come from: the [`ProvideCredentials`] trait and
//! the providers.
//!
//! | source | provider |
//! | --- | --- |
//! | fixed keys | [`Credentials`] itself |
//! | `ALIBABA_CLOUD_ACCESS_KEY_ID`, `…_SECRET`, `…_SECURITY_TOKEN` | [`EnvProvider`] |
//! | an OIDC token file (RRSA on Kubernetes) through STS `AssumeRoleWithOIDC` | [`OidcRoleArnProvider`] |
//! | the Aliyun CLI's `~/.aliyun/config.json` | [`CliProfileProvider`] |
//! | the ini file `~/.alibabacloud/credentials` | [`CredentialsFileProvider`] |
//! | the ECS instance's RAM role (metadata service) | [`EcsRamRoleProvider`] |
//! | a credentials URI (a local credentials agent) | [`CredentialsUriProvider`] |
//! | an external command (the CLI's `External` mode) | [`ExternalProcessProvider`] |
//! | a RAM role through STS `AssumeRole` | [`RamRoleArnProvider`] |
//! | the configured ones, in the official order | [`DefaultChain`], what [`Client::from_env`](crate::Client::from_env) uses |
//!
//! Providers of temporary credentials fetch at every call; wrap them in [`CachedProvider`]
//! (the profile providers and the chain do). `Debug` of every type here hides secrets
//! and tokens.

use std::time::Duration;

use time::OffsetDateTime;

use crate::keys::Credentials;
pub use crate::keys::{BoxFuture, ProvideCredentials};

mod anonymous;
mod assume_role;
mod cache;
mod chain;
mod command_line;
mod ecs_ram_role;
mod env;
mod external;
mod file;
mod http;
mod ini;
mod oidc;
mod profile;
mod sts_endpoint;
mod uri;

pub use assume_role::{
    AssumeRole, AssumeRoleResponse, AssumedRoleUser, RamRoleArnProvider, RamRoleArnProviderBuilder,
    StsCredentials,
};
pub use cache::CachedProvider;
pub use chain::DefaultChain;
pub use ecs_ram_role::EcsRamRoleProvider;
pub use env::EnvProvider;
pub use external::{ExternalProcessProvider, ExternalProcessProviderBuilder};
pub use ini::CredentialsFileProvider;
pub use oidc::{
    AssumeRoleWithOidc, AssumeRoleWithOidcResponse, OidcRoleArnProvider, OidcRoleArnProviderBuilder,
};
pub use profile::CliProfileProvider;
pub use uri::CredentialsUriProvider;

/// How long before expiry temporary credentials are refreshed.
pub(crate) const REFRESH_MARGIN: Duration = Duration::from_secs(180);

/// What an error says, without the `credentials: ` of a credentials error: for a message
/// that quotes it after its own `credentials: `.
pub(crate) fn message_of(e: &crate::Error) -> String {
    match e {
        crate::Error::Credentials { message, .. } => message.clone(),
        other => other.to_string(),
    }
}

/// Parses an STS or metadata service `Expiration` (`2026-11-27T06:00:00Z`).
pub(crate) fn parse_expiration(s: &str) -> Result<OffsetDateTime, time::error::Parse> {
    OffsetDateTime::parse(s.trim(), &time::format_description::well_known::Rfc3339)
}

/// The document of temporary credentials that the ECS metadata service and a credentials
/// URI answer: `Code` (`Success` when present), `AccessKeyId`, `AccessKeySecret`,
/// `SecurityToken`, `Expiration`.
#[derive(serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct SessionDocument {
    pub(crate) code: Option<String>,
    access_key_id: Option<String>,
    access_key_secret: Option<String>,
    security_token: Option<String>,
    expiration: Option<String>,
}

impl SessionDocument {
    /// The credentials it holds, or what is wrong with it (a field missing or empty, an
    /// `Expiration` that is not RFC 3339, with the parser's error), for the caller to prefix
    /// with where it came from.
    pub(crate) fn into_credentials(
        self,
    ) -> Result<Credentials, (String, Option<crate::error::BoxError>)> {
        let field = |value: Option<String>, name: &str| {
            value
                .filter(|v| !v.trim().is_empty())
                .ok_or_else(|| (format!("the answer's `{name}` is missing or empty"), None))
        };
        let id = field(self.access_key_id, "AccessKeyId")?;
        let secret = field(self.access_key_secret, "AccessKeySecret")?;
        let token = field(self.security_token, "SecurityToken")?;
        let expiration = field(self.expiration, "Expiration")?;
        let expires = parse_expiration(&expiration).map_err(|e| {
            let shown = crate::untrusted::bound(&expiration, crate::limits::MAX_CODE_BYTES);
            (
                format!(
                    "`Expiration` `{}` is not an RFC 3339 time",
                    crate::untrusted::Escaped(&shown)
                ),
                Some(Box::new(e) as crate::error::BoxError),
            )
        })?;
        Ok(Credentials::new(id, secret)
            .with_security_token(token)
            .with_expiration(expires))
    }
}

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

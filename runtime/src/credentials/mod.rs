//! Where [`Credentials`] come from: the [`ProvideCredentials`] trait and
//! the providers.
//!
//! | source | provider |
//! | --- | --- |
//! | fixed keys | [`Credentials`] itself |
//! | `ALIBABA_CLOUD_ACCESS_KEY_ID`, `…_SECRET`, `…_SECURITY_TOKEN` | [`EnvProvider`] |
//! | the Aliyun CLI's `~/.aliyun/config.json` | [`CliProfileProvider`] |
//! | the ini file `~/.alibabacloud/credentials` | [`CredentialsFileProvider`] |
//! | the ECS instance's RAM role (metadata service) | [`EcsRamRoleProvider`] |
//! | a RAM role through STS `AssumeRole` | [`RamRoleArnProvider`] |
//! | the first of these that is configured | [`DefaultChain`], what [`Client::from_env`](crate::Client::from_env) uses |
//!
//! Providers of temporary credentials fetch at every call; wrap them in [`CachedProvider`]
//! (the profile providers and the chain do). `Debug` of every type here hides secrets
//! and tokens.

use std::time::Duration;

use time::OffsetDateTime;

use crate::keys::Credentials;
pub use crate::keys::{BoxFuture, ProvideCredentials};

mod assume_role;
mod cache;
mod chain;
mod ecs_ram_role;
mod env;
mod file;
mod ini;
mod profile;

pub use assume_role::{
    AssumeRole, AssumeRoleResponse, AssumedRoleUser, RamRoleArnProvider, RamRoleArnProviderBuilder,
    StsCredentials,
};
pub use cache::CachedProvider;
pub use chain::DefaultChain;
pub use ecs_ram_role::EcsRamRoleProvider;
pub use env::EnvProvider;
pub use ini::CredentialsFileProvider;
pub use profile::CliProfileProvider;

/// How long before expiry temporary credentials are refreshed.
pub(crate) const REFRESH_MARGIN: Duration = Duration::from_secs(180);

/// Parses an STS or metadata service `Expiration` (`2026-11-27T06:00:00Z`).
pub(crate) fn parse_expiration(s: &str) -> Result<OffsetDateTime, time::error::Parse> {
    OffsetDateTime::parse(s.trim(), &time::format_description::well_known::Rfc3339)
}

//! The default credentials chain, in the official SDKs' order: the first source that is
//! configured wins.
//!
//! 1. **Environment**: `ALIBABA_CLOUD_ACCESS_KEY_ID` and `ALIBABA_CLOUD_ACCESS_KEY_SECRET`
//!    (and `ALIBABA_CLOUD_SECURITY_TOKEN` for STS credentials).
//! 2. **Aliyun CLI profile**: `~/.aliyun/config.json`, profile `ALIBABA_CLOUD_PROFILE` or the
//!    file's `current` one. Skipped when `ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true`.
//! 3. **Credentials file**: the ini file `ALIBABA_CLOUD_CREDENTIALS_FILE` or
//!    `~/.alibabacloud/credentials`, section `ALIBABA_CLOUD_PROFILE` or `default`.
//! 4. **ECS RAM role** from the instance metadata service, only when
//!    `ALIBABA_CLOUD_ECS_METADATA` names the role (a profile of mode `EcsRamRole` /
//!    type `ecs_ram_role` enables it too, in step 2 or 3). `ALIBABA_CLOUD_IMDSV1_DISABLED=true`
//!    requires IMDSv2.
//!
//! A source that is not there (variable unset, file absent, profile not in the file) is
//! skipped. A source that is there but broken (bad JSON or ini, unknown mode, missing field)
//! is an error that names the file, the profile and the field, rather than a silent fall
//! through to the next source. With no source at all, the error lists what was tried.
//!
//! Unlike the newest official SDKs, the metadata service is never probed unless asked for:
//! off ECS, a probe of `100.100.100.200` only costs a timeout.

use std::fmt;
use std::sync::Arc;

use super::env::{EnvProvider, Vars, ACCESS_KEY_ID};
use std::path::Path;

use super::file::{self, read_optional, HasProfile, Lookup};
use super::{
    BoxFuture, CliProfileProvider, Credentials, CredentialsFileProvider, ProvideCredentials,
};
use crate::client::builder::ClientBuilder;
use crate::client::Client;
use crate::error::Error;

/// The profile to use, in both files.
const PROFILE_VAR: &str = "ALIBABA_CLOUD_PROFILE";
/// The ECS RAM role name that enables step 4.
const ECS_METADATA_VAR: &str = "ALIBABA_CLOUD_ECS_METADATA";

/// The default credentials chain: the first configured source of, in order, the environment,
/// the Aliyun CLI profile, the credentials file and the ECS RAM role (when
/// `ALIBABA_CLOUD_ECS_METADATA` names it). See [`Client::from_env`](crate::Client::from_env)
/// for the details. The source is chosen once, when the chain is made.
///
/// ```
/// use aliyun_rpc::credentials::DefaultChain;
///
/// let chain = DefaultChain::from_vars([
///     ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI5tExample"),
///     ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "s3cr3t"),
/// ])?;
/// assert_eq!(chain.source(), "environment");
/// assert_eq!(
///     format!("{chain:?}"),
///     r#"DefaultChain { source: "environment", region: None, provider: EnvProvider { vars: {"ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET"} } }"#
/// );
///
/// let none = DefaultChain::from_vars([("HOME", "/nonexistent")]).unwrap_err();
/// assert_eq!(none.to_string(), "credentials: no credentials found; tried: \
///     environment (ALIBABA_CLOUD_ACCESS_KEY_ID is not set), \
///     Aliyun CLI profile (/nonexistent/.aliyun/config.json does not exist), \
///     credentials file (/nonexistent/.alibabacloud/credentials does not exist), \
///     ECS RAM role (ALIBABA_CLOUD_ECS_METADATA is not set)");
/// # Ok::<(), aliyun_rpc::Error>(())
/// ```
#[derive(Clone)]
pub struct DefaultChain {
    source: String,
    region: Option<String>,
    provider: Arc<dyn ProvideCredentials>,
}

impl fmt::Debug for DefaultChain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DefaultChain")
            .field("source", &self.source)
            .field("region", &self.region)
            .field("provider", &self.provider)
            .finish()
    }
}

impl DefaultChain {
    /// Picks the first configured source, reading the process environment and `HOME`.
    pub fn new() -> Result<Self, Error> {
        Self::resolve(Vars::Process)?.map_err(Error::credentials)
    }

    /// Like [`new`](Self::new), but `Ok(None)` when no source is configured at all, so a
    /// program can fall back (the main example then starts the emulator). A source that is
    /// configured but broken is still an error.
    pub fn find() -> Result<Option<Self>, Error> {
        Ok(Self::resolve(Vars::Process)?.ok())
    }

    /// Like [`new`](Self::new), with `vars` in place of the whole process environment
    /// (including `HOME`).
    pub fn from_vars<I, K, V>(vars: I) -> Result<Self, Error>
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        Self::resolve(Vars::fixed(vars))?.map_err(Error::credentials)
    }

    /// The first configured source, or what was tried when none is.
    fn resolve(vars: Vars) -> Result<Result<Self, String>, Error> {
        let mut tried = Vec::new();
        let profile = vars.get(PROFILE_VAR);

        // 1. Environment.
        let env = EnvProvider::with(vars.clone());
        if env.load()?.is_some() {
            return Ok(Ok(DefaultChain {
                source: "environment".to_owned(),
                region: None,
                provider: Arc::new(env),
            }));
        }
        tried.push(format!("environment ({ACCESS_KEY_ID} is not set)"));

        // 2. Aliyun CLI profile.
        let cli = "Aliyun CLI profile";
        if vars.is_true("ALIBABA_CLOUD_CLI_PROFILE_DISABLED") {
            tried.push(format!("{cli} (ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true)"));
        } else if let Some(path) = CliProfileProvider::path_in(&vars) {
            let text = read_optional(&path)?;
            let parse =
                |text: &str| CliProfileProvider::parse(&path, text, profile.as_deref(), &vars);
            if let Some(chain) = from_profile_file(cli, cli, &path, text, &mut tried, parse)? {
                return Ok(Ok(chain));
            }
        } else {
            tried.push(format!("{cli} (HOME is not set)"));
        }

        // 3. Credentials file.
        let ini = "credentials file";
        match CredentialsFileProvider::path_in(&vars) {
            None => tried.push(format!("{ini} (HOME is not set)")),
            Some((path, explicit)) => {
                let text = if explicit {
                    Some(file::read(&path)?)
                } else {
                    read_optional(&path)?
                };
                let name = profile.as_deref().unwrap_or("default");
                let parse = |text: &str| CredentialsFileProvider::parse(&path, text, name, &vars);
                let found_as = "credentials file profile";
                if let Some(chain) =
                    from_profile_file(ini, found_as, &path, text, &mut tried, parse)?
                {
                    return Ok(Ok(chain));
                }
            }
        }

        // 4. ECS RAM role.
        let ecs = "ECS RAM role";
        if vars.is_true("ALIBABA_CLOUD_ECS_METADATA_DISABLED") {
            tried.push(format!("{ecs} (ALIBABA_CLOUD_ECS_METADATA_DISABLED=true)"));
        } else if let Some(role) = vars.get(ECS_METADATA_VAR) {
            return Ok(Ok(DefaultChain {
                source: format!("{ecs} `{role}`"),
                region: None,
                provider: Arc::new(file::ecs_ram_role(&vars, Some(role)).cached()),
            }));
        } else {
            tried.push(format!("{ecs} ({ECS_METADATA_VAR} is not set)"));
        }

        Ok(Err(format!(
            "no credentials found; tried: {}",
            tried.join(", ")
        )))
    }

    /// Where the credentials come from, e.g. `environment` or
    /// ``Aliyun CLI profile `default` in /home/me/.aliyun/config.json``.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The region the chosen profile names (`region_id`), if any.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }
}

/// Steps 2 and 3: the profile `parse` finds in a file's `text`, as the chain (its source
/// `{found_as} `name` in path`); or `None`, with why noted in `tried` as `what`.
fn from_profile_file<P: HasProfile + ProvideCredentials + 'static>(
    what: &str,
    found_as: &str,
    path: &Path,
    text: Option<String>,
    tried: &mut Vec<String>,
    parse: impl FnOnce(&str) -> Result<Lookup<P>, Error>,
) -> Result<Option<DefaultChain>, Error> {
    let Some(text) = text else {
        tried.push(format!("{what} ({} does not exist)", path.display()));
        return Ok(None);
    };
    match parse(&text)? {
        Lookup::Found(p) => {
            let profile = p.profile();
            Ok(Some(DefaultChain {
                source: format!("{found_as} `{}` in {}", profile.name, path.display()),
                region: profile.region.clone(),
                provider: Arc::new(p),
            }))
        }
        Lookup::NoProfile(why) => {
            tried.push(format!("{what} ({}: {why})", path.display()));
            Ok(None)
        }
    }
}

impl ProvideCredentials for DefaultChain {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, Error>> {
        self.provider.provide_credentials()
    }
}

// The client from the environment: the default chain and the region variable. Here rather
// than in `client`, which knows no provider.
impl Client {
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
        let chain = DefaultChain::new()?;
        let region = Vars::Process
            .get("ALIBABA_CLOUD_REGION_ID")
            .or_else(|| chain.region().map(str::to_owned));
        let mut builder = Self::builder().credentials_provider(chain);
        if let Some(region) = region {
            builder = builder.region(region);
        }
        Ok(builder)
    }
}

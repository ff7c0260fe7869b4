//! The default credentials chain, in the official SDKs' order (credentials-python's
//! `DefaultCredentialsProvider`, credentials-go's `NewDefaultCredentialsProvider`):
//!
//! 1. **Environment**: `ALIBABA_CLOUD_ACCESS_KEY_ID` and `ALIBABA_CLOUD_ACCESS_KEY_SECRET`
//!    (and `ALIBABA_CLOUD_SECURITY_TOKEN` for STS credentials).
//! 2. **OIDC role (RRSA)**, when `ALIBABA_CLOUD_ROLE_ARN`, `ALIBABA_CLOUD_OIDC_PROVIDER_ARN`
//!    and `ALIBABA_CLOUD_OIDC_TOKEN_FILE` are all set: STS `AssumeRoleWithOIDC` (see
//!    [`OidcRoleArnProvider::from_env`]).
//! 3. **Aliyun CLI profile**: `ALIBABA_CLOUD_CONFIG_FILE` or `~/.aliyun/config.json`, profile
//!    `ALIBABA_CLOUD_PROFILE` or the file's `current` one. Skipped when
//!    `ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true`.
//! 4. **Credentials file**: the ini file `ALIBABA_CLOUD_CREDENTIALS_FILE` or
//!    `~/.alibabacloud/credentials`, section `ALIBABA_CLOUD_PROFILE` or `default`.
//! 5. **ECS RAM role** from the instance metadata service, only when
//!    `ALIBABA_CLOUD_ECS_METADATA` names the role (a profile of mode `EcsRamRole` / type
//!    `ecs_ram_role` enables it too, in step 3 or 4); never when
//!    `ALIBABA_CLOUD_ECS_METADATA_DISABLED=true`. `ALIBABA_CLOUD_IMDSV1_DISABLED=true`
//!    requires IMDSv2 (no fallback to v1).
//! 6. **Credentials URI**, when `ALIBABA_CLOUD_CREDENTIALS_URI` is set (see
//!    [`CredentialsUriProvider`]).
//!
//! **Configured, then working.** A source that is not there (variable unset, file absent,
//! profile not in the file) is skipped. A source that is there but broken (bad JSON or ini,
//! unknown mode, missing field) is an error that names the file, the profile and the field,
//! when the chain is made, rather than a silent fall through to the next source. With no
//! source at all, the error lists what was tried. The first configured source is checked
//! when the chain is made; the later ones only when needed.
//!
//! **Fetching.** The first call asks the configured sources in order until one gives
//! credentials (an OIDC role whose STS call fails falls through to the CLI profile, as in
//! the official libraries), and the chain then sticks to that one: later calls ask it
//! first and only, so that a passing failure never swaps one identity for another. When
//! every source fails, the error lists each source and why (never a secret).
//!
//! **Where ours differs from the official order.** The metadata service is never probed
//! unless `ALIBABA_CLOUD_ECS_METADATA` (or a profile) asks for it: the official libraries
//! probe `100.100.100.200` whenever the earlier sources fail, which off ECS only costs a
//! timeout, and would make "no credentials found" impossible to report.

use std::fmt;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use super::env::{EnvProvider, Vars, ACCESS_KEY_ID};
use super::file::{self, read_optional, HasProfile, Lookup, ECS_METADATA_DISABLED_VAR};
use super::uri::CREDENTIALS_URI_VAR;
use super::{
    message_of, BoxFuture, CliProfileProvider, Credentials, CredentialsFileProvider,
    CredentialsUriProvider, OidcRoleArnProvider, ProvideCredentials,
};
use crate::client::builder::ClientBuilder;
use crate::client::Client;
use crate::error::Error;

/// The profile to use, in both files.
const PROFILE_VAR: &str = "ALIBABA_CLOUD_PROFILE";
/// The ECS RAM role name that enables step 5.
const ECS_METADATA_VAR: &str = "ALIBABA_CLOUD_ECS_METADATA";
/// `true` skips step 3.
const CLI_PROFILE_DISABLED_VAR: &str = "ALIBABA_CLOUD_CLI_PROFILE_DISABLED";

/// No source has given credentials yet.
const NONE_USED: usize = usize::MAX;

/// The steps of the chain, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Environment,
    Oidc,
    CliProfile,
    CredentialsFile,
    EcsRamRole,
    CredentialsUri,
}

const STEPS: [Step; 6] = [
    Step::Environment,
    Step::Oidc,
    Step::CliProfile,
    Step::CredentialsFile,
    Step::EcsRamRole,
    Step::CredentialsUri,
];

/// A configured source: what it is called in messages, the region its profile names, and
/// its provider.
#[derive(Clone)]
struct Source {
    name: String,
    region: Option<String>,
    provider: Arc<dyn ProvideCredentials>,
}

/// What a step found.
enum Found {
    /// A configured source.
    Source(Source),
    /// Not configured, and why not (`what (why)`), for the list of what was tried.
    Absent(String),
}

/// The default credentials chain: the environment, an OIDC role, the Aliyun CLI profile, the
/// credentials file, the ECS RAM role (when `ALIBABA_CLOUD_ECS_METADATA` names it) and a
/// credentials URI, in that order. See [`Client::from_env`](crate::Client::from_env) for the
/// variables and files.
///
/// The first configured source is found (and a broken one reported) when the chain is made.
/// The first call asks the configured sources in order until one gives credentials; the chain
/// then sticks to that source ([`source_used`](Self::source_used)), so that a passing failure
/// never swaps one identity for another. When every source fails, the error lists each one
/// and why.
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
///     OIDC role (ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN and ALIBABA_CLOUD_OIDC_TOKEN_FILE are not set), \
///     Aliyun CLI profile (/nonexistent/.aliyun/config.json does not exist), \
///     credentials file (/nonexistent/.alibabacloud/credentials does not exist), \
///     ECS RAM role (ALIBABA_CLOUD_ECS_METADATA is not set), \
///     credentials URI (ALIBABA_CLOUD_CREDENTIALS_URI is not set)");
/// # Ok::<(), aliyun_rpc::Error>(())
/// ```
#[derive(Clone)]
pub struct DefaultChain(Arc<Chain>);

/// What the chain knows: the first configured source, the steps after it (found on first
/// need), and which source gave credentials.
struct Chain {
    vars: Vars,
    profile: Option<String>,
    /// Why each step before the first source was skipped.
    skipped: Vec<String>,
    first: Source,
    /// The steps after the first source's, each resolved once, when first needed.
    later: Vec<(Step, OnceLock<Result<Found, String>>)>,
    /// The index (0: `first`, `i`: `later[i - 1]`) of the source that gave credentials, or
    /// [`NONE_USED`].
    used: AtomicUsize,
}

impl fmt::Debug for DefaultChain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DefaultChain")
            .field("source", &self.0.first.name)
            .field("region", &self.0.first.region)
            .field("provider", &self.0.first.provider)
            .finish()
    }
}

impl DefaultChain {
    /// Finds the first configured source, reading the process environment and `HOME`.
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

    /// The chain from its first configured source, or what was tried when none is.
    fn resolve(vars: Vars) -> Result<Result<Self, String>, Error> {
        let profile = vars.get(PROFILE_VAR);
        let mut skipped = Vec::new();
        for (i, step) in STEPS.iter().enumerate() {
            match find(*step, &vars, profile.as_deref())? {
                Found::Absent(why) => skipped.push(why),
                Found::Source(first) => {
                    let later = STEPS[i + 1..]
                        .iter()
                        .map(|step| (*step, OnceLock::new()))
                        .collect();
                    return Ok(Ok(DefaultChain(Arc::new(Chain {
                        vars,
                        profile,
                        skipped,
                        first,
                        later,
                        used: AtomicUsize::new(NONE_USED),
                    }))));
                }
            }
        }
        Ok(Err(format!(
            "no credentials found; tried: {}",
            skipped.join(", ")
        )))
    }

    /// The first configured source, the one asked first: e.g. `environment` or
    /// ``Aliyun CLI profile `default` in /home/me/.aliyun/config.json``.
    pub fn source(&self) -> &str {
        &self.0.first.name
    }

    /// The region the first source's profile names (`region_id`), if any.
    pub fn region(&self) -> Option<&str> {
        self.0.first.region.as_deref()
    }

    /// The source that gave credentials, which later calls ask first and only; `None` before
    /// any has.
    pub fn source_used(&self) -> Option<&str> {
        match self.0.used.load(Ordering::SeqCst) {
            NONE_USED => None,
            0 => Some(&self.0.first.name),
            i => match self.0.later.get(i - 1).and_then(|(_, found)| found.get()) {
                Some(Ok(Found::Source(source))) => Some(&source.name),
                _ => None,
            },
        }
    }
}

impl Chain {
    /// The source at `index` (0: the first), found now if need be; or why there is none.
    fn source(&self, index: usize) -> Result<&Source, String> {
        if index == 0 {
            return Ok(&self.first);
        }
        let Some((step, found)) = self.later.get(index - 1) else {
            return Err("no such source".to_owned());
        };
        let found = found.get_or_init(|| {
            find(*step, &self.vars, self.profile.as_deref())
                .map_err(|e| format!("{} ({})", step.name(), message_of(&e)))
        });
        match found {
            Ok(Found::Source(source)) => Ok(source),
            Ok(Found::Absent(why)) | Err(why) => Err(why.clone()),
        }
    }

    /// Credentials from the source that worked before, or from the first that works now.
    async fn credentials(&self) -> Result<Credentials, Error> {
        let used = self.used.load(Ordering::SeqCst);
        if used != NONE_USED {
            if let Ok(source) = self.source(used) {
                return source.provider.provide_credentials().await;
            }
        }
        let mut failed = self.skipped.clone();
        for index in 0..=self.later.len() {
            let source = match self.source(index) {
                Ok(source) => source,
                Err(why) => {
                    failed.push(why);
                    continue;
                }
            };
            match source.provider.provide_credentials().await {
                Ok(credentials) => {
                    if self.used.swap(index, Ordering::SeqCst) != index {
                        tracing::debug!(
                            target: "aliyun_rpc::credentials",
                            source = %source.name,
                            "the default chain uses this source from now on"
                        );
                    }
                    return Ok(credentials);
                }
                Err(e) => {
                    tracing::debug!(
                        target: "aliyun_rpc::credentials",
                        source = %source.name,
                        error = %e,
                        "a credentials source failed; trying the next"
                    );
                    failed.push(format!("{} ({})", source.name, message_of(&e)));
                }
            }
        }
        Err(Error::credentials(format!(
            "no source gave credentials; tried: {}",
            failed.join(", ")
        )))
    }
}

impl Step {
    /// The step's name in messages.
    fn name(self) -> &'static str {
        match self {
            Step::Environment => "environment",
            Step::Oidc => "OIDC role",
            Step::CliProfile => "Aliyun CLI profile",
            Step::CredentialsFile => "credentials file",
            Step::EcsRamRole => "ECS RAM role",
            Step::CredentialsUri => "credentials URI",
        }
    }
}

/// What `step` finds in `vars` (and the files they lead to); an error when it is there but
/// broken.
fn find(step: Step, vars: &Vars, profile: Option<&str>) -> Result<Found, Error> {
    let what = step.name();
    let absent = |why: String| Ok(Found::Absent(format!("{what} ({why})")));
    let source = |name: String, provider: Arc<dyn ProvideCredentials>| {
        Ok(Found::Source(Source {
            name,
            region: None,
            provider,
        }))
    };
    match step {
        Step::Environment => {
            let env = EnvProvider::with(vars.clone());
            if env.load()?.is_some() {
                return source(what.to_owned(), Arc::new(env));
            }
            absent(format!("{ACCESS_KEY_ID} is not set"))
        }
        Step::Oidc => match OidcRoleArnProvider::builder_from(vars) {
            Ok(builder) => {
                let provider = builder.build()?;
                let name = format!("{what} `{}`", provider.role_arn());
                source(name, Arc::new(provider.cached()))
            }
            Err(missing) => absent(match missing.as_slice() {
                [] => "not configured".to_owned(),
                [one] => format!("{one} is not set"),
                [init @ .., last] => format!("{} and {last} are not set", init.join(", ")),
            }),
        },
        Step::CliProfile => {
            if vars.is_true(CLI_PROFILE_DISABLED_VAR) {
                return absent(format!("{CLI_PROFILE_DISABLED_VAR}=true"));
            }
            let Some((path, explicit)) = CliProfileProvider::path_in(vars) else {
                return absent("HOME is not set".to_owned());
            };
            let text = read(&path, explicit)?;
            let parse = |text: &str| CliProfileProvider::parse(&path, text, profile, vars);
            from_profile_file(what, what, &path, text, parse)
        }
        Step::CredentialsFile => {
            let Some((path, explicit)) = CredentialsFileProvider::path_in(vars) else {
                return absent("HOME is not set".to_owned());
            };
            let text = read(&path, explicit)?;
            let name = profile.unwrap_or("default");
            let parse = |text: &str| CredentialsFileProvider::parse(&path, text, name, vars);
            from_profile_file(what, "credentials file profile", &path, text, parse)
        }
        Step::EcsRamRole => {
            if vars.is_true(ECS_METADATA_DISABLED_VAR) {
                return absent(format!("{ECS_METADATA_DISABLED_VAR}=true"));
            }
            let Some(role) = vars.get(ECS_METADATA_VAR) else {
                return absent(format!("{ECS_METADATA_VAR} is not set"));
            };
            let provider = file::ecs_ram_role(vars, Some(role.clone())).cached();
            source(format!("{what} `{role}`"), Arc::new(provider))
        }
        Step::CredentialsUri => {
            let Some(uri) = vars.get(CREDENTIALS_URI_VAR) else {
                return absent(format!("{CREDENTIALS_URI_VAR} is not set"));
            };
            let provider = CredentialsUriProvider::new(&uri)?;
            let name = format!("{what} {}", provider.shown());
            source(name, Arc::new(provider.cached()))
        }
    }
}

/// The file's text: `None` when it does not exist, unless a variable named it.
fn read(path: &Path, explicit: bool) -> Result<Option<String>, Error> {
    if explicit {
        file::read(path).map(Some)
    } else {
        read_optional(path)
    }
}

/// Steps 3 and 4: the profile `parse` finds in a file's `text`, as a source
/// (`{found_as} `name` in path`); or why there is none, as `what (…)`.
fn from_profile_file<P: HasProfile + ProvideCredentials + 'static>(
    what: &str,
    found_as: &str,
    path: &Path,
    text: Option<String>,
    parse: impl FnOnce(&str) -> Result<Lookup<P>, Error>,
) -> Result<Found, Error> {
    let Some(text) = text else {
        return Ok(Found::Absent(format!(
            "{what} ({} does not exist)",
            path.display()
        )));
    };
    match parse(&text)? {
        Lookup::Found(p) => {
            let profile = p.profile();
            Ok(Found::Source(Source {
                name: format!("{found_as} `{}` in {}", profile.name, path.display()),
                region: profile.region.clone(),
                provider: Arc::new(p),
            }))
        }
        Lookup::NoProfile(why) => Ok(Found::Absent(format!("{what} ({}: {why})", path.display()))),
    }
}

impl ProvideCredentials for DefaultChain {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, Error>> {
        Box::pin(self.0.credentials())
    }
}

// The client from the environment: the default chain and the region variable. Here rather
// than in `client`, which knows no provider.
impl Client {
    /// A client from the environment: credentials from the
    /// [default chain](crate::credentials::DefaultChain), region from
    /// `ALIBABA_CLOUD_REGION_ID` or else the first source's profile's `region_id`.
    ///
    /// The chain's sources, in the official SDKs' order:
    ///
    /// 1. the variables `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET` and
    ///    `ALIBABA_CLOUD_SECURITY_TOKEN`;
    /// 2. an OIDC role (RRSA on Kubernetes), when `ALIBABA_CLOUD_ROLE_ARN`,
    ///    `ALIBABA_CLOUD_OIDC_PROVIDER_ARN` and `ALIBABA_CLOUD_OIDC_TOKEN_FILE` are all set
    ///    (with `ALIBABA_CLOUD_ROLE_SESSION_NAME`; STS at `ALIBABA_CLOUD_STS_ENDPOINT`, else in
    ///    `ALIBABA_CLOUD_STS_REGION`, at its VPC endpoint with
    ///    `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED=true`, else `sts.aliyuncs.com`);
    /// 3. the Aliyun CLI's `~/.aliyun/config.json` (or `ALIBABA_CLOUD_CONFIG_FILE`), profile
    ///    `ALIBABA_CLOUD_PROFILE` or its `current` one (modes `AK`, `StsToken`, `RamRoleArn`,
    ///    `EcsRamRole`, `OIDC`, `ChainableRamRoleArn`, `External`, `CredentialsURI`), unless
    ///    `ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true`;
    /// 4. the ini file `~/.alibabacloud/credentials` (or `ALIBABA_CLOUD_CREDENTIALS_FILE`),
    ///    section `ALIBABA_CLOUD_PROFILE` or `default` (types `access_key`, `sts`,
    ///    `ram_role_arn`, `oidc_role_arn`, `ecs_ram_role`);
    /// 5. the ECS instance's RAM role, when `ALIBABA_CLOUD_ECS_METADATA` names it and
    ///    `ALIBABA_CLOUD_ECS_METADATA_DISABLED` is not `true` (IMDSv2 only when
    ///    `ALIBABA_CLOUD_IMDSV1_DISABLED=true`);
    /// 6. a credentials URI, when `ALIBABA_CLOUD_CREDENTIALS_URI` is set.
    ///
    /// A broken source (bad JSON or ini, a missing field, an unsupported mode) is an error
    /// naming the file, the profile and the field; with no source at all, the error lists
    /// what was tried. The first call asks the configured sources in order until one gives
    /// credentials, and the chain sticks to it; when all fail, the error says why each did.
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

//! Credentials from a profile of the Aliyun CLI's configuration, `~/.aliyun/config.json`
//! (<https://github.com/aliyun/aliyun-cli>, what `aliyun configure` writes):
//!
//! ```json
//! {"current": "default",
//!  "profiles": [{"name": "default", "mode": "AK", "access_key_id": "…",
//!                "access_key_secret": "…", "region_id": "cn-hangzhou"}]}
//! ```
//!
//! Modes and the fields they need, as aliyun-cli names them:
//!
//! | mode | fields |
//! | --- | --- |
//! | `AK` | `access_key_id`, `access_key_secret` |
//! | `StsToken` | those and `sts_token` |
//! | `RamRoleArn` | `access_key_id`, `access_key_secret`, `ram_role_arn`; the role options |
//! | `EcsRamRole` | optional `ram_role_name` |
//! | `OIDC` | `ram_role_arn`, `oidc_provider_arn`, `oidc_token_file`; the role options |
//! | `ChainableRamRoleArn` | `source_profile` (another profile of the file, whose credentials assume the role), `ram_role_arn`; the role options |
//! | `External` | `process_command` (see [`ExternalProcessProvider`](super::ExternalProcessProvider): run without a shell) |
//! | `CredentialsURI` | `credentials_uri` (else `ALIBABA_CLOUD_CREDENTIALS_URI`) |
//!
//! The role options, all optional: `ram_session_name`, `expired_seconds`, `policy`, and
//! where STS is: `sts_endpoint`, else `sts_region` (with `enable_vpc`), else the variables
//! `ALIBABA_CLOUD_STS_ENDPOINT`, `ALIBABA_CLOUD_STS_REGION`,
//! `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED`, else the central endpoint. A `source_profile` chain
//! that comes back to a profile is refused, naming the cycle. The CLI's other modes
//! (`CloudSSO`, `OAuth`, `RsaKeyPair`, `RamRoleArnWithEcs`, `BearerToken`, `Anonymous`) are
//! errors that name the mode, not skipped.

use std::fmt;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::env::Vars;
use super::file::{self, file_error, missing, Lookup, Profile, RoleSpec, Spec};
use super::sts_endpoint::StsLocation;
use super::uri::CREDENTIALS_URI_VAR;
use super::{BoxFuture, Credentials, ProvideCredentials};
use crate::error::Error;

/// The CLI configuration's path, instead of `~/.aliyun/config.json`.
pub(crate) const CONFIG_FILE_VAR: &str = "ALIBABA_CLOUD_CONFIG_FILE";

/// The modes this provider supports, as the CLI spells them.
const MODES: &str = "`AK`, `StsToken`, `RamRoleArn`, `EcsRamRole`, `OIDC`, \
                     `ChainableRamRoleArn`, `External`, `CredentialsURI`";

/// The CLI's other modes: named as such in the error, rather than as unknown.
const UNSUPPORTED_MODES: [&str; 6] = [
    "CloudSSO",
    "OAuth",
    "RsaKeyPair",
    "RamRoleArnWithEcs",
    "BearerToken",
    "Anonymous",
];

/// Credentials from one profile of the Aliyun CLI's `config.json`.
///
/// The file is read and checked when the provider is made; temporary credentials
/// (`RamRoleArn`, `EcsRamRole`) are fetched on first use and cached.
pub struct CliProfileProvider(Profile);

impl fmt::Debug for CliProfileProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.debug(f, "CliProfileProvider", "mode")
    }
}

impl CliProfileProvider {
    /// `ALIBABA_CLOUD_CONFIG_FILE`, else `$HOME/.aliyun/config.json`.
    pub fn default_path() -> Option<PathBuf> {
        Self::path_in(&Vars::Process).map(|(path, _)| path)
    }

    /// The path, and whether a variable names it explicitly.
    pub(crate) fn path_in(vars: &Vars) -> Option<(PathBuf, bool)> {
        if let Some(path) = vars.get(CONFIG_FILE_VAR) {
            return Some((PathBuf::from(path), true));
        }
        file::home_dir(vars).map(|home| (home.join(".aliyun").join("config.json"), false))
    }

    /// Reads profile `profile` of the CLI configuration at `path`, or its `current` profile
    /// when `profile` is `None`.
    pub fn load(path: impl AsRef<Path>, profile: Option<&str>) -> Result<Self, Error> {
        let path = path.as_ref();
        file::load(path, |text| {
            Self::parse(path, text, profile, &Vars::Process)
        })
    }

    pub(crate) fn parse(
        path: &Path,
        text: &str,
        requested: Option<&str>,
        vars: &Vars,
    ) -> Result<Lookup<Self>, Error> {
        let json: Value = serde_json::from_str(text).map_err(|e| {
            file_error(
                path,
                requested,
                format!("not valid JSON: {e}"),
                Some(Box::new(e)),
            )
        })?;
        let Value::Object(root) = json else {
            return Err(file_error(path, requested, "not a JSON object", None));
        };
        let current = string(&root, "current").map_err(|e| file_error(path, None, e, None))?;
        let name = requested
            .map(str::to_owned)
            .or(current)
            .unwrap_or_else(|| "default".to_owned());
        let profiles = match root.get("profiles") {
            Some(Value::Array(profiles)) => profiles,
            None | Some(Value::Null) => {
                return Ok(Lookup::NoProfile(format!(
                    "no profile `{name}` (the file has no `profiles`)"
                )))
            }
            Some(_) => return Err(file_error(path, None, "`profiles` is not a list", None)),
        };
        let mut names = Vec::new();
        let mut all = Vec::new();
        for (i, p) in profiles.iter().enumerate() {
            let Value::Object(p) = p else {
                return Err(file_error(
                    path,
                    None,
                    format!("`profiles[{i}]` is not an object"),
                    None,
                ));
            };
            let this = string(p, "name").map_err(|e| file_error(path, None, e, None))?;
            let this = this.unwrap_or_default();
            names.push(format!("`{this}`"));
            all.push((this, p));
        }
        let file = Profiles { path, all, vars };
        let Some(p) = file.find(&name) else {
            return Ok(Lookup::NoProfile(format!(
                "no profile `{name}`; profiles: {}",
                names.join(", ")
            )));
        };
        let (mode, spec) = file.spec(&name, p, &mut Vec::new())?;
        let err = |what: String| file_error(path, Some(&name), what, None);
        let field = |key: &str| string(p, key).map_err(err);
        let region = field("region_id")?;
        let profile = Profile::new(path, name, mode, region, spec, vars)?;
        Ok(Lookup::Found(CliProfileProvider(profile)))
    }

    /// The file this came from.
    pub fn path(&self) -> &Path {
        &self.0.path
    }

    /// The profile's name.
    pub fn profile_name(&self) -> &str {
        &self.0.name
    }

    /// The profile's mode (`AK`, `StsToken`, `RamRoleArn`, `EcsRamRole`, `OIDC`,
    /// `ChainableRamRoleArn`, `External`, `CredentialsURI`).
    pub fn mode(&self) -> &str {
        &self.0.kind
    }

    /// The profile's `region_id`, if set.
    pub fn region(&self) -> Option<&str> {
        self.0.region.as_deref()
    }
}

/// The profiles of one file, for looking one up by name (a `source_profile` too).
struct Profiles<'f> {
    path: &'f Path,
    all: Vec<(String, &'f Map<String, Value>)>,
    vars: &'f Vars,
}

impl<'f> Profiles<'f> {
    /// The first profile named `name`.
    fn find(&self, name: &str) -> Option<&'f Map<String, Value>> {
        self.all.iter().find(|(n, _)| n == name).map(|(_, p)| *p)
    }

    /// The mode of profile `name` (`p`) and what it describes; `chain` holds the profiles
    /// that lead to it through `source_profile`, to refuse a cycle.
    fn spec(
        &self,
        name: &str,
        p: &Map<String, Value>,
        chain: &mut Vec<String>,
    ) -> Result<(String, Spec), Error> {
        let err = |what: String| file_error(self.path, Some(name), what, None);
        let field = |key: &str| string(p, key).map_err(err);
        let mode = field("mode")?
            .ok_or_else(|| err(format!("`mode` is missing; expected one of {MODES}")))?;
        let kind = format!("mode `{mode}`");
        let required = |key: &str| field(key)?.ok_or_else(|| err(missing(&kind, key)));
        let role = |role_arn: String| -> Result<RoleSpec, Error> {
            let mut sts = StsLocation {
                region: field("sts_region")?,
                vpc: flag(p, "enable_vpc").map_err(err)?,
                ..StsLocation::default()
            };
            if let Some(endpoint) = field("sts_endpoint")? {
                sts.set_endpoint(&endpoint);
            }
            Ok(RoleSpec {
                role_arn,
                session_name: field("ram_session_name")?,
                duration_seconds: seconds(p, "expired_seconds").map_err(err)?,
                policy: field("policy")?,
                sts,
            })
        };
        let spec = match mode.as_str() {
            "AK" => Spec::AccessKey {
                id: required("access_key_id")?,
                secret: required("access_key_secret")?,
            },
            "StsToken" => Spec::Sts {
                id: required("access_key_id")?,
                secret: required("access_key_secret")?,
                token: required("sts_token")?,
            },
            "RamRoleArn" => Spec::RamRoleArn {
                id: required("access_key_id")?,
                secret: required("access_key_secret")?,
                role: role(required("ram_role_arn")?)?,
            },
            "EcsRamRole" => Spec::EcsRamRole {
                role_name: field("ram_role_name")?,
            },
            "OIDC" => {
                let mut role = role(required("ram_role_arn")?)?;
                // Python's library reads `role_session_name` for this mode.
                if role.session_name.is_none() {
                    role.session_name = field("role_session_name")?;
                }
                Spec::Oidc {
                    provider_arn: required("oidc_provider_arn")?,
                    token_file: PathBuf::from(required("oidc_token_file")?),
                    role,
                }
            }
            "ChainableRamRoleArn" => {
                let source_name = required("source_profile")?;
                let role = role(required("ram_role_arn")?)?;
                chain.push(name.to_owned());
                if chain.contains(&source_name) {
                    chain.push(source_name);
                    let cycle: Vec<String> = chain.iter().map(|n| format!("`{n}`")).collect();
                    return Err(err(format!(
                        "`source_profile` makes a cycle: {}",
                        cycle.join(" → ")
                    )));
                }
                let Some(source) = self.find(&source_name) else {
                    return Err(err(format!(
                        "`source_profile` names `{source_name}`, which is not in the file"
                    )));
                };
                let (_, source) = self.spec(&source_name, source, chain)?;
                Spec::Chained {
                    source: Box::new(source),
                    role,
                }
            }
            "External" => Spec::External {
                command: required("process_command")?,
            },
            "CredentialsURI" => Spec::CredentialsUri {
                // As aliyun-cli: the variable stands in for a missing field.
                uri: match field("credentials_uri")? {
                    Some(uri) => uri,
                    None => self
                        .vars
                        .get(CREDENTIALS_URI_VAR)
                        .ok_or_else(|| err(missing(&kind, "credentials_uri")))?,
                },
            },
            other if UNSUPPORTED_MODES.contains(&other) => {
                return Err(err(format!(
                    "mode `{other}` is the Aliyun CLI's, but aliyun-rpc does not support it; \
                     supported: {MODES}"
                )))
            }
            other => {
                return Err(err(format!(
                    "unsupported mode `{other}`; expected one of {MODES}"
                )))
            }
        };
        Ok((mode, spec))
    }
}

impl file::HasProfile for CliProfileProvider {
    fn profile(&self) -> &Profile {
        &self.0
    }
}

impl ProvideCredentials for CliProfileProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, Error>> {
        self.0.inner.provide_credentials()
    }
}

/// A non-empty string field; an error (without the value, which may be a secret) when it is
/// not a string.
fn string(obj: &Map<String, Value>, key: &str) -> Result<Option<String>, String> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.trim().to_owned())),
        Some(_) => Err(format!("`{key}` is not a string")),
    }
}

/// A boolean field, absent meaning `false`.
fn flag(obj: &Map<String, Value>, key: &str) -> Result<bool, String> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(_) => Err(format!("`{key}` is not `true` or `false`")),
    }
}

/// A duration in seconds; 0 or absent means the default.
fn seconds(obj: &Map<String, Value>, key: &str) -> Result<Option<u32>, String> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => match n.as_u64().map(u32::try_from) {
            Some(Ok(0)) => Ok(None),
            Some(Ok(s)) => Ok(Some(s)),
            _ => Err(format!("`{key}` is not a number of seconds")),
        },
        Some(_) => Err(format!("`{key}` is not a number of seconds")),
    }
}

//! Credentials from a profile of the Aliyun CLI's configuration, `~/.aliyun/config.json`
//! (<https://github.com/aliyun/aliyun-cli>, what `aliyun configure` writes):
//!
//! ```json
//! {"current": "default",
//!  "profiles": [{"name": "default", "mode": "AK", "access_key_id": "…",
//!                "access_key_secret": "…", "region_id": "cn-hangzhou"}]}
//! ```
//!
//! Modes and the fields they need: `AK` (`access_key_id`, `access_key_secret`), `StsToken`
//! (those and `sts_token`), `RamRoleArn` (those and `ram_role_arn`; optional
//! `ram_session_name`, `expired_seconds`, `sts_region`, `policy`), `EcsRamRole` (optional
//! `ram_role_name`).

use std::fmt;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::env::Vars;
use super::file::{self, file_error, missing, Lookup, Profile, Spec};
use super::{BoxFuture, Credentials, ProvideCredentials};
use crate::error::Error;

/// The modes this provider supports, as the CLI spells them.
const MODES: &str = "`AK`, `StsToken`, `RamRoleArn`, `EcsRamRole`";

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
    /// `$HOME/.aliyun/config.json`.
    pub fn default_path() -> Option<PathBuf> {
        Self::path_in(&Vars::Process)
    }

    pub(crate) fn path_in(vars: &Vars) -> Option<PathBuf> {
        file::home_dir(vars).map(|home| home.join(".aliyun").join("config.json"))
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
        let mut found = None;
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
            if this == name && found.is_none() {
                found = Some(p);
            }
            names.push(format!("`{this}`"));
        }
        let Some(p) = found else {
            return Ok(Lookup::NoProfile(format!(
                "no profile `{name}`; profiles: {}",
                names.join(", ")
            )));
        };
        let err = |what: String| file_error(path, Some(&name), what, None);
        let field = |key: &str| string(p, key).map_err(err);
        let mode = field("mode")?
            .ok_or_else(|| err(format!("`mode` is missing; expected one of {MODES}")))?;
        let kind = format!("mode `{mode}`");
        let required = |key: &str| field(key)?.ok_or_else(|| err(missing(&kind, key)));
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
                role_arn: required("ram_role_arn")?,
                session_name: field("ram_session_name")?,
                duration_seconds: seconds(p, "expired_seconds").map_err(err)?,
                policy: field("policy")?,
                sts_region: field("sts_region")?,
            },
            "EcsRamRole" => Spec::EcsRamRole {
                role_name: field("ram_role_name")?,
            },
            other => {
                return Err(err(format!(
                    "unsupported mode `{other}`; expected one of {MODES}"
                )))
            }
        };
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

    /// The profile's mode (`AK`, `StsToken`, `RamRoleArn`, `EcsRamRole`).
    pub fn mode(&self) -> &str {
        &self.0.kind
    }

    /// The profile's `region_id`, if set.
    pub fn region(&self) -> Option<&str> {
        self.0.region.as_deref()
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

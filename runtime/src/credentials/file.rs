//! What the two profile files share: finding them, reading them, and errors that name the
//! file, the profile and the field.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use std::sync::Arc;

use super::env::Vars;
use super::{Credentials, EcsRamRoleProvider, ProvideCredentials, RamRoleArnProvider};
use crate::error::{BoxError, Error};

/// The home directory: `HOME`, or `USERPROFILE` on Windows.
pub(crate) fn home_dir(vars: &Vars) -> Option<PathBuf> {
    vars.get("HOME")
        .or_else(|| {
            if cfg!(windows) {
                vars.get("USERPROFILE")
            } else {
                None
            }
        })
        .map(PathBuf::from)
}

/// The file's text, `Ok(None)` when it does not exist.
pub(crate) fn read_optional(path: &Path) -> Result<Option<String>, Error> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(file_error(path, None, "cannot be read", Some(Box::new(e)))),
    }
}

/// The file's text; a missing file is an error too.
pub(crate) fn read(path: &Path) -> Result<String, Error> {
    read_optional(path)?.ok_or_else(|| file_error(path, None, "does not exist", None))
}

/// `credentials: <path>: profile `<name>`: <what>`.
pub(crate) fn file_error(
    path: &Path,
    profile: Option<&str>,
    what: impl fmt::Display,
    source: Option<BoxError>,
) -> Error {
    let message = match profile {
        Some(profile) => format!("{}: profile `{profile}`: {what}", path.display()),
        None => format!("{}: {what}", path.display()),
    };
    Error::Credentials { message, source }
}

/// `kind` (a CLI mode or an ini type) needs `field`, and it is missing.
pub(crate) fn missing(kind: impl fmt::Display, field: &str) -> String {
    format!("{kind} needs `{field}`, which is missing or empty")
}

/// A profile looked up by name: found, or why the file has none to offer.
pub(crate) enum Lookup<T> {
    Found(T),
    NoProfile(String),
}

/// Reads the file at `path` and looks a profile up in its text with `parse`; here, where a
/// profile was asked for by name, a missing one is an error.
pub(crate) fn load<T>(
    path: &Path,
    parse: impl FnOnce(&str) -> Result<Lookup<T>, Error>,
) -> Result<T, Error> {
    match parse(&read(path)?)? {
        Lookup::Found(p) => Ok(p),
        Lookup::NoProfile(why) => Err(file_error(path, None, why, None)),
    }
}

/// One profile of either file, resolved to its provider: what the two file providers keep.
pub(crate) struct Profile {
    pub(crate) path: PathBuf,
    pub(crate) name: String,
    /// The CLI `mode` or the ini `type`.
    pub(crate) kind: String,
    pub(crate) region: Option<String>,
    pub(crate) inner: Arc<dyn ProvideCredentials>,
}

/// The file providers, for what the chain reads of their profile.
pub(crate) trait HasProfile {
    fn profile(&self) -> &Profile;
}

impl Profile {
    /// The profile `name` of the file at `path`, providing what `spec` describes.
    pub(crate) fn new(
        path: &Path,
        name: String,
        kind: String,
        region: Option<String>,
        spec: Spec,
        vars: &Vars,
    ) -> Result<Self, Error> {
        let inner = spec
            .into_provider(vars)
            .map_err(|e| file_error(path, Some(&name), e, None))?;
        Ok(Profile {
            path: path.to_owned(),
            name,
            kind,
            region,
            inner,
        })
    }

    /// `type_name { path, profile, <kind_field>, region, inner }`.
    pub(crate) fn debug(
        &self,
        f: &mut fmt::Formatter<'_>,
        type_name: &str,
        kind_field: &str,
    ) -> fmt::Result {
        f.debug_struct(type_name)
            .field("path", &self.path)
            .field("profile", &self.name)
            .field(kind_field, &self.kind)
            .field("region", &self.region)
            .field("inner", &self.inner)
            .finish()
    }
}

/// What a profile in either file describes.
pub(crate) enum Spec {
    /// A long-lived access key.
    AccessKey { id: String, secret: String },
    /// Fixed STS credentials.
    Sts {
        id: String,
        secret: String,
        token: String,
    },
    /// The ECS instance's RAM role.
    EcsRamRole { role_name: Option<String> },
    /// A RAM role assumed with an access key.
    RamRoleArn {
        id: String,
        secret: String,
        role_arn: String,
        session_name: Option<String>,
        duration_seconds: Option<u32>,
        policy: Option<String>,
        sts_region: Option<String>,
    },
}

impl Spec {
    /// The provider, caching when the credentials are temporary. Builds no connection yet.
    pub(crate) fn into_provider(self, vars: &Vars) -> Result<Arc<dyn ProvideCredentials>, Error> {
        Ok(match self {
            Spec::AccessKey { id, secret } => Arc::new(Credentials::new(id, secret)),
            Spec::Sts { id, secret, token } => {
                Arc::new(Credentials::new(id, secret).with_security_token(token))
            }
            Spec::EcsRamRole { role_name } => Arc::new(ecs_ram_role(vars, role_name).cached()),
            Spec::RamRoleArn {
                id,
                secret,
                role_arn,
                session_name,
                duration_seconds,
                policy,
                sts_region,
            } => {
                let mut b = RamRoleArnProvider::builder(Credentials::new(id, secret), role_arn);
                if let Some(name) = session_name {
                    b = b.role_session_name(name);
                }
                if let Some(seconds) = duration_seconds {
                    b = b.duration_seconds(seconds);
                }
                if let Some(policy) = policy {
                    b = b.policy(policy);
                }
                if let Some(region) = sts_region {
                    b = b.sts_region(region);
                }
                Arc::new(b.build()?.cached())
            }
        })
    }
}

/// The metadata service provider as the variables configure it.
pub(crate) fn ecs_ram_role(vars: &Vars, role_name: Option<String>) -> EcsRamRoleProvider {
    let mut p =
        EcsRamRoleProvider::new().require_imds_v2(vars.is_true("ALIBABA_CLOUD_IMDSV1_DISABLED"));
    if let Some(role) = role_name {
        p = p.role_name(role);
    }
    p
}

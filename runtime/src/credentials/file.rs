//! What the two profile files share: finding them, reading them, and errors that name the
//! file, the profile and the field.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use std::sync::Arc;

use super::env::Vars;
use super::sts_endpoint::StsLocation;
use super::{
    message_of, Credentials, CredentialsUriProvider, EcsRamRoleProvider, ExternalProcessProvider,
    OidcRoleArnProvider, ProvideCredentials, RamRoleArnProvider,
};
use crate::error::{BoxError, Error};
use crate::limits::{CREDENTIALS_FILE_BYTES, CREDENTIALS_FILE_TIMEOUT};

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
///
/// Only a regular file is read (a FIFO, a device such as `/dev/zero`, a directory are
/// errors, found from the opened file, so a symlink to one is too), of at most
/// [`CREDENTIALS_FILE_BYTES`] (1 MiB), within [`CREDENTIALS_FILE_TIMEOUT`] (5 s): the read
/// runs on a thread of its own, and a read that takes longer (a stuck network file
/// system) is abandoned with an error.
pub(crate) fn read_optional(path: &Path) -> Result<Option<String>, Error> {
    let (tx, rx) = std::sync::mpsc::channel();
    let owned = path.to_owned();
    let reader = std::thread::Builder::new()
        .name("aliyun-rpc-credentials-file".to_owned())
        .spawn(move || {
            let _ = tx.send(read_regular(&owned));
        });
    if reader.is_err() {
        return read_regular(path);
    }
    match rx.recv_timeout(CREDENTIALS_FILE_TIMEOUT) {
        Ok(result) => result,
        Err(_) => Err(file_error(
            path,
            None,
            format!("could not be read within {CREDENTIALS_FILE_TIMEOUT:?}"),
            None,
        )),
    }
}

/// [`read_optional`] on this thread.
fn read_regular(path: &Path) -> Result<Option<String>, Error> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    // Opening a FIFO for reading waits for a writer, unless non-blocking; a regular file
    // reads the same either way.
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let file = match options.open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(file_error(
                path,
                None,
                "cannot be opened",
                Some(Box::new(e)),
            ))
        }
    };
    let failed = |e: io::Error| file_error(path, None, "cannot be read", Some(Box::new(e)));
    let meta = file.metadata().map_err(failed)?;
    if !meta.is_file() {
        let what = format!("is {}, not a regular file", kind_of(&meta.file_type()));
        return Err(file_error(path, None, what, None));
    }
    let too_large = || {
        file_error(
            path,
            None,
            format!(
                "is larger than {CREDENTIALS_FILE_BYTES} bytes, the limit for a credentials file"
            ),
            None,
        )
    };
    if meta.len() > CREDENTIALS_FILE_BYTES {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    io::Read::read_to_end(
        &mut io::Read::take(file, CREDENTIALS_FILE_BYTES + 1),
        &mut bytes,
    )
    .map_err(failed)?;
    if bytes.len() as u64 > CREDENTIALS_FILE_BYTES {
        return Err(too_large());
    }
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|e| file_error(path, None, "is not UTF-8 text", Some(Box::new(e))))
}

/// What a file that is not a regular file is.
fn kind_of(kind: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO";
        }
        if kind.is_char_device() {
            return "a character device";
        }
        if kind.is_block_device() {
            return "a block device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    if kind.is_dir() {
        "a directory"
    } else {
        "something else"
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
            .map_err(|e| file_error(path, Some(&name), message_of(&e), Some(Box::new(e))))?;
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
        role: RoleSpec,
    },
    /// A RAM role assumed with the credentials of another profile (the CLI's
    /// `ChainableRamRoleArn`).
    Chained { source: Box<Spec>, role: RoleSpec },
    /// A RAM role assumed with an OIDC token (RRSA).
    Oidc {
        role: RoleSpec,
        provider_arn: String,
        token_file: PathBuf,
    },
    /// What an external command prints.
    External { command: String },
    /// What a credentials URI answers.
    CredentialsUri { uri: String },
}

/// The role a profile assumes through STS, and how.
pub(crate) struct RoleSpec {
    pub(crate) role_arn: String,
    pub(crate) session_name: Option<String>,
    pub(crate) duration_seconds: Option<u32>,
    pub(crate) policy: Option<String>,
    /// The profile's `sts_endpoint`, `sts_region`, `enable_vpc`; the variables fill in the rest.
    pub(crate) sts: StsLocation,
}

impl Spec {
    /// The provider, caching when the credentials are temporary. Builds no connection yet.
    pub(crate) fn into_provider(self, vars: &Vars) -> Result<Arc<dyn ProvideCredentials>, Error> {
        Ok(match self {
            Spec::AccessKey { id, secret } => Arc::new(Credentials::new(id, secret)),
            Spec::Sts { id, secret, token } => {
                Arc::new(Credentials::new(id, secret).with_security_token(token))
            }
            Spec::EcsRamRole { role_name } => {
                if vars.is_true(ECS_METADATA_DISABLED_VAR) {
                    return Err(Error::credentials(format!(
                        "{ECS_METADATA_DISABLED_VAR}=true disables the metadata service that \
                         an ECS RAM role needs"
                    )));
                }
                Arc::new(ecs_ram_role(vars, role_name).cached())
            }
            Spec::RamRoleArn { id, secret, role } => {
                assume_role(Arc::new(Credentials::new(id, secret)), role, vars)?
            }
            Spec::Chained { source, role } => assume_role(source.into_provider(vars)?, role, vars)?,
            Spec::Oidc {
                role,
                provider_arn,
                token_file,
            } => {
                let mut b = OidcRoleArnProvider::builder(role.role_arn, provider_arn, token_file);
                if let Some(name) = role.session_name {
                    b = b.role_session_name(name);
                }
                if let Some(seconds) = role.duration_seconds {
                    b = b.duration_seconds(seconds);
                }
                if let Some(policy) = role.policy {
                    b = b.policy(policy);
                }
                Arc::new(b.sts_location(role.sts.with_vars(vars)).build()?.cached())
            }
            Spec::External { command } => {
                Arc::new(ExternalProcessProvider::builder(command).build()?.cached())
            }
            Spec::CredentialsUri { uri } => Arc::new(CredentialsUriProvider::new(uri)?.cached()),
        })
    }
}

/// `role` assumed with what `base` provides, cached.
fn assume_role(
    base: Arc<dyn ProvideCredentials>,
    role: RoleSpec,
    vars: &Vars,
) -> Result<Arc<dyn ProvideCredentials>, Error> {
    let mut b = RamRoleArnProvider::builder(base, role.role_arn);
    if let Some(name) = role.session_name {
        b = b.role_session_name(name);
    }
    if let Some(seconds) = role.duration_seconds {
        b = b.duration_seconds(seconds);
    }
    if let Some(policy) = role.policy {
        b = b.policy(policy);
    }
    Ok(Arc::new(
        b.sts_location(role.sts.with_vars(vars)).build()?.cached(),
    ))
}

/// `true` turns the metadata service off, for the chain and for profiles.
pub(crate) const ECS_METADATA_DISABLED_VAR: &str = "ALIBABA_CLOUD_ECS_METADATA_DISABLED";

/// The metadata service provider as the variables configure it.
pub(crate) fn ecs_ram_role(vars: &Vars, role_name: Option<String>) -> EcsRamRoleProvider {
    let mut p =
        EcsRamRoleProvider::new().require_imds_v2(vars.is_true("ALIBABA_CLOUD_IMDSV1_DISABLED"));
    if let Some(role) = role_name {
        p = p.role_name(role);
    }
    p
}

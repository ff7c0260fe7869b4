//! Credentials from `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET` and
//! `ALIBABA_CLOUD_SECURITY_TOKEN`.

use std::collections::BTreeMap;
use std::fmt;

use super::{BoxFuture, Credentials, ProvideCredentials};
use crate::error::Error;

/// The access key id variable.
pub(crate) const ACCESS_KEY_ID: &str = "ALIBABA_CLOUD_ACCESS_KEY_ID";
/// The access key secret variable.
pub(crate) const ACCESS_KEY_SECRET: &str = "ALIBABA_CLOUD_ACCESS_KEY_SECRET";
/// The STS security token variable (optional).
pub(crate) const SECURITY_TOKEN: &str = "ALIBABA_CLOUD_SECURITY_TOKEN";

/// Where variables are read from: the process environment, or a fixed set (for tests and
/// for callers that assemble their own configuration).
#[derive(Clone, Default)]
pub(crate) enum Vars {
    /// `std::env`, read at each lookup.
    #[default]
    Process,
    /// Only these.
    Fixed(BTreeMap<String, String>),
}

impl Vars {
    pub(crate) fn fixed<I, K, V>(vars: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        Vars::Fixed(
            vars.into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )
    }

    /// A non-empty variable.
    pub(crate) fn get(&self, name: &str) -> Option<String> {
        let value = match self {
            Vars::Process => std::env::var(name).ok(),
            Vars::Fixed(map) => map.get(name).cloned(),
        };
        value.filter(|v| !v.trim().is_empty())
    }

    /// Whether a flag variable is `true` (case-insensitive).
    pub(crate) fn is_true(&self, name: &str) -> bool {
        self.get(name)
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
    }
}

/// Values of a fixed set may be secrets: only say where they come from.
impl fmt::Debug for Vars {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Vars::Process => f.write_str("ProcessEnvironment"),
            Vars::Fixed(map) => f.debug_set().entries(map.keys()).finish(),
        }
    }
}

/// Credentials from the environment variables `ALIBABA_CLOUD_ACCESS_KEY_ID`,
/// `ALIBABA_CLOUD_ACCESS_KEY_SECRET` and, for STS credentials, `ALIBABA_CLOUD_SECURITY_TOKEN`,
/// read at every call.
///
/// ```
/// use aliyun_rpc::credentials::EnvProvider;
///
/// let p = EnvProvider::from_vars([
///     ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI5tExample"),
///     ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "s3cr3t"),
/// ]);
/// let creds = p.load()?.expect("set");
/// assert_eq!(creds.access_key_id(), "LTAI5tExample");
/// assert_eq!(
///     format!("{p:?}"),
///     r#"EnvProvider { vars: {"ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET"} }"#
/// );
/// # Ok::<(), aliyun_rpc::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct EnvProvider {
    vars: Vars,
}

impl EnvProvider {
    /// Reads the process environment.
    pub fn new() -> Self {
        EnvProvider::default()
    }

    /// Reads only `vars` instead of the process environment.
    pub fn from_vars<I, K, V>(vars: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        EnvProvider {
            vars: Vars::fixed(vars),
        }
    }

    pub(crate) fn with(vars: Vars) -> Self {
        EnvProvider { vars }
    }

    /// The credentials, `Ok(None)` when `ALIBABA_CLOUD_ACCESS_KEY_ID` is unset or empty, an error when
    /// the id is set without the secret.
    pub fn load(&self) -> Result<Option<Credentials>, Error> {
        let Some(id) = self.vars.get(ACCESS_KEY_ID) else {
            return Ok(None);
        };
        let Some(secret) = self.vars.get(ACCESS_KEY_SECRET) else {
            return Err(Error::credentials(format!(
                "{ACCESS_KEY_ID} is set but {ACCESS_KEY_SECRET} is not; set both"
            )));
        };
        let creds = Credentials::new(id, secret);
        Ok(Some(match self.vars.get(SECURITY_TOKEN) {
            Some(token) => creds.with_security_token(token),
            None => creds,
        }))
    }
}

impl ProvideCredentials for EnvProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, Error>> {
        let result = self.load().and_then(|creds| {
            creds.ok_or_else(|| {
                Error::credentials(format!(
                    "{ACCESS_KEY_ID} and {ACCESS_KEY_SECRET} are not set"
                ))
            })
        });
        Box::pin(async move { result })
    }
}

impl Credentials {
    /// Reads `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET` and, if set,
    /// `ALIBABA_CLOUD_SECURITY_TOKEN`. `Ok(None)` when no key id is set.
    pub fn from_env() -> Result<Option<Self>, Error> {
        EnvProvider::new().load()
    }
}

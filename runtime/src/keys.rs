//! What a request is signed with: [`Credentials`] (an access key pair, optionally with an
//! STS security token and an expiry), and the [`ProvideCredentials`] trait that sources them.
//!
//! Below both the client, which asks a provider before every attempt, and the providers in
//! [`credentials`](crate::credentials), one of which (`RamRoleArnProvider`) calls STS through
//! a client.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, OnceLock};

use time::OffsetDateTime;

use crate::error::Error;
use crate::signing::{v3, SigningKey};
use crate::wire::REDACTED;

/// A boxed `Send` future, as returned by [`ProvideCredentials::provide_credentials`].
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A source of credentials: static keys, the environment, a profile file, the ECS instance
/// metadata service, STS `AssumeRole`, …
///
/// The client asks for credentials before every attempt, so a provider of temporary
/// credentials should cache them; wrap it in [`CachedProvider`](crate::credentials::CachedProvider), which refreshes them
/// ahead of expiry and lets concurrent callers share one refresh.
///
/// ```
/// use aliyun_rpc::credentials::{BoxFuture, ProvideCredentials};
/// use aliyun_rpc::{Credentials, Error};
///
/// /// Reads keys from a secrets manager (here, a constant).
/// #[derive(Debug)]
/// struct Vault;
///
/// impl ProvideCredentials for Vault {
///     fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, Error>> {
///         Box::pin(async { Ok(Credentials::new("LTAI5tExample", "from-the-vault")) })
///     }
/// }
/// ```
pub trait ProvideCredentials: fmt::Debug + Send + Sync {
    /// Current credentials, or why there are none.
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, Error>>;
}

impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, Error>> {
        let creds = self.clone();
        Box::pin(async move { Ok(creds) })
    }
}

impl<P: ProvideCredentials + ?Sized> ProvideCredentials for Arc<P> {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, Error>> {
        (**self).provide_credentials()
    }
}

/// An access key id and secret, plus a security token for STS (temporary) credentials.
///
/// `Debug` shows the key id and hides the secret and the token:
///
/// ```
/// use aliyun_rpc::Credentials;
///
/// let c = Credentials::new("LTAI5tExample", "s3cr3t").with_security_token("CAIS-token");
/// assert_eq!(
///     format!("{c:?}"),
///     r#"Credentials { access_key_id: "LTAI5tExample", access_key_secret: "** redacted **", security_token: Some("** redacted **"), expiration: None }"#
/// );
/// ```
///
/// Cloning is cheap (a reference count): a provider hands out a clone for every attempt.
#[derive(Clone)]
pub struct Credentials(Arc<Keys>);

#[derive(Clone)]
struct Keys {
    access_key_id: String,
    access_key_secret: String,
    security_token: Option<String>,
    expiration: Option<OffsetDateTime>,
    /// The HMAC keyed with the secret, made once: every signature starts from a copy.
    signing_key: SigningKey,
    /// The same for signature V3 (HMAC-SHA256 keyed with the raw secret), made on first use,
    /// so that a client signing v1 never pays for it.
    v3_signing_key: OnceLock<v3::SigningKey>,
}

impl PartialEq for Credentials {
    fn eq(&self, other: &Self) -> bool {
        let (a, b) = (&*self.0, &*other.0);
        // `signing_key` is a function of `access_key_secret`.
        a.access_key_id == b.access_key_id
            && a.access_key_secret == b.access_key_secret
            && a.security_token == b.security_token
            && a.expiration == b.expiration
    }
}

impl Eq for Credentials {}

impl Credentials {
    /// Long-lived access key credentials.
    ///
    /// This cannot fail, but empty keys are refused later: by
    /// [`ClientBuilder::build`](crate::ClientBuilder::build), and before anything is signed.
    pub fn new(access_key_id: impl Into<String>, access_key_secret: impl Into<String>) -> Self {
        let access_key_secret = access_key_secret.into();
        Credentials(Arc::new(Keys {
            access_key_id: access_key_id.into(),
            signing_key: SigningKey::new(&access_key_secret),
            v3_signing_key: OnceLock::new(),
            access_key_secret,
            security_token: None,
            expiration: None,
        }))
    }

    /// The same keys, valid until `expiration` (temporary credentials).
    pub fn with_expiration(mut self, expiration: OffsetDateTime) -> Self {
        Arc::make_mut(&mut self.0).expiration = Some(expiration);
        self
    }

    /// When temporary credentials expire; `None` for long-lived keys.
    pub fn expiration(&self) -> Option<OffsetDateTime> {
        self.0.expiration
    }

    /// The same keys with an STS security token (sent as `SecurityToken`).
    pub fn with_security_token(mut self, token: impl Into<String>) -> Self {
        Arc::make_mut(&mut self.0).security_token = Some(token.into());
        self
    }

    /// The access key id (not secret; it is sent with every request).
    pub fn access_key_id(&self) -> &str {
        &self.0.access_key_id
    }

    /// The access key secret. Never log it.
    pub fn access_key_secret(&self) -> &str {
        &self.0.access_key_secret
    }

    /// The STS security token, if these are temporary credentials. Never log it.
    pub fn security_token(&self) -> Option<&str> {
        self.0.security_token.as_deref()
    }

    /// `Err` naming the field when the access key id or secret is empty (or blank): nothing
    /// may be signed with such keys.
    pub(crate) fn check_usable(&self) -> Result<(), Error> {
        match self.empty_field() {
            None => Ok(()),
            Some(field) => Err(empty_keys(field)),
        }
    }

    /// `access key id` or `access key secret`, whichever is empty (or blank) first.
    pub(crate) fn empty_field(&self) -> Option<&'static str> {
        if self.access_key_id().trim().is_empty() {
            Some("access key id")
        } else if self.access_key_secret().trim().is_empty() {
            Some("access key secret")
        } else {
            None
        }
    }

    /// The HMAC keyed with the secret, for signing.
    pub(crate) fn signing_key(&self) -> &SigningKey {
        &self.0.signing_key
    }

    /// The HMAC-SHA256 keyed with the secret, for signature V3: keyed on first use, then
    /// shared by every clone of these credentials.
    pub(crate) fn v3_signing_key(&self) -> &v3::SigningKey {
        self.0
            .v3_signing_key
            .get_or_init(|| v3::SigningKey::new(&self.0.access_key_secret))
    }
}

/// The error for keys whose `field` is empty.
pub(crate) fn empty_keys(field: &str) -> Error {
    Error::credentials(format!(
        "the {field} is empty; nothing is signed with empty keys"
    ))
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let keys = &*self.0;
        f.debug_struct("Credentials")
            .field("access_key_id", &keys.access_key_id)
            .field("access_key_secret", &REDACTED)
            .field(
                "security_token",
                &keys.security_token.as_ref().map(|_| REDACTED),
            )
            .field("expiration", &keys.expiration)
            .finish()
    }
}

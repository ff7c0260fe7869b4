//! The one error type every fallible call returns.

use std::fmt;

/// A boxed error from a lower layer (I/O, TLS, HTTP, JSON, XML), kept as the `source`.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Everything that can go wrong building, signing, sending or decoding a call.
///
/// Match on the variant to act on it, or use the accessors ([`code`](Error::code),
/// [`request_id`](Error::request_id), [`http_status`](Error::http_status)) that work on
/// any variant. `Display` is lowercase and never contains a secret.
///
/// ```
/// use aliyun_rpc::Error;
///
/// let err = Error::invalid_param("Filter.51", "at most 50 items");
/// assert_eq!(err.to_string(), "invalid request parameter `Filter.51`: at most 50 items");
/// assert!(matches!(err, Error::InvalidRequest { .. }));
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A parameter breaks a constraint of the API definition; nothing was sent.
    #[error("invalid request parameter `{param}`: {reason}")]
    InvalidRequest {
        /// The wire name of the offending parameter, e.g. `Filter.3.Value`.
        param: String,
        /// Why it was rejected, e.g. `at most 50 items, got 51`.
        reason: String,
    },
}

impl Error {
    /// An [`Error::InvalidRequest`] for `param`.
    pub fn invalid_param(param: impl Into<String>, reason: impl fmt::Display) -> Self {
        Error::InvalidRequest {
            param: param.into(),
            reason: reason.to_string(),
        }
    }
}

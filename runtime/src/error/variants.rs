//! [`Error`]: the one error type every fallible call returns, its constructors and its
//! accessors.

use std::fmt;

use super::api::{after_attempts, ApiError};
use super::{BoxError, TransportKind};

/// Everything that can go wrong building, signing, sending or decoding a call.
///
/// Match on the variant to act on it, or use the accessors ([`code`](Error::code),
/// [`request_id`](Error::request_id), [`http_status`](Error::http_status),
/// [`is_retryable`](Error::is_retryable)) that work on any variant. `Display` is lowercase,
/// says what to do, and never contains a secret.
///
/// ```
/// use aliyun_rpc::Error;
///
/// let err = Error::invalid_param("Filter", "at most 50 items allowed, got 51");
/// assert_eq!(err.to_string(), "invalid request parameter `Filter`: at most 50 items allowed, got 51");
/// assert!(matches!(err, Error::InvalidRequest { .. }));
/// assert_eq!(err.code(), None);
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The service answered with an error (`Code`, `Message`, `RequestId`, …).
    #[error(transparent)]
    Api(Box<ApiError>),

    /// A parameter breaks a constraint of the API definition; nothing was sent.
    #[error("invalid request parameter `{param}`: {reason}")]
    InvalidRequest {
        /// The wire name of the offending parameter, e.g. `Filter.3.Value`.
        param: String,
        /// Why it was rejected, e.g. `at most 50 items allowed, got 51`.
        reason: String,
    },

    /// No usable credentials, or a credential source failed.
    #[error("credentials: {message}")]
    Credentials {
        /// What went wrong and where (file, profile, field, variable).
        message: String,
        /// The underlying error, if any.
        #[source]
        source: Option<BoxError>,
    },

    /// The client is misconfigured (no region, a malformed endpoint, …).
    #[error("configuration: {message}")]
    Config {
        /// What is missing or wrong, and how to fix it.
        message: String,
    },

    /// The request did not complete: connection refused, timed out, reset, TLS, …
    #[error("{kind} error sending to {url}{}", after_attempts(*attempts))]
    Transport {
        /// What kind of failure.
        kind: TransportKind,
        /// Attempts made in all (1 when the call was not retried).
        attempts: u32,
        /// The URL without its query string.
        url: String,
        /// The underlying error.
        #[source]
        source: BoxError,
    },

    /// The service answered, but the body is not what the response type expects.
    #[error("could not decode the {format} response (http {http_status}) as {expected}: {source}; body starts: {body_prefix}")]
    Decode {
        /// `JSON` or `XML`.
        format: &'static str,
        /// The type that was expected.
        expected: &'static str,
        /// The HTTP status.
        http_status: u16,
        /// The first 512 bytes of the body (lossy UTF-8).
        body_prefix: String,
        /// The parser's error.
        #[source]
        source: BoxError,
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

    /// An [`Error::Credentials`] without a source.
    pub fn credentials(message: impl Into<String>) -> Self {
        Error::Credentials {
            message: message.into(),
            source: None,
        }
    }

    /// An [`Error::Config`].
    pub fn config(message: impl Into<String>) -> Self {
        Error::Config {
            message: message.into(),
        }
    }

    /// The API error, if the service answered with one.
    pub fn as_api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(api) => Some(api),
            _ => None,
        }
    }

    /// Aliyun's error code (`Throttling.User`, `InvalidParameter`, …), for API errors.
    pub fn code(&self) -> Option<&str> {
        self.as_api().map(ApiError::code)
    }

    /// The request id, for API errors.
    pub fn request_id(&self) -> Option<&str> {
        self.as_api().and_then(ApiError::request_id)
    }

    /// The HTTP status, when the service answered.
    pub fn http_status(&self) -> Option<u16> {
        match self {
            Error::Api(api) => Some(api.http_status()),
            Error::Decode { http_status, .. } => Some(*http_status),
            _ => None,
        }
    }

    /// Attempts made before this error was returned (1 when there was no retry, 0 when
    /// nothing was sent).
    pub fn attempts(&self) -> u32 {
        match self {
            Error::Api(api) => api.attempts(),
            Error::Transport { attempts, .. } => *attempts,
            Error::Decode { .. } => 1,
            _ => 0,
        }
    }

    pub(crate) fn set_attempts(&mut self, n: u32) {
        match self {
            Error::Api(api) => api.set_attempts(n),
            Error::Transport { attempts, .. } => *attempts = n,
            _ => {}
        }
    }

    /// Whether trying the same call again (with a fresh nonce and timestamp) may succeed:
    /// connect errors and timeouts, HTTP 5xx, throttling and Aliyun's transient codes.
    pub fn is_retryable(&self) -> bool {
        match self {
            // A connection dropped mid-response is retried too: the fresh nonce makes the
            // retry a new request, and `ClientToken` keeps creates from running twice.
            Error::Transport { .. } => true,
            Error::Api(api) => api.http_status() >= 500 || is_retryable_code(api.code()),
            _ => false,
        }
    }
}

/// Codes that Aliyun documents as transient.
fn is_retryable_code(code: &str) -> bool {
    matches!(
        code,
        "Throttling"
            | "Throttling.User"
            | "Throttling.Api"
            | "ServiceUnavailable"
            | "InternalError"
            | "UnknownError"
            | "SignatureNonceUsed"
    )
}

impl From<ApiError> for Error {
    fn from(api: ApiError) -> Self {
        Error::Api(Box::new(api))
    }
}

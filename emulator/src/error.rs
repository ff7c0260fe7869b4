//! The errors the emulator answers with ([`ApiError`]) and the ones it can fail with
//! itself ([`StartError`]).

use std::fmt;

/// An error answer, as Aliyun sends it: a `Code`, a `Message` and an HTTP status.
///
/// Handlers return it to make the emulator answer with an error document
/// (`{RequestId, HostId, Code, Message, Recommend}`); the emulator's own checks produce
/// the same type.
///
/// ```
/// use aliyun_rpc_emulator::ApiError;
///
/// let err = ApiError::new("InvalidParamter", "Invalid Parameter", 400);
/// assert_eq!(err.code(), "InvalidParamter");
/// assert_eq!(err.message(), "Invalid Parameter");
/// assert_eq!(err.status(), 400);
/// assert_eq!(err.to_string(), "400 InvalidParamter: Invalid Parameter");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    code: String,
    message: String,
    status: u16,
}

impl ApiError {
    /// An error with `code`, `message` and HTTP `status` (a status outside 400..=599 is
    /// answered as 500, since an error document never comes with a success status).
    pub fn new(code: impl Into<String>, message: impl Into<String>, status: u16) -> Self {
        let status = if (400..=599).contains(&status) {
            status
        } else {
            500
        };
        ApiError {
            code: code.into(),
            message: message.into(),
            status,
        }
    }

    /// A 400 Bad Request error.
    ///
    /// ```
    /// # use aliyun_rpc_emulator::ApiError;
    /// assert_eq!(ApiError::bad_request("InvalidParamter", "Invalid Parameter").status(), 400);
    /// ```
    pub fn bad_request(code: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError::new(code, message, 400)
    }

    /// A 404 Not Found error.
    ///
    /// ```
    /// # use aliyun_rpc_emulator::ApiError;
    /// assert_eq!(ApiError::not_found("InvalidImageId.NotFound", "…").status(), 404);
    /// ```
    pub fn not_found(code: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError::new(code, message, 404)
    }

    /// Aliyun's `Missing{Name}` error for a mandatory parameter that was not sent:
    /// Code `Missing{name}`, Message `{name} is mandatory for this action.`, status 400.
    ///
    /// ```
    /// # use aliyun_rpc_emulator::ApiError;
    /// let err = ApiError::missing_parameter("RegionId");
    /// assert_eq!(err.code(), "MissingRegionId");
    /// assert_eq!(err.message(), "RegionId is mandatory for this action.");
    /// ```
    pub fn missing_parameter(name: &str) -> Self {
        ApiError::bad_request(
            format!("Missing{name}"),
            format!("{name} is mandatory for this action."),
        )
    }

    /// A 500 `InternalError`, for a handler that cannot answer.
    ///
    /// ```
    /// # use aliyun_rpc_emulator::ApiError;
    /// assert_eq!(ApiError::internal("boom").code(), "InternalError");
    /// ```
    pub fn internal(message: impl Into<String>) -> Self {
        ApiError::new("InternalError", message, 500)
    }

    /// The error code, e.g. `SignatureDoesNotMatch`.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The human-readable message.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The HTTP status the error is answered with.
    pub fn status(&self) -> u16 {
        self.status
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}: {}", self.status, self.code, self.message)
    }
}

impl std::error::Error for ApiError {}

/// Why an [`Emulator`](crate::Emulator) could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StartError {
    /// The listening socket could not be bound.
    #[error("cannot listen on 127.0.0.1:{port}")]
    Bind {
        /// The port asked for (0 means any free port).
        port: u16,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
}

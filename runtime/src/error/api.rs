//! [`ApiError`]: an error answer from the service, and Aliyun's errors as constructors (the
//! emulator answers with the same type).

use std::fmt;

use super::{NotRetried, SignatureMismatch};
use crate::untrusted::Escaped;

/// An error answer from the service, with everything needed to act on it: the HTTP status,
/// Aliyun's `Code` and `Message`, the `RequestId`, and what the client learnt on the way.
///
/// The emulator answers with the same type, so its constructors follow Aliyun's errors:
///
/// ```
/// use aliyun_rpc::ApiError;
///
/// let err = ApiError::missing_parameter("RegionId").with_request_id("R-1");
/// assert_eq!((err.http_status(), err.code()), (400, "MissingRegionId"));
/// assert_eq!(err.message(), "RegionId is mandatory for this action.");
/// assert_eq!(err.request_id(), Some("R-1"));
/// assert_eq!(err.to_string(), "MissingRegionId (http 400): RegionId is mandatory for this action.; request id R-1");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    http_status: u16,
    attempts: u32,
    code: String,
    message: String,
    /// The parts most errors lack, boxed so that `Result<_, ApiError>` stays small (a
    /// handler in the emulator returns one for every refusal).
    details: Option<Box<Details>>,
}

/// What an [`ApiError`] may carry besides its status, code and message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Details {
    request_id: Option<String>,
    host_id: Option<String>,
    recommend: Option<String>,
    signature_mismatch: Option<SignatureMismatch>,
    retry_after: Option<std::time::Duration>,
    server_date: Option<std::time::SystemTime>,
    not_retried: Option<NotRetried>,
}

impl ApiError {
    /// An error answer with HTTP status `http_status`, Aliyun's `code` and `message`; the
    /// other parts start unset (add them with the `with_…` methods).
    pub fn new(http_status: u16, code: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError {
            http_status,
            attempts: 1,
            code: code.into(),
            message: message.into(),
            details: None,
        }
    }

    fn details(&self) -> Option<&Details> {
        self.details.as_deref()
    }

    fn details_mut(&mut self) -> &mut Details {
        self.details.get_or_insert_with(Box::default)
    }

    /// A `400 Bad Request` error.
    ///
    /// ```
    /// # use aliyun_rpc::ApiError;
    /// assert_eq!(ApiError::bad_request("InvalidParameter", "…").http_status(), 400);
    /// ```
    pub fn bad_request(code: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError::new(400, code, message)
    }

    /// A `404 Not Found` error.
    ///
    /// ```
    /// # use aliyun_rpc::ApiError;
    /// assert_eq!(ApiError::not_found("InvalidImageId.NotFound", "…").http_status(), 404);
    /// ```
    pub fn not_found(code: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError::new(404, code, message)
    }

    /// Aliyun's error for a mandatory param that was not sent: `400`, code `Missing{name}`,
    /// message `{name} is mandatory for this action.`
    pub fn missing_parameter(name: &str) -> Self {
        ApiError::bad_request(
            format!("Missing{name}"),
            format!("{name} is mandatory for this action."),
        )
    }

    /// A `500` `InternalError`.
    ///
    /// ```
    /// # use aliyun_rpc::ApiError;
    /// let err = ApiError::internal("boom");
    /// assert_eq!((err.http_status(), err.code(), err.message()), (500, "InternalError", "boom"));
    /// ```
    pub fn internal(message: impl Into<String>) -> Self {
        ApiError::new(500, "InternalError", message)
    }

    /// The same error with its `RequestId`.
    pub fn with_request_id(mut self, request_id: impl Into<String>) -> Self {
        self.details_mut().request_id = Some(request_id.into());
        self
    }

    /// The same error with the `HostId` of the host that answered.
    pub fn with_host_id(mut self, host_id: impl Into<String>) -> Self {
        self.details_mut().host_id = Some(host_id.into());
        self
    }

    /// The same error with Aliyun's `Recommend` (diagnosis) link.
    pub fn with_recommend(mut self, recommend: impl Into<String>) -> Self {
        self.details_mut().recommend = Some(recommend.into());
        self
    }

    /// The HTTP status (4xx or 5xx).
    pub fn http_status(&self) -> u16 {
        self.http_status
    }

    /// Aliyun's error code, e.g. `InvalidParameter` or `Throttling.User`. From an answer, it
    /// is cut to [`MAX_CODE_BYTES`](crate::limits::MAX_CODE_BYTES) (128 bytes).
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The human message from the service. From an answer, it is cut to
    /// [`MAX_MESSAGE_BYTES`](crate::limits::MAX_MESSAGE_BYTES) (1 KiB) and may hold control
    /// characters: `Display` escapes them, print this with care.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The request id, for support tickets.
    pub fn request_id(&self) -> Option<&str> {
        self.details().and_then(|d| d.request_id.as_deref())
    }

    /// The host that answered.
    pub fn host_id(&self) -> Option<&str> {
        self.details().and_then(|d| d.host_id.as_deref())
    }

    /// Aliyun's diagnosis link.
    pub fn recommend(&self) -> Option<&str> {
        self.details().and_then(|d| d.recommend.as_deref())
    }

    /// For `SignatureDoesNotMatch`: what differs between our string to sign and the server's.
    pub fn signature_mismatch(&self) -> Option<&SignatureMismatch> {
        self.details().and_then(|d| d.signature_mismatch.as_ref())
    }

    /// Attempts made in all (1 when the call was not retried).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The wait the server asked for in its `x-ratelimit-*` headers.
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        self.details().and_then(|d| d.retry_after)
    }

    /// The server's `Date` header, used to correct clock skew.
    pub fn server_date(&self) -> Option<std::time::SystemTime> {
        self.details().and_then(|d| d.server_date)
    }

    /// Why the client did not try again, when it stopped before its attempt limit.
    pub fn not_retried(&self) -> Option<NotRetried> {
        self.details().and_then(|d| d.not_retried)
    }

    pub(crate) fn set_not_retried(&mut self, why: NotRetried) {
        self.details_mut().not_retried = Some(why);
    }

    pub(crate) fn set_attempts(&mut self, attempts: u32) {
        self.attempts = attempts;
    }

    pub(crate) fn set_signature_mismatch(&mut self, mismatch: SignatureMismatch) {
        self.details_mut().signature_mismatch = Some(mismatch);
    }

    pub(crate) fn set_retry_after(&mut self, wait: Option<std::time::Duration>) {
        if wait.is_some() || self.details.is_some() {
            self.details_mut().retry_after = wait;
        }
    }

    pub(crate) fn set_server_date(&mut self, date: Option<std::time::SystemTime>) {
        if date.is_some() || self.details.is_some() {
            self.details_mut().server_date = date;
        }
    }
}

/// The server's texts are shown with their control characters escaped (`\n`, `\u{1b}`), so
/// that an answer cannot forge log lines or drive a terminal.
impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (http {}): {}",
            Escaped(&self.code),
            self.http_status,
            Escaped(&self.message)
        )?;
        if let Some(id) = self.request_id() {
            write!(f, "; request id {}", Escaped(id))?;
        }
        if let Some(host) = self.host_id() {
            write!(f, "; host id {}", Escaped(host))?;
        }
        if let Some(link) = self.recommend() {
            write!(f, "; recommend {}", Escaped(link))?;
        }
        if let Some(mismatch) = self.signature_mismatch() {
            write!(f, "; {mismatch}")?;
        }
        f.write_str(&after_attempts(self.attempts))?;
        if let Some(why) = self.not_retried() {
            write!(f, "; {why}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

pub(super) fn after_attempts(attempts: u32) -> String {
    if attempts > 1 {
        format!(" (after {attempts} attempts)")
    } else {
        String::new()
    }
}

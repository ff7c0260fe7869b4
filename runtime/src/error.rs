//! The one error type every fallible call returns.

use std::fmt;

/// A boxed error from a lower layer (I/O, TLS, HTTP, JSON, XML), kept as the `source`.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

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

/// The kind of a [`Error::Transport`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportKind {
    /// The TCP/TLS connection could not be made.
    Connect,
    /// The connect or read timeout passed.
    Timeout,
    /// Anything else: reset mid-response, malformed HTTP, …
    Other,
}

impl fmt::Display for TransportKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TransportKind::Connect => "connect",
            TransportKind::Timeout => "timeout",
            TransportKind::Other => "transport",
        })
    }
}

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

    /// Aliyun's error code, e.g. `InvalidParameter` or `Throttling.User`.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The human message from the service.
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

    /// Replaces the message (the client scrubs secrets the server echoed).
    pub(crate) fn map_message(&mut self, f: impl FnOnce(&str) -> String) {
        self.message = f(&self.message);
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

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (http {}): {}",
            self.code, self.http_status, self.message
        )?;
        if let Some(id) = self.request_id() {
            write!(f, "; request id {id}")?;
        }
        if let Some(host) = self.host_id() {
            write!(f, "; host id {host}")?;
        }
        if let Some(link) = self.recommend() {
            write!(f, "; recommend {link}")?;
        }
        if let Some(mismatch) = self.signature_mismatch() {
            write!(f, "; {mismatch}")?;
        }
        f.write_str(&after_attempts(self.attempts))
    }
}

impl std::error::Error for ApiError {}

fn after_attempts(attempts: u32) -> String {
    if attempts > 1 {
        format!(" (after {attempts} attempts)")
    } else {
        String::new()
    }
}

/// The diagnosis of a `SignatureDoesNotMatch`, from the server's string to sign
/// (Aliyun puts it in the message after `server string to sign is:`) and ours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureMismatch {
    /// Both sides signed the same string: the access key secret is wrong.
    SameStringToSign,
    /// The strings differ: something changed the request on the way, or was encoded differently.
    Differs {
        /// Byte offset of the first difference.
        position: usize,
        /// Our string to sign around that position.
        ours: String,
        /// The server's string to sign around that position.
        server: String,
    },
}

impl SignatureMismatch {
    /// Compares the two strings to sign (both already free of secrets).
    pub fn diagnose(ours: &str, server: &str) -> Self {
        let position = ours.bytes().zip(server.bytes()).position(|(a, b)| a != b);
        let position = match position {
            Some(p) => p,
            None if ours.len() == server.len() => return SignatureMismatch::SameStringToSign,
            None => ours.len().min(server.len()),
        };
        SignatureMismatch::Differs {
            position,
            ours: excerpt(ours, position),
            server: excerpt(server, position),
        }
    }
}

/// Up to 40 bytes either side of `at`, widened to char boundaries, with `…` where cut.
fn excerpt(s: &str, at: usize) -> String {
    let mut start = at.saturating_sub(40);
    while !s.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (at + 40).min(s.len());
    while !s.is_char_boundary(end) {
        end += 1;
    }
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.push_str(&s[start..end]);
    if end < s.len() {
        out.push('…');
    }
    out
}

impl fmt::Display for SignatureMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignatureMismatch::SameStringToSign => f.write_str(
                "the server signed the same string as we did, so the access key secret is wrong",
            ),
            SignatureMismatch::Differs { position, ours, server } => write!(
                f,
                "our string to sign differs from the server's at byte {position}: ours `{ours}`, server's `{server}`"
            ),
        }
    }
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
            Error::Api(api) => Some(api.http_status),
            Error::Decode { http_status, .. } => Some(*http_status),
            _ => None,
        }
    }

    /// Attempts made before this error was returned (1 when there was no retry, 0 when
    /// nothing was sent).
    pub fn attempts(&self) -> u32 {
        match self {
            Error::Api(api) => api.attempts,
            Error::Transport { attempts, .. } => *attempts,
            Error::Decode { .. } => 1,
            _ => 0,
        }
    }

    pub(crate) fn set_attempts(&mut self, n: u32) {
        match self {
            Error::Api(api) => api.attempts = n,
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
            Error::Api(api) => api.http_status >= 500 || is_retryable_code(&api.code),
            _ => false,
        }
    }
}

/// Codes that Aliyun documents as transient.
pub(crate) fn is_retryable_code(code: &str) -> bool {
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

/// A string that names no variant of a `#[derive(ParamValue)]` enum, from its `FromStr`.
///
/// ```
/// use aliyun_rpc::{ParamValue, ParseEnumError};
///
/// #[derive(Debug, PartialEq, ParamValue)]
/// enum ActionType { CreateEcs, Upgrade }
///
/// let err: ParseEnumError = "Foo".parse::<ActionType>().unwrap_err();
/// assert_eq!(err.to_string(), "unknown `ActionType` value `Foo`; expected one of `CreateEcs`, `Upgrade`");
/// assert_eq!(err.expected(), ["CreateEcs", "Upgrade"]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseEnumError {
    enum_name: &'static str,
    input: String,
    expected: &'static [&'static str],
}

impl ParseEnumError {
    /// `input` is not one of `expected`, the wire values of `enum_name`.
    pub fn new(enum_name: &'static str, input: &str, expected: &'static [&'static str]) -> Self {
        ParseEnumError {
            enum_name,
            input: input.to_owned(),
            expected,
        }
    }

    /// The enum's name, as declared.
    pub fn enum_name(&self) -> &'static str {
        self.enum_name
    }

    /// The rejected string.
    pub fn input(&self) -> &str {
        &self.input
    }

    /// Every accepted wire value, in declaration order.
    pub fn expected(&self) -> &'static [&'static str] {
        self.expected
    }
}

impl fmt::Display for ParseEnumError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown `{}` value `{}`; ", self.enum_name, self.input)?;
        if self.expected.is_empty() {
            return write!(f, "`{}` has no values", self.enum_name);
        }
        f.write_str("expected one of ")?;
        for (i, value) in self.expected.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "`{value}`")?;
        }
        Ok(())
    }
}

impl std::error::Error for ParseEnumError {}

//! [`Error`]: the one error type every fallible call returns, its constructors and its
//! accessors.

use std::fmt;

use super::api::{after_attempts, ApiError};
use super::NotRetried;
use super::{BoxError, TransportKind};
use crate::limits::MAX_MESSAGE_BYTES;
use crate::untrusted::{bound, bounded, Escaped};

/// Everything that can go wrong building, signing, sending or decoding a call.
///
/// Use the accessors, which work on any variant and answer `None` where a part does not
/// apply ([`code`](Error::code), [`request_id`](Error::request_id),
/// [`http_status`](Error::http_status), [`attempts`](Error::attempts),
/// [`is_retryable`](Error::is_retryable), [`invalid_param_name`](Error::invalid_param_name),
/// [`transport_kind`](Error::transport_kind), …), or match on the variant. The enum and its
/// struct variants are `#[non_exhaustive]`, so that a later variant or field breaks no
/// program: a match needs a `_` arm, and a pattern names the fields it reads followed by `..`.
/// `Display` is lowercase, says what to do, and never contains a secret.
///
/// ```
/// use aliyun_rpc::Error;
///
/// let err = Error::invalid_param("Filter.3.Value", "at most 128 characters allowed, got 130");
/// assert_eq!(
///     err.to_string(),
///     "invalid request parameter `Filter.3.Value`: at most 128 characters allowed, got 130"
/// );
/// assert_eq!(err.invalid_param_name(), Some("Filter.3.Value"));
/// assert_eq!(err.code(), None);
/// assert_eq!(err.attempts(), 0); // nothing was sent
///
/// match &err {
///     Error::InvalidRequest { param, .. } => assert_eq!(param, "Filter.3.Value"),
///     Error::Api(api) => println!("the service said {}", api.code()),
///     _ => {}
/// }
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The service answered with an error (`Code`, `Message`, `RequestId`, …).
    #[error(transparent)]
    Api(Box<ApiError>),

    /// A parameter breaks a constraint of the API definition; nothing was sent.
    #[error("invalid request parameter `{param}`: {reason}")]
    #[non_exhaustive]
    InvalidRequest {
        /// The wire name of the offending parameter, e.g. `Filter.3.Value`.
        param: String,
        /// Why it was rejected, e.g. `at most 50 items allowed, got 51`.
        reason: String,
    },

    /// No usable credentials, or a credential source failed.
    #[error("credentials: {message}")]
    #[non_exhaustive]
    Credentials {
        /// What went wrong and where (file, profile, field, variable).
        message: String,
        /// The underlying error, if any.
        #[source]
        source: Option<BoxError>,
    },

    /// The client is misconfigured (no region, a malformed endpoint, …).
    #[error("configuration: {message}")]
    #[non_exhaustive]
    Config {
        /// What is missing or wrong, and how to fix it.
        message: String,
    },

    /// The request did not complete: connection refused, timed out, reset, TLS, …
    ///
    /// `Display` ends with the innermost cause from the source chain (`dns error: failed to
    /// lookup address information: Name or service not known`, `tcp connect error:
    /// Connection refused (os error 111)`, `Too many open files (os error 24)`), on one line.
    /// A host name that does not resolve on an endpoint the client derived from its region
    /// (no [`endpoint`](crate::ClientBuilder::endpoint) override) adds a hint that the
    /// region may be wrong, and is not retried: a misspelt region's host will not appear
    /// between attempts, and the request surely did not run.
    #[error("{kind} error sending to {url}: {}{}{}{}", transport_cause(source), dns_hint(*dns_failure && *derived_endpoint), after_attempts(*attempts), not_retried_note(*not_retried))]
    #[non_exhaustive]
    Transport {
        /// What kind of failure.
        kind: TransportKind,
        /// Attempts made in all (1 when the call was not retried).
        attempts: u32,
        /// The URL without its query string.
        url: String,
        /// Why the client did not try again before its attempt limit, if it stopped early.
        not_retried: Option<NotRetried>,
        /// Whether the endpoint's host name did not resolve (a DNS failure).
        dns_failure: bool,
        /// Whether the endpoint was derived from the product and region, not set with
        /// [`ClientBuilder::endpoint`](crate::ClientBuilder::endpoint).
        derived_endpoint: bool,
        /// The underlying error.
        #[source]
        source: BoxError,
    },

    /// The endpoint answered with a redirect (3xx). Aliyun's RPC endpoints never redirect, so
    /// the client does not follow (that would send the signed request, with its security
    /// token, to another host): check the endpoint. Not retried.
    #[error("{url} answered http {http_status}, a redirect{}; Aliyun RPC endpoints do not redirect, so it was not followed: check the endpoint{}", redirect_target(location.as_deref()), after_attempts(*attempts))]
    #[non_exhaustive]
    Redirect {
        /// The URL the request went to, without its query string.
        url: String,
        /// The HTTP status (301, 302, 303, 307, 308, …).
        http_status: u16,
        /// Where the answer pointed (its `Location` header), without its query string and
        /// cut to 1 KiB; `None` without one.
        location: Option<String>,
        /// Attempts made in all.
        attempts: u32,
    },

    /// The answer's body is larger than the limit
    /// ([`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes),
    /// 16 MiB by default); reading stopped there. Not retried: a server that sends such a
    /// body once will again.
    #[error("the answer from {url} (http {http_status}) exceeds the limit of {limit} bytes; reading stopped there (the limit is `ClientBuilder::max_response_bytes`){}", after_attempts(*attempts))]
    #[non_exhaustive]
    ResponseTooLarge {
        /// The URL without its query string.
        url: String,
        /// The HTTP status of the answer.
        http_status: u16,
        /// The limit, in bytes.
        limit: usize,
        /// Attempts made in all.
        attempts: u32,
    },

    /// The service answered, but the body is not what the response type expects.
    #[error("could not decode the {format} response (http {http_status}) as {expected}: {}; body starts: {}", Escaped(&.source.to_string()), Escaped(.body_prefix))]
    #[non_exhaustive]
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

    /// [`Client::paginate`](crate::Client::paginate) stopped a listing: the server did not
    /// move on (it repeated a `NextToken` or `Marker`, answered another page than the one
    /// asked for, or said `IsTruncated` without a `Marker`), or the listing passed its page
    /// limit. The pages before it were yielded; this is the stream's last item.
    #[error("listing {action} stopped after {pages} page(s): {reason}")]
    #[non_exhaustive]
    Pagination {
        /// The action being listed.
        action: &'static str,
        /// Pages asked for before it stopped.
        pages: u32,
        /// Why it stopped.
        reason: String,
    },

    /// [`Client::dry_run`](crate::Client::dry_run) was answered with success instead of
    /// `DryRunOperation`: the service ignored `DryRun`, so the request **ran**. Check what it
    /// did.
    #[error("the dry run of {action} was answered with success, not DryRunOperation: the service ignored DryRun and the request ran")]
    #[non_exhaustive]
    DryRunIgnored {
        /// The action sent.
        action: &'static str,
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
            Error::Decode { http_status, .. }
            | Error::ResponseTooLarge { http_status, .. }
            | Error::Redirect { http_status, .. } => Some(*http_status),
            _ => None,
        }
    }

    /// Attempts made before this error was returned (1 when there was no retry, 0 when
    /// nothing was sent).
    pub fn attempts(&self) -> u32 {
        match self {
            Error::Api(api) => api.attempts(),
            Error::Transport { attempts, .. }
            | Error::ResponseTooLarge { attempts, .. }
            | Error::Redirect { attempts, .. } => *attempts,
            Error::Decode { .. } => 1,
            _ => 0,
        }
    }

    /// The wire name of the parameter that failed validation (`Filter.3.Value`), for
    /// [`Error::InvalidRequest`].
    pub fn invalid_param_name(&self) -> Option<&str> {
        match self {
            Error::InvalidRequest { param, .. } => Some(param),
            _ => None,
        }
    }

    /// Why the parameter failed validation (`at most 50 items allowed, got 51`), for
    /// [`Error::InvalidRequest`].
    pub fn invalid_param_reason(&self) -> Option<&str> {
        match self {
            Error::InvalidRequest { reason, .. } => Some(reason),
            _ => None,
        }
    }

    /// What kind of transport failure ended the call (connect, timeout, …), for
    /// [`Error::Transport`].
    ///
    /// ```
    /// use aliyun_rpc::error::TransportKind;
    /// # fn check(err: &aliyun_rpc::Error) {
    /// if err.transport_kind() == Some(TransportKind::Timeout) {
    ///     eprintln!("no answer from {} in time", err.url().unwrap_or("the endpoint"));
    /// }
    /// # }
    /// ```
    pub fn transport_kind(&self) -> Option<TransportKind> {
        match self {
            Error::Transport { kind, .. } => Some(*kind),
            _ => None,
        }
    }

    /// Whether the call failed because the endpoint's host name did not resolve (a DNS
    /// failure), for [`Error::Transport`].
    pub fn is_dns_failure(&self) -> bool {
        matches!(
            self,
            Error::Transport {
                dns_failure: true,
                ..
            }
        )
    }

    /// The URL the failed request went to, without its query string (which would hold a
    /// `GET`'s signature), for [`Error::Transport`] and [`Error::ResponseTooLarge`].
    pub fn url(&self) -> Option<&str> {
        match self {
            Error::Transport { url, .. }
            | Error::ResponseTooLarge { url, .. }
            | Error::Redirect { url, .. } => Some(url),
            _ => None,
        }
    }

    /// Where a redirect pointed (its `Location`, without the query string), for
    /// [`Error::Redirect`].
    pub fn location(&self) -> Option<&str> {
        match self {
            Error::Redirect { location, .. } => location.as_deref(),
            _ => None,
        }
    }

    /// The first 512 bytes of an answer that did not decode (lossy UTF-8), for
    /// [`Error::Decode`].
    pub fn body_prefix(&self) -> Option<&str> {
        match self {
            Error::Decode { body_prefix, .. } => Some(body_prefix),
            _ => None,
        }
    }

    /// The Rust type an answer did not decode into, for [`Error::Decode`].
    pub fn expected_type(&self) -> Option<&'static str> {
        match self {
            Error::Decode { expected, .. } => Some(expected),
            _ => None,
        }
    }

    /// Where in the answer decoding stopped, for [`Error::Decode`]: the field path
    /// (`InstanceTypes`, `Vpcs.Vpc[3].VpcId`), or `None` at the top level (a body that is
    /// not JSON or XML at all).
    pub fn decode_path(&self) -> Option<&str> {
        match self {
            Error::Decode { source, .. } => source
                .downcast_ref::<super::decode::DecodeProblem>()
                .map(|p| p.path.as_str())
                .filter(|p| !p.is_empty()),
            _ => None,
        }
    }

    /// Why the client stopped trying before its attempt limit, when it did: the request may
    /// have run and is not safe to repeat ([`NotRetried::MayHaveRun`]), or the call's
    /// deadline left no room for the next wait ([`NotRetried::Deadline`]). `None` when the
    /// error is not worth retrying, or the attempts ran out.
    pub fn not_retried(&self) -> Option<NotRetried> {
        match self {
            Error::Api(api) => api.not_retried(),
            Error::Transport { not_retried, .. } => *not_retried,
            _ => None,
        }
    }

    pub(crate) fn set_not_retried(&mut self, why: NotRetried) {
        match self {
            Error::Api(api) => api.set_not_retried(why),
            Error::Transport { not_retried, .. } => *not_retried = Some(why),
            _ => {}
        }
    }

    pub(crate) fn set_attempts(&mut self, n: u32) {
        match self {
            Error::Api(api) => api.set_attempts(n),
            Error::Transport { attempts, .. }
            | Error::ResponseTooLarge { attempts, .. }
            | Error::Redirect { attempts, .. } => *attempts = n,
            _ => {}
        }
    }

    /// Whether trying the same call again (with a fresh nonce and timestamp) may succeed:
    /// connect errors and timeouts, HTTP 5xx, throttling and Aliyun's transient codes; not
    /// a host that does not resolve on an endpoint derived from the region
    /// ([`is_dns_failure`](Self::is_dns_failure)), where the region is likely wrong.
    ///
    /// The client retries such an error only when that is safe: when the request surely did
    /// not run (see [`may_have_run`](Self::may_have_run)), or when it is safe to repeat (it
    /// is [idempotent](crate::Request::IDEMPOTENT) or carries a client token).
    pub fn is_retryable(&self) -> bool {
        match self {
            // A derived host that does not resolve will not between attempts: the region
            // is likely wrong.
            Error::Transport {
                dns_failure,
                derived_endpoint,
                ..
            } => !(*dns_failure && *derived_endpoint),
            Error::Api(api) => api.http_status() >= 500 || is_retryable_code(api.code()),
            _ => false,
        }
    }

    /// Whether the request may have run on the service although the call failed: `false`
    /// when it surely did not, `true` when that cannot be known (or it did).
    ///
    /// | error | may have run |
    /// | --- | --- |
    /// | nothing sent: [`InvalidRequest`](Error::InvalidRequest), [`Config`](Error::Config), [`Credentials`](Error::Credentials) | no |
    /// | [`Transport`](Error::Transport) of kind [`Connect`](TransportKind::Connect) (refused, DNS, TLS, connect timeout) | no |
    /// | `Throttling`, `Throttling.User`, `Throttling.Api`, `SignatureNonceUsed`, and any other 4xx answer | no: refused before running |
    /// | a [`Timeout`](TransportKind::Timeout) or [`Other`](TransportKind::Other) transport failure (a reset, a closed connection) | yes |
    /// | HTTP 5xx, `ServiceUnavailable`, `InternalError`, `UnknownError` | yes |
    /// | an answer that came back: [`Decode`](Error::Decode), [`ResponseTooLarge`](Error::ResponseTooLarge), [`Redirect`](Error::Redirect) | yes |
    ///
    /// A retryable error that may have run is retried only for a request that is safe to
    /// repeat; otherwise the call stops with [`NotRetried::MayHaveRun`], and its `Display`
    /// says to check whether the request took effect.
    ///
    /// ```
    /// use aliyun_rpc::{ApiError, Error};
    ///
    /// let throttled = Error::from(ApiError::bad_request("Throttling.User", "slow down"));
    /// assert!(throttled.is_retryable() && !throttled.may_have_run());
    /// let failed = Error::from(ApiError::internal("boom"));
    /// assert!(failed.is_retryable() && failed.may_have_run());
    /// let refused = Error::from(ApiError::bad_request("InvalidParameter", "no"));
    /// assert!(!refused.is_retryable() && !refused.may_have_run());
    /// ```
    pub fn may_have_run(&self) -> bool {
        match self {
            Error::InvalidRequest { .. } | Error::Config { .. } | Error::Credentials { .. } => {
                false
            }
            Error::Transport { kind, .. } => *kind != TransportKind::Connect,
            Error::Api(api) => match api.code() {
                code if surely_not_run_code(code) => false,
                "ServiceUnavailable" | "InternalError" | "UnknownError" => true,
                _ => api.http_status() >= 500,
            },
            Error::Decode { .. } | Error::ResponseTooLarge { .. } | Error::Redirect { .. } => true,
            // Each page is a read that ran or failed on its own; the listing as a whole
            // stopped on an answer that came back.
            Error::Pagination { .. } => true,
            Error::DryRunIgnored { .. } => true,
        }
    }

    /// Whether this is the answer to a dry run that would have succeeded: Aliyun answers a
    /// request sent with `DryRun=true` that passes every check with the error code
    /// `DryRunOperation` (HTTP 400). [`Client::dry_run`](crate::Client::dry_run) turns it
    /// into `Ok(())`.
    ///
    /// ```
    /// use aliyun_rpc::{ApiError, Error};
    ///
    /// let passed = Error::from(ApiError::bad_request("DryRunOperation", "Request validation has been passed with DryRun flag set."));
    /// assert!(passed.is_dry_run_success());
    /// let refused = Error::from(ApiError::bad_request("InvalidParameter", "no"));
    /// assert!(!refused.is_dry_run_success());
    /// ```
    pub fn is_dry_run_success(&self) -> bool {
        self.code() == Some(DRY_RUN_OPERATION)
    }

    /// An [`Error::Pagination`].
    pub(crate) fn pagination(action: &'static str, pages: u32, reason: impl Into<String>) -> Self {
        Error::Pagination {
            action,
            pages,
            reason: reason.into(),
        }
    }
}

/// The code of the answer to a dry run that passed.
const DRY_RUN_OPERATION: &str = "DryRunOperation";

/// Codes of answers that refuse a request before it runs, though retrying may succeed.
fn surely_not_run_code(code: &str) -> bool {
    matches!(
        code,
        "Throttling" | "Throttling.User" | "Throttling.Api" | "SignatureNonceUsed"
    )
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

impl Error {
    /// An [`Error::Redirect`] from `url` to `location` (a server's text: its query is
    /// dropped, it is cut to 1 KiB, and shown escaped).
    pub(crate) fn redirect(url: &str, http_status: u16, location: Option<&str>) -> Self {
        let location = location.map(|l| match l.split_once('?') {
            Some((before, _)) => format!("{before}?…"),
            None => l.to_owned(),
        });
        Error::Redirect {
            url: url.to_owned(),
            http_status,
            location: location.map(|l| bounded(l, MAX_MESSAGE_BYTES)),
            attempts: 1,
        }
    }
}

/// The innermost cause in `source`'s chain, on one line, cut to 1 KiB: the deepest error,
/// after its parent unless that one is a generic wrapper, or its parent alone when it
/// already quotes it (`dns error: failed to lookup address information: Name or service not
/// known`).
fn transport_cause(source: &BoxError) -> String {
    let mut chain = Vec::new();
    let mut next: Option<&(dyn std::error::Error + 'static)> = Some(source.as_ref());
    // Bounded: a chain is a handful of errors; a cyclic one must not loop.
    while let Some(e) = next.filter(|_| chain.len() < 16) {
        chain.push(e.to_string());
        next = e.source();
    }
    let last = chain.pop().unwrap_or_default();
    let text = match chain.pop() {
        Some(parent) if is_generic_wrapper(&parent) => last,
        // A parent that already quotes its cause says it all.
        Some(parent) if parent.contains(last.as_str()) => parent,
        Some(parent) => format!("{parent}: {last}"),
        None => last,
    };
    Escaped(&bound(&text, MAX_MESSAGE_BYTES)).to_string()
}

/// Messages of the layers that only wrap the cause (reqwest's and hyper's).
fn is_generic_wrapper(message: &str) -> bool {
    message == "error sending request"
        || message == "error decoding response body"
        || message.starts_with("client error (")
        || message.starts_with("error sending request for url")
}

/// Whether `error`'s chain holds the failure to resolve a host name, as hyper reports it.
pub(crate) fn is_dns_error(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut next = Some(error);
    let mut depth = 0;
    while let Some(e) = next.filter(|_| depth < 16) {
        if e.to_string().starts_with("dns error") {
            return true;
        }
        next = e.source();
        depth += 1;
    }
    false
}

/// The hint of a DNS failure on a derived endpoint, or nothing.
fn dns_hint(derived_dns_failure: bool) -> &'static str {
    if derived_dns_failure {
        "; the host is derived from the client's product and region: check the region \
         (`ClientBuilder::region`, `ALIBABA_CLOUD_REGION_ID`); not retried"
    } else {
        ""
    }
}

/// `; {why}`, or nothing.
fn not_retried_note(why: Option<NotRetried>) -> String {
    why.map(|why| format!("; {why}")).unwrap_or_default()
}

/// ` to `{location}``, escaped, or ` without a Location`.
fn redirect_target(location: Option<&str>) -> String {
    match location {
        Some(l) => format!(" to `{}`", Escaped(l)),
        None => " without a `Location`".to_owned(),
    }
}

impl From<ApiError> for Error {
    fn from(api: ApiError) -> Self {
        Error::Api(Box::new(api))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn transport() -> Error {
        Error::Transport {
            kind: TransportKind::Timeout,
            attempts: 3,
            url: "http://127.0.0.1:9/".to_owned(),
            not_retried: None,
            dns_failure: false,
            derived_endpoint: false,
            source: "deadline".into(),
        }
    }

    fn decode() -> Error {
        Error::Decode {
            format: "XML",
            expected: "my::Response",
            http_status: 200,
            body_prefix: "<html>".to_owned(),
            source: "not xml".into(),
        }
    }

    /// Each accessor answers for its own variant and `None` for every other.
    #[test]
    fn accessors_answer_for_their_variant_only() {
        let invalid = Error::invalid_param("Tag.1.Key", "must not be empty");
        let api =
            Error::from(ApiError::bad_request("InvalidParameter", "bad").with_request_id("R"));
        let others = [Error::credentials("none"), Error::config("no region")];

        assert_eq!(invalid.invalid_param_name(), Some("Tag.1.Key"));
        assert_eq!(invalid.invalid_param_reason(), Some("must not be empty"));
        assert_eq!(transport().transport_kind(), Some(TransportKind::Timeout));
        assert_eq!(transport().url(), Some("http://127.0.0.1:9/"));
        assert_eq!(transport().attempts(), 3);
        assert_eq!(decode().body_prefix(), Some("<html>"));
        assert_eq!(decode().expected_type(), Some("my::Response"));
        assert_eq!(decode().http_status(), Some(200));
        assert_eq!(
            (api.code(), api.request_id()),
            (Some("InvalidParameter"), Some("R"))
        );

        let too_large = Error::ResponseTooLarge {
            url: "http://127.0.0.1:9/".to_owned(),
            http_status: 200,
            limit: 1024,
            attempts: 1,
        };
        assert_eq!(
            (
                too_large.url(),
                too_large.http_status(),
                too_large.attempts()
            ),
            (Some("http://127.0.0.1:9/"), Some(200), 1)
        );
        assert_eq!(
            too_large.to_string(),
            "the answer from http://127.0.0.1:9/ (http 200) exceeds the limit of 1024 bytes; \
             reading stopped there (the limit is `ClientBuilder::max_response_bytes`)"
        );
        assert!(!too_large.is_retryable());

        let redirect = Error::redirect(
            "http://127.0.0.1:9/",
            307,
            Some("https://evil.example/\u{1b}[31m\npath?SecurityToken=x"),
        );
        assert_eq!(
            redirect.location(),
            Some("https://evil.example/\u{1b}[31m\npath?…")
        );
        assert_eq!(
            redirect.to_string(),
            "http://127.0.0.1:9/ answered http 307, a redirect to \
             `https://evil.example/\\u{1b}[31m\\npath?…`; Aliyun RPC endpoints do not redirect, \
             so it was not followed: check the endpoint"
        );
        assert_eq!(
            (redirect.http_status(), redirect.is_retryable()),
            (Some(307), false)
        );

        for err in [&api, &transport(), &decode()].into_iter().chain(&others) {
            assert_eq!(err.invalid_param_name(), None, "{err:?}");
            assert_eq!(err.invalid_param_reason(), None, "{err:?}");
        }
        for err in [&api, &invalid, &decode()].into_iter().chain(&others) {
            assert_eq!(err.transport_kind(), None, "{err:?}");
            assert_eq!(err.url(), None, "{err:?}");
        }
        for err in [&api, &invalid, &transport()].into_iter().chain(&others) {
            assert_eq!(err.body_prefix(), None, "{err:?}");
            assert_eq!(err.expected_type(), None, "{err:?}");
        }
    }

    /// An error with a message and an optional source, to build chains.
    #[derive(Debug)]
    struct Layer(&'static str, Option<Box<Layer>>);

    impl fmt::Display for Layer {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(self.0)
        }
    }

    impl std::error::Error for Layer {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            self.1
                .as_deref()
                .map(|e| e as &(dyn std::error::Error + 'static))
        }
    }

    fn chain(messages: &[&'static str]) -> BoxError {
        let mut error: Option<Box<Layer>> = None;
        for message in messages.iter().rev() {
            error = Some(Box::new(Layer(message, error)));
        }
        error.map_or_else(|| "empty".into(), |e| e as BoxError)
    }

    #[test]
    fn a_transport_error_shows_its_innermost_cause_on_one_line() {
        let dns = chain(&[
            "error sending request",
            "client error (Connect)",
            "dns error",
            "failed to lookup address information: Name or service not known",
        ]);
        assert!(is_dns_error(dns.as_ref()));
        let error = Error::Transport {
            kind: TransportKind::Connect,
            attempts: 1,
            url: "https://ecs.cn-hangzou.aliyuncs.com/".to_owned(),
            not_retried: None,
            dns_failure: true,
            derived_endpoint: true,
            source: dns,
        };
        assert_eq!(
            error.to_string(),
            "connect error sending to https://ecs.cn-hangzou.aliyuncs.com/: dns error: failed to \
             lookup address information: Name or service not known; the host is derived from \
             the client's product and region: check the region (`ClientBuilder::region`, \
             `ALIBABA_CLOUD_REGION_ID`); not retried"
        );
        assert!(error.is_dns_failure() && !error.is_retryable() && !error.may_have_run());

        // A generic wrapper is skipped; a message that repeats its cause is not doubled; a
        // newline is escaped.
        assert_eq!(
            transport_cause(&chain(&[
                "client error (Connect)",
                "Too many open files (os error 24)"
            ])),
            "Too many open files (os error 24)"
        );
        assert_eq!(
            transport_cause(&chain(&["io: broken pipe", "broken pipe"])),
            "io: broken pipe"
        );
        assert_eq!(
            transport_cause(&chain(&["tls handshake", "bad\ncert"])),
            "tls handshake: bad\\ncert"
        );
        assert!(!is_dns_error(
            chain(&["tcp connect error", "refused"]).as_ref()
        ));
    }
}

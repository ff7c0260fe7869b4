//! The parts of an error a program may look into: what kind of transport failure
//! ([`TransportKind`]), why a signature was refused ([`SignatureMismatch`]), a string that
//! names no enum value ([`ParseEnumError`]), and the boxed source ([`BoxError`]).
//!
//! The error every fallible call returns is [`crate::Error`]; an error answer from the
//! service is an [`crate::ApiError`] inside it.

use std::fmt;

use crate::untrusted::Escaped;

pub(crate) mod api;
mod decode;
pub(crate) mod variants;

pub(crate) use api::ApiError;
pub(crate) use decode::DecodeProblem;
pub(crate) use variants::Error;

/// A boxed error from a lower layer (I/O, TLS, HTTP, JSON, XML), kept as the `source`.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// The kind of a [`Error::Transport`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportKind {
    /// The TCP/TLS connection could not be made (refused, a DNS failure, a TLS handshake
    /// failure, the connect timeout): nothing was sent, so the request surely did not run.
    Connect,
    /// The attempt timeout passed: the request may have been sent, and may have run.
    Timeout,
    /// Anything else: reset mid-response, malformed HTTP, …: the request may have run.
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

/// Why a call that failed in a way worth retrying was not tried again before its attempt
/// limit: [`Error::not_retried`](crate::Error::not_retried). Its `Display` is part of the
/// error's.
///
/// ```
/// use std::time::Duration;
/// use aliyun_rpc::error::NotRetried;
///
/// let why = NotRetried::Deadline { wait: Duration::from_secs(5) };
/// assert_eq!(
///     why.to_string(),
///     "not retried: the next attempt would start after 5s, past the call's deadline"
/// );
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum NotRetried {
    /// The failure came after the request was sent ([`Error::may_have_run`](crate::Error::may_have_run)),
    /// and the request is not safe to repeat: it is not idempotent
    /// ([`Request::IDEMPOTENT`](crate::Request::IDEMPOTENT)) and carries no client token.
    /// It may have taken effect: check before calling again.
    MayHaveRun,
    /// The wait before the next attempt (the backoff, or the `TimeLeft` the server asked for,
    /// capped by [`RetryPolicy::max_delay`](crate::RetryPolicy::max_delay)) would end past
    /// the call's deadline ([`RetryPolicy::total_timeout`](crate::RetryPolicy::total_timeout)),
    /// so the call failed at once instead of sleeping into it.
    Deadline {
        /// The wait that did not fit.
        wait: std::time::Duration,
    },
}

impl fmt::Display for NotRetried {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotRetried::MayHaveRun => f.write_str(
                "not retried: the request may have run (it failed after it was sent), and it is \
                 not idempotent and has no client token; check whether it took effect before \
                 calling again",
            ),
            NotRetried::Deadline { wait } => write!(
                f,
                "not retried: the next attempt would start after {wait:?}, past the call's deadline"
            ),
        }
    }
}

/// The diagnosis of a `SignatureDoesNotMatch`, from the server's string to sign (Aliyun puts
/// it in the message after `server string to sign is:`), and for signature V3 its canonical
/// request (after ` server canonical request is:`, when the server sends it), and ours.
///
/// A server may echo a long string cut, marked from a `…` on (the emulator echoes the first
/// 2,048 bytes, then `…[N bytes in all]`); only the part it echoed is compared, so a cut echo
/// is never taken for a difference.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignatureMismatch {
    /// Both sides signed the same string: the access key secret is wrong.
    SameStringToSign,
    /// The strings to sign differ: something changed the request on the way, or was encoded
    /// differently.
    Differs {
        /// Byte offset of the first difference.
        position: usize,
        /// Our string to sign around that position.
        ours: String,
        /// The server's string to sign around that position.
        server: String,
    },
    /// Signature V3: the canonical requests differ (and so do the strings to sign, which are
    /// their hashes): something changed the request on the way, or was encoded differently.
    CanonicalRequestDiffers {
        /// Byte offset of the first difference.
        position: usize,
        /// The line it is on, from 1: 1 the method, 2 the path, 3 the query, then one line
        /// per signed header, an empty line, the signed header names and the body's hash.
        line: usize,
        /// Our canonical request around that position.
        ours: String,
        /// The server's canonical request around that position.
        server: String,
    },
    /// The server echoed only the start of its string to sign (v1) or canonical request
    /// (V3), and it equals ours: the difference lies beyond what it showed (for v1, the
    /// access key secret may also be wrong).
    BeyondEcho {
        /// How many bytes the server echoed.
        echoed: usize,
        /// Whether the echo was of the canonical request (V3) rather than the string to sign.
        canonical_request: bool,
    },
}

/// What comparing our string with a server's echo of its own found.
enum Comparison {
    /// The same, whole.
    Same,
    /// They differ at this byte.
    DiffersAt(usize),
    /// The echo was cut after this many bytes, which equal ours.
    SameAsFarAsEchoed(usize),
}

/// Compares `ours` with the server's `echo` of its string, which may be cut: from its first
/// `…` on it is the server's marker (the strings signed are ASCII on the wire, so `…` is never
/// part of one), and only what comes before is compared. Also returns that part.
fn compare<'s>(ours: &str, echo: &'s str) -> (Comparison, &'s str) {
    let (echoed, cut) = match echo.find('…') {
        Some(at) => (echo.get(..at).unwrap_or_default(), true),
        None => (echo, false),
    };
    let first = ours.bytes().zip(echoed.bytes()).position(|(a, b)| a != b);
    let comparison = match first {
        Some(position) => Comparison::DiffersAt(position),
        None if cut && ours.len() >= echoed.len() => Comparison::SameAsFarAsEchoed(echoed.len()),
        None if ours.len() == echoed.len() => Comparison::Same,
        None => Comparison::DiffersAt(ours.len().min(echoed.len())),
    };
    (comparison, echoed)
}

impl SignatureMismatch {
    /// Compares the two strings to sign (both already free of secrets); the server's may be
    /// a cut echo, marked from a `…` on.
    ///
    /// ```
    /// use aliyun_rpc::error::SignatureMismatch;
    ///
    /// assert_eq!(SignatureMismatch::diagnose("GET&%2F&A", "GET&%2F&A"), SignatureMismatch::SameStringToSign);
    /// assert!(matches!(
    ///     SignatureMismatch::diagnose("GET&%2F&A", "GET&%2F&B"),
    ///     SignatureMismatch::Differs { position: 8, .. }
    /// ));
    /// assert_eq!(
    ///     SignatureMismatch::diagnose("GET&%2F&A%3D1", "GET&%2F&A…[13 bytes in all]"),
    ///     SignatureMismatch::BeyondEcho { echoed: 9, canonical_request: false }
    /// );
    /// ```
    pub fn diagnose(ours: &str, server: &str) -> Self {
        match compare(ours, server) {
            (Comparison::Same, _) => SignatureMismatch::SameStringToSign,
            (Comparison::DiffersAt(position), echoed) => SignatureMismatch::Differs {
                position,
                ours: excerpt(ours, position),
                server: excerpt(echoed, position),
            },
            (Comparison::SameAsFarAsEchoed(echoed), _) => SignatureMismatch::BeyondEcho {
                echoed,
                canonical_request: false,
            },
        }
    }

    /// Signature V3: compares the strings to sign, and when they differ, the canonical
    /// requests, if the server sent its own (all already free of secrets). The server's
    /// canonical request may be a cut echo, marked from a `…` on.
    ///
    /// ```
    /// use aliyun_rpc::error::SignatureMismatch;
    ///
    /// let ours = "POST\n/\nRegionId=cn-hangzhou\nhost:ecs.aliyuncs.com\n\nhost\ne3b0";
    /// let server = "POST\n/\nRegionId=cn-beijing\nhost:ecs.aliyuncs.com\n\nhost\ne3b0";
    /// match SignatureMismatch::diagnose_v3("ACS3-HMAC-SHA256\n01", "ACS3-HMAC-SHA256\n02", ours, Some(server)) {
    ///     SignatureMismatch::CanonicalRequestDiffers { position, line, .. } => {
    ///         assert_eq!((position, line), (19, 3)); // in the query
    ///     }
    ///     other => panic!("{other:?}"),
    /// }
    /// assert_eq!(
    ///     SignatureMismatch::diagnose_v3("ACS3-HMAC-SHA256\n01", "ACS3-HMAC-SHA256\n01", ours, Some(server)),
    ///     SignatureMismatch::SameStringToSign
    /// );
    /// ```
    pub fn diagnose_v3(
        ours_string_to_sign: &str,
        server_string_to_sign: &str,
        ours_canonical_request: &str,
        server_canonical_request: Option<&str>,
    ) -> Self {
        if ours_string_to_sign == server_string_to_sign {
            return SignatureMismatch::SameStringToSign;
        }
        if let Some(server) = server_canonical_request {
            match compare(ours_canonical_request, server) {
                (Comparison::DiffersAt(position), echoed) => {
                    let line = 1 + ours_canonical_request
                        .as_bytes()
                        .iter()
                        .take(position)
                        .filter(|&&b| b == b'\n')
                        .count();
                    return SignatureMismatch::CanonicalRequestDiffers {
                        position,
                        line,
                        ours: excerpt(ours_canonical_request, position),
                        server: excerpt(echoed, position),
                    };
                }
                (Comparison::SameAsFarAsEchoed(echoed), _) => {
                    return SignatureMismatch::BeyondEcho {
                        echoed,
                        canonical_request: true,
                    };
                }
                // The same canonical requests hash to the same strings to sign: the server's
                // two echoes disagree, so compare what it signed.
                (Comparison::Same, _) => {}
            }
        }
        SignatureMismatch::diagnose(ours_string_to_sign, server_string_to_sign)
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
                "our string to sign differs from the server's at byte {position}: ours `{}`, server's `{}`",
                Escaped(ours),
                Escaped(server)
            ),
            SignatureMismatch::CanonicalRequestDiffers { position, line, ours, server } => write!(
                f,
                "our canonical request differs from the server's at byte {position} (line {line}): \
                 ours `{}`, server's `{}`",
                Escaped(ours),
                Escaped(server)
            ),
            SignatureMismatch::BeyondEcho { echoed, canonical_request: false } => write!(
                f,
                "the server showed only the first {echoed} bytes of its string to sign, which \
                 equal ours: the request differs after them, or the access key secret is wrong"
            ),
            SignatureMismatch::BeyondEcho { echoed, canonical_request: true } => write!(
                f,
                "the server showed only the first {echoed} bytes of its canonical request, which \
                 equal ours: the request differs after them"
            ),
        }
    }
}

/// A string that names no variant of a `#[derive(ParamValue)]` enum, from its `FromStr`.
///
/// ```
/// use aliyun_rpc::error::ParseEnumError;
/// use aliyun_rpc::ParamValue;
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

//! Every limit and timeout the runtime applies to what it reads, in one place: whatever comes
//! from a server or a file is bounded before it is believed, parsed or shown.
//!
//! | what | limit | where it applies |
//! | --- | --- | --- |
//! | an API answer's body | [`DEFAULT_MAX_RESPONSE_BYTES`] (16 MiB), set with [`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes) | every attempt of [`Client::call`](crate::Client::call) |
//! | a credentials document | [`CREDENTIALS_DOCUMENT_BYTES`] (64 KiB) | STS `AssumeRole` and `AssumeRoleWithOIDC` answers, every answer of the ECS metadata service, a credentials URI's answer, what an `External` command prints |
//! | a credentials file | [`CREDENTIALS_FILE_BYTES`] (1 MiB) within [`CREDENTIALS_FILE_TIMEOUT`] (5 s), regular files only | `~/.aliyun/config.json`, `~/.alibabacloud/credentials`, the OIDC token file (read at every refresh) |
//! | a fetch of credentials over HTTP | [`CREDENTIALS_CONNECT_TIMEOUT`] (5 s) to connect, [`CREDENTIALS_REQUEST_TIMEOUT`] (10 s) in all | STS `AssumeRoleWithOIDC`, a credentials URI |
//! | an `External` command | [`EXTERNAL_PROCESS_TIMEOUT`] (60 s, then killed), its standard error kept up to [`MAX_MESSAGE_BYTES`] | the CLI profile mode `External` |
//! | the clock offset learnt from a server's `Date` | ± [`MAX_CLOCK_SKEW`] (24 h) | skew correction after `InvalidTimeStamp.Expired` |
//! | a server's error `Message` and `Recommend`, a redirect's `Location` | [`MAX_MESSAGE_BYTES`] (1 KiB) | [`ApiError`](crate::ApiError) decoded from an answer, [`Error::Redirect`](crate::Error::Redirect) |
//! | a server's error `Code`, `RequestId` and `HostId` | [`MAX_CODE_BYTES`] (128 B) | [`ApiError`](crate::ApiError) decoded from an answer, errors of the metadata service |
//! | requests on the wire at once | [`DEFAULT_MAX_IN_FLIGHT`] (256), set with [`ClientBuilder::max_in_flight`](crate::ClientBuilder::max_in_flight); as many idle connections kept | every [`Client`](crate::Client) |
//! | the start of a body shown in an error | [`BODY_PREFIX_BYTES`] (512 B) | [`Error::Decode`](crate::Error::Decode), an error answer that is not Aliyun's |
//! | the pages of one listing | [`DEFAULT_MAX_PAGES`] (10 000), set with [`Pages::max_pages`](crate::client::Pages::max_pages) | [`Client::paginate`](crate::Client::paginate) |
//!
//! Timeouts: the connect timeout (5 s, [`ClientBuilder::connect_timeout`](crate::ClientBuilder::connect_timeout)),
//! the attempt timeout (10 s, [`ClientBuilder::attempt_timeout`](crate::ClientBuilder::attempt_timeout)),
//! the whole call's deadline and the longest wait between attempts (60 s and 10 s,
//! [`RetryPolicy`](crate::RetryPolicy)); the longest wait also caps any wait a server asks
//! for (`TimeLeft`), and a wait that cannot fit in the deadline fails the call at once. The
//! metadata service gets 1 s to connect and 5 s per request. Redirects are never followed.
//!
//! Text that a server sent is cut on a character boundary, with `…` where cut, and its
//! control characters (newlines, ANSI escapes, DEL, C1 controls, bidirectional overrides)
//! are escaped (`\n`, `\u{1b}`) when an error is displayed; the accessors
//! ([`ApiError::message`](crate::ApiError::message), …) give the cut text as it came.
//!
//! ```
//! use aliyun_rpc::limits;
//!
//! assert_eq!(limits::DEFAULT_MAX_RESPONSE_BYTES, 16 * 1024 * 1024);
//! assert!(limits::CREDENTIALS_DOCUMENT_BYTES < limits::DEFAULT_MAX_RESPONSE_BYTES);
//! assert_eq!(limits::MAX_CLOCK_SKEW.as_secs(), 24 * 3600);
//! ```

use std::fmt;
use std::time::Duration;

/// The default size limit of an API answer's body: 16 MiB, far above any real Aliyun answer
/// (a page of a hundred instances is well under 1 MiB); change it with
/// [`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes).
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;

/// The default number of requests one [`Client`](crate::Client) has on the wire at once:
/// 256 (set with [`ClientBuilder::max_in_flight`](crate::ClientBuilder::max_in_flight)).
/// Calls beyond it wait for a turn before they are sent; a retry's wait holds no turn.
///
/// Why 256: each request on the wire holds a socket, and the client keeps at most as many
/// idle connections as it may have busy ones, so one client holds at most 512 sockets, half
/// of the common `ulimit -n 1024`, leaving room for the program's own files. Without a bound, 1,000 tasks sharing
/// one client open 1,000 sockets at once, and under that limit some calls fail with "Too many
/// open files".
pub const DEFAULT_MAX_IN_FLIGHT: usize = 256;

/// The size limit of a credentials document: an STS `AssumeRole` answer or an answer of the
/// ECS metadata service (a few KiB at most).
pub const CREDENTIALS_DOCUMENT_BYTES: usize = 64 * 1024;

/// The size limit of a credentials file (`~/.aliyun/config.json`,
/// `~/.alibabacloud/credentials`); only regular files are read at all (not a FIFO, a device
/// or a directory).
pub const CREDENTIALS_FILE_BYTES: u64 = 1024 * 1024;

/// How long reading a credentials file may take (a file on a stuck network file system).
pub const CREDENTIALS_FILE_TIMEOUT: Duration = Duration::from_secs(5);

/// How long connecting may take when credentials are fetched over HTTP (STS
/// `AssumeRoleWithOIDC`, a credentials URI), as the official SDKs allow.
pub const CREDENTIALS_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// How long a whole fetch of credentials over HTTP may take, from sending the request to the
/// last byte of the answer (the official SDKs' read timeout).
pub const CREDENTIALS_REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// How long an `External` credentials command may run before it is killed (the official
/// SDKs' default); change it with
/// [`ExternalProcessProviderBuilder::timeout`](crate::credentials::ExternalProcessProviderBuilder::timeout).
pub const EXTERNAL_PROCESS_TIMEOUT: Duration = Duration::from_secs(60);

/// The largest clock offset the client accepts from a server's `Date` header when it
/// corrects for skew: 24 hours either way. A `Date` further off (a year 9999, a garbage
/// header) is not believed, and the `InvalidTimeStamp.Expired` error is returned as it came.
pub const MAX_CLOCK_SKEW: Duration = Duration::from_secs(24 * 3600);

/// The longest text kept from a server for an error message (an error answer's `Message`
/// and `Recommend`, a redirect's `Location`), in bytes: cut on a character boundary, with
/// `…` where cut.
pub const MAX_MESSAGE_BYTES: usize = 1024;

/// The longest short text kept from a server (an error answer's `Code`, `RequestId` and
/// `HostId`), in bytes, cut like [`MAX_MESSAGE_BYTES`].
pub const MAX_CODE_BYTES: usize = 128;

/// How much of a body an error shows ([`Error::Decode`](crate::Error::Decode), an error
/// answer that is not Aliyun's), in bytes.
pub const BODY_PREFIX_BYTES: usize = 512;

/// The body was longer than the limit; reading stopped there.
#[derive(Debug)]
pub(crate) enum BodyError {
    /// More than `limit` bytes (announced by `Content-Length`, or read).
    TooLarge { limit: usize },
    /// The connection failed while reading.
    Read(reqwest::Error),
}

impl fmt::Display for BodyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BodyError::TooLarge { limit } => {
                write!(f, "the answer's body exceeds the limit of {limit} bytes")
            }
            BodyError::Read(e) => write!(f, "reading the answer's body failed: {e}"),
        }
    }
}

/// Reads `response`'s whole body, failing as soon as it is known to exceed `limit` bytes
/// (from `Content-Length`, or after reading one chunk too many): memory stays within the
/// limit plus one chunk, however long the body.
pub(crate) async fn read_body(
    mut response: reqwest::Response,
    limit: usize,
) -> Result<bytes::Bytes, BodyError> {
    let announced = response.content_length();
    if announced.is_some_and(|n| n > limit as u64) {
        return Err(BodyError::TooLarge { limit });
    }
    // One chunk is often the whole body: it is kept as it came, without a copy.
    let mut first: Option<bytes::Bytes> = None;
    let mut joined = bytes::BytesMut::new();
    let mut total = 0usize;
    while let Some(chunk) = response.chunk().await.map_err(BodyError::Read)? {
        total = total.saturating_add(chunk.len());
        if total > limit {
            return Err(BodyError::TooLarge { limit });
        }
        if let Some(head) = first.take() {
            let expected = announced.map_or(total, |n| usize::try_from(n).unwrap_or(total));
            joined.reserve(expected.clamp(total, limit));
            joined.extend_from_slice(&head);
            joined.extend_from_slice(&chunk);
        } else if joined.is_empty() {
            first = Some(chunk);
        } else {
            joined.extend_from_slice(&chunk);
        }
    }
    Ok(first.unwrap_or_else(|| joined.freeze()))
}

/// The default bound on the pages of one listing
/// ([`Client::paginate`](crate::Client::paginate)): 10 000 pages, a million items at 100 a
/// page. A listing that goes on (a server that never ends it) fails with
/// [`Error::Pagination`](crate::Error::Pagination) rather than run forever; change it with
/// [`Pages::max_pages`](crate::client::Pages::max_pages).
pub const DEFAULT_MAX_PAGES: u32 = 10_000;

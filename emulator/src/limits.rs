//! Every bound the emulator puts on what a client sends, with its default: sizes, counts
//! and timeouts that keep one hostile client from starving the others. The configurable
//! ones are set on [`EmulatorBuilder`](crate::EmulatorBuilder); README's "Limits and
//! timeouts" lists them all.

use std::time::Duration;

/// The most `key=value` pairs a request may carry, query and form body together, a
/// repeated key counting each time; more is refused (`400 InvalidParameter`) before any
/// other check. Real calls send a few dozen; ECS's largest list params allow a few hundred.
pub const MAX_PARAMS: usize = 2048;

/// The largest request head (request line with its query, and the headers) the emulator
/// reads: 128 KiB; a larger one is answered `431 Request Header Fields Too Large` by the HTTP
/// layer and the connection closed. With [`MAX_PARAMS`] and the body limit, it bounds the
/// total size of a call's params.
pub const MAX_HEAD_BYTES: usize = 128 * 1024;

/// The longest `SignatureNonce` accepted, in bytes (`400 InvalidSignatureNonce` beyond).
/// Aliyun's SDKs send a UUID (36 bytes) or 32 hex digits.
pub const MAX_NONCE_LEN: usize = 128;

/// How much of its string to sign the emulator echoes in a `SignatureDoesNotMatch`
/// message, in bytes; a longer one is cut there and marked `…[N bytes in all]` (`…` never
/// occurs in a string to sign, which is ASCII). An unsigned 8 MiB body made a 40 MiB echo.
pub const STRING_TO_SIGN_ECHO_LIMIT: usize = 2048;

/// The largest clock skew [`Faults::clock_skew_secs`](crate::Faults::clock_skew_secs)
/// sets, either way: 100 years (of 365.25 days); a larger one is clamped to it, and the
/// binary refuses one (exit status 2). Every time computed from the emulator's clock then
/// stays far inside the calendar.
pub const MAX_CLOCK_SKEW_SECS: i64 = 36_525 * 24 * 60 * 60;

/// Default of [`EmulatorBuilder::max_body_bytes`](crate::EmulatorBuilder::max_body_bytes):
/// 1 MiB. RPC calls are a few KiB; a larger body is refused (`400 InvalidParameter`).
pub const DEFAULT_MAX_BODY_BYTES: usize = 1024 * 1024;

/// Default of
/// [`EmulatorBuilder::header_read_timeout`](crate::EmulatorBuilder::header_read_timeout):
/// a connection must deliver a whole request head within 15 s of the emulator starting to
/// wait for one — when it opens, and after each answer, so this is also the idle
/// keep-alive timeout. A slow (slowloris) or idle connection is closed then.
pub const DEFAULT_HEADER_READ_TIMEOUT: Duration = Duration::from_secs(15);

/// Default of
/// [`EmulatorBuilder::body_read_timeout`](crate::EmulatorBuilder::body_read_timeout):
/// a request's whole body must arrive within 15 s of its head, or the request is answered
/// `408 RequestTimeout` and the connection closed.
pub const DEFAULT_BODY_READ_TIMEOUT: Duration = Duration::from_secs(15);

/// Default of [`EmulatorBuilder::max_connections`](crate::EmulatorBuilder::max_connections):
/// at most 512 connections are served at once; more wait, unaccepted, in the listen
/// backlog until one closes (an idle one does after the header-read timeout).
pub const DEFAULT_MAX_CONNECTIONS: usize = 512;

/// The configurable limits of one emulator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Limits {
    pub(crate) max_body_bytes: usize,
    pub(crate) header_read_timeout: Duration,
    pub(crate) body_read_timeout: Duration,
    pub(crate) max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            header_read_timeout: DEFAULT_HEADER_READ_TIMEOUT,
            body_read_timeout: DEFAULT_BODY_READ_TIMEOUT,
            max_connections: DEFAULT_MAX_CONNECTIONS,
        }
    }
}

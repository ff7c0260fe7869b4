//! Every bound the emulator puts on what a client sends, with its default: sizes, counts
//! and timeouts that keep one hostile client from starving the others. The configurable
//! ones are set on [`EmulatorBuilder`](crate::EmulatorBuilder); README's "Limits and
//! timeouts" lists them all.

/// The most `key=value` pairs a request may carry, query and form body together, a
/// repeated key counting each time; more is refused (`400 InvalidParameter`) before any
/// other check. Real calls send a few dozen; ECS's largest list params allow a few hundred.
pub const MAX_PARAMS: usize = 2048;

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

/// The configurable limits of one emulator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Limits {
    pub(crate) max_body_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
        }
    }
}

//! [`Client`]: the handle every call goes through, and what it shares between calls.

use std::fmt;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use reqwest::header::HeaderValue;
use time::OffsetDateTime;

use super::settings::Settings;
use crate::keys::ProvideCredentials;

/// Calls Aliyun RPC APIs. Cheap to clone (an `Arc` inside); one connection pool per builder.
///
/// **It needs Tokio**: its calls run on the Tokio runtime they are awaited in (reqwest's
/// connections and timers are Tokio's), `#[tokio::main]` or a Tokio task. Awaited under
/// another executor (`futures::executor::block_on`, async-std, smol), a call sends nothing
/// and returns an [`Error::Config`](crate::Error::Config) saying so, instead of reqwest's
/// panic "there is no reactor running". A program without an async runtime uses
/// `aliyun_rpc::blocking::Client` (feature `blocking`), which brings its own.
///
/// ```no_run
/// # async fn run() -> Result<(), aliyun_rpc::Error> {
/// use aliyun_rpc::{Client, Credentials, Format};
///
/// let client = Client::builder()
///     .region("cn-hangzhou")
///     .credentials(Credentials::new("LTAI5tExample", "secret"))
///     .format(Format::Json)
///     .build()?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    pub(super) inner: Arc<Inner>,
}

pub(super) struct Inner {
    pub(super) http: reqwest::Client,
    pub(super) credentials: Arc<dyn ProvideCredentials>,
    pub(super) settings: Settings,
    /// Server time minus local time, in seconds, learnt from `InvalidTimeStamp.Expired`.
    pub(super) clock_offset: AtomicI64,
    /// One permit per request on the wire ([`ClientBuilder::max_in_flight`](crate::ClientBuilder::max_in_flight)).
    pub(super) in_flight: Arc<tokio::sync::Semaphore>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("credentials", &self.inner.credentials)
            .field("settings", &self.inner.settings)
            .field(
                "clock_offset_secs",
                &self.inner.clock_offset.load(Ordering::Relaxed),
            )
            .finish_non_exhaustive()
    }
}

impl Client {
    /// The region calls go to, if set.
    pub fn region(&self) -> Option<&str> {
        self.inner.settings.region.as_deref()
    }

    /// The learnt difference between the server's clock and ours (server minus local).
    pub fn clock_offset(&self) -> time::Duration {
        time::Duration::seconds(self.inner.clock_offset.load(Ordering::Relaxed))
    }

    /// Now, by the server's clock as far as we know it. The offset is bounded (see
    /// [`MAX_CLOCK_SKEW`](crate::limits::MAX_CLOCK_SKEW)), and a local clock so close to
    /// the calendar's end that the sum does not exist gets no correction rather than a panic.
    pub(super) fn now(&self) -> OffsetDateTime {
        now_with_offset(OffsetDateTime::now_utc(), self.clock_offset())
    }
}

/// An [`Error::Config`](crate::Error::Config) unless a Tokio runtime is running on this
/// thread: reqwest needs Tokio's reactor and timers, and under another executor it would
/// panic ("there is no reactor running").
pub(super) fn require_tokio() -> Result<(), crate::Error> {
    if tokio::runtime::Handle::try_current().is_ok() {
        return Ok(());
    }
    Err(crate::Error::config(
        "the async client needs a Tokio runtime, and none is running on this thread: call it \
         from `#[tokio::main]` or a Tokio task, or use `aliyun_rpc::blocking::Client` (feature \
         `blocking`) from synchronous code",
    ))
}

/// `now + offset`, or `now` where that is not a date `time` can hold.
fn now_with_offset(now: OffsetDateTime, offset: time::Duration) -> OffsetDateTime {
    now.checked_add(offset).unwrap_or(now)
}

/// A header's value as text, or `""`.
pub(super) fn header_str(value: Option<&HeaderValue>) -> &str {
    value.and_then(|v| v.to_str().ok()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    #[test]
    fn an_offset_past_the_calendar_is_not_applied() {
        let day = time::Duration::days(1);
        let end = datetime!(9999-12-31 23:00:00 UTC);
        assert_eq!(now_with_offset(end, day), end);
        assert_eq!(
            now_with_offset(end, -day),
            datetime!(9999-12-30 23:00:00 UTC)
        );
        let start = datetime!(-9999-01-01 01:00:00 UTC);
        assert_eq!(now_with_offset(start, -day), start);
    }
}

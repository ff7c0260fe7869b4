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

    /// Now, by the server's clock as far as we know it.
    pub(super) fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc() + self.clock_offset()
    }
}

/// A header's value as text, or `""`.
pub(super) fn header_str(value: Option<&HeaderValue>) -> &str {
    value.and_then(|v| v.to_str().ok()).unwrap_or_default()
}

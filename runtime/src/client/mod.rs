//! The client: a [`Client`] handle, built by a [`ClientBuilder`]; each call is checked once,
//! then signed, sent and decoded per attempt, with retries.
//!
//! One concept per file: `builder.rs` (settings, environment bootstrap), `prepare.rs` (the
//! one place a request is signed), `call.rs` (the retry and clock-skew loop, its tracing),
//! `transport.rs` (the HTTP exchange), `prepared.rs` ([`PreparedRequest`]).

use std::fmt;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use reqwest::header::HeaderValue;
use time::OffsetDateTime;

use crate::keys::ProvideCredentials;

mod builder;
mod call;
mod prepare;
mod prepared;
mod transport;

pub use builder::ClientBuilder;
use builder::Settings;
pub use prepared::PreparedRequest;

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
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    credentials: Arc<dyn ProvideCredentials>,
    settings: Settings,
    /// Server time minus local time, in seconds, learnt from `InvalidTimeStamp.Expired`.
    clock_offset: AtomicI64,
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
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc() + self.clock_offset()
    }
}

/// A header's value as text, or `""`.
fn header_str(value: Option<&HeaderValue>) -> &str {
    value.and_then(|v| v.to_str().ok()).unwrap_or_default()
}

//! Caching for temporary credentials: refresh ahead of expiry, one refresh at a time.

use std::fmt;

use time::OffsetDateTime;
use tokio::sync::Mutex;

use super::{BoxFuture, Credentials, ProvideCredentials, REFRESH_MARGIN};
use crate::error::Error;

/// Caches what an inner provider returns until 180 s before it expires.
///
/// Concurrent callers that find the cache stale wait for one refresh and share its result,
/// so 50 calls at the moment of expiry make one request to STS or the metadata service.
/// Credentials without an expiry are cached for good.
pub struct CachedProvider<P> {
    inner: P,
    cached: Mutex<Option<Credentials>>,
}

impl<P> CachedProvider<P> {
    /// Caches `inner`.
    pub fn new(inner: P) -> Self {
        CachedProvider {
            inner,
            cached: Mutex::new(None),
        }
    }
}

impl<P: fmt::Debug> fmt::Debug for CachedProvider<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CachedProvider")
            .field("inner", &self.inner)
            .finish_non_exhaustive()
    }
}

/// Whether `creds` outlive `now` by the refresh margin (checked: a clock at the calendar's
/// end makes them stale, not a panic).
fn fresh(creds: &Credentials, now: OffsetDateTime) -> bool {
    creds.expiration().is_none_or(|exp| {
        time::Duration::try_from(REFRESH_MARGIN)
            .ok()
            .and_then(|margin| now.checked_add(margin))
            .is_some_and(|soon| soon < exp)
    })
}

impl<P: ProvideCredentials> ProvideCredentials for CachedProvider<P> {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, Error>> {
        Box::pin(async move {
            // Holding the lock across the refresh is what makes concurrent callers share it.
            let mut cached = self.cached.lock().await;
            if let Some(creds) = cached
                .as_ref()
                .filter(|c| fresh(c, OffsetDateTime::now_utc()))
            {
                return Ok(creds.clone());
            }
            let creds = self.inner.provide_credentials().await?;
            tracing::info!(
                target: "aliyun_rpc::credentials",
                provider = ?self.inner,
                access_key_id = creds.access_key_id(),
                expiration = ?creds.expiration(),
                "refreshed credentials"
            );
            *cached = Some(creds.clone());
            Ok(creds)
        })
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    #[test]
    fn freshness_near_the_calendars_end_does_not_panic() {
        let creds = Credentials::new("id", "secret");
        let end = datetime!(9999-12-31 23:59:59 UTC);
        let almost = datetime!(9999-12-31 23:58:00 UTC);
        assert!(!fresh(&creds.clone().with_expiration(end), almost));
        assert!(fresh(
            &creds.clone().with_expiration(end),
            datetime!(9999-12-31 23:00:00 UTC)
        ));
        assert!(fresh(&creds, end));
    }
}

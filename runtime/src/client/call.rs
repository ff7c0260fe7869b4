//! [`Client::call`]: one call from validation to its decoded answer, attempt after attempt
//! by the client's [`RetryPolicy`](crate::RetryPolicy), correcting for a skewed clock once,
//! with a tracing span per call and per attempt.

use std::sync::atomic::Ordering;
use std::time::{Instant, SystemTime};

use reqwest::header::HeaderValue;
use tracing::Instrument as _;

use super::handle::require_tokio;
use super::prepare::{fresh_client_token, Call};
use super::{header_str, Client};
use crate::error::{Error, NotRetried};
use crate::limits::MAX_CLOCK_SKEW;
use crate::request::Request;
use crate::response;

impl Client {
    /// Validates, signs, sends and decodes one call, retrying by the client's
    /// [`RetryPolicy`](crate::RetryPolicy).
    ///
    /// A failure after which the request surely did not run (a refused connection,
    /// throttling) is retried for any request; one after which it may have run (a timeout
    /// after sending, a reset connection, a 5xx; see [`Error::may_have_run`]) only for a
    /// request that is safe to repeat: [idempotent](Request::IDEMPOTENT), or with a client
    /// token. Otherwise the call fails at once, and its error says the request may have run
    /// ([`NotRetried::MayHaveRun`](crate::error::NotRetried::MayHaveRun)).
    ///
    /// A validation error sends nothing. Every attempt gets fresh credentials from the
    /// provider, a fresh nonce and timestamp, and a new signature; a `#[rpc(client_token)]`
    /// left unset gets one token for the whole call. On `InvalidTimeStamp.Expired` the client
    /// learns the server's clock from its `Date` header and retries once; later calls use the
    /// corrected time. A `Date` more than [`MAX_CLOCK_SKEW`](crate::limits::MAX_CLOCK_SKEW)
    /// (24 h) away from the local clock is not believed: the error is returned as it came. An error answer comes back as [`Error::Api`] with the service's `Code`,
    /// `Message`, `RequestId` and the number of attempts; a `SignatureDoesNotMatch` also says
    /// whether the secret is wrong or the request was changed on the way.
    pub async fn call<R: Request>(&self, request: &R) -> Result<R::Response, Error> {
        require_tokio()?;
        let call = Call::new(self, request, fresh_client_token)?;
        let inner = &*self.inner;
        let started = Instant::now();
        // A deadline too far to be an `Instant` is no deadline.
        let deadline = inner
            .settings
            .retry
            .deadline()
            .and_then(|d| started.checked_add(d));
        let span = tracing::info_span!(
            "aliyun_rpc.call",
            product = R::PRODUCT,
            action = R::ACTION,
            version = R::VERSION,
            region = inner.settings.region.as_deref().unwrap_or(""),
            host = host_of(call.base()),
        );
        let mut last = AttemptInfo::default();
        let mut attempt = 0u32;
        let result = async {
            let mut skew_corrected = false;
            loop {
                attempt += 1;
                let attempt_span = tracing::debug_span!("aliyun_rpc.attempt", attempt);
                let outcome = self
                    .attempt(&call, &mut last)
                    .instrument(attempt_span)
                    .await;
                let mut error = match outcome {
                    Ok(response) => return Ok(response),
                    Err(e) => e,
                };
                let skewed = !skew_corrected && error.code() == Some("InvalidTimeStamp.Expired");
                if skewed {
                    match error_server_offset(&error) {
                        Some(Ok(offset)) => {
                            inner.clock_offset.store(offset, Ordering::Relaxed);
                            skew_corrected = true;
                            tracing::warn!(
                                offset_secs = offset,
                                "timestamp rejected: correcting for the server's clock"
                            );
                            continue;
                        }
                        Some(Err(())) => tracing::warn!(
                            max_skew_secs = MAX_CLOCK_SKEW.as_secs(),
                            "timestamp rejected, but the server's Date is further off than the \
                             skew the client corrects for: not corrected"
                        ),
                        None => {}
                    }
                }
                let retry = &inner.settings.retry;
                let asked = error.as_api().and_then(|api| api.retry_after());
                let wait = retry.wait(attempt, asked);
                if !error.is_retryable() || attempt >= retry.attempt_limit() {
                    error.set_attempts(attempt);
                    return Err(error);
                }
                // A failure after which the request may have run is retried only if running
                // it twice is harmless: two `RunInstances` are two bills.
                if error.may_have_run() && !call.safe_to_repeat() {
                    error.set_attempts(attempt);
                    error.set_not_retried(NotRetried::MayHaveRun);
                    tracing::info!(
                        attempt,
                        code = error.code().unwrap_or(""),
                        error = %error,
                        "not retrying: the request may have run and is not safe to repeat"
                    );
                    return Err(error);
                }
                let out_of_time = deadline.is_some_and(|d| {
                    Instant::now()
                        .checked_add(wait)
                        .is_none_or(|next| next >= d)
                });
                if out_of_time {
                    error.set_attempts(attempt);
                    error.set_not_retried(NotRetried::Deadline { wait });
                    return Err(error);
                }
                tracing::info!(
                    attempt,
                    code = error.code().unwrap_or(""),
                    error = %error,
                    wait_ms = wait.as_millis() as u64,
                    "retrying"
                );
                tokio::time::sleep(wait).await;
            }
        }
        .instrument(span.clone())
        .await;
        let _entered = span.enter();
        let latency_ms = started.elapsed().as_millis() as u64;
        let request_id = last.request_id();
        let status = last.status.unwrap_or(0);
        match &result {
            Ok(_) => tracing::debug!(
                attempts = attempt,
                status,
                request_id,
                latency_ms,
                "call succeeded"
            ),
            Err(e) => tracing::debug!(
                attempts = attempt,
                status,
                request_id,
                latency_ms,
                code = e.code().unwrap_or(""),
                error = %e,
                "call failed"
            ),
        }
        result
    }

    /// One attempt: sign (fresh credentials, nonce and time), send, decode.
    async fn attempt<R: Request>(
        &self,
        call: &Call<'_, R>,
        last: &mut AttemptInfo,
    ) -> Result<R::Response, Error> {
        *last = AttemptInfo::default();
        let prepared = call.next_attempt().await?;
        let answer = self.send(&prepared).await?;
        last.status = Some(answer.status);
        let result = if (300..400).contains(&answer.status) {
            let location = answer
                .location
                .as_ref()
                .map(|l| String::from_utf8_lossy(l.as_bytes()));
            let location = location.as_deref().map(|l| prepared.redact(l));
            Err(Error::redirect(
                prepared.url_without_query(),
                answer.status,
                location.as_deref(),
            ))
        } else if (200..300).contains(&answer.status) {
            last.request_id = answer.request_id;
            response::decode(prepared.format, answer.status, &answer.body)
                .map_err(|e| prepared.redact_error(e))
        } else {
            let mut error = prepared.api_error(answer.status, &answer.body);
            error.set_retry_after(answer.retry_after);
            error.set_server_date(httpdate::parse_http_date(header_str(answer.date.as_ref())).ok());
            last.request_id = error
                .request_id()
                .and_then(|id| HeaderValue::from_str(id).ok())
                .or(answer.request_id);
            Err(error.into())
        };
        tracing::debug!(
            status = answer.status,
            request_id = last.request_id(),
            "answered"
        );
        result
    }
}

/// The `host[:port]` of a URL.
fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    rest.split(['/', '?']).next().unwrap_or(rest)
}

/// What the last attempt learnt, for the call's closing event.
#[derive(Default)]
struct AttemptInfo {
    status: Option<u16>,
    request_id: Option<HeaderValue>,
}

impl AttemptInfo {
    fn request_id(&self) -> &str {
        header_str(self.request_id.as_ref())
    }
}

/// Server time minus local time, in whole seconds, from the `Date` of an error answer:
/// `None` without one, `Err` when it is further off than [`MAX_CLOCK_SKEW`].
fn error_server_offset(error: &Error) -> Option<Result<i64, ()>> {
    let date = error.as_api()?.server_date()?;
    Some(skew_offset(date, SystemTime::now()))
}

/// `server - local` in whole seconds, if within [`MAX_CLOCK_SKEW`]. Plain `SystemTime`
/// arithmetic, which cannot overflow: any `Date` a server sends is safe here.
fn skew_offset(server: SystemTime, local: SystemTime) -> Result<i64, ()> {
    let (ahead, by) = match server.duration_since(local) {
        Ok(by) => (true, by),
        Err(behind) => (false, behind.duration()),
    };
    if by > MAX_CLOCK_SKEW {
        return Err(());
    }
    let secs = i64::try_from(by.as_secs()).map_err(|_| ())?;
    Ok(if ahead { secs } else { -secs })
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn skew_is_accepted_within_the_bound_only() {
        let local = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let at = |secs: i64| {
            let by = Duration::from_secs(secs.unsigned_abs());
            if secs >= 0 {
                local + by
            } else {
                local - by
            }
        };
        let bound = i64::try_from(MAX_CLOCK_SKEW.as_secs()).unwrap_or(i64::MAX);
        assert_eq!(skew_offset(at(3600), local), Ok(3600));
        assert_eq!(skew_offset(at(-1800), local), Ok(-1800));
        assert_eq!(skew_offset(at(bound), local), Ok(bound));
        assert_eq!(skew_offset(at(-bound), local), Ok(-bound));
        assert_eq!(skew_offset(at(bound + 1), local), Err(()));
        assert_eq!(skew_offset(at(-bound - 1), local), Err(()));
        // Year 9999 and the epoch itself.
        assert_eq!(
            skew_offset(at(253_402_300_799 - 1_700_000_000), local),
            Err(())
        );
        assert_eq!(skew_offset(SystemTime::UNIX_EPOCH, local), Err(()));
    }
}

//! When and how long to wait before trying a call again.

use std::time::Duration;

use crate::wire;

/// Retries with exponential backoff and full jitter, on by default.
///
/// An attempt is retried when its error [`is_retryable`](crate::Error::is_retryable):
/// connect errors and timeouts, HTTP 5xx, and the codes `Throttling`, `Throttling.User`,
/// `Throttling.Api`, `ServiceUnavailable`, `InternalError`, `UnknownError` and
/// `SignatureNonceUsed`. Other 4xx answers are never retried. A failure after which the
/// request may have run ([`may_have_run`](crate::Error::may_have_run): a timeout after
/// sending, a reset connection, a 5xx) is retried only for a request that is safe to repeat —
/// [idempotent](crate::Request::IDEMPOTENT) (a read, by default) or carrying a client token;
/// connect failures and throttling are retried for every request. Every attempt is signed
/// again with a fresh nonce and timestamp.
///
/// The wait before attempt `n + 1` is a random duration in `[0, min(max_delay, base_delay × 2ⁿ⁻¹)]`,
/// but never less than what Aliyun's `x-ratelimit-user-api` / `x-ratelimit-user` headers ask
/// for (`TimeLeft:<ms>`, the larger of the two), itself capped by `max_delay`: a server
/// cannot make the client sleep longer than that. When the wait would end past the call's
/// deadline, the call fails at once, and its error says so
/// ([`NotRetried::Deadline`](crate::error::NotRetried::Deadline)).
///
/// ```
/// use std::time::Duration;
/// use aliyun_rpc::RetryPolicy;
///
/// let patient = RetryPolicy::default()
///     .max_attempts(5)
///     .base_delay(Duration::from_millis(50))
///     .max_delay(Duration::from_secs(2))
///     .total_timeout(Duration::from_secs(30));
/// assert_ne!(patient, RetryPolicy::default());
/// assert_eq!(RetryPolicy::none(), RetryPolicy::default().max_attempts(1));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    base_delay: Duration,
    max_delay: Duration,
    total_timeout: Option<Duration>,
}

impl Default for RetryPolicy {
    /// 3 attempts in all, base delay 200 ms, at most 10 s between attempts, 60 s per call.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(10),
            total_timeout: Some(Duration::from_secs(60)),
        }
    }
}

impl RetryPolicy {
    /// One attempt, no retries.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// Attempts in all, including the first (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The backoff before the second attempt; it doubles for each attempt after.
    pub fn base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// The longest wait between two attempts (default 10 s), whether the backoff or a wait the
    /// server asks for (`TimeLeft`).
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// The deadline for a whole call, all attempts and waits included.
    pub fn total_timeout(mut self, timeout: Duration) -> Self {
        self.total_timeout = Some(timeout);
        self
    }

    /// No deadline for the whole call (each attempt still has its timeouts).
    pub fn no_total_timeout(mut self) -> Self {
        self.total_timeout = None;
        self
    }

    /// Attempts in all, including the first.
    pub(crate) fn attempt_limit(&self) -> u32 {
        self.max_attempts
    }

    pub(crate) fn deadline(&self) -> Option<Duration> {
        self.total_timeout
    }

    /// The wait after failed attempt number `attempt` (1-based): the backoff, or what the
    /// server asked for if longer, never more than `max_delay`.
    pub(crate) fn wait(&self, attempt: u32, asked: Option<Duration>) -> Duration {
        let backoff = self.backoff(attempt);
        asked.map_or(backoff, |asked| asked.min(self.max_delay).max(backoff))
    }

    /// The backoff after failed attempt number `attempt` (1-based): full jitter.
    pub(crate) fn backoff(&self, attempt: u32) -> Duration {
        let exp = self.base_delay.saturating_mul(
            1u32.checked_shl(attempt.saturating_sub(1))
                .unwrap_or(u32::MAX),
        );
        let ceiling = exp.min(self.max_delay);
        ceiling.mul_f64(fastrand::f64())
    }
}

/// The wait Aliyun asks for in its rate-limit headers, e.g.
/// `x-ratelimit-user-api: Limit:100,Remain:0,TimeLeft:1500,Reset:1700000000000`.
/// The larger of `x-ratelimit-user-api` and `x-ratelimit-user` wins.
pub(crate) fn rate_limit_wait(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    [wire::X_RATELIMIT_USER_API, wire::X_RATELIMIT_USER]
        .iter()
        .filter_map(|name| headers.get(*name)?.to_str().ok())
        .filter_map(time_left)
        .max()
}

fn time_left(value: &str) -> Option<Duration> {
    value.split(',').find_map(|part| {
        let (key, ms) = part.trim().split_once(':')?;
        (key.trim() == "TimeLeft")
            .then(|| ms.trim().parse::<u64>().ok())
            .flatten()
            .map(Duration::from_millis)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_left_parses_aliyun_header() {
        assert_eq!(
            time_left("Limit:100,Remain:0,TimeLeft:1500,Reset:17"),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(time_left("TimeLeft: 20"), Some(Duration::from_millis(20)));
        assert_eq!(time_left("Limit:100,Remain:3"), None);
        assert_eq!(time_left("TimeLeft:soon"), None);
    }

    #[test]
    fn larger_header_wins() {
        let mut h = reqwest::header::HeaderMap::new();
        h.insert(
            "x-ratelimit-user-api",
            reqwest::header::HeaderValue::from_static("Limit:1,Remain:0,TimeLeft:300"),
        );
        h.insert(
            "x-ratelimit-user",
            reqwest::header::HeaderValue::from_static("Limit:9,Remain:0,TimeLeft:700"),
        );
        assert_eq!(rate_limit_wait(&h), Some(Duration::from_millis(700)));
        assert_eq!(rate_limit_wait(&reqwest::header::HeaderMap::new()), None);
    }

    #[test]
    fn a_servers_wait_is_capped_by_max_delay() {
        let p = RetryPolicy::default()
            .base_delay(Duration::from_millis(1))
            .max_delay(Duration::from_millis(50));
        for asked in [
            Duration::from_millis(999_999_999),
            Duration::from_millis(u64::MAX),
            Duration::MAX,
        ] {
            assert_eq!(p.wait(1, Some(asked)), Duration::from_millis(50));
        }
        assert_eq!(
            p.wait(1, Some(Duration::from_millis(30))),
            Duration::from_millis(30)
        );
        assert!(p.wait(1, None) <= Duration::from_millis(1));
        assert_eq!(
            time_left("TimeLeft:18446744073709551615"),
            Some(Duration::from_millis(u64::MAX))
        );
    }

    #[test]
    fn backoff_stays_under_the_exponential_ceiling() {
        let p = RetryPolicy::default()
            .base_delay(Duration::from_millis(100))
            .max_delay(Duration::from_millis(350));
        for _ in 0..200 {
            assert!(p.backoff(1) <= Duration::from_millis(100));
            assert!(p.backoff(2) <= Duration::from_millis(200));
            assert!(p.backoff(3) <= Duration::from_millis(350));
            assert!(p.backoff(40) <= Duration::from_millis(350));
        }
        // Full jitter: spread over the whole range, not a fixed delay.
        let waits: std::collections::BTreeSet<Duration> = (0..50).map(|_| p.backoff(3)).collect();
        assert!(waits.len() > 10);
    }
}

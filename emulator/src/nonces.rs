//! The `SignatureNonce` stores: the replay check's memory ([`NonceCache`]) and the ledger
//! of every nonce that arrived ([`NonceLedger`]), both bounded by the timestamp window.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use time::OffsetDateTime;

/// A call reused a nonce its access key already used (Aliyun's `SignatureNonceUsed`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NonceUsed;

/// The `SignatureNonce`s seen per access key, kept while a replay could still pass the
/// timestamp check: an entry whose `Timestamp` is older than the window is dropped, since
/// a request carrying that timestamp is refused as expired anyway.
#[derive(Debug)]
pub(crate) struct NonceCache {
    window: Duration,
    seen: HashMap<(String, String), OffsetDateTime>,
    prune_at_len: usize,
}

/// Below this many entries the cache is not swept; above it, sweeps are amortized.
const MIN_PRUNE_LEN: usize = 1024;

impl NonceCache {
    pub(crate) fn new(window: Duration) -> Self {
        NonceCache {
            window,
            seen: HashMap::new(),
            prune_at_len: MIN_PRUNE_LEN,
        }
    }

    /// Refuses `nonce` if `access_key_id` already used it; records it otherwise, with the
    /// `timestamp` of the call that carried it.
    pub(crate) fn check_and_record(
        &mut self,
        access_key_id: &str,
        nonce: &str,
        timestamp: OffsetDateTime,
        now: OffsetDateTime,
    ) -> Result<(), NonceUsed> {
        if self.seen.len() >= self.prune_at_len {
            self.prune(now);
        }
        let key = (access_key_id.to_owned(), nonce.to_owned());
        if self.seen.contains_key(&key) {
            return Err(NonceUsed);
        }
        self.seen.insert(key, timestamp);
        Ok(())
    }

    /// Drops the entries no replay can reach any more.
    pub(crate) fn prune(&mut self, now: OffsetDateTime) {
        let window = self.window;
        self.seen.retain(|_, timestamp| *timestamp + window >= now);
        self.prune_at_len = (self.seen.len() * 2).max(MIN_PRUNE_LEN);
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.seen.len()
    }
}

/// Every `SignatureNonce` that arrived on `/`, whatever became of the request (refused,
/// faulted, answered), across all access keys: for [`reuse_count`](Self::reuse_count),
/// which lets a client's tests assert it never reuses a nonce. A nonce is remembered for
/// the timestamp window after it was last seen (so the set stays bounded).
#[derive(Debug)]
pub(crate) struct NonceLedger {
    window: Duration,
    seen: HashMap<String, Instant>,
    prune_at_len: usize,
    reused: u64,
}

impl NonceLedger {
    pub(crate) fn new(window: Duration) -> Self {
        NonceLedger {
            window,
            seen: HashMap::new(),
            prune_at_len: MIN_PRUNE_LEN,
            reused: 0,
        }
    }

    /// Notes `nonce`; counts it as reused if it was seen before.
    pub(crate) fn record(&mut self, nonce: &str, now: Instant) {
        if self.seen.len() >= self.prune_at_len {
            let window = self.window;
            self.seen
                .retain(|_, at| now.saturating_duration_since(*at) <= window);
            self.prune_at_len = (self.seen.len() * 2).max(MIN_PRUNE_LEN);
        }
        if self.seen.insert(nonce.to_owned(), now).is_some() {
            self.reused += 1;
        }
    }

    pub(crate) fn reuse_count(&self) -> u64 {
        self.reused
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const FIFTEEN_MINUTES: Duration = Duration::from_secs(15 * 60);
    const NOW: OffsetDateTime = datetime!(2016-02-23 12:50:00 UTC);
    /// The documented vector's key, nonce and `Timestamp` (DESIGN.md, "Documented check").
    const KEY: &str = "testid";
    const NONCE: &str = "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf";
    const SIGNED_AT: OffsetDateTime = datetime!(2016-02-23 12:46:24 UTC);

    #[test]
    fn nonce_replay_is_refused_and_cache_is_bounded() {
        let mut cache = NonceCache::new(FIFTEEN_MINUTES);
        assert_eq!(cache.check_and_record(KEY, NONCE, SIGNED_AT, NOW), Ok(()));
        assert_eq!(
            cache.check_and_record(KEY, NONCE, SIGNED_AT, NOW),
            Err(NonceUsed)
        );
        assert_eq!(cache.len(), 1);
        cache.prune(datetime!(2016-02-23 13:01:24 UTC));
        assert_eq!(cache.len(), 1, "still inside the window");
        cache.prune(datetime!(2016-02-23 13:01:25 UTC));
        assert_eq!(
            cache.len(),
            0,
            "outside the window: a replay fails as expired"
        );
    }

    #[test]
    fn ledger_counts_every_reuse() {
        let mut ledger = NonceLedger::new(FIFTEEN_MINUTES);
        let now = Instant::now();
        ledger.record("a", now);
        ledger.record("b", now);
        ledger.record("a", now);
        ledger.record("a", now);
        assert_eq!(ledger.reuse_count(), 2);
    }

    #[test]
    fn nonces_are_per_access_key() {
        let mut cache = NonceCache::new(FIFTEEN_MINUTES);
        cache.check_and_record(KEY, NONCE, SIGNED_AT, NOW).unwrap();
        assert_eq!(
            cache.check_and_record("other", NONCE, SIGNED_AT, NOW),
            Ok(())
        );
    }
}

//! The `SignatureNonce` stores: the replay check's memory ([`NonceCache`]) and the ledger
//! of the nonces of signed requests ([`NonceLedger`]), both swept by time (the timestamp
//! window) and by size, with saturating time arithmetic.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use time::OffsetDateTime;

/// A call reused a nonce its access key already used (Aliyun's `SignatureNonceUsed`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NonceUsed;

/// Below this many entries a store is swept only by time; above it, also by size, with
/// sweeps amortized (the next one when the store has doubled).
const MIN_PRUNE_LEN: usize = 1024;
/// Stores are swept at least this often, however few entries they hold.
const MIN_SWEEP_INTERVAL: Duration = Duration::from_secs(1);

/// How often a store remembering things for `window` sweeps: twice per window, so nothing
/// stays longer than 1.5 windows.
fn sweep_interval(window: Duration) -> Duration {
    (window / 2).max(MIN_SWEEP_INTERVAL)
}

/// `window` as a signed duration for calendar arithmetic (saturating: a window too long
/// for it is "forever").
fn signed(window: Duration) -> time::Duration {
    time::Duration::try_from(window).unwrap_or(time::Duration::MAX)
}

/// The `SignatureNonce`s seen per access key, kept while a replay could still pass the
/// timestamp check: an entry whose `Timestamp` is older than the window is dropped, since
/// a request carrying that timestamp is refused as expired anyway. Only requests whose
/// signature verified get here, so every entry is a real call's.
#[derive(Debug)]
pub(crate) struct NonceCache {
    window: Duration,
    /// `(access key id, nonce)` → when a replay would be refused as expired anyway.
    seen: HashMap<(String, String), OffsetDateTime>,
    prune_at_len: usize,
    next_sweep: Option<OffsetDateTime>,
}

impl NonceCache {
    pub(crate) fn new(window: Duration) -> Self {
        NonceCache {
            window,
            seen: HashMap::new(),
            prune_at_len: MIN_PRUNE_LEN,
            next_sweep: None,
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
        if self.seen.len() >= self.prune_at_len || self.next_sweep.is_none_or(|at| now >= at) {
            self.prune(now);
        }
        let key = (access_key_id.to_owned(), nonce.to_owned());
        if self.seen.contains_key(&key) {
            return Err(NonceUsed);
        }
        // Saturating: a timestamp at the calendar's end is kept "forever", never a panic.
        self.seen
            .insert(key, timestamp.saturating_add(signed(self.window)));
        Ok(())
    }

    /// Drops the entries no replay can reach any more.
    pub(crate) fn prune(&mut self, now: OffsetDateTime) {
        self.seen.retain(|_, forget_at| *forget_at >= now);
        self.prune_at_len = self.seen.len().saturating_mul(2).max(MIN_PRUNE_LEN);
        self.next_sweep = Some(now.saturating_add(signed(sweep_interval(self.window))));
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.seen.len()
    }
}

/// Every `SignatureNonce` of an RPC request whose signature verified, whatever became of
/// the request then (refused, faulted, answered), across all access keys: for
/// [`reuse_count`](Self::reuse_count), which lets a client's tests assert it never reuses a
/// nonce. A nonce is remembered for the timestamp window after it was last seen, and the
/// ledger is swept by time, so it holds at most the nonces of about 1.5 windows of signed
/// calls, each at most [`MAX_NONCE_LEN`](crate::MAX_NONCE_LEN) bytes.
#[derive(Debug)]
pub(crate) struct NonceLedger {
    window: Duration,
    seen: HashMap<String, Instant>,
    prune_at_len: usize,
    next_sweep: Option<Instant>,
    reused: u64,
}

impl NonceLedger {
    pub(crate) fn new(window: Duration) -> Self {
        NonceLedger {
            window,
            seen: HashMap::new(),
            prune_at_len: MIN_PRUNE_LEN,
            next_sweep: None,
            reused: 0,
        }
    }

    /// Notes `nonce` (of a request whose signature verified); counts it as reused if it
    /// was seen before.
    pub(crate) fn record(&mut self, nonce: &str, now: Instant) {
        if self.seen.len() >= self.prune_at_len || self.next_sweep.is_none_or(|at| now >= at) {
            let window = self.window;
            self.seen
                .retain(|_, at| now.saturating_duration_since(*at) <= window);
            self.prune_at_len = self.seen.len().saturating_mul(2).max(MIN_PRUNE_LEN);
            self.next_sweep = now.checked_add(sweep_interval(window));
        }
        if self.seen.insert(nonce.to_owned(), now).is_some() {
            self.reused += 1;
        }
    }

    pub(crate) fn reuse_count(&self) -> u64 {
        self.reused
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.seen.len()
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

    /// Below 1024 entries nothing used to be pruned, ever; now a sweep runs at least twice
    /// per window.
    #[test]
    fn stores_are_swept_by_time_however_small() {
        let mut cache = NonceCache::new(FIFTEEN_MINUTES);
        for i in 0..10 {
            cache
                .check_and_record(KEY, &format!("n{i}"), SIGNED_AT, NOW)
                .unwrap();
        }
        assert_eq!(cache.len(), 10);
        let later = NOW + time::Duration::minutes(20);
        cache.check_and_record(KEY, "fresh", later, later).unwrap();
        assert_eq!(cache.len(), 1, "the ten old entries were swept");

        let mut ledger = NonceLedger::new(FIFTEEN_MINUTES);
        let start = Instant::now();
        for i in 0..10 {
            ledger.record(&format!("n{i}"), start);
        }
        assert_eq!(ledger.len(), 10);
        ledger.record("fresh", start + Duration::from_secs(16 * 60));
        assert_eq!(ledger.len(), 1);
    }

    /// `timestamp + window` used to panic for a timestamp near the calendar's end (what a
    /// clock skew of `i64::MAX` let through); now it saturates.
    #[test]
    fn pruning_at_the_end_of_time_does_not_panic() {
        let end = time::PrimitiveDateTime::MAX.assume_utc();
        let mut cache = NonceCache::new(FIFTEEN_MINUTES);
        for i in 0..MIN_PRUNE_LEN + 10 {
            cache
                .check_and_record(KEY, &format!("n{i}"), end, end)
                .unwrap();
        }
        cache.prune(end);
        assert_eq!(cache.len(), MIN_PRUNE_LEN + 10, "still inside the window");
        let mut forever = NonceCache::new(Duration::MAX);
        forever
            .check_and_record(KEY, NONCE, SIGNED_AT, NOW)
            .unwrap();
        forever.prune(end);
        assert_eq!(forever.len(), 1);
        let mut ledger = NonceLedger::new(Duration::MAX);
        ledger.record("a", Instant::now());
        ledger.record("b", Instant::now());
        assert_eq!(ledger.len(), 2);
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

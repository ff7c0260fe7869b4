//! The access keys the emulator accepts: the configured ones, and the STS keys it issues
//! itself (`AssumeRole`, the metadata service), which come and go while it runs.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, HashSet};
use std::sync::{Mutex, RwLock, RwLockReadGuard};
use std::time::Duration;

use time::OffsetDateTime;

use crate::sync;

/// An access key the emulator accepts.
#[derive(Clone)]
pub(crate) struct AccessKey {
    pub(crate) secret: String,
    pub(crate) sts: Option<StsToken>,
}

/// The token that must come with an STS access key.
#[derive(Clone)]
pub(crate) struct StsToken {
    pub(crate) token: String,
    pub(crate) expires_at: Option<OffsetDateTime>,
}

/// The accepted keys by id. Configured keys stay for the emulator's life; issued ones are
/// dropped [`ISSUED_KEY_RETENTION`] after they expired.
#[derive(Default)]
pub(crate) struct KeyStore {
    keys: RwLock<HashMap<String, AccessKey>>,
    /// Issued keys by the time they are to be dropped, soonest first: issuing pops what is
    /// due (amortized O(log n) per key, never a scan of the whole store).
    drops: Mutex<BinaryHeap<Reverse<(OffsetDateTime, String)>>>,
    configured: HashSet<String>,
    /// Entries looked at by issuing, for the test that it is not a scan.
    #[cfg(test)]
    examined: std::sync::atomic::AtomicUsize,
}

/// An issued key is forgotten this long after it expired (until then a call signed with
/// it gets `InvalidSecurityToken.Expired`, later `InvalidAccessKeyId.NotFound`).
const ISSUED_KEY_RETENTION: Duration = Duration::from_secs(24 * 60 * 60);

impl KeyStore {
    pub(crate) fn new(keys: impl IntoIterator<Item = (String, AccessKey)>) -> Self {
        let keys: HashMap<String, AccessKey> = keys.into_iter().collect();
        KeyStore {
            configured: keys.keys().cloned().collect(),
            keys: RwLock::new(keys),
            ..KeyStore::default()
        }
    }

    /// Every key, for the signature checks.
    pub(crate) fn read(&self) -> RwLockReadGuard<'_, HashMap<String, AccessKey>> {
        sync::read(&self.keys)
    }

    /// Accepts a key the emulator issued, and drops the issued keys whose retention ended
    /// by `now`.
    pub(crate) fn issue(&self, id: String, key: AccessKey, now: OffsetDateTime) {
        let drop_at = drop_time(&key);
        let mut drops = sync::lock(&self.drops);
        let mut keys = sync::write(&self.keys);
        while let Some(Reverse((at, _))) = drops.peek() {
            #[cfg(test)]
            self.examined
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            if *at >= now {
                break;
            }
            if let Some(Reverse((at, due))) = drops.pop() {
                // The id's current key, unless it was configured or issued anew since.
                let current = keys.get(&due).is_some_and(|key| drop_time(key) == Some(at));
                if current && !self.configured.contains(&due) {
                    keys.remove(&due);
                }
            }
        }
        if let Some(at) = drop_at {
            drops.push(Reverse((at, id.clone())));
        }
        keys.insert(id, key);
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.read().len()
    }
}

/// When an STS key is to be forgotten: [`ISSUED_KEY_RETENTION`] after it expired
/// (saturating: a key expiring at the calendar's end is kept for good, never a panic).
fn drop_time(key: &AccessKey) -> Option<OffsetDateTime> {
    let expires_at = key.sts.as_ref()?.expires_at?;
    Some(expires_at.saturating_add(time::Duration::seconds(RETENTION_SECS)))
}

/// [`ISSUED_KEY_RETENTION`] in seconds, for calendar arithmetic.
const RETENTION_SECS: i64 = ISSUED_KEY_RETENTION.as_secs() as i64;

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2016-02-23 12:50:00 UTC);

    /// Keys expiring at the very end of the calendar, configured or issued, are kept or
    /// dropped by age without overflowing (a later `issue` used to panic on them).
    #[test]
    fn keys_expiring_at_the_end_of_time_do_not_break_issuing() {
        let sts_key = |expires_at| AccessKey {
            secret: "s".to_owned(),
            sts: Some(StsToken {
                token: "t".to_owned(),
                expires_at: Some(expires_at),
            }),
        };
        let end = time::PrimitiveDateTime::MAX.assume_utc();
        let store = KeyStore::new([("configured".to_owned(), sts_key(end))]);
        let now = datetime!(2026-11-27 03:00 UTC);
        store.issue("STS.late".to_owned(), sts_key(end), now);
        store.issue(
            "STS.old".to_owned(),
            sts_key(datetime!(2026-11-25 00:00 UTC)),
            now,
        );
        store.issue("STS.new".to_owned(), sts_key(now), now);
        let mut kept: Vec<String> = store.read().keys().cloned().collect();
        kept.sort();
        // `STS.old` expired more than a day ago: dropped at the next issue.
        assert_eq!(kept, ["STS.late", "STS.new", "configured"]);
    }

    #[test]
    fn issued_keys_are_pruned_long_after_expiry_configured_ones_never() {
        let expired = |at| AccessKey {
            secret: "s".to_owned(),
            sts: Some(StsToken {
                token: "t".to_owned(),
                expires_at: Some(at),
            }),
        };
        let store = KeyStore::new([("configured".to_owned(), expired(NOW))]);
        store.issue("STS.old".to_owned(), expired(NOW), NOW);
        store.issue(
            "STS.new".to_owned(),
            expired(NOW),
            NOW + time::Duration::days(2),
        );
        let keys = store.read();
        assert!(keys.contains_key("configured"));
        assert!(!keys.contains_key("STS.old"));
        assert!(keys.contains_key("STS.new"));
    }

    /// Issuing used to scan every key under the write lock (20 times slower after 20,000
    /// metadata documents). Now each issue pops only what is due (amortized O(log n)), and
    /// the store still holds only the keys of one lifetime plus the retention period.
    #[test]
    fn issuing_is_amortized_and_the_store_stays_bounded() {
        let configured = AccessKey {
            secret: "s".to_owned(),
            sts: None,
        };
        let store = KeyStore::new([("configured".to_owned(), configured)]);
        let issued = |at: OffsetDateTime| AccessKey {
            secret: "s".to_owned(),
            sts: Some(StsToken {
                token: "t".to_owned(),
                expires_at: Some(at + time::Duration::hours(1)),
            }),
        };
        // One key every 10 s of emulator time, each valid an hour: 20,000 keys span 55 h.
        let step = time::Duration::seconds(10);
        let per_period = ((3600 + RETENTION_SECS) / 10) as usize;
        let mut now = NOW;
        let mut largest = 0;
        for i in 0..20_000 {
            store.issue(format!("STS.{i}"), issued(now), now);
            largest = largest.max(store.len());
            now += step;
        }
        assert!(largest <= per_period + 2, "{largest} > {per_period}");
        // Each issue looks at the entries it drops and one more: 2 per key at most (the old
        // scan looked at every key, about 9,000 per issue here).
        let examined = store.examined.load(std::sync::atomic::Ordering::Relaxed);
        assert!(examined <= 2 * 20_000, "{examined}");
        assert!(store.len() <= per_period + 2);
        assert!(store.read().contains_key("configured"));
        assert!(store.read().contains_key("STS.19999"));
        assert!(!store.read().contains_key("STS.0"));
    }
}

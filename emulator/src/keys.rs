//! The access keys the emulator accepts: the configured ones, and the STS keys it issues
//! itself (`AssumeRole`, the metadata service), which come and go while it runs.

use std::collections::{HashMap, HashSet};
use std::sync::{RwLock, RwLockReadGuard};
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
/// dropped a day after they expired.
#[derive(Default)]
pub(crate) struct KeyStore {
    keys: RwLock<HashMap<String, AccessKey>>,
    configured: HashSet<String>,
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
        }
    }

    /// Every key, for the signature checks.
    pub(crate) fn read(&self) -> RwLockReadGuard<'_, HashMap<String, AccessKey>> {
        sync::read(&self.keys)
    }

    /// Accepts a key the emulator issued; issued keys long expired are dropped meanwhile.
    pub(crate) fn issue(&self, id: String, key: AccessKey, now: OffsetDateTime) {
        let mut keys = sync::write(&self.keys);
        keys.retain(|id, key| {
            let long_expired = key
                .sts
                .as_ref()
                .and_then(|sts| sts.expires_at)
                // `now - at` cannot overflow, unlike `at + retention` near the year 9999.
                .is_some_and(|at| now - at > ISSUED_KEY_RETENTION);
            self.configured.contains(id) || !long_expired
        });
        keys.insert(id, key);
    }
}

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
}

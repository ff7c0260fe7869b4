//! The emulator's notion of "now".

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::SystemTime;

use time::OffsetDateTime;

/// The system clock shifted by a skew (seconds, may be negative). It drives the
/// `Timestamp` window, token expiry, the `Date` header and the `Expiration` of issued
/// credentials; [`Faults::clock_skew_secs`](crate::Faults::clock_skew_secs) sets the skew.
#[derive(Debug, Default)]
pub(crate) struct Clock {
    skew_secs: AtomicI64,
}

impl Clock {
    pub(crate) fn now(&self) -> OffsetDateTime {
        let now = OffsetDateTime::now_utc();
        // A skew past the calendar's range stops at its end rather than panicking.
        now.checked_add(time::Duration::seconds(
            self.skew_secs.load(Ordering::SeqCst),
        ))
        .unwrap_or(if self.skew_secs() < 0 {
            time::PrimitiveDateTime::MIN.assume_utc()
        } else {
            time::PrimitiveDateTime::MAX.assume_utc()
        })
    }

    pub(crate) fn skew_secs(&self) -> i64 {
        self.skew_secs.load(Ordering::SeqCst)
    }

    pub(crate) fn set_skew_secs(&self, secs: i64) {
        self.skew_secs.store(secs, Ordering::SeqCst);
    }
}

/// `now` as a [`SystemTime`] for the `Date` header, clamped into what an HTTP date can
/// show (1970 to the end of 9999): `httpdate` panics outside that range, and a skewed
/// clock can reach beyond it.
pub(crate) fn system_time(now: OffsetDateTime) -> SystemTime {
    let last = time::macros::datetime!(9999-12-31 23:59:59 UTC);
    now.clamp(OffsetDateTime::UNIX_EPOCH, last).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skew_shifts_now_and_stops_at_the_calendar_ends() {
        let clock = Clock::default();
        clock.set_skew_secs(-3600);
        let behind = OffsetDateTime::now_utc() - clock.now();
        assert!((3599..=3601).contains(&behind.whole_seconds()), "{behind}");
        clock.set_skew_secs(i64::MAX);
        assert_eq!(clock.now(), time::PrimitiveDateTime::MAX.assume_utc());
        clock.set_skew_secs(i64::MIN);
        assert_eq!(clock.now(), time::PrimitiveDateTime::MIN.assume_utc());
    }

    /// `httpdate` panics before 1970 and after 9999: the `Date` header used to panic for a
    /// skew of a few decades back.
    #[test]
    fn date_header_time_stays_in_the_http_date_range() {
        for now in [
            time::PrimitiveDateTime::MIN.assume_utc(),
            time::macros::datetime!(1926-01-01 0:00 UTC),
            time::PrimitiveDateTime::MAX.assume_utc(),
        ] {
            let _ = httpdate::fmt_http_date(system_time(now));
        }
        let now = time::macros::datetime!(2016-02-23 12:46:24 UTC);
        assert_eq!(
            httpdate::fmt_http_date(system_time(now)),
            "Tue, 23 Feb 2016 12:46:24 GMT"
        );
    }
}

//! The `Timestamp` common param, formatted on the stack.

use time::OffsetDateTime;

use crate::error::Error;

const TIMESTAMP_FORMAT: &[time::format_description::FormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");

/// A `Timestamp` value as sent, `YYYY-MM-DDThh:mm:ssZ` in UTC. Formatted by hand on the
/// stack (it is made for every attempt); years outside `0..=9999` go through `time`'s
/// formatter, which writes them the same way the old path did.
pub(super) enum TimestampBuf {
    Fixed([u8; 20]),
    Other(String),
}

impl TimestampBuf {
    pub(super) fn new(timestamp: OffsetDateTime) -> Result<Self, Error> {
        let t = timestamp.to_offset(time::UtcOffset::UTC);
        let Ok(year) = u16::try_from(t.year()) else {
            return Self::formatted(t);
        };
        if year > 9999 {
            return Self::formatted(t);
        }
        let mut out = *b"0000-00-00T00:00:00Z";
        let two = |out: &mut [u8; 20], at: usize, n: u8| {
            out[at] = b'0' + n / 10;
            out[at + 1] = b'0' + n % 10;
        };
        two(&mut out, 0, (year / 100) as u8);
        two(&mut out, 2, (year % 100) as u8);
        two(&mut out, 5, u8::from(t.month()));
        two(&mut out, 8, t.day());
        two(&mut out, 11, t.hour());
        two(&mut out, 14, t.minute());
        two(&mut out, 17, t.second());
        Ok(TimestampBuf::Fixed(out))
    }

    fn formatted(t: OffsetDateTime) -> Result<Self, Error> {
        t.format(TIMESTAMP_FORMAT)
            .map(TimestampBuf::Other)
            .map_err(|e| Error::config(format!("cannot format the timestamp: {e}")))
    }

    pub(super) fn as_str(&self) -> &str {
        match self {
            // Digits and ASCII punctuation only.
            TimestampBuf::Fixed(bytes) => std::str::from_utf8(bytes).unwrap_or_default(),
            TimestampBuf::Other(s) => s,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hand formatter writes what `time`'s formatter writes, offsets converted to UTC.
    #[test]
    fn timestamp_matches_the_time_formatter() {
        let utc = time::UtcOffset::UTC;
        let plus8 = time::UtcOffset::from_hms(8, 0, 0).unwrap_or(utc);
        for (date, offset) in [
            (time::macros::datetime!(2016-02-23 12:46:24 UTC), utc),
            (time::macros::datetime!(0000-01-01 00:00:00 UTC), utc),
            (time::macros::datetime!(0999-12-31 23:59:59 UTC), utc),
            (time::macros::datetime!(9999-12-31 23:59:59 UTC), utc),
            (time::macros::datetime!(2026-01-01 03:04:05 UTC), plus8),
            (time::macros::datetime!(-0001-06-15 10:00:00 UTC), utc),
        ] {
            let t = date.to_offset(offset);
            let expected = t.to_offset(utc).format(TIMESTAMP_FORMAT).ok();
            let ours = TimestampBuf::new(t).ok();
            assert_eq!(
                ours.as_ref().map(TimestampBuf::as_str),
                expected.as_deref(),
                "{t}"
            );
        }
    }
}

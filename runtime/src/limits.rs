//! Every limit and timeout the runtime applies to what it reads, in one place: whatever comes
//! from a server or a file is bounded before it is believed, parsed or shown.
//!
//! | what | limit | where it applies |
//! | --- | --- | --- |
//! | the clock offset learnt from a server's `Date` | ± [`MAX_CLOCK_SKEW`] (24 h) | skew correction after `InvalidTimeStamp.Expired` |
//!
//! Timeouts: the connect timeout (5 s, [`ClientBuilder::connect_timeout`](crate::ClientBuilder::connect_timeout)),
//! the attempt timeout (10 s, [`ClientBuilder::attempt_timeout`](crate::ClientBuilder::attempt_timeout)),
//! the whole call's deadline and the longest wait between attempts (60 s and 10 s,
//! [`RetryPolicy`](crate::RetryPolicy)). The metadata service gets 1 s to connect and 5 s
//! per request.
//!
//! ```
//! use aliyun_rpc::limits;
//!
//! assert_eq!(limits::MAX_CLOCK_SKEW.as_secs(), 24 * 3600);
//! ```

use std::time::Duration;

/// The largest clock offset the client accepts from a server's `Date` header when it
/// corrects for skew: 24 hours either way. A `Date` further off (a year 9999, a garbage
/// header) is not believed, and the `InvalidTimeStamp.Expired` error is returned as it came.
pub const MAX_CLOCK_SKEW: Duration = Duration::from_secs(24 * 3600);

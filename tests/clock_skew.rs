//! A skewed clock: the client learns the server's time from `InvalidTimeStamp.Expired`,
//! retries once, and keeps the offset for later calls.

mod common;

use aliyun_rpc::{Error, RetryPolicy};
use aliyun_rpc_emulator::Emulator;
use common::{build, retrying_builder, seed_request, start};

#[tokio::test]
async fn clock_skew_is_learnt_and_kept() -> Result<(), Error> {
    let emulator = start(Emulator::builder()).await;
    emulator.faults().clock_skew_secs(3600);
    let client = build(retrying_builder(&emulator).retry(RetryPolicy::none()));
    assert_eq!(client.call(&seed_request()).await?.instance_types.len(), 2);
    let offset = client.clock_offset().whole_seconds();
    assert!((3598..=3602).contains(&offset), "learnt offset {offset}");
    assert_eq!(emulator.request_count(), 2, "one rejected, one corrected");
    client.call(&seed_request()).await?;
    assert_eq!(
        emulator.request_count(),
        3,
        "later calls use the offset straight away"
    );

    // The other way round, and a fresh client sharing nothing.
    emulator.faults().clock_skew_secs(-1800);
    let other = build(retrying_builder(&emulator).retry(RetryPolicy::none()));
    other.call(&seed_request()).await?;
    assert!((-1802..=-1798).contains(&other.clock_offset().whole_seconds()));
    Ok(())
}

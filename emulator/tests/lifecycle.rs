//! The running emulator as a handle: its request counter, and stopping when dropped.

mod common;

use aliyun_rpc_emulator::Emulator;
use common::*;

const ECS: &str = "2014-05-26";

#[tokio::test]
async fn request_count_counts_every_request() {
    let emulator = Emulator::start().await.unwrap();
    assert_eq!(emulator.request_count(), 0);
    call(
        emulator.endpoint(),
        common("DescribeRegions", ECS, "testid", "JSON"),
        "testsecret",
    )
    .await;
    assert_eq!(emulator.request_count(), 1);
    // Refused calls count too, and so does a request to another path.
    call(
        emulator.endpoint(),
        common("DescribeRegions", ECS, "testid", "JSON"),
        "wrong",
    )
    .await;
    get(emulator.endpoint(), "").await;
    client()
        .get(format!("{}/favicon.ico", emulator.endpoint()))
        .send()
        .await
        .unwrap();
    assert_eq!(emulator.request_count(), 4);
    emulator.shutdown().await;
}

#[tokio::test]
async fn drop_stops_the_server() {
    let emulator = Emulator::start().await.unwrap();
    let endpoint = emulator.endpoint().to_owned();
    drop(emulator);
    let mut refused = false;
    for _ in 0..50 {
        if client().get(format!("{endpoint}/")).send().await.is_err() {
            refused = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(refused, "the server still answers after drop");
}

//! Error answers decoded into `Error`: the seed page's error codes, an unknown action, version
//! or access key, and the request id, host and diagnosis link every error answer carries.

mod common;

use aliyun_rpc::{Credentials, Request};
use common::ecs::Filter;
use common::{api_error, build, builder, emulator, seed_request};

#[tokio::test]
async fn seed_error_codes() {
    let emulator = emulator().await;
    let client = build(builder(&emulator));

    let bad_filter = seed_request().filter(Filter {
        key: "Colour".into(),
        value: "blue".into(),
    });
    let e = api_error(&client, &bad_filter).await;
    assert_eq!(
        (e.http_status(), e.code(), e.message()),
        (400, "InvalidParamter", "Invalid Parameter")
    );

    let no_such_type = seed_request().filter(Filter {
        key: "InstanceTypeId".into(),
        value: "ecs.x9.huge".into(),
    });
    let e = api_error(&client, &no_such_type).await;
    assert_eq!(
        (e.http_status(), e.code()),
        (400, "InvalidInstanceType.ValueNotSupported")
    );
    assert_eq!(
        e.message(),
        "The specified InstanceType does not exist or beyond the permitted range."
    );

    let e = api_error(&client, &WithUsage::new("cn-hangzhou", "snapshot")).await;
    assert_eq!((e.http_status(), e.code()), (404, "InvalidUsage"));
    assert_eq!(e.message(), "The specifed Usage is not valid");

    // Every error answer carries a request id, the host, and a diagnosis link.
    assert_eq!(e.request_id().map(str::len), Some(36));
    assert!(
        e.host_id().is_some_and(|h| h.starts_with("127.0.0.1:")),
        "{:?}",
        e.host_id()
    );
    assert!(
        e.recommend().is_some_and(|r| r.contains("InvalidUsage")),
        "{:?}",
        e.recommend()
    );
}

/// The seed action with the `Usage` param the seed's `InvalidUsage` error speaks of.
#[derive(Debug, Request)]
#[rpc(product = "Ecs", version = "2014-05-26", action = "DescribeImageSupportInstanceTypes", response = serde_json::Value)]
struct WithUsage {
    region_id: String,
    usage: String,
}

#[derive(Debug, Request)]
#[rpc(product = "Ecs", version = "2014-05-26", action = "DescribeNothing", response = serde_json::Value)]
struct UnknownAction {}

#[derive(Debug, Request)]
#[rpc(product = "Ecs", version = "2099-01-01", action = "DescribeRegions", response = serde_json::Value)]
struct FutureVersion {}

#[tokio::test]
async fn unknown_action_and_version() {
    let emulator = emulator().await;
    let client = build(builder(&emulator));
    let e = api_error(&client, &UnknownAction::new()).await;
    assert_eq!((e.http_status(), e.code()), (404, "InvalidAction.NotFound"));
    let e = api_error(&client, &FutureVersion::new()).await;
    assert_eq!((e.http_status(), e.code()), (400, "InvalidVersion"));
}

#[tokio::test]
async fn unknown_access_key() {
    let emulator = emulator().await;
    let client = build(builder(&emulator).credentials(Credentials::new("LTAI-nobody", "x")));
    let e = api_error(&client, &seed_request()).await;
    assert_eq!(
        (e.http_status(), e.code()),
        (404, "InvalidAccessKeyId.NotFound")
    );
    assert_eq!(e.message(), "Specified access key is not found.");
}

//! One call end to end against the emulator over loopback HTTP: params and enums reach the
//! server, a validation error sends nothing, the headers every call carries, and a `Client`
//! shared between tasks.

mod common;

use aliyun_rpc::{Client, Error, Request};
use aliyun_rpc_emulator::Emulator;
use common::ecs::{ActionType, DescribeImageSupportInstanceTypes, Filter};
use common::{build, builder, emulator, seed_request, start};
use serde_json::json;

#[tokio::test]
async fn filters_and_action_type_reach_the_server() -> Result<(), Error> {
    let emulator = emulator().await;
    let client = build(builder(&emulator));
    let request = DescribeImageSupportInstanceTypes::new("cn-hangzhou")
        .image_id("ubuntu_16_0402_64_20G_alibase_20180409.vhd")
        .action_type(ActionType::Upgrade)
        .filter(Filter {
            key: "InstanceTypeFamily".into(),
            value: "ecs.g6".into(),
        })
        .filter(Filter {
            key: "CpuCoreCount".into(),
            value: "4".into(),
        });
    let response = client.call(&request).await?;
    let ids: Vec<&str> = response
        .instance_types
        .iter()
        .map(|t| t.instance_type_id.as_str())
        .collect();
    assert_eq!(ids, ["ecs.g6.xlarge"]);
    Ok(())
}

#[tokio::test]
async fn a_validation_error_sends_nothing() {
    let emulator = emulator().await;
    let client = build(builder(&emulator));
    let filters = (0..51).map(|i| Filter {
        key: format!("K{i}"),
        value: "v".into(),
    });
    let request = seed_request().filters(filters);
    match client.call(&request).await {
        Err(Error::InvalidRequest { param, reason, .. }) => {
            assert_eq!(param, "Filter");
            assert_eq!(reason, "at most 50 items allowed, got 51");
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
    assert_eq!(emulator.request_count(), 0);
}

#[derive(Debug, Request)]
#[rpc(product = "Ecs", version = "2014-05-26", action = "Headers", response = serde_json::Value)]
struct Headers {}

#[tokio::test]
async fn headers_name_the_action_version_and_crate() -> Result<(), Error> {
    let emulator = start(Emulator::builder().handler("2014-05-26", "Headers", |req| {
        let h = |name: &str| json!(req.header(name).unwrap_or_default());
        Ok(json!({
            "UserAgent": h("user-agent"),
            "Action": h("x-acs-action"),
            "Version": h("x-acs-version"),
            "ContentType": h("content-type"),
        }))
    }))
    .await;
    let seen = build(builder(&emulator)).call(&Headers::new()).await?;
    assert_eq!(
        seen["UserAgent"],
        format!("aliyun-rpc/{} (rust)", env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(seen["Action"], "Headers");
    assert_eq!(seen["Version"], "2014-05-26");
    assert_eq!(seen["ContentType"], "application/x-www-form-urlencoded");
    Ok(())
}

#[test]
fn client_is_cheap_to_share() {
    fn assert_shareable<T: Clone + Send + Sync + 'static>() {}
    fn assert_sendable<T: Send + Sync + 'static>() {}
    assert_shareable::<Client>();
    assert_sendable::<Error>();
}

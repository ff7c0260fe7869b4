//! JSON and XML, `POST` and `GET`: the same response types decode every combination.

mod common;

use aliyun_rpc::{Error, Format, Method, Request};
use common::{build, builder, emulator, seed_instance_types, seed_request};
use serde::Deserialize;

#[tokio::test]
async fn seed_call_in_every_format_and_method() -> Result<(), Error> {
    let emulator = emulator().await;
    for format in [Format::Json, Format::Xml] {
        for method in [Method::Post, Method::Get] {
            let client = build(builder(&emulator).format(format).method(method));
            let response = client.call(&seed_request()).await?;
            assert_eq!(response.region_id, "cn-hangzhou", "{format:?} {method:?}");
            assert_eq!(
                response.image_id,
                "ubuntu_16_0402_64_20G_alibase_20180409.vhd"
            );
            assert_eq!(
                response.instance_types,
                seed_instance_types(),
                "{format:?} {method:?}"
            );
            assert_eq!(response.request_id.len(), 36);
        }
    }
    assert_eq!(emulator.request_count(), 4);
    Ok(())
}

#[derive(Debug, Request)]
#[rpc(product = "Ecs", version = "2014-05-26", action = "DescribeRegions", response = DescribeRegionsResponse)]
struct DescribeRegions {}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DescribeRegionsResponse {
    #[serde(deserialize_with = "aliyun_rpc::response::list")]
    regions: Vec<Region>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Region {
    region_id: String,
    local_name: String,
}

#[tokio::test]
async fn describe_regions_in_both_formats() -> Result<(), Error> {
    let emulator = emulator().await;
    for format in [Format::Json, Format::Xml] {
        let client = build(builder(&emulator).format(format));
        let regions = client.call(&DescribeRegions::new()).await?.regions;
        let hangzhou = regions.iter().find(|r| r.region_id == "cn-hangzhou");
        assert_eq!(
            hangzhou.map(|r| r.local_name.as_str()),
            Some("华东1（杭州）"),
            "{format:?}"
        );
        assert!(regions.len() > 10);
    }
    Ok(())
}

//! The built-in ECS actions over HTTP: `DescribeRegions`, and
//! `DescribeImageSupportInstanceTypes`' lists and errors.

mod common;

use aliyun_rpc_emulator::Emulator;
use common::*;

const ECS: &str = "2014-05-26";

#[tokio::test]
async fn describe_regions() {
    let emulator = Emulator::start().await.unwrap();
    let params = common("DescribeRegions", ECS, "testid", "JSON");
    let reply = call(emulator.endpoint(), params, "testsecret").await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let json = reply.json();
    let regions = json["Regions"]["Region"].as_array().unwrap();
    for id in [
        "cn-hangzhou",
        "cn-shanghai",
        "cn-beijing",
        "cn-shenzhen",
        "cn-hongkong",
        "ap-southeast-1",
        "us-west-1",
        "eu-central-1",
    ] {
        assert!(regions.iter().any(|r| r["RegionId"] == id), "{id}");
    }
    assert!(reply.body.contains(r#"{"LocalName":"华东1（杭州）","RegionEndpoint":"ecs.aliyuncs.com","RegionId":"cn-hangzhou"}"#));

    let params = common("DescribeRegions", ECS, "testid", "XML");
    let reply = call(emulator.endpoint(), params, "testsecret").await;
    assert!(reply.body.contains(
        "<Regions><Region><LocalName>华北1（青岛）</LocalName>\
         <RegionEndpoint>ecs.aliyuncs.com</RegionEndpoint><RegionId>cn-qingdao</RegionId></Region><Region>"
    ), "{}", reply.body);
    emulator.shutdown().await;
}

#[tokio::test]
async fn other_images_have_other_lists() {
    let emulator = Emulator::start().await.unwrap();
    let mut params = common("DescribeImageSupportInstanceTypes", ECS, "testid", "JSON");
    params.extend(owned(&[
        ("RegionId", "cn-shanghai"),
        (
            "ImageId",
            "win2022_21H2_x64_dtc_zh-cn_40G_alibase_20240712.vhd",
        ),
        ("ActionType", "Upgrade"),
        ("Filter.1.Key", "CpuCoreCount"),
        ("Filter.1.Value", "2"),
    ]));
    let reply = call(emulator.endpoint(), params, "testsecret").await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let json = reply.json();
    let ids: Vec<&str> = json["InstanceTypes"]["InstanceType"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["InstanceTypeId"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "ecs.g6.large",
            "ecs.c6.large",
            "ecs.r6.large",
            "ecs.g7.large"
        ]
    );
    assert_eq!(
        json["ImageId"],
        "win2022_21H2_x64_dtc_zh-cn_40G_alibase_20240712.vhd"
    );
    emulator.shutdown().await;
}

#[tokio::test]
async fn describe_image_support_instance_types_errors() {
    let emulator = Emulator::start().await.unwrap();
    /// Business params → status, Code, Message.
    type Case<'a> = (&'a [(&'a str, &'a str)], u16, &'a str, &'a str);
    let cases: &[Case] = &[
        (
            &[],
            400,
            "MissingRegionId",
            "RegionId is mandatory for this action.",
        ),
        (
            &[("RegionId", "mars-1")],
            404,
            "InvalidRegionId.NotFound",
            "The specified RegionId does not exist.",
        ),
        (
            &[("RegionId", "cn-hangzhou"), ("ActionType", "Destroy")],
            400,
            "InvalidParamter",
            "Invalid Parameter",
        ),
        (
            &[("RegionId", "cn-hangzhou"), ("Usage", "snapshot")],
            404,
            "InvalidUsage",
            "The specifed Usage is not valid",
        ),
        (
            &[("RegionId", "cn-hangzhou"), ("ImageId", "m-nope")],
            404,
            "InvalidImageId.NotFound",
            "The specified ImageId does not exist.",
        ),
        (
            &[
                ("RegionId", "cn-hangzhou"),
                ("Filter.1.Key", "InstanceTypeId"),
                ("Filter.1.Value", "ecs.x9.huge"),
            ],
            400,
            "InvalidInstanceType.ValueNotSupported",
            "The specified InstanceType does not exist or beyond the permitted range.",
        ),
        (
            &[
                ("RegionId", "cn-hangzhou"),
                ("Filter.1.Key", "Colour"),
                ("Filter.1.Value", "red"),
            ],
            400,
            "InvalidParamter",
            "Invalid Parameter",
        ),
    ];
    for (business, status, code, message) in cases {
        let mut params = common("DescribeImageSupportInstanceTypes", ECS, "testid", "JSON");
        params.extend(owned(business));
        let json = call(emulator.endpoint(), params, "testsecret")
            .await
            .assert_error(*status, code);
        assert_eq!(json["Message"], *message);
    }
    emulator.shutdown().await;
}

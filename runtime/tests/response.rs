//! Decoding: the seed page's JSON and XML examples into one type, list wrappers, error bodies.

use aliyun_rpc_runtime::response::{self, decode, decode_error};
use aliyun_rpc_runtime::Error;
use aliyun_rpc_runtime::Format;
use serde::Deserialize;

#[derive(Debug, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
struct DescribeImageSupportInstanceTypesResponse {
    request_id: String,
    region_id: String,
    image_id: String,
    #[serde(default, deserialize_with = "response::list")]
    instance_types: Vec<InstanceType>,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
struct InstanceType {
    instance_type_id: String,
    cpu_core_count: u32,
    memory_size: f64,
    instance_type_family: String,
}

fn seed_expected() -> DescribeImageSupportInstanceTypesResponse {
    DescribeImageSupportInstanceTypesResponse {
        request_id: "CF661E2D-4AFE-4BCD-959A-A65E14416B44".into(),
        region_id: "cn-hangzhou".into(),
        image_id: "ubuntu_16_0402_64_20G_alibase_20180409.vhd".into(),
        instance_types: vec![
            InstanceType {
                instance_type_id: "ecs.t1.xsmall".into(),
                cpu_core_count: 1,
                memory_size: 0.5,
                instance_type_family: "ecs.t1".into(),
            },
            InstanceType {
                instance_type_id: "ecs.t1.small".into(),
                cpu_core_count: 1,
                memory_size: 1.0,
                instance_type_family: "ecs.t1".into(),
            },
        ],
    }
}

fn decode_ok<T: serde::de::DeserializeOwned>(format: Format, body: &str) -> T {
    match decode(format, 200, body.as_bytes()) {
        Ok(v) => v,
        Err(e) => panic!("{format:?} body did not decode: {e}"),
    }
}

#[test]
fn seed_json_example() {
    let got: DescribeImageSupportInstanceTypesResponse =
        decode_ok(Format::Json, include_str!("data/seed_response.json"));
    assert_eq!(got, seed_expected());
}

#[test]
fn seed_xml_example() {
    let got: DescribeImageSupportInstanceTypesResponse =
        decode_ok(Format::Xml, include_str!("data/seed_response.xml"));
    assert_eq!(got, seed_expected());
}

const ONE_JSON: &str = r#"{"RequestId":"R","RegionId":"cn-hangzhou","ImageId":"m-1","InstanceTypes":{"InstanceType":[{"InstanceTypeId":"ecs.g6.large","CpuCoreCount":2,"MemorySize":8,"InstanceTypeFamily":"ecs.g6"}]}}"#;
const ONE_XML: &str = r#"<?xml version="1.0" encoding="UTF-8"?><DescribeImageSupportInstanceTypesResponse><RequestId>R</RequestId><RegionId>cn-hangzhou</RegionId><ImageId>m-1</ImageId><InstanceTypes><InstanceType><InstanceTypeId>ecs.g6.large</InstanceTypeId><CpuCoreCount>2</CpuCoreCount><MemorySize>8</MemorySize><InstanceTypeFamily>ecs.g6</InstanceTypeFamily></InstanceType></InstanceTypes></DescribeImageSupportInstanceTypesResponse>"#;

#[test]
fn one_item_lists_in_both_formats() {
    let a: DescribeImageSupportInstanceTypesResponse = decode_ok(Format::Json, ONE_JSON);
    let b: DescribeImageSupportInstanceTypesResponse = decode_ok(Format::Xml, ONE_XML);
    assert_eq!(a, b);
    assert_eq!(a.instance_types.len(), 1);
    assert_eq!(a.instance_types[0].instance_type_id, "ecs.g6.large");
    assert_eq!(a.instance_types[0].memory_size, 8.0);
}

#[test]
fn empty_lists_in_both_formats() {
    let bodies = [
        (Format::Json, r#"{"RequestId":"R","RegionId":"r","ImageId":"i","InstanceTypes":{"InstanceType":[]}}"#),
        (Format::Json, r#"{"RequestId":"R","RegionId":"r","ImageId":"i","InstanceTypes":{}}"#),
        (Format::Json, r#"{"RequestId":"R","RegionId":"r","ImageId":"i"}"#),
        (Format::Xml, "<X><RequestId>R</RequestId><RegionId>r</RegionId><ImageId>i</ImageId><InstanceTypes/></X>"),
        (
            Format::Xml,
            "<X><RequestId>R</RequestId><RegionId>r</RegionId><ImageId>i</ImageId><InstanceTypes>\n  </InstanceTypes></X>",
        ),
        (Format::Xml, "<X><RequestId>R</RequestId><RegionId>r</RegionId><ImageId>i</ImageId></X>"),
    ];
    for (format, body) in bodies {
        let got: DescribeImageSupportInstanceTypesResponse = decode_ok(format, body);
        assert_eq!(got.instance_types, [], "{format:?}: {body}");
        assert_eq!(got.request_id, "R");
    }
}

#[test]
fn malformed_body_is_a_decode_error_with_the_body_start() {
    let body = format!("<html>{}</html>", "x".repeat(1000));
    let err = match decode::<DescribeImageSupportInstanceTypesResponse>(
        Format::Json,
        200,
        body.as_bytes(),
    ) {
        Ok(v) => panic!("decoded {v:?}"),
        Err(e) => e,
    };
    match &err {
        Error::Decode {
            format,
            http_status,
            body_prefix,
            expected,
            ..
        } => {
            assert_eq!(*format, "JSON");
            assert_eq!(*http_status, 200);
            assert_eq!(body_prefix.len(), 512);
            assert!(body_prefix.starts_with("<html>xxx"));
            assert!(
                expected.ends_with("DescribeImageSupportInstanceTypesResponse"),
                "{expected}"
            );
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    assert!(
        err.to_string()
            .starts_with("could not decode the JSON response (http 200) as "),
        "{err}"
    );
}

#[test]
fn json_error_body() {
    let body = r#"{"RequestId":"7B5D9B4E-1","HostId":"ecs.aliyuncs.com","Code":"InvalidParamter","Message":"Invalid Parameter","Recommend":"https://api.aliyun.com/troubleshoot?q=InvalidParamter"}"#;
    let e = decode_error(Format::Json, 400, body.as_bytes());
    assert_eq!(e.http_status(), 400);
    assert_eq!(e.code(), "InvalidParamter");
    assert_eq!(e.message(), "Invalid Parameter");
    assert_eq!(e.request_id(), Some("7B5D9B4E-1"));
    assert_eq!(e.host_id(), Some("ecs.aliyuncs.com"));
    assert_eq!(
        e.recommend(),
        Some("https://api.aliyun.com/troubleshoot?q=InvalidParamter")
    );
    assert_eq!(
        Error::from(e).to_string(),
        "InvalidParamter (http 400): Invalid Parameter; request id 7B5D9B4E-1; host id ecs.aliyuncs.com; \
         recommend https://api.aliyun.com/troubleshoot?q=InvalidParamter"
    );
}

#[test]
fn xml_error_body() {
    let body = r#"<?xml version="1.0" encoding="UTF-8"?><Error><RequestId>R-9</RequestId><HostId>ecs.aliyuncs.com</HostId><Code>InvalidUsage</Code><Message>The specifed Usage is not valid</Message><Recommend>https://x</Recommend></Error>"#;
    let e = decode_error(Format::Xml, 404, body.as_bytes());
    assert_eq!((e.http_status(), e.code()), (404, "InvalidUsage"));
    assert_eq!(e.message(), "The specifed Usage is not valid");
    assert_eq!(e.request_id(), Some("R-9"));
}

#[test]
fn non_aliyun_error_body_keeps_status_and_start() {
    let e = decode_error(Format::Json, 502, b"<html>Bad Gateway</html>");
    assert_eq!(e.code(), "Http502");
    assert_eq!(e.message(), "<html>Bad Gateway</html>");
    assert!(Error::from(e).is_retryable());
}

//! The wire: GET and POST, query and body, decoding rules, JSON and XML answers.

mod common;

use aliyun_rpc_emulator::Emulator;
use common::*;

const ECS: &str = "2014-05-26";

fn seed_call(emulator: &Emulator, format: &str) -> Vec<(String, String)> {
    let mut params = common(
        "DescribeImageSupportInstanceTypes",
        ECS,
        emulator.access_key_id(),
        format,
    );
    params.extend(owned(&[
        ("RegionId", "cn-hangzhou"),
        ("ImageId", "m-imageid1"),
    ]));
    params
}

#[tokio::test]
async fn seed_example_in_json() {
    let emulator = Emulator::start().await.unwrap();
    let reply = call(
        emulator.endpoint(),
        seed_call(&emulator, "JSON"),
        emulator.access_key_secret(),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(
        reply.header("content-type"),
        "application/json;charset=utf-8"
    );
    httpdate::parse_http_date(reply.header("date")).unwrap();
    let json = reply.json();
    let request_id = json["RequestId"].as_str().unwrap().to_owned();
    assert_eq!(request_id, request_id.to_uppercase());
    assert_eq!(reply.header("x-acs-request-id"), request_id);
    assert_eq!(
        reply.body,
        format!(
            r#"{{"ImageId":"ubuntu_16_0402_64_20G_alibase_20180409.vhd","InstanceTypes":{{"InstanceType":[{{"CpuCoreCount":1,"InstanceTypeFamily":"ecs.t1","InstanceTypeId":"ecs.t1.xsmall","MemorySize":0.5}},{{"CpuCoreCount":1,"InstanceTypeFamily":"ecs.t1","InstanceTypeId":"ecs.t1.small","MemorySize":1}}]}},"RegionId":"cn-hangzhou","RequestId":"{request_id}"}}"#
        )
    );
    emulator.shutdown().await;
}

#[tokio::test]
async fn seed_example_in_xml_and_xml_is_the_default() {
    let emulator = Emulator::start().await.unwrap();
    let mut no_format = seed_call(&emulator, "XML");
    remove(&mut no_format, "Format");
    for params in [seed_call(&emulator, "XML"), no_format] {
        let reply = call(emulator.endpoint(), params, emulator.access_key_secret()).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        assert_eq!(reply.header("content-type"), "text/xml;charset=utf-8");
        let body = &reply.body;
        assert!(body.starts_with(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
             <DescribeImageSupportInstanceTypesResponse><RequestId>"
        ));
        assert!(body.ends_with("</DescribeImageSupportInstanceTypesResponse>"));
        assert!(body.contains("<ImageId>ubuntu_16_0402_64_20G_alibase_20180409.vhd</ImageId>"));
        assert!(body.contains("<RegionId>cn-hangzhou</RegionId>"));
        assert!(body.contains(
            "<InstanceTypes>\
             <InstanceType><CpuCoreCount>1</CpuCoreCount><InstanceTypeFamily>ecs.t1</InstanceTypeFamily>\
             <InstanceTypeId>ecs.t1.xsmall</InstanceTypeId><MemorySize>0.5</MemorySize></InstanceType>\
             <InstanceType><CpuCoreCount>1</CpuCoreCount><InstanceTypeFamily>ecs.t1</InstanceTypeFamily>\
             <InstanceTypeId>ecs.t1.small</InstanceTypeId><MemorySize>1</MemorySize></InstanceType>\
             </InstanceTypes>"
        ));
    }
    emulator.shutdown().await;
}

#[tokio::test]
async fn post_with_everything_in_the_body() {
    let emulator = Emulator::start().await.unwrap();
    let params = signed(
        "POST",
        seed_call(&emulator, "JSON"),
        emulator.access_key_secret(),
    );
    let reply = post(emulator.endpoint(), "", &encode(&params)).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(
        reply.json()["InstanceTypes"]["InstanceType"][1]["InstanceTypeId"],
        "ecs.t1.small"
    );
    emulator.shutdown().await;
}

#[tokio::test]
async fn post_signature_does_not_verify_as_get() {
    let emulator = Emulator::start().await.unwrap();
    let params = signed(
        "GET",
        seed_call(&emulator, "JSON"),
        emulator.access_key_secret(),
    );
    let reply = post(emulator.endpoint(), "", &encode(&params)).await;
    let json = reply.assert_error(400, "SignatureDoesNotMatch");
    assert!(json["Message"]
        .as_str()
        .unwrap()
        .contains("server string to sign is:POST&%2F&"));
    emulator.shutdown().await;
}

/// What the official SDKs do: common params in the query, business params in the body.
#[tokio::test]
async fn post_split_between_query_and_body() {
    let emulator = Emulator::start().await.unwrap();
    let params = signed(
        "POST",
        seed_call(&emulator, "JSON"),
        emulator.access_key_secret(),
    );
    let (business, common): (Vec<_>, Vec<_>) = params
        .into_iter()
        .partition(|(k, _)| k == "RegionId" || k == "ImageId");
    let reply = post(emulator.endpoint(), &encode(&common), &encode(&business)).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.json()["RegionId"], "cn-hangzhou");
    emulator.shutdown().await;
}

/// Other clients' encodings: `+` for space, lower-case hex, `*` left as is, any order.
#[tokio::test]
async fn decoding_follows_the_wire_rules_not_our_client() {
    let emulator = Emulator::builder()
        .handler("2024-01-01", "Echo", |req| {
            Ok(serde_json::json!({ "Text": req.param("Text") }))
        })
        .start()
        .await
        .unwrap();
    let text = "a b*c~d/e=f&g%h";
    let mut params = common("Echo", "2024-01-01", "testid", "JSON");
    params.push(("Text".to_owned(), text.to_owned()));
    let mut params = signed("GET", params, "testsecret");
    params.reverse();
    // form_urlencoded writes `+` for space and leaves `*` alone; then lower-case the hex.
    let query: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params.iter())
        .finish();
    assert!(query.contains("a+b*c"));
    let mut lowered = String::new();
    let mut chars = query.chars().peekable();
    while let Some(c) = chars.next() {
        lowered.push(c);
        if c == '%' {
            for _ in 0..2 {
                lowered.extend(chars.next().map(|h| h.to_ascii_lowercase()));
            }
        }
    }
    assert!(lowered.contains("%2f"));
    let reply = get(emulator.endpoint(), &lowered).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.json()["Text"], text);
    emulator.shutdown().await;
}

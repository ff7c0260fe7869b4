//! `#[aliyun_rpc::response]` and decode errors over loopback: the emulator renders one
//! handler's answer as JSON and as XML; a type with the attribute reads both, a type whose
//! list field lacks the list handling fails in both with the field's path and the fix —
//! in XML too, where quick-xml alone would have read ten items as one empty item.

mod common;

use aliyun_rpc::{Error, Format, Request};
use aliyun_rpc_emulator::{Emulator, EmulatorBuilder};
use serde_json::{json, Value};

use common::{build, builder, start};

#[aliyun_rpc::response]
#[derive(Debug, PartialEq)]
pub struct DescribeVpcsResponse {
    pub request_id: String,
    pub total_count: Option<i32>,
    pub vpcs: Vec<Vpc>,
}

#[aliyun_rpc::response]
#[derive(Debug, PartialEq)]
pub struct Vpc {
    pub vpc_id: Option<String>,
    pub user_cidrs: Vec<String>,
}

/// The same answer without the list handling, as a new user writes it.
#[derive(Debug, serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PlainVpcsResponse {
    #[serde(default)]
    pub vpcs: Vec<PlainVpc>,
}

#[derive(Debug, serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PlainVpc {
    pub vpc_id: Option<String>,
}

#[derive(Debug, Clone, Request)]
#[rpc(product = "Vpc", version = "2016-04-28", action = "DescribeVpcs", response = DescribeVpcsResponse)]
pub struct DescribeVpcs {
    pub region_id: String,
}

#[derive(Debug, Clone, Request)]
#[rpc(product = "Vpc", version = "2016-04-28", action = "DescribeVpcs", response = PlainVpcsResponse)]
pub struct DescribeVpcsPlain {
    pub region_id: String,
}

fn ten_vpcs() -> EmulatorBuilder {
    Emulator::builder().handler("2016-04-28", "DescribeVpcs", |_| {
        let vpcs: Vec<Value> = (1..=10)
            .map(|i| json!({ "VpcId": format!("vpc-{i}"), "UserCidrs": { "UserCidr": ["10.0.0.0/8"] } }))
            .collect();
        Ok(json!({ "TotalCount": 10, "Vpcs": { "Vpc": vpcs } }))
    })
}

#[tokio::test]
async fn the_attribute_reads_json_and_xml_alike() {
    let emulator = start(ten_vpcs()).await;
    let mut answers = Vec::new();
    for format in [Format::Json, Format::Xml] {
        let client = build(builder(&emulator).format(format));
        match client.call(&DescribeVpcs::new("cn-hangzhou")).await {
            Ok(mut answer) => {
                answer.request_id.clear();
                answers.push(answer);
            }
            Err(e) => panic!("{format:?}: {e}"),
        }
    }
    assert_eq!(answers[0], answers[1]);
    assert_eq!(answers[0].vpcs.len(), 10);
    assert_eq!(answers[0].vpcs[9].vpc_id.as_deref(), Some("vpc-10"));
    assert_eq!(answers[0].vpcs[0].user_cidrs, ["10.0.0.0/8"]);
}

#[tokio::test]
async fn a_list_without_its_handling_is_an_error_naming_the_field_in_json_and_xml() {
    let emulator = start(ten_vpcs()).await;
    for format in [Format::Json, Format::Xml] {
        let client = build(builder(&emulator).format(format));
        let err = match client.call(&DescribeVpcsPlain::new("cn-hangzhou")).await {
            Err(e) => e,
            Ok(answer) => panic!(
                "{format:?} decoded {} item(s): {answer:?}",
                answer.vpcs.len()
            ),
        };
        assert!(matches!(err, Error::Decode { .. }), "{err:?}");
        assert_eq!(err.decode_path(), Some("Vpcs"), "{format:?}: {err}");
        let shown = err.to_string();
        assert!(shown.contains("at `Vpcs`"), "{shown}");
        assert!(shown.contains("aliyun_rpc::response::list"), "{shown}");
        assert!(shown.contains("#[aliyun_rpc::response]"), "{shown}");
    }
}

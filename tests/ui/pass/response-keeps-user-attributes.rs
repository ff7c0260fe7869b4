//! `#[aliyun_rpc::response]` beside the user's own derive, `rename_all` and a `Vec` field
//! with its own serde attribute: all kept, no warning.
#![deny(warnings)]

#[aliyun_rpc::response]
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeVpcsResponse {
    pub request_id: String,
    #[serde(default)]
    pub bare: Vec<String>,
    pub vpcs: Vec<String>,
}

fn main() {
    let r: DescribeVpcsResponse =
        serde_json::from_str(r#"{"RequestId":"R","Vpcs":{"Vpc":["a"]}}"#).unwrap();
    assert_eq!(r.vpcs, ["a"]);
    assert!(r.bare.is_empty());
    let _ = r.clone().request_id;
}

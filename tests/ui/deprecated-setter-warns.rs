#![deny(deprecated)]

use aliyun_rpc::Request;

#[derive(Debug, serde::Deserialize)]
pub struct Resp {}

#[derive(Debug, Clone, Request)]
#[rpc(product = "Ecs", version = "2014-05-26", action = "DescribeThings", response = Resp)]
pub struct DescribeThings {
    pub region_id: String,
    #[deprecated(note = "Aliyun ignores it; filter by `Tag` instead")]
    pub old_filter: Option<String>,
}

fn main() {
    // Allowed: the field is not used by name.
    let request = DescribeThings::new("cn-hangzhou");
    // Warns here, where the deprecated param is set, and nowhere else.
    let _ = request.old_filter("x");
}

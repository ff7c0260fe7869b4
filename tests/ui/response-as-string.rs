use aliyun_rpc::Request;

#[derive(serde::Deserialize)]
pub struct Resp {}

// One error: the rejected value, not also a missing `response`.
#[derive(Request)]
#[rpc(product = "Ecs", version = "2014-05-26", action = "DescribeRegions", response = "Resp")]
pub struct DescribeRegions {}

fn main() {}

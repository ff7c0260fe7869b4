use aliyun_rpc::Request;

#[derive(serde::Deserialize)]
pub struct Resp {}

#[derive(Request)]
pub struct DescribeRegions {}

fn main() {}

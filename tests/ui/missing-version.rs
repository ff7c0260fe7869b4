use aliyun_rpc::Request;

#[derive(serde::Deserialize)]
pub struct Resp {}

#[derive(Request)]
#[rpc(product = "Ecs", action = "DescribeRegions", response = Resp)]
pub struct DescribeRegions {}

fn main() {}

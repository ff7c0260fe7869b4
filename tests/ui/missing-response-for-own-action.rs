use aliyun_rpc::Request;

// The suggested response type is named after this struct's own action.
#[derive(Request)]
#[rpc(product = "Ecs", version = "2014-05-26", action = "DescribeZones")]
pub struct DescribeZones {}

fn main() {}

use aliyun_rpc::Request;

#[derive(serde::Deserialize)]
pub struct Resp {}

#[derive(Request)]
#[rpc(product = "Ecs", version = "2014-05-26", action = "DescribeInstances", response = Resp)]
pub struct DescribeInstances {
    #[rpc(min_items = 1)]
    pub instance_id: Option<String>,
}

fn main() {}

use aliyun_rpc::Request;

#[derive(serde::Deserialize)]
pub struct Resp {}

#[derive(Request)]
#[rpc(product = "Ecs", version = "2014-05-26", action = "DescribeInstances", response = Resp)]
pub struct DescribeInstances {
    #[rpc(name = "InstanceId", min_items = 5, max_items = 2)]
    pub instance_ids: Vec<String>,
}

fn main() {}

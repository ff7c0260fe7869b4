use aliyun_rpc::Request;

#[aliyun_rpc::response]
pub struct DescribeInstancesResponse {
    pub next_token: Option<String>,
    pub instances: Vec<Instance>,
}

#[aliyun_rpc::response]
pub struct Instance {
    pub instance_id: String,
}

#[derive(Clone, Request)]
#[rpc(product = "Ecs", version = "2014-05-26", action = "DescribeInstances",
      response = DescribeInstancesResponse, paginate(next_token, items = "instances", item = Instance))]
pub struct DescribeInstances {
    pub region_id: String,
    pub max_results: Option<i32>,
}

fn main() {}

use aliyun_rpc::Request;

#[aliyun_rpc::response]
pub struct DescribeInstancesResponse {
    pub next_token: Option<String>,
    pub instances: Vec<String>,
}

#[derive(Clone, Request)]
#[rpc(product = "Ecs", version = "2014-05-26", action = "DescribeInstances",
      response = DescribeInstancesResponse, paginate(next_token, items = "instances", item = u32))]
pub struct DescribeInstances {
    pub next_token: Option<String>,
}

fn main() {}

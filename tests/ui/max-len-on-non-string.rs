use aliyun_rpc::Request;

#[derive(serde::Deserialize)]
pub struct Resp {}

#[derive(Request)]
#[rpc(product = "Ecs", version = "2014-05-26", action = "DescribeRegions", response = Resp)]
pub struct DescribeRegions {
    #[rpc(max_len = 10)]
    pub page_size: Option<u32>,
}

fn main() {}

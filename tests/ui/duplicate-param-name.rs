use aliyun_rpc::Request;

#[derive(serde::Deserialize)]
pub struct Resp {}

#[derive(Request)]
#[rpc(product = "Ecs", version = "2014-05-26", action = "DescribeRegions", response = Resp)]
pub struct DescribeRegions {
    pub region_id: String,
    #[rpc(name = "RegionId")]
    pub region: String,
}

fn main() {}

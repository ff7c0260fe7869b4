use aliyun_rpc::Request;

#[derive(serde::Deserialize)]
pub struct Resp {}

pub struct Zone {
    pub id: String,
}

#[derive(Request)]
#[rpc(product = "Ecs", version = "2014-05-26", action = "DescribeRegions", response = Resp)]
pub struct DescribeRegions {
    #[rpc(json)]
    pub zone: Zone,
}

fn main() {}

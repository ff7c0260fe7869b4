use aliyun_rpc::Request;

#[derive(serde::Deserialize)]
pub struct Resp {}

#[derive(Request)]
#[rpc(product = "Ecs", version = "2014-05-26", action = "DescribeZones", response = Resp)]
pub struct DescribeZones {
    #[rpc(simple)]
    pub zone_id: Option<String>,
}

fn main() {}

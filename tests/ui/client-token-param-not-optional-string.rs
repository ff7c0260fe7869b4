use aliyun_rpc::Request;

#[derive(serde::Deserialize)]
pub struct Resp {}

#[derive(Request)]
#[rpc(product = "Ecs", version = "2014-05-26", action = "CreateSecurityGroup", response = Resp)]
pub struct CreateSecurityGroup {
    pub region_id: String,
    pub client_token: String,
}

fn main() {}

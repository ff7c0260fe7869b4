use aliyun_rpc::Request;

#[derive(serde::Deserialize)]
pub struct Resp {}

#[derive(Request)]
#[rpc(product = "Ecs", version = "2014-05-26", action = "CreateSecurityGroup", response = Resp)]
pub struct CreateSecurityGroup {
    #[rpc(client_token, name = "Token")]
    pub token: Option<String>,
    pub client_token: Option<String>,
}

fn main() {}

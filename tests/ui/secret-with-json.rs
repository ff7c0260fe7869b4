use aliyun_rpc::params::Secret;
use aliyun_rpc::Request;

#[derive(serde::Deserialize)]
pub struct Resp {}

#[derive(Debug, Request)]
#[rpc(product = "Ecs", version = "2014-05-26", action = "ModifyInstanceAttribute", response = Resp)]
pub struct ModifyInstanceAttribute {
    pub instance_id: String,
    #[rpc(secret, json)]
    pub password: Option<Secret<String>>,
}

fn main() {}

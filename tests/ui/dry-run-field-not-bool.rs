use aliyun_rpc::Request;

#[derive(serde::Deserialize)]
pub struct Resp {}

#[derive(Clone, Request)]
#[rpc(product = "Ecs", version = "2014-05-26", action = "StartInstance", response = Resp)]
pub struct StartInstance {
    pub instance_id: String,
    pub dry_run: Option<String>,
}

fn main() {}

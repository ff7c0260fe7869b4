use aliyun_rpc::Request;

#[derive(serde::Deserialize)]
pub struct Resp {}

#[derive(Request)]
#[rpc(product = "Ecs", version = "2014-05-26", action = "ModifyInstanceAttribute", response = Resp,
      idempotent = true)]
pub struct ModifyInstanceAttribute {
    pub instance_id: String,
}

fn main() {}

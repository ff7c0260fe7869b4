use aliyun_rpc::Params;

#[derive(Params)]
#[rpc(idempotent)]
pub struct Tag {
    pub key: String,
}

fn main() {}

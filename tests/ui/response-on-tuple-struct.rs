#[aliyun_rpc::response]
pub struct RequestId(pub String);

fn main() {}

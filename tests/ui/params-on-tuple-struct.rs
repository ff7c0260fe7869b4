use aliyun_rpc::Params;

#[derive(Params)]
pub struct Filter(String, String);

fn main() {}

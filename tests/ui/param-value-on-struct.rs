use aliyun_rpc::ParamValue;

#[derive(ParamValue)]
pub struct ActionType {
    pub name: String,
}

fn main() {}

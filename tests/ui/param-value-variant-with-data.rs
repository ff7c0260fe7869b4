use aliyun_rpc::ParamValue;

#[derive(ParamValue)]
pub enum ActionType {
    CreateEcs,
    Other(String),
}

fn main() {}

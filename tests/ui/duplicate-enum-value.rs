use aliyun_rpc::ParamValue;

#[derive(ParamValue)]
pub enum ActionType {
    CreateEcs,
    #[rpc(rename = "CreateEcs")]
    Create,
}

fn main() {}

use aliyun_rpc::ParamValue;

#[derive(ParamValue)]
pub enum InstanceStatus {
    Running,
    #[rpc(other)]
    Other(String),
    #[rpc(other)]
    Unknown(String),
}

fn main() {}

use aliyun_rpc::ParamValue;

#[derive(ParamValue)]
pub enum InstanceStatus {
    Running,
    #[rpc(other)]
    Unknown,
}

fn main() {}

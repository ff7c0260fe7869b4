use aliyun_rpc::ParamValue;

#[derive(ParamValue)]
pub enum Bandwidth {
    #[rpc(rename = "100")]
    Hundred,
    #[rpc(other)]
    Other(u32),
}

fn main() {}

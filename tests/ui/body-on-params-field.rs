use aliyun_rpc::Params;

#[derive(Params)]
pub struct Listener {
    #[rpc(body)]
    pub port: u16,
}

fn main() {}

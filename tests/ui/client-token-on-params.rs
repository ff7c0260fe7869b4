use aliyun_rpc::Params;


#[derive(Params)]
pub struct Tag {
    #[rpc(client_token)]
    pub client_token: Option<String>,
}

fn main() {}

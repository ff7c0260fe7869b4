#[aliyun_rpc::response]
pub enum Status {
    Running,
    Stopped,
}

fn main() {}

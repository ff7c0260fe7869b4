use aliyun_rpc::Params;

pub struct Zone {
    pub id: String,
}

#[derive(Params)]
pub struct Placement {
    pub zones: Vec<Zone>,
}

fn main() {}

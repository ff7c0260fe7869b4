use aliyun_rpc::{Params, Request};

#[derive(serde::Deserialize)]
pub struct Resp {}

#[derive(Params)]
pub struct Tag {
    pub key: String,
}

#[derive(Request)]
#[rpc(product = "Ecs", version = "2014-05-26", action = "TagResources", response = Resp)]
pub struct TagResources {
    #[rpc(simple)]
    pub tags: Vec<Tag>,
}

fn main() {}

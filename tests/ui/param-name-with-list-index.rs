use aliyun_rpc::Request;

#[derive(serde::Deserialize)]
pub struct Resp {}

// The index belongs to a list of nested structs; one error, not a second one for the push method.
#[derive(Request)]
#[rpc(product = "Ecs", version = "2014-05-26", action = "DescribeRegions", response = Resp)]
pub struct DescribeRegions {
    #[rpc(name = "Filter.1.Key")]
    pub filter_keys: Vec<String>,
}

fn main() {}

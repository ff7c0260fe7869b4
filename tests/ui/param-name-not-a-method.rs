use aliyun_rpc::Request;

#[derive(serde::Deserialize)]
pub struct Resp {}

// A list field gets a push method named after its wire name: `R#foo` cannot name one.
#[derive(Request)]
#[rpc(product = "Ecs", version = "2014-05-26", action = "DescribeRegions", response = Resp)]
pub struct DescribeRegions {
    #[rpc(name = "R#foo")]
    pub items: Vec<String>,
}

fn main() {}

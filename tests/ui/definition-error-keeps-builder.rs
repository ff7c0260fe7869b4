use aliyun_rpc::Request;

#[derive(serde::Deserialize)]
pub struct Resp {}

// The one mistake is `max_items` on a field that is not a list. Beside our error the derive
// still emits `new` and the setters, so the calls in `main` add no errors of their own.
#[derive(Request)]
#[rpc(product = "Ecs", version = "2014-05-26", action = "DescribeRegions", response = Resp)]
pub struct DescribeRegions {
    pub region_id: String,
    #[rpc(max_items = 5)]
    pub image_id: Option<String>,
    #[rpc(name = "Filter")]
    pub filters: Vec<String>,
}

fn main() {
    let _ = DescribeRegions::new("cn-hangzhou")
        .image_id("m-1")
        .filter("a");
}

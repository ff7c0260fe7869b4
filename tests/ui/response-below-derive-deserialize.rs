// The attribute does not see a derive written above it, so it adds a second
// `Deserialize`; the docs say to put it above the derive.
#[derive(Debug, serde::Deserialize)]
#[aliyun_rpc::response]
pub struct DescribeVpcsResponse {
    pub request_id: String,
}

fn main() {}

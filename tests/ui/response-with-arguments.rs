#[aliyun_rpc::response(rename_all = "camelCase")]
pub struct DescribeVpcsResponse {
    pub request_id: String,
}

fn main() {}

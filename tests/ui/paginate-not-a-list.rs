use aliyun_rpc::Request;

#[aliyun_rpc::response]
pub struct DescribeVpcsResponse {
    pub vpcs: Vec<String>,
}

#[derive(Clone, Request)]
#[rpc(product = "Vpc", version = "2016-04-28", action = "DescribeVpcs",
      response = DescribeVpcsResponse, paginate = "page_number")]
pub struct DescribeVpcs {
    pub page_number: Option<i32>,
}

fn main() {}

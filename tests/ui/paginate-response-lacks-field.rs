use aliyun_rpc::Request;

// `page_number` pagination reads `page_number`, `page_size` and `total_count`: this
// response has no `total_count`.
#[aliyun_rpc::response]
pub struct DescribeVpcsResponse {
    pub page_number: Option<i32>,
    pub page_size: Option<i32>,
    pub vpcs: Vec<String>,
}

#[derive(Clone, Request)]
#[rpc(product = "Vpc", version = "2016-04-28", action = "DescribeVpcs",
      response = DescribeVpcsResponse, paginate(page_number, items = "vpcs", item = String))]
pub struct DescribeVpcs {
    pub page_number: Option<i32>,
}

fn main() {}

//! The seed API, ECS `DescribeImageSupportInstanceTypes` (2014-05-26), as users of
//! aliyun-rpc write it: one request struct, its nested params, and the response.
//! Shared by the main example, the throughput harness and the benches (`#[path]`-included),
//! and by the end-to-end tests through `tests/common/mod.rs`, their one include of it.

use aliyun_rpc::response;
use aliyun_rpc::{ParamValue, Params, Request};
use serde::Deserialize;

/// Lists the instance types an image can run on.
#[derive(Debug, Clone, Request)]
#[rpc(
    product = "Ecs",
    version = "2014-05-26",
    action = "DescribeImageSupportInstanceTypes",
    response = DescribeImageSupportInstanceTypesResponse
)]
pub struct DescribeImageSupportInstanceTypes {
    /// The region of the image, e.g. `cn-hangzhou`.
    pub region_id: String,
    /// What the instance types are for (`CreateEcs` by default).
    pub action_type: Option<ActionType>,
    /// Filters on the image (`CreationStartTime`, …).
    #[rpc(name = "Filter", max_items = 50)]
    pub filters: Vec<Filter>,
    /// The image.
    pub image_id: Option<String>,
}

/// One `Filter.N.Key` / `Filter.N.Value` pair.
#[derive(Debug, Clone, Params)]
pub struct Filter {
    /// The filter key.
    pub key: String,
    /// The filter value.
    pub value: String,
}

/// The scenario the instance types are needed for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ParamValue)]
pub enum ActionType {
    /// Creating an instance (the default).
    CreateEcs,
    /// Upgrading an instance type.
    Upgrade,
    /// Downgrading an instance type.
    Downgrade,
    /// Downgrading on renewal.
    RenewDowngrade,
}

/// The answer, from JSON or XML alike.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeImageSupportInstanceTypesResponse {
    /// The request id.
    pub request_id: String,
    /// The region of the image.
    pub region_id: String,
    /// The image.
    pub image_id: String,
    /// The instance types the image supports.
    #[serde(default, deserialize_with = "response::list")]
    pub instance_types: Vec<InstanceType>,
}

/// One supported instance type.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct InstanceType {
    /// E.g. `ecs.t1.xsmall`.
    pub instance_type_id: String,
    /// vCPUs.
    pub cpu_core_count: u32,
    /// Memory in GiB.
    pub memory_size: f64,
    /// E.g. `ecs.t1`.
    pub instance_type_family: String,
}

/// Renders the instance types as a fixed-width table.
#[allow(dead_code)]
pub fn instance_type_table(types: &[InstanceType]) -> String {
    let width = types
        .iter()
        .map(|t| t.instance_type_id.len())
        .max()
        .unwrap_or(0)
        .max(13);
    let mut out = format!(
        "{:<width$}  {:<10}  {:>4}  {:>12}\n",
        "INSTANCE TYPE", "FAMILY", "VCPU", "MEMORY (GiB)"
    );
    for t in types {
        out.push_str(&format!(
            "{:<width$}  {:<10}  {:>4}  {:>12}\n",
            t.instance_type_id, t.instance_type_family, t.cpu_core_count, t.memory_size
        ));
    }
    out
}

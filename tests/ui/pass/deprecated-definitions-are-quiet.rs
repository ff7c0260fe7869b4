//! Deprecated structs, fields and variants compile without a warning: the derives' own
//! output never uses them where rustc would warn.
#![deny(warnings)]

use aliyun_rpc::{ParamValue, Params, Request};

#[derive(Debug, serde::Deserialize)]
pub struct Resp {}

#[derive(Debug, Clone, Copy, ParamValue)]
pub enum Kind {
    Current,
    #[deprecated]
    Legacy,
}

#[derive(Debug, Clone, ParamValue)]
#[deprecated = "use `Kind`"]
pub enum OldKind {
    A,
    #[rpc(other)]
    Other(String),
}

#[derive(Debug, Clone, Params)]
#[deprecated]
pub struct OldFilter {
    #[deprecated]
    pub key: String,
}

#[derive(Debug, Clone, Request)]
#[rpc(product = "Ecs", version = "2014-05-26", action = "DescribeThings", response = Resp)]
#[deprecated(note = "use `DescribeThings2`")]
pub struct DescribeThings {
    pub region_id: String,
    #[deprecated]
    pub old_required: String,
    #[deprecated(since = "2020-01-01")]
    pub old: Option<String>,
    #[deprecated]
    #[rpc(name = "OldId", simple)]
    pub old_ids: Vec<String>,
    #[deprecated]
    pub labels: std::collections::BTreeMap<String, String>,
    pub kind: Option<Kind>,
}

fn main() {}

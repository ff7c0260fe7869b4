//! Typed, compile-time-checked calls to Alibaba Cloud (Aliyun) RPC-style APIs.
//!
//! Write one struct per API action, derive [`Request`], and get:
//!
//! - query serialization, with `Filter.N.Key` list flattening ([`params`]);
//! - a constructor that takes every required param, and a setter for each optional one;
//! - compile-time errors for every mistake in the definition.
//!
//! ```
//! use aliyun_rpc::{ParamValue, Params, Request};
//!
//! #[derive(Debug, serde::Deserialize)]
//! pub struct Response {}
//!
//! #[derive(Debug, Clone, Request)]
//! #[rpc(product = "Ecs", version = "2014-05-26", action = "DescribeImageSupportInstanceTypes",
//!       response = Response)]
//! pub struct DescribeImageSupportInstanceTypes {
//!     pub region_id: String,
//!     pub action_type: Option<ActionType>,
//!     #[rpc(name = "Filter", max_items = 50)]
//!     pub filters: Vec<Filter>,
//!     pub image_id: Option<String>,
//! }
//!
//! #[derive(Debug, Clone, Params)]
//! pub struct Filter { pub key: String, pub value: String }
//!
//! #[derive(Debug, Clone, Copy, ParamValue)]
//! pub enum ActionType { CreateEcs, Upgrade, Downgrade, RenewDowngrade }
//!
//! let req = DescribeImageSupportInstanceTypes::new("cn-hangzhou")
//!     .image_id("m-imageid1")
//!     .filter(Filter { key: "CreationStartTime".into(), value: "2017-12-05T22:40:00Z".into() });
//! assert_eq!(req.to_params()[0], ("RegionId".to_owned(), "cn-hangzhou".to_owned()));
//! ```
#![warn(missing_docs, missing_debug_implementations)]
#![forbid(unsafe_code)]

pub use aliyun_rpc_runtime::{error, params, request};
pub use aliyun_rpc_runtime::{
    Error, Flatten, Method, ParamSink, ParamValue, ParamWriter, Params, ParseEnumError, Request,
};

/// Derives [`Request`](trait@Request) for a struct of business params.
///
/// See the crate docs for an example and `aliyun-rpc-macros` for every attribute.
pub use aliyun_rpc_macros::Request;

/// Derives [`Params`](trait@Params) for a struct nested in a request (`Name.Field`).
pub use aliyun_rpc_macros::Params;

/// Derives [`ParamValue`](trait@ParamValue), `Display` and `FromStr` for a unit-only enum.
pub use aliyun_rpc_macros::ParamValue;

#[doc(hidden)]
pub use aliyun_rpc_runtime::__private;

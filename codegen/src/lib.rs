//! Rust types for [aliyun-rpc](https://docs.rs/aliyun-rpc) from Aliyun's API metadata
//! (`api-docs.json`): a library for build scripts ([`Config`]) and the binary
//! `aliyun-rpc-gen` over the same library.
//!
//! Per action it writes the structs a user would write by hand with the derives: a request
//! struct named like the action (`#[derive(Request)]`), `Params` structs for objects and list
//! items, `ParamValue` enums for enumerated strings (open to values Aliyun adds later), and
//! a response struct `{Action}Response` (`serde::Deserialize`, JSON and XML alike). The
//! naming and typing rules are in the crate's README.
//!
//! ```
//! use aliyun_rpc_codegen::Config;
//!
//! let json = r#"{"info": {"product": "Ecs", "version": "2014-05-26", "style": "RPC"},
//!   "apis": {"DescribeRegions": {"methods": ["post", "get"],
//!     "systemTags": {"operationType": "get"},
//!     "parameters": [{"name": "RegionId", "in": "query", "schema": {"type": "string", "required": true}}],
//!     "responses": {"200": {"schema": {"type": "object", "properties": {
//!       "RequestId": {"type": "string"}}}}}}}}"#;
//! let code = Config::new().api_docs_str("ecs.json", json).generate()?;
//! assert!(code.contains("pub region_id: ::std::string::String,"));
//! assert!(code.contains("idempotent"));
//! assert!(code.contains("pub request_id: ::std::option::Option<::std::string::String>,"));
//! # Ok::<(), aliyun_rpc_codegen::Error>(())
//! ```
#![warn(missing_docs, missing_debug_implementations)]
#![forbid(unsafe_code)]

mod config;
mod context;
mod docs;
mod emit;
mod error;
mod fields;
mod ir;
mod lower;
mod naming;
mod paginate;
mod registry;
mod request;
mod response;

pub use config::Config;
pub use error::{Error, UnknownAction};

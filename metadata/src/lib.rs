//! A typed model of Aliyun's API metadata, the OpenAPI-Explorer `api-docs.json` files
//! (`https://api.aliyun.com/meta/v1/products/{Product}/versions/{Version}/api-docs.json`),
//! shared by the code generator (`aliyun-rpc-codegen`) and the emulator's schema mode.
//!
//! A document is parsed once and normalised in one pass ([`normalise`] lists each quirk of
//! the source and the rule that resolves it), so that its users see one entry per parameter,
//! no dotted parameter names, numbers as numbers and unknown values as `Unknown(..)`.
//!
//! ```
//! use aliyun_rpc_metadata::{vendored, ApiDocs, Location, Style};
//!
//! let ecs = ApiDocs::from_json_named(vendored::ECS_2014_05_26, vendored::ECS_2014_05_26_FILE)?;
//! let run = &ecs.apis["RunInstances"];
//! // `SystemDisk.Size` is listed as its own parameter beside the `flat` object `SystemDisk`;
//! // normalised, it is a property of the object.
//! let disk = run.parameter("SystemDisk").unwrap();
//! assert_eq!(disk.style, Some(Style::Flat));
//! assert_eq!(disk.location, Location::Query);
//! assert!(disk.schema.properties.contains_key("Size"));
//! assert!(disk.schema.properties.contains_key("KMSKeyId"));
//! assert!(run.parameter("SystemDisk.Size").is_none());
//! # Ok::<(), aliyun_rpc_metadata::Error>(())
//! ```
#![warn(missing_docs, missing_debug_implementations)]
#![forbid(unsafe_code)]

mod error;
mod load;
mod model;
pub mod normalise;
mod raw;
pub mod vendored;

pub use error::Error;
pub use load::DEFAULT_FILE_LIMIT;
pub use model::{
    Api, ApiDocs, ApiStyle, Endpoint, ErrorCode, HttpMethod, Info, Location, Number, OperationType,
    Parameter, ResponseDemo, Schema, Style, Type,
};

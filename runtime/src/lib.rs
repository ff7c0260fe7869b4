//! Runtime for [`aliyun-rpc`](https://docs.rs/aliyun-rpc): the parameter model that the
//! derives target, request signing, the client, and the error type.
//!
//! Most users depend on the `aliyun-rpc` facade crate, which re-exports everything here
//! together with the derive macros.
#![warn(missing_docs, missing_debug_implementations)]
#![forbid(unsafe_code)]

#[cfg(feature = "blocking")]
pub mod blocking;
pub mod client;
pub mod credentials;
pub mod endpoint;
pub mod error;
pub mod limits;
pub mod paginate;
pub mod params;
pub mod response;
pub mod signing;
pub mod wire;

mod constraints;
mod decode_struct;
mod encoding;
mod fields;
mod format;
mod keys;
mod lost_lists;
mod network;
mod redact;
mod request;
mod retry;
mod untrusted;

/// Items the derive macros' generated code names, as `::aliyun_rpc::__private::…`
/// (or `<crate>::__private::…` with `#[rpc(crate = "…")]`). Not a public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::constraints::*;
    pub use crate::decode_struct::{decode_struct, read_list, read_value, DecodeStruct, ListSeed};
    pub use crate::error::ParseEnumError;
    pub use crate::fields::{
        validate_fields, write_fields, Field, FieldCheck, FieldValue, Fields, JsonOption,
        JsonValue, NO_CHECKS,
    };
    pub use crate::paginate::fields::*;
    pub use crate::paginate::{PageInfo, Paginate};
    pub use crate::params::{Flatten, KeyPath, ParamWriter};
    pub use crate::{DryRun, Error, Method, ParamValue, Params, Request};
    /// serde, for `#[aliyun_rpc::response]`'s `#[derive(Deserialize)]`.
    pub use serde;
}

// What a first program types, at the root only: each item is defined in a module that is
// not public (or not public at that item), so it has exactly one public path.
pub use client::builder::ClientBuilder;
pub use client::handle::Client;
pub use error::api::ApiError;
pub use error::variants::Error;
pub use format::Format;
pub use keys::Credentials;
pub use network::Network;
pub use params::traits::{ParamValue, Params};
pub use request::{DryRun, Method, Request};
pub use retry::RetryPolicy;

//! Runtime for [`aliyun-rpc`](https://docs.rs/aliyun-rpc): the parameter model that the
//! derives target, request signing, the client, and the error type.
//!
//! Most users depend on the `aliyun-rpc` facade crate, which re-exports everything here
//! together with the derive macros.
#![warn(missing_docs, missing_debug_implementations)]
#![forbid(unsafe_code)]

pub mod client;
pub mod credentials;
pub mod endpoint;
pub mod error;
pub mod params;
pub mod request;
pub mod response;
pub mod retry;
pub mod signing;
pub mod wire;

mod constraints;
mod encoding;
mod keys;

/// Items the derive macros' generated code names, as `::aliyun_rpc::__private::…`
/// (or `<crate>::__private::…` with `#[rpc(crate = "…")]`). Not a public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::constraints::*;
    pub use crate::error::{Error, ParseEnumError};
    pub use crate::params::{Flatten, KeyPath, ParamValue, ParamWriter, Params};
    pub use crate::request::{Method, Request};
    pub use core;
    pub use std;
}

pub use client::{Client, ClientBuilder, PreparedRequest};
pub use credentials::{CachedProvider, Credentials, DefaultChain, ProvideCredentials};
pub use error::{ApiError, Error, ParseEnumError, SignatureMismatch, TransportKind};
pub use params::{Flatten, ParamValue, ParamWriter, Params};
pub use request::{Method, Request};
pub use retry::RetryPolicy;
pub use wire::Format;

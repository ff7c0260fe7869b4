//! The flat-parameter model: how a typed value becomes `Name.1.Key=value` pairs.
//!
//! Aliyun's RPC APIs take a flat list of `key=value` params. Structured values are
//! flattened by the same rules the official SDKs use:
//!
//! | Rust value | wire params |
//! | --- | --- |
//! | `String`, `&str`, `Cow<str>` | `Name=value` as it is (encoding happens only when signing) |
//! | integers | `Name=42` |
//! | `f32`, `f64` | shortest round-trip decimal, `Name=0.5`; a non-finite float fails validation |
//! | `bool` | `Name=true` / `Name=false` |
//! | `None`, empty list, empty map | nothing at all (never `Name=`) |
//! | `Vec<T>`, `[T]`, `&[T]` | `Name.1`, `Name.2`, … (1-based; a `None` item keeps the other indices) |
//! | a [`Params`](crate::Params) struct | `Name.Field` (in a list: `Name.N.Field`) |
//! | `BTreeMap` / `HashMap` with string keys | `Name.key`, keys in byte order |
//!
//! [`ParamWriter`] carries the current key in one reusable buffer and hands each finished
//! pair on, so flattening builds no intermediate maps. Validation walks the same shape and
//! names a bad value by its [`KeyPath`] (`Filter.3.Value`).
//!
//! A hand-written impl speaks these types only: [`ParamValue`] for a scalar, [`Params`](crate::Params)
//! for a struct of params (the derive also implements [`Flatten`] for it).

mod impls;
mod path;
mod secret;
pub(crate) mod traits;
mod writer;

pub use path::KeyPath;
pub use secret::Secret;
pub use traits::Flatten;
pub(crate) use traits::ParamValue;
#[cfg(test)]
pub(crate) use writer::flagged as writer_flagged;
pub use writer::ParamWriter;
pub(crate) use writer::{PairFlags, PairSink};

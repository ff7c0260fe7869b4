//! The client's parts besides [`Client`] and [`ClientBuilder`](crate::ClientBuilder) (both
//! at the crate root): a signed, unsent
//! [`PreparedRequest`], the [`SignatureVersion`] a client signs with, and the streams of a
//! listing, [`Pages`] and [`Items`].
//!
//! A call is checked once, then signed, sent and decoded per attempt, with retries. One
//! concept per file: `handle.rs` (the `Client` handle), `settings.rs` and
//! `builder.rs` (the settings and their builder), `signature.rs` ([`SignatureVersion`]),
//! `prepare.rs` (the one place a request is signed), `call.rs` (the retry and clock-skew
//! loop, its tracing), `transport.rs` (the HTTP exchange), `prepared.rs`
//! ([`PreparedRequest`]).

pub(crate) mod builder;
mod call;
mod dry_run;
pub(crate) mod handle;
mod pages;
mod prepare;
mod prepared;
mod proxy;
mod settings;
mod signature;
mod transport;

pub(crate) use handle::Client;
use handle::{header_str, Inner};
pub use pages::{Items, Pages};
pub use prepared::PreparedRequest;
pub use signature::SignatureVersion;

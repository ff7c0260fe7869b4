//! Derive macros for [`aliyun-rpc`](https://docs.rs/aliyun-rpc): `Request`, `Params` and
//! `ParamValue`, and the attribute `response`. Use them through the `aliyun-rpc` facade,
//! whose re-exports document every attribute with runnable examples.
//!
//! Each derive runs parse (`ast.rs`, `attr.rs`) → check (`check.rs`) → expand (`expand.rs`),
//! collecting every error in one `Ctxt` (`ctxt.rs`).

mod ast;
mod attr;
mod check;
mod ctxt;
mod expand;
mod response;
mod symbol;

use proc_macro::TokenStream;
use syn::{parse_macro_input, DeriveInput};

use crate::ast::Derive;

/// Derives `aliyun_rpc::Request`, a constructor taking every required param, and setters.
#[proc_macro_derive(Request, attributes(rpc))]
pub fn derive_request(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand::derive(&input, Derive::Request).into()
}

/// Derives `aliyun_rpc::Params` and `Flatten` for a nested struct, a constructor, and setters.
#[proc_macro_derive(Params, attributes(rpc))]
pub fn derive_params(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand::derive(&input, Derive::Params).into()
}

/// Derives `aliyun_rpc::ParamValue`, `as_str`, `Display` and `FromStr` for an enum of unit
/// variants and at most one `#[rpc(other)] Other(String)` catch-all.
#[proc_macro_derive(ParamValue, attributes(rpc))]
pub fn derive_param_value(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand::derive(&input, Derive::ParamValue).into()
}

/// Makes a struct an Aliyun response type: adds `#[derive(Deserialize)]` (unless derived),
/// `#[serde(rename_all = "PascalCase")]` (unless set), and list handling on every `Vec` field
/// without a `#[serde(...)]` of its own. Documented on the facade's re-export.
#[proc_macro_attribute]
pub fn response(args: TokenStream, input: TokenStream) -> TokenStream {
    response::expand(args.into(), input.into()).into()
}

/// The macros' list of common params (`symbol::COMMON_PARAMS`) as an array of `&str`, so
/// that a runtime test can pin it equal to `aliyun_rpc::wire::COMMON_PARAMS` (this crate
/// cannot depend on the runtime). Not a public API.
#[doc(hidden)]
#[proc_macro]
pub fn __common_params(input: TokenStream) -> TokenStream {
    let input = proc_macro2::TokenStream::from(input);
    if !input.is_empty() {
        return syn::Error::new_spanned(input, "`__common_params!` takes no input")
            .to_compile_error()
            .into();
    }
    let names = symbol::COMMON_PARAMS;
    quote::quote!([#(#names),*]).into()
}

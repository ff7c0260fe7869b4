//! Derive macros for `aliyun-rpc`. Placeholder entry points.
use proc_macro::TokenStream;

/// Derives `aliyun_rpc::Request`.
#[proc_macro_derive(Request, attributes(rpc))]
pub fn derive_request(_input: TokenStream) -> TokenStream {
    TokenStream::new()
}

/// Derives `aliyun_rpc::Params`.
#[proc_macro_derive(Params, attributes(rpc))]
pub fn derive_params(_input: TokenStream) -> TokenStream {
    TokenStream::new()
}

/// Derives `aliyun_rpc::ParamValue`.
#[proc_macro_derive(ParamValue, attributes(rpc))]
pub fn derive_param_value(_input: TokenStream) -> TokenStream {
    TokenStream::new()
}

//! `#[aliyun_rpc::response]`: the serde attributes every Aliyun response struct needs,
//! written once. Reads the struct (parse), reports misuse into one `Ctxt` (check), then adds
//! the attributes (expand); the struct is otherwise emitted as written.
//!
//! - `#[serde(rename_all = "PascalCase")]`, unless the struct has its own `rename_all`;
//! - `#[derive(Deserialize)]` (serde's, through `::aliyun_rpc::__private::serde`, so that the
//!   user needs no `serde` dependency), unless the struct derives a `Deserialize` already
//!   (in a `#[derive]` below this attribute: one above it is not part of our input);
//! - on every `Vec<T>` field without a `#[serde(...)]` of its own,
//!   `#[serde(default, deserialize_with = "::aliyun_rpc::response::list")]`.

use proc_macro2::TokenStream;
use quote::{quote, ToTokens};
use syn::punctuated::Punctuated;
use syn::{parse_quote, Attribute, Fields, Item, ItemStruct, Meta, Path, Token, Type};

use crate::ctxt::Ctxt;

const USAGE: &str = "`#[aliyun_rpc::response]` goes on a struct with named fields, like `#[aliyun_rpc::response] pub struct DescribeVpcsResponse { pub request_id: String }`";

/// Parse, check and expand `#[aliyun_rpc::response]` with `args` on `input`.
pub fn expand(args: TokenStream, input: TokenStream) -> TokenStream {
    let cx = Ctxt::new();
    if !args.is_empty() {
        cx.error_spanned_by(
            &args,
            "`#[aliyun_rpc::response]` takes no arguments; write `#[aliyun_rpc::response]`",
        );
    }
    let item = match syn::parse2::<Item>(input.clone()) {
        Ok(Item::Struct(s)) => Some(s),
        Ok(Item::Enum(e)) => {
            cx.error_spanned_by(e.enum_token, USAGE);
            None
        }
        Ok(Item::Union(u)) => {
            cx.error_spanned_by(u.union_token, USAGE);
            None
        }
        Ok(other) => {
            cx.error_spanned_by(other, USAGE);
            None
        }
        Err(e) => {
            cx.syn_error(e);
            None
        }
    };
    if let Some(s) = &item {
        match &s.fields {
            Fields::Named(_) => {}
            Fields::Unnamed(f) => cx.error_spanned_by(f, USAGE),
            Fields::Unit => cx.error_spanned_by(&s.ident, USAGE),
        }
    }
    match (cx.check(), item) {
        (Ok(()), Some(s)) => expand_struct(s),
        (Err(err), _) => {
            // The input as written beside the error, so that uses of the type still resolve.
            let errors = err.to_compile_error();
            quote!(#errors #input)
        }
        (Ok(()), None) => input,
    }
}

fn expand_struct(mut s: ItemStruct) -> TokenStream {
    let serde: Path = parse_quote!(::aliyun_rpc::__private::serde);
    let mut added: Vec<Attribute> = Vec::new();
    if !derives_deserialize(&s.attrs) {
        let krate = serde.to_token_stream().to_string().replace(' ', "");
        added.push(parse_quote!(#[derive(#serde::Deserialize)]));
        added.push(parse_quote!(#[serde(crate = #krate)]));
    }
    if !has_serde_key(&s.attrs, "rename_all") {
        added.push(parse_quote!(#[serde(rename_all = "PascalCase")]));
    }
    // Before the user's attributes, so that our derive is in place when theirs run.
    added.append(&mut s.attrs);
    s.attrs = added;
    for field in s.fields.iter_mut() {
        if is_vec(&field.ty) && !field.attrs.iter().any(|a| a.path().is_ident("serde")) {
            field.attrs.push(parse_quote!(
                #[serde(default, deserialize_with = "::aliyun_rpc::response::list")]
            ));
        }
    }
    s.into_token_stream()
}

/// Whether a `#[derive(...)]` lists a path ending in `Deserialize`.
fn derives_deserialize(attrs: &[Attribute]) -> bool {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("derive"))
        .filter_map(|a| {
            a.parse_args_with(Punctuated::<Path, Token![,]>::parse_terminated)
                .ok()
        })
        .flatten()
        .any(|p| p.segments.last().is_some_and(|s| s.ident == "Deserialize"))
}

/// Whether a `#[serde(...)]` sets `key`.
fn has_serde_key(attrs: &[Attribute], key: &str) -> bool {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("serde"))
        .filter_map(|a| match &a.meta {
            Meta::List(list) => list
                .parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
                .ok(),
            _ => None,
        })
        .flatten()
        .any(|m| m.path().is_ident(key))
}

/// `Vec<T>` (any path ending in `Vec` with one type argument).
fn is_vec(ty: &Type) -> bool {
    match ty {
        Type::Path(p) if p.qself.is_none() => p.path.segments.last().is_some_and(|s| {
            s.ident == "Vec"
                && matches!(&s.arguments, syn::PathArguments::AngleBracketed(a) if a.args.len() == 1)
        }),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expanded(input: TokenStream) -> String {
        expand(TokenStream::new(), input).to_string()
    }

    #[test]
    fn adds_derive_rename_and_list_handling() {
        let out = expanded(quote! {
            #[derive(Debug)]
            pub struct R { pub request_id: String, pub vpcs: Vec<Vpc>, #[serde(default)] pub ids: Vec<String> }
        });
        assert!(
            out.contains("derive (:: aliyun_rpc :: __private :: serde :: Deserialize)"),
            "{out}"
        );
        assert!(out.contains("rename_all = \"PascalCase\""), "{out}");
        assert_eq!(
            out.matches("::aliyun_rpc::response::list").count(),
            1,
            "{out}"
        );
        assert!(out.contains("# [serde (default)] pub ids"), "{out}");
    }

    #[test]
    fn keeps_the_users_derive_and_rename_all() {
        let out = expanded(quote! {
            #[derive(Debug, serde::Deserialize)]
            #[serde(rename_all = "camelCase")]
            pub struct R { pub request_id: String }
        });
        assert!(!out.contains("__private :: serde :: Deserialize"), "{out}");
        assert!(!out.contains("PascalCase"), "{out}");
    }
}

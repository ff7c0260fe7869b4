//! The items → tokens (quote) → a syn file → formatted text (prettyplease).
//!
//! Generated code names everything by absolute path (`::aliyun_rpc::Request`,
//! `::std::string::String`, `::serde::Deserialize`), so it compiles in any module of a crate
//! that depends on `aliyun-rpc` and `serde` (with its `derive` feature).

use aliyun_rpc_metadata::Number;
use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use crate::ir::*;
use crate::Error;

/// The formatted module: `header` (a comment line) and the items.
pub fn file(header: &str, items: Vec<TypeDef>) -> Result<String, Error> {
    let mut out = String::with_capacity(header.len() + 2048 * items.len());
    out.push_str(header);
    out.push('\n');
    for def in &items {
        let tokens = item(def).map_err(|message| Error::Internal {
            action: def.name.clone(),
            message,
        })?;
        // A definition may be several items (a response struct and its impls); one file per
        // definition keeps a blank line between definitions.
        let file = syn::parse2::<syn::File>(tokens).map_err(|e| Error::Internal {
            action: def.name.clone(),
            message: e.to_string(),
        })?;
        out.push('\n');
        out.push_str(&prettyplease::unparse(&file));
    }
    Ok(out)
}

fn ident(name: &str) -> Result<Ident, String> {
    syn::parse_str::<Ident>(name).map_err(|e| format!("`{name}` is not an identifier: {e}"))
}

fn docs(lines: &[String]) -> TokenStream {
    let lines = lines.iter().map(|l| {
        let text = if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        };
        quote!(#[doc = #text])
    });
    quote!(#(#lines)*)
}

fn deprecated(yes: bool) -> TokenStream {
    if yes {
        quote!(#[deprecated])
    } else {
        TokenStream::new()
    }
}

fn ty(t: &Ty) -> Result<TokenStream, String> {
    Ok(match t {
        Ty::Str => quote!(::std::string::String),
        Ty::I32 => quote!(i32),
        Ty::I64 => quote!(i64),
        Ty::F64 => quote!(f64),
        Ty::Bool => quote!(bool),
        Ty::Named(name) => {
            let name = ident(name)?;
            quote!(#name)
        }
        Ty::Vec(inner) => {
            let inner = ty(inner)?;
            quote!(::std::vec::Vec<#inner>)
        }
        Ty::Option(inner) => {
            let inner = ty(inner)?;
            quote!(::std::option::Option<#inner>)
        }
        Ty::Secret(inner) => {
            let inner = ty(inner)?;
            quote!(::aliyun_rpc::params::Secret<#inner>)
        }
        Ty::StrMap => {
            quote!(::std::collections::BTreeMap<::std::string::String, ::std::string::String>)
        }
        Ty::Ignored => quote!(::serde::de::IgnoredAny),
    })
}

fn item(def: &TypeDef) -> Result<TokenStream, String> {
    let doc = docs(&def.doc);
    let dep = deprecated(def.deprecated);
    let name = ident(&def.name)?;
    Ok(match &def.kind {
        Kind::Request(r) => {
            let product = &r.product;
            let version = &r.version;
            let action = &r.action;
            let response = ident(&r.response)?;
            let method = r.method.map(|m| quote!(, method = #m));
            let idempotent = r.idempotent.then(|| quote!(, idempotent));
            let paginate = match &r.paginate {
                Some(p) => {
                    let convention = ident(p.convention)?;
                    let items = &p.items;
                    let item = ty(&p.item)?;
                    Some(quote!(, paginate(#convention, items = #items, item = #item)))
                }
                None => None,
            };
            let fields = param_fields(&r.fields)?;
            quote! {
                #doc
                #[derive(Debug, Clone, ::aliyun_rpc::Request)]
                #[rpc(product = #product, version = #version, action = #action, response = #response #method #idempotent #paginate)]
                #dep
                pub struct #name { #fields }
            }
        }
        Kind::Params(fields) => {
            let fields = param_fields(fields)?;
            quote! {
                #doc
                #[derive(Debug, Clone, ::aliyun_rpc::Params)]
                #dep
                pub struct #name { #fields }
            }
        }
        Kind::Json(fields) => {
            let mut out = Vec::with_capacity(fields.len());
            for f in fields {
                let doc = docs(&f.doc);
                let field = ident(&f.ident)?;
                let t = ty(&f.ty)?;
                let mut serde = Vec::new();
                if let Some(rename) = &f.rename {
                    serde.push(quote!(rename = #rename));
                }
                if matches!(f.ty, Ty::Option(_)) {
                    serde.push(quote!(
                        skip_serializing_if = "::std::option::Option::is_none"
                    ));
                }
                let serde = (!serde.is_empty()).then(|| quote!(#[serde(#(#serde),*)]));
                out.push(quote!(#doc #serde pub #field: #t));
            }
            quote! {
                #doc
                #[derive(Debug, Clone, Default, ::serde::Serialize)]
                #[serde(rename_all = "PascalCase")]
                #dep
                pub struct #name { #(#out),* }
            }
        }
        Kind::Enum(variants) => {
            let mut out = Vec::with_capacity(variants.len());
            for v in variants {
                let doc = docs(&v.doc);
                let variant = ident(&v.ident)?;
                let rename = v.rename.as_ref().map(|r| quote!(#[rpc(rename = #r)]));
                out.push(quote!(#doc #rename #variant));
            }
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, Eq, ::aliyun_rpc::ParamValue)]
                #dep
                pub enum #name {
                    #(#out,)*
                    /// A value this metadata does not list, sent and read back as it is.
                    #[rpc(other)]
                    Other(::std::string::String),
                }
            }
        }
        Kind::Alias(target) => {
            let target = ident(target)?;
            quote! {
                #doc
                #dep
                pub type #name = #target;
            }
        }
        Kind::Response(fields) => {
            let mut out = Vec::with_capacity(fields.len());
            for f in fields {
                let doc = docs(&f.doc);
                let field = ident(&f.ident)?;
                let t = ty(&f.ty)?;
                out.push(quote!(#doc pub #field: #t));
            }
            let decode = decode_struct(&name, fields)?;
            quote! {
                #doc
                #[derive(Debug, Clone)]
                #dep
                pub struct #name { #(#out),* }

                #decode
            }
        }
    })
}

/// A response struct's `Deserialize`: one call into the runtime's struct visitor, and the
/// `DecodeStruct` impl it drives (field names; the struct itself as the slots, every field
/// starting empty; one `match` arm per field). Much less for rustc to check than serde's
/// derive (see the runtime's `decode_struct`); the deserializer sees the same calls.
///
/// Every generated response field has a value to start from (lowering makes each an `Option`
/// or a list), so the struct is filled in place: no tuple of slots to build and unpack. A
/// field given twice is still an error (the visitor tracks the fields it has seen), and an
/// absent one keeps its empty value.
fn decode_struct(name: &Ident, fields: &[ResponseField]) -> Result<TokenStream, String> {
    let p = quote!(::aliyun_rpc::__private);
    let struct_name = name.to_string();
    let mut wires = Vec::with_capacity(fields.len());
    let mut arms = Vec::with_capacity(fields.len());
    let mut inits = Vec::with_capacity(fields.len());
    let last = fields.len().saturating_sub(1);
    for (i, f) in fields.iter().enumerate() {
        let wire = f
            .rename
            .clone()
            .unwrap_or_else(|| crate::naming::default_wire_name(&f.ident));
        let field = ident(&f.ident)?;
        // A call per arm rather than `next_value()?`: no `?` (a branch, a conversion and
        // an early return) in each of the crate's thousands of arms.
        let (read, init) = match (f.decode, &f.ty) {
            (Decode::List, Ty::Vec(_)) => (
                quote!(#p::read_list(&mut __s.#field, __map)),
                quote!(::std::vec::Vec::new()),
            ),
            (Decode::Default, Ty::Vec(_)) => (
                quote!(#p::read_value(&mut __s.#field, __map)),
                quote!(::std::vec::Vec::new()),
            ),
            (Decode::Plain, Ty::Option(_)) => (
                quote!(#p::read_value(&mut __s.#field, __map)),
                quote!(::core::option::Option::None),
            ),
            _ => {
                return Err(format!(
                    "response field `{}` is neither an `Option` nor a list",
                    f.ident
                ))
            }
        };
        // The last arm takes every index, so the match needs no fallback.
        let pattern = if i == last {
            quote!(_)
        } else {
            let lit = Literal::usize_unsuffixed(i);
            quote!(#lit)
        };
        arms.push(quote!(#pattern => #read));
        inits.push(quote!(#field: #init));
        wires.push(wire);
    }
    let decode_field = match arms.as_slice() {
        [] => quote! {
            fn decode_field<'de, __M: ::serde::de::MapAccess<'de>>(
                _: &mut Self,
                _: usize,
                _: &mut __M,
            ) -> ::core::result::Result<(), __M::Error> {
                ::core::result::Result::Ok(())
            }
        },
        // One field: every index is it (a `match` of one arm is clippy's `match_single_binding`).
        [_] => {
            let read = match (fields[0].decode, ident(&fields[0].ident)?) {
                (Decode::List, field) => quote!(#p::read_list(&mut __s.#field, __map)),
                (_, field) => quote!(#p::read_value(&mut __s.#field, __map)),
            };
            quote! {
                fn decode_field<'de, __M: ::serde::de::MapAccess<'de>>(
                    __s: &mut Self,
                    _: usize,
                    __map: &mut __M,
                ) -> ::core::result::Result<(), __M::Error> {
                    #read
                }
            }
        }
        _ => quote! {
            fn decode_field<'de, __M: ::serde::de::MapAccess<'de>>(
                __s: &mut Self,
                __i: usize,
                __map: &mut __M,
            ) -> ::core::result::Result<(), __M::Error> {
                match __i {
                    #(#arms,)*
                }
            }
        },
    };
    Ok(quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(
                __d: __D,
            ) -> ::core::result::Result<Self, __D::Error> {
                #p::decode_struct(__d)
            }
        }

        impl #p::DecodeStruct for #name {
            const NAME: &'static str = #struct_name;
            const FIELDS: &'static [&'static str] = &[#(#wires),*];
            type Slots = Self;

            fn slots() -> Self {
                Self { #(#inits),* }
            }

            #decode_field

            fn finish<__E: ::serde::de::Error>(
                __s: Self,
            ) -> ::core::result::Result<Self, __E> {
                ::core::result::Result::Ok(__s)
            }
        }
    })
}

fn param_fields(fields: &[ParamField]) -> Result<TokenStream, String> {
    let mut out = Vec::with_capacity(fields.len());
    for f in fields {
        let doc = docs(&f.doc);
        let dep = deprecated(f.deprecated);
        let field = ident(&f.ident)?;
        let t = ty(&f.ty)?;
        let mut rpc = Vec::new();
        if let Some(name) = &f.name {
            rpc.push(quote!(name = #name));
        }
        for (on, word) in [
            (f.json, quote!(json)),
            (f.simple, quote!(simple)),
            (f.body, quote!(body)),
            (f.client_token, quote!(client_token)),
            (f.secret, quote!(secret)),
        ] {
            if on {
                rpc.push(word);
            }
        }
        if let Some(n) = f.max_items {
            let n = Literal::u64_unsuffixed(n);
            rpc.push(quote!(max_items = #n));
        }
        if let Some(n) = f.min_items {
            let n = Literal::u64_unsuffixed(n);
            rpc.push(quote!(min_items = #n));
        }
        if let Some(n) = f.min.and_then(number) {
            rpc.push(quote!(min = #n));
        }
        if let Some(n) = f.max.and_then(number) {
            rpc.push(quote!(max = #n));
        }
        if let Some(n) = f.max_len {
            let n = Literal::u64_unsuffixed(n);
            rpc.push(quote!(max_len = #n));
        }
        let rpc = (!rpc.is_empty()).then(|| quote!(#[rpc(#(#rpc),*)]));
        out.push(quote!(#doc #dep #rpc pub #field: #t));
    }
    Ok(quote!(#(#out),*))
}

/// A bound as tokens: `1`, `-1`, `0.5`; `None` for a non-finite float.
fn number(n: Number) -> Option<TokenStream> {
    match n {
        Number::Int(i) => {
            let abs = Literal::u64_unsuffixed(i.unsigned_abs());
            Some(if i < 0 { quote!(-#abs) } else { quote!(#abs) })
        }
        Number::Float(x) if x.is_finite() => {
            let abs = Literal::f64_unsuffixed(x.abs());
            Some(if x < 0.0 { quote!(-#abs) } else { quote!(#abs) })
        }
        Number::Float(_) => None,
    }
}

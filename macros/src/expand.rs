//! Code generation. Runs only on input that passed `check.rs`; never reports user errors.
//! On errors it emits the `compile_error!`s beside a stub impl, so users see our message and
//! not a cascade of "trait not implemented".

use proc_macro2::{Literal, Span, TokenStream};
use quote::{quote, quote_spanned, ToTokens};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{DeriveInput, Path};

use crate::ast::{self, Container, Data, Derive, Field, Kind, Variant};
use crate::attr::{self, Method};
use crate::check;
use crate::ctxt::Ctxt;

/// Parse, check and expand one derive.
pub fn derive(input: &DeriveInput, derive: Derive) -> TokenStream {
    let cx = Ctxt::new();
    let cont = Container::from_ast(&cx, input, derive);
    check::check(&cx, &cont);
    let krate = krate(&cont);
    match cx.check() {
        Ok(()) => match derive {
            Derive::Request => expand_request(&cont, &krate),
            Derive::Params => expand_params(&cont, &krate),
            Derive::ParamValue => expand_param_value(&cont, &krate),
        },
        Err(err) => {
            let errors = err.to_compile_error();
            let stub = stub(&cont, &krate);
            quote!(#errors #stub)
        }
    }
}

fn krate(cont: &Container) -> Path {
    match &cont.attrs.krate {
        Some(k) => k.value.clone(),
        None => syn::parse_quote!(::aliyun_rpc),
    }
}

/// The trait impls with empty bodies, emitted beside `compile_error!`.
fn stub(cont: &Container, krate: &Path) -> TokenStream {
    let input = cont.original;
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let p = quote!(#krate::__private);
    match cont.derive {
        Derive::Request => quote! {
            #[automatically_derived]
            impl #impl_generics #p::Request for #ident #ty_generics #where_clause {
                const PRODUCT: &'static str = "";
                const VERSION: &'static str = "";
                const ACTION: &'static str = "";
                type Response = ();
                fn write_params(&self, _: &mut #p::ParamWriter<'_>) {}
                fn validate(&self) -> ::core::result::Result<(), #p::Error> {
                    ::core::result::Result::Ok(())
                }
            }
        },
        Derive::Params => quote! {
            #[automatically_derived]
            impl #impl_generics #p::Params for #ident #ty_generics #where_clause {
                fn write_params(&self, _: &mut #p::ParamWriter<'_>) {}
                fn validate(&self, _: &#p::KeyPath<'_>) -> ::core::result::Result<(), #p::Error> {
                    ::core::result::Result::Ok(())
                }
            }
        },
        Derive::ParamValue => quote! {
            #[automatically_derived]
            impl #impl_generics #p::ParamValue for #ident #ty_generics #where_clause {
                fn write_value(&self, _: &mut ::std::string::String) {}
            }
        },
    }
}

fn fields<'c, 'a>(cont: &'c Container<'a>) -> &'c [Field<'a>] {
    match &cont.data {
        Data::Struct(fields) => fields,
        _ => &[],
    }
}

fn expand_request(cont: &Container, krate: &Path) -> TokenStream {
    let input = cont.original;
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let p = quote!(#krate::__private);
    let a = &cont.attrs;
    let lit = |v: &Option<attr::Attr<syn::LitStr>>| {
        v.as_ref().map_or_else(
            || Literal::string(""),
            |a| Literal::string(&a.value.value()),
        )
    };
    let (product, version, action) = (lit(&a.product), lit(&a.version), lit(&a.action));
    let response = match &a.response {
        Some(r) => r.value.to_token_stream(),
        None => quote!(()),
    };
    let method = a.method.as_ref().map(|m| {
        let variant = match m.value {
            Method::Get => quote!(Get),
            Method::Post => quote!(Post),
        };
        quote! {
            const METHOD: ::core::option::Option<#p::Method> =
                ::core::option::Option::Some(#p::Method::#variant);
        }
    });
    let fields = fields(cont);
    let writes = fields.iter().map(|f| write_field(f, &p));
    let checks = fields.iter().map(|f| validate_field(f, &p));
    let client_token = fields
        .iter()
        .find(|f| f.attrs.client_token.is_some())
        .map(|f| {
            let member = &f.ident;
            let wire = Literal::string(&f.wire);
            quote! {
                fn missing_client_token(&self) -> ::core::option::Option<&'static str> {
                    if ::core::option::Option::is_none(&self.#member) {
                        ::core::option::Option::Some(#wire)
                    } else {
                        ::core::option::Option::None
                    }
                }
            }
        });
    let builder = builder(cont);
    quote! {
        #[automatically_derived]
        impl #impl_generics #p::Request for #ident #ty_generics #where_clause {
            #client_token
            const PRODUCT: &'static str = #product;
            const VERSION: &'static str = #version;
            const ACTION: &'static str = #action;
            #method
            type Response = #response;

            fn write_params(&self, __w: &mut #p::ParamWriter<'_>) {
                #(#writes)*
            }

            fn validate(&self) -> ::core::result::Result<(), #p::Error> {
                let __at: &#p::KeyPath<'_> = &#p::KeyPath::root();
                #(#checks)*
                ::core::result::Result::Ok(())
            }
        }
        #builder
    }
}

fn expand_params(cont: &Container, krate: &Path) -> TokenStream {
    let input = cont.original;
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let p = quote!(#krate::__private);
    let fields = fields(cont);
    let writes = fields.iter().map(|f| write_field(f, &p));
    let checks = fields.iter().map(|f| validate_field(f, &p));
    let builder = builder(cont);
    quote! {
        #[automatically_derived]
        impl #impl_generics #p::Params for #ident #ty_generics #where_clause {
            fn write_params(&self, __w: &mut #p::ParamWriter<'_>) {
                #(#writes)*
            }

            fn validate(
                &self,
                __at: &#p::KeyPath<'_>,
            ) -> ::core::result::Result<(), #p::Error> {
                #(#checks)*
                ::core::result::Result::Ok(())
            }
        }

        #[automatically_derived]
        impl #impl_generics #p::Flatten for #ident #ty_generics #where_clause {
            fn flatten(&self, __w: &mut #p::ParamWriter<'_>) {
                <Self as #p::Params>::write_params(self, __w);
            }

            fn validate(
                &self,
                __at: &#p::KeyPath<'_>,
            ) -> ::core::result::Result<(), #p::Error> {
                <Self as #p::Params>::validate(self, __at)
            }
        }
        #builder
    }
}

/// The statements that write one field in `write_params`.
fn write_field(field: &Field, p: &TokenStream) -> TokenStream {
    if field.attrs.skip.is_some() {
        return TokenStream::new();
    }
    let span = field.ty.span();
    let member = &member_at(field, span);
    let wire = &field.wire;
    if field.attrs.json.is_some() {
        return if field.shape.optional {
            quote_spanned! {span=>
                if let ::core::option::Option::Some(__v) = &self.#member {
                    #p::write_json(__w, #wire, __v);
                }
            }
        } else {
            quote_spanned!(span=> #p::write_json(__w, #wire, &self.#member);)
        };
    }
    quote_spanned!(span=> #p::ParamWriter::field(__w, #wire, &self.#member);)
}

/// The statements that check one field, in a block of its own: its constraints, then
/// everything nested in it, each under the field's [`KeyPath`] `__field` (a child of `__at`).
fn validate_field(field: &Field, p: &TokenStream) -> TokenStream {
    let a = &field.attrs;
    if a.skip.is_some() {
        return TokenStream::new();
    }
    let span = field.ty.span();
    let member = &member_at(field, span);
    let wire = &field.wire;
    let mut out = TokenStream::new();
    if let Some(m) = &a.max_items {
        let n = Literal::usize_unsuffixed(m.value);
        out.extend(quote_spanned! {span=>
            #p::check_max_items(__field, &self.#member, #n)?;
        });
    }
    if a.min.is_some() || a.max.is_some() {
        let bound = |b: &Option<attr::Attr<attr::Bound>>| match b {
            Some(b) => {
                let b = bound_tokens(b.value, p);
                quote!(::core::option::Option::Some(#b))
            }
            None => quote!(::core::option::Option::None),
        };
        let (min, max) = (bound(&a.min), bound(&a.max));
        out.extend(quote_spanned! {span=>
            #p::check_range(__field, &self.#member, #min, #max)?;
        });
    }
    if let Some(m) = &a.max_len {
        let n = Literal::usize_unsuffixed(m.value);
        out.extend(quote_spanned! {span=>
            #p::check_max_len(__field, &self.#member, #n)?;
        });
    }
    if a.json.is_some() {
        out.extend(if field.shape.optional {
            quote_spanned! {span=>
                if let ::core::option::Option::Some(__v) = &self.#member {
                    #p::validate_json(__field, __v)?;
                }
            }
        } else {
            quote_spanned!(span=> #p::validate_json(__field, &self.#member)?;)
        });
    } else {
        out.extend(quote_spanned!(span=> #p::Flatten::validate(&self.#member, __field)?;));
    }
    quote! {
        {
            let __field: &#p::KeyPath<'_> = &#p::KeyPath::field(__at, #wire);
            #out
        }
    }
}

/// The field's name re-spanned onto its type, so that `&self.field` as a whole points at the
/// type when rustc finds no `Flatten` impl for it.
fn member_at(field: &Field, span: Span) -> syn::Ident {
    let mut member = field.ident.clone();
    member.set_span(span);
    member
}

fn bound_tokens(bound: attr::Bound, p: &TokenStream) -> TokenStream {
    match bound {
        attr::Bound::Int(i) => {
            let abs = Literal::u128_unsuffixed(i.unsigned_abs());
            let sign = (i < 0).then(|| quote!(-));
            quote!(#p::Bound::Int(#sign #abs))
        }
        attr::Bound::Float(x) => {
            // Checked finite when the attribute was read, so the literal is well formed.
            let abs = Literal::f64_unsuffixed(x.abs());
            let sign = (x < 0.0).then(|| quote!(-));
            quote!(#p::Bound::Float(#sign #abs))
        }
    }
}

/// The inherent impl: `new` with every required field, and a setter per optional field,
/// a setter and a push method per list, a setter and an entry method per map.
fn builder(cont: &Container) -> TokenStream {
    let input = cont.original;
    let ident = &input.ident;
    let vis = &input.vis;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let fields = fields(cont);
    let required: Vec<&Field> = fields.iter().filter(|f| f.is_required()).collect();
    let params = required.iter().map(|f| {
        let (name, ty) = (f.ident, f.ty);
        quote!(#name: impl ::core::convert::Into<#ty>)
    });
    let inits = fields.iter().map(|f| {
        let name = f.ident;
        if f.is_required() {
            quote!(#name: ::core::convert::Into::into(#name))
        } else if f.shape.optional && f.attrs.skip.is_none() {
            quote!(#name: ::core::option::Option::None)
        } else {
            quote!(#name: ::core::default::Default::default())
        }
    });
    let wires: Vec<String> = required.iter().map(|f| format!("`{}`", f.wire)).collect();
    let new_doc = if wires.is_empty() {
        format!("Creates `{}` with every param unset.", ident.unraw())
    } else {
        format!(
            "Creates `{}` with its required params {}; every other param starts unset.",
            ident.unraw(),
            wires.join(", ")
        )
    };
    let methods = fields.iter().map(|f| setters(f, vis));
    quote! {
        #[automatically_derived]
        #[allow(clippy::new_without_default, clippy::too_many_arguments)]
        impl #impl_generics #ident #ty_generics #where_clause {
            #[doc = #new_doc]
            #[must_use]
            #vis fn new(#(#params),*) -> Self {
                Self { #(#inits),* }
            }
            #(#methods)*
        }
    }
}

fn setters(field: &Field, vis: &syn::Visibility) -> TokenStream {
    if field.attrs.skip.is_some() {
        return TokenStream::new();
    }
    let member = field.ident;
    let wire = &field.wire;
    // check.rs has refused names that cannot make a method, so the fallback never shows.
    let method = |name: &str| {
        ast::method_ident(name, Span::call_site())
            .unwrap_or_else(|| syn::Ident::new("__invalid_method_name", Span::call_site()))
    };
    // The setter is named after the field itself (raw if the field is).
    let setter = member;
    let inner = field.shape.inner;
    if field.shape.optional {
        let doc = format!("Sets `{wire}`.");
        return quote! {
            #[doc = #doc]
            #[must_use]
            #vis fn #setter(mut self, value: impl ::core::convert::Into<#inner>) -> Self {
                self.#member = ::core::option::Option::Some(::core::convert::Into::into(value));
                self
            }
        };
    }
    match field.shape.kind {
        Kind::List { slice: true, .. } => {
            let ty = field.ty;
            let doc = format!("Sets every `{wire}` item.");
            quote! {
                #[doc = #doc]
                #[must_use]
                #vis fn #setter(mut self, items: #ty) -> Self {
                    self.#member = items;
                    self
                }
            }
        }
        Kind::List { item, slice: false } => {
            let push = method(&ast::push_name(field));
            let set_doc = format!("Replaces every `{wire}` item.");
            let push_doc = format!("Appends one `{wire}` item.");
            quote! {
                #[doc = #set_doc]
                #[must_use]
                #vis fn #setter(mut self, items: impl ::core::iter::IntoIterator<Item = #item>) -> Self {
                    self.#member = ::core::iter::FromIterator::from_iter(items);
                    self
                }
                #[doc = #push_doc]
                #[must_use]
                #vis fn #push(mut self, item: impl ::core::convert::Into<#item>) -> Self {
                    self.#member.push(::core::convert::Into::into(item));
                    self
                }
            }
        }
        Kind::Map { key, value } => {
            let entry = method(&ast::entry_name(field));
            let set_doc = format!("Replaces every `{wire}` entry.");
            let entry_doc =
                format!("Adds one `{wire}.<key>` entry, replacing one with the same key.");
            quote! {
                #[doc = #set_doc]
                #[must_use]
                #vis fn #setter(
                    mut self,
                    entries: impl ::core::iter::IntoIterator<Item = (#key, #value)>,
                ) -> Self {
                    self.#member = ::core::iter::FromIterator::from_iter(entries);
                    self
                }
                #[doc = #entry_doc]
                #[must_use]
                #vis fn #entry(
                    mut self,
                    key: impl ::core::convert::Into<#key>,
                    value: impl ::core::convert::Into<#value>,
                ) -> Self {
                    self.#member.insert(::core::convert::Into::into(key), ::core::convert::Into::into(value));
                    self
                }
            }
        }
        _ => TokenStream::new(),
    }
}

fn expand_param_value(cont: &Container, krate: &Path) -> TokenStream {
    let input = cont.original;
    let ident = &input.ident;
    let vis = &input.vis;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let p = quote!(#krate::__private);
    let variants: &[Variant] = match &cont.data {
        Data::Enum(v) => v,
        _ => &[],
    };
    let idents: Vec<&syn::Ident> = variants.iter().map(|v| v.ident).collect();
    let wires: Vec<&str> = variants.iter().map(|v| v.wire.as_str()).collect();
    let name = ident.unraw().to_string();
    quote! {
        #[automatically_derived]
        impl #impl_generics #ident #ty_generics #where_clause {
            /// The value sent on the wire.
            #[must_use]
            #vis const fn as_str(&self) -> &'static str {
                match *self {
                    #(Self::#idents => #wires,)*
                }
            }
        }

        #[automatically_derived]
        impl #impl_generics #p::ParamValue for #ident #ty_generics #where_clause {
            fn write_value(&self, __out: &mut ::std::string::String) {
                __out.push_str(Self::as_str(self));
            }

            fn as_wire_str(&self) -> ::core::option::Option<&str> {
                ::core::option::Option::Some(Self::as_str(self))
            }
        }

        #[automatically_derived]
        impl #impl_generics ::core::fmt::Display for #ident #ty_generics #where_clause {
            fn fmt(&self, __f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                __f.write_str(Self::as_str(self))
            }
        }

        #[automatically_derived]
        impl #impl_generics ::core::str::FromStr for #ident #ty_generics #where_clause {
            type Err = #p::ParseEnumError;

            fn from_str(__s: &str) -> ::core::result::Result<Self, Self::Err> {
                match __s {
                    #(#wires => ::core::result::Result::Ok(Self::#idents),)*
                    _ => ::core::result::Result::Err(#p::ParseEnumError::new(
                        #name,
                        __s,
                        &[#(#wires),*],
                    )),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse_quote;

    fn expand(input: DeriveInput, d: Derive) -> String {
        derive(&input, d).to_string()
    }

    #[test]
    fn request_uses_absolute_paths_and_the_crate_override() {
        let out = expand(
            parse_quote! {
                #[rpc(product = "Ecs", version = "2014-05-26", action = "A", response = R, method = "POST", crate = "crate")]
                pub struct D { region_id: String }
            },
            Derive::Request,
        );
        assert!(
            out.contains("impl crate :: __private :: Request for D"),
            "{out}"
        );
        assert!(out.contains("Method :: Post"), "{out}");
        assert!(out.contains("\"RegionId\""), "{out}");
        assert!(!out.contains("aliyun_rpc"), "{out}");
    }

    #[test]
    fn errors_come_with_a_stub() {
        let out = expand(
            parse_quote!(
                struct D {
                    a: String,
                }
            ),
            Derive::Request,
        );
        assert!(out.contains("compile_error"), "{out}");
        assert!(out.contains("type Response = ()"), "{out}");
    }

    #[test]
    fn negative_bounds() {
        let p = quote!(p);
        assert_eq!(
            bound_tokens(attr::Bound::Int(-5), &p).to_string(),
            "p :: Bound :: Int (- 5)"
        );
        assert_eq!(
            bound_tokens(attr::Bound::Float(0.5), &p).to_string(),
            "p :: Bound :: Float (0.5)"
        );
    }
}

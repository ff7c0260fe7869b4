//! Code generation. Runs only on input that passed `check.rs`; never reports user errors.
//! On errors it emits the `compile_error!`s beside a stub impl and the builder methods it could
//! read, so users see our message and not a cascade of "trait not implemented" or "no function
//! named `new`".

use std::collections::HashSet;

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
            let stub_builder = stub_builder(&cont);
            quote!(#errors #stub #stub_builder)
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
            #[allow(deprecated)]
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
            #[allow(deprecated)]
            impl #impl_generics #p::Params for #ident #ty_generics #where_clause {
                fn write_params(&self, _: &mut #p::ParamWriter<'_>) {}
                fn validate(&self, _: &#p::KeyPath<'_>) -> ::core::result::Result<(), #p::Error> {
                    ::core::result::Result::Ok(())
                }
            }
        },
        Derive::ParamValue => quote! {
            #[automatically_derived]
            #[allow(deprecated)]
            impl #impl_generics #p::ParamValue for #ident #ty_generics #where_clause {
                fn write_value(&self, _: &mut ::std::string::String) {}
            }
        },
    }
}

/// Beside the stub impls, the `new` and setters the user will get, so that call sites such as
/// `DescribeRegions::new("cn-hangzhou").image_id("m-1")` type-check instead of adding "no
/// function named `new`" errors under ours.
///
/// Only what the model read for sure, so the stub never makes errors of its own: nothing for
/// an input of the wrong shape; no setters for a field whose `#[rpc(...)]` was not read to the
/// end (its `skip` or `name` may be other than meant), or whose method names are invalid or
/// taken by the constructor or an earlier field (check.rs has reported those); no `new` when
/// such a field could be one of its params, since its arguments would then be a guess.
fn stub_builder(cont: &Container) -> TokenStream {
    let Data::Struct(fields) = &cont.data else {
        return TokenStream::new();
    };
    let with_new = fields
        .iter()
        .all(|f| !f.attrs.incomplete || !f.is_required());
    let mut taken = HashSet::from(["new".to_owned()]);
    let mut with_methods: HashSet<&syn::Ident> = HashSet::new();
    for f in fields {
        let names = ast::builder_methods(f);
        let usable = !f.attrs.incomplete
            && names.iter().all(|(name, span)| {
                ast::method_ident(name, *span).is_some() && !taken.contains(name)
            });
        if usable {
            taken.extend(names.into_iter().map(|(name, _)| name));
            with_methods.insert(f.ident);
        }
    }
    builder_with(cont, with_new, |f| with_methods.contains(f.ident))
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
    let idempotent = a.idempotent.as_ref().map(|_| {
        quote!(
            const IDEMPOTENT: bool = true;
        )
    });
    let fields = fields(cont);
    let table = fields_impl(cont, &p);
    let client_token = fields
        .iter()
        .find(|f| f.is_client_token(Derive::Request))
        .map(|f| {
            let member = &f.ident;
            let wire = Literal::string(&f.wire);
            let in_body = f.attrs.body.as_ref().map(|_| {
                quote! {
                    const CLIENT_TOKEN_IN_BODY: bool = true;
                }
            });
            quote! {
                #in_body
                #[inline]
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
    let paginate = paginate_impl(cont, &p);
    let dry_run = dry_run_impl(cont, &p);
    quote! {
        #paginate
        #dry_run
        #table
        #[automatically_derived]
        #[allow(deprecated)]
        impl #impl_generics #p::Request for #ident #ty_generics #where_clause {
            #client_token
            const PRODUCT: &'static str = #product;
            const VERSION: &'static str = #version;
            const ACTION: &'static str = #action;
            #method
            #idempotent
            type Response = #response;

            #[inline]
            fn write_params(&self, __w: &mut #p::ParamWriter<'_>) {
                #p::write_fields(self, __w);
            }

            #[inline]
            fn validate(&self) -> ::core::result::Result<(), #p::Error> {
                #p::validate_fields(self, &#p::KeyPath::root())
            }
        }
        #builder
    }
}

/// `impl Paginate` from `#[rpc(paginate(..))]`: the cursor field found by its wire name
/// (check.rs made sure it exists), the response's fields by the convention's names.
fn paginate_impl(cont: &Container, p: &TokenStream) -> TokenStream {
    let Some(pg) = &cont.attrs.paginate else {
        return TokenStream::new();
    };
    let input = cont.original;
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let convention = pg.value.convention.value;
    let Some(cursor) = fields(cont)
        .iter()
        .find(|f| f.wire == convention.cursor_param() && f.attrs.skip.is_none())
    else {
        return TokenStream::new();
    };
    let cursor = &cursor.ident;
    let items = &pg.value.items;
    let item = &pg.value.item;
    // Errors about the response's fields land on the convention's keyword.
    let span = pg.value.convention.key;
    let len = quote_spanned!(items.span()=> ::std::vec::Vec::len(&__r.#items));
    let body = match convention {
        attr::Convention::PageNumber => {
            let (page, size, total) = (
                quote_spanned!(span=> __r.page_number),
                quote_spanned!(span=> __r.page_size),
                quote_spanned!(span=> __r.total_count),
            );
            quote! {
                fn set_page_number(&mut self, __page: u64) {
                    #p::SetCount::set_count(&mut self.#cursor, __page);
                }
                fn page_number(&self) -> ::core::option::Option<u64> {
                    #p::SetCount::get_count(&self.#cursor)
                }
                fn page_info(__r: &Self::Response) -> #p::PageInfo {
                    #p::PageInfo::page_number(
                        #len,
                        #p::Count::count(&#page),
                        #p::Count::count(&#size),
                        #p::Count::count(&#total),
                    )
                }
            }
        }
        attr::Convention::NextToken => {
            let next = quote_spanned!(span=> __r.next_token);
            quote! {
                fn set_cursor(&mut self, __cursor: &str) {
                    #p::SetCursor::set_cursor(&mut self.#cursor, __cursor);
                }
                fn page_info(__r: &Self::Response) -> #p::PageInfo {
                    #p::PageInfo::next_token(#len, #p::Cursor::cursor(&#next))
                }
            }
        }
        attr::Convention::Marker => {
            let (next, truncated) = (
                quote_spanned!(span=> __r.marker),
                quote_spanned!(span=> __r.is_truncated),
            );
            quote! {
                fn set_cursor(&mut self, __cursor: &str) {
                    #p::SetCursor::set_cursor(&mut self.#cursor, __cursor);
                }
                fn page_info(__r: &Self::Response) -> #p::PageInfo {
                    #p::PageInfo::marker(
                        #len,
                        #p::Cursor::cursor(&#next),
                        #p::Flag::flag(&#truncated),
                    )
                }
            }
        }
    };
    let into_items = quote_spanned!(items.span()=> __r.#items);
    quote! {
        #[automatically_derived]
        #[allow(deprecated)]
        impl #impl_generics #p::Paginate for #ident #ty_generics #where_clause {
            type Item = #item;
            #body
            fn into_items(__r: Self::Response) -> ::std::vec::Vec<Self::Item> {
                #into_items
            }
        }
    }
}

/// `impl DryRun` for a request with a param named `DryRun`.
fn dry_run_impl(cont: &Container, p: &TokenStream) -> TokenStream {
    let Some(field) = fields(cont)
        .iter()
        .find(|f| f.wire == crate::symbol::DRY_RUN_PARAM && f.attrs.skip.is_none())
    else {
        return TokenStream::new();
    };
    let input = cont.original;
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let member = &field.ident;
    let set = quote_spanned!(field.ty.span()=> self.#member = ::core::convert::From::from(__on););
    quote! {
        #[automatically_derived]
        #[allow(deprecated)]
        impl #impl_generics #p::DryRun for #ident #ty_generics #where_clause {
            fn set_dry_run(&mut self, __on: bool) {
                #set
            }
        }
    }
}

fn expand_params(cont: &Container, krate: &Path) -> TokenStream {
    let input = cont.original;
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let p = quote!(#krate::__private);
    // Statements per field rather than a field table: a `Params` struct is what list items
    // are (`Filter.N.Key`), the inner loop of flattening and validating, where the table's
    // virtual calls per field and per item cost up to 14 % of `prepare` (BENCHMARKS.md). There
    // are few of them (60 in all of ECS, against 347 requests), so their size matters little.
    let fields = fields(cont);
    let writes = fields.iter().map(|f| write_field(f, &p));
    let checks = fields.iter().map(|f| validate_field(f, &p));
    let builder = builder(cont);
    quote! {
        #[automatically_derived]
        #[allow(deprecated)]
        impl #impl_generics #p::Params for #ident #ty_generics #where_clause {
            #[inline]
            fn write_params(&self, __w: &mut #p::ParamWriter<'_>) {
                #(#writes)*
            }

            #[inline]
            fn validate(
                &self,
                __at: &#p::KeyPath<'_>,
            ) -> ::core::result::Result<(), #p::Error> {
                #(#checks)*
                ::core::result::Result::Ok(())
            }
        }

        #[automatically_derived]

        #[allow(deprecated)]
        impl #impl_generics #p::Flatten for #ident #ty_generics #where_clause {
            #[inline]
            fn flatten(&self, __w: &mut #p::ParamWriter<'_>) {
                <Self as #p::Params>::write_params(self, __w);
            }

            #[inline]
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

/// The statements that write one field in `write_params`; a `body` field's pairs are
/// flagged as travelling in the form body.
fn write_field(field: &Field, p: &TokenStream) -> TokenStream {
    let write = write_field_pairs(field, p);
    if field.attrs.body.is_none() || write.is_empty() {
        return write;
    }
    let span = field.ty.span();
    quote_spanned! {span=>
        #p::write_in_body(__w, |__w: &mut #p::ParamWriter<'_>| { #write });
    }
}

/// The statements that write one field's pairs, wherever they travel.
fn write_field_pairs(field: &Field, p: &TokenStream) -> TokenStream {
    if field.attrs.skip.is_some() {
        return TokenStream::new();
    }
    if field.attrs.json.is_some() {
        return write_json_field(field, p);
    }
    let span = field.ty.span();
    let member = &member_at(field, span);
    let wire = &field.wire;
    let bound = state_bound(field, p);
    if field.attrs.simple.is_some() {
        return quote_spanned!(span=> #bound #p::write_simple(__w, #wire, &self.#member););
    }
    quote_spanned!(span=> #bound #p::ParamWriter::field(__w, #wire, &self.#member);)
}

fn write_json_field(field: &Field, p: &TokenStream) -> TokenStream {
    let span = field.ty.span();
    let member = &member_at(field, span);
    let wire = &field.wire;
    if field.shape.optional {
        quote_spanned! {span=>
            if let ::core::option::Option::Some(__v) = &self.#member {
                #p::write_json(__w, #wire, __v);
            }
        }
    } else {
        quote_spanned!(span=> #p::write_json(__w, #wire, &self.#member);)
    }
}

/// The first statement about a field in each body that uses it, stating the bound its type
/// needs (`Flatten`, `SimpleList` for `simple`, or `Serialize` for `json`) the same way in
/// every body.
///
/// `write_params` and `validate` both need the bound, and each would report a type without it,
/// with a note naming its own callee. Stated first and identically, rustc reports it once:
/// within a body, later uses at the same span are implied by this one, and the bodies'
/// diagnostics are then identical, which rustc deduplicates. For `Flatten` the statement is a
/// cast, free at run time, whose note (``required for the cast from `&Zone` to `&dyn
/// Flatten` ``) names no helper of ours; `Serialize` cannot be a `dyn` type, so `validate`
/// restates the write in a closure it never calls, and `write_params` has the write itself.
fn state_bound(field: &Field, p: &TokenStream) -> TokenStream {
    if field.attrs.skip.is_some() {
        return TokenStream::new();
    }
    let span = field.ty.span();
    if field.attrs.json.is_some() {
        let write = write_json_field(field, p);
        return quote_spanned!(span=> let _ = |__w: &mut #p::ParamWriter<'_>| { #write };);
    }
    let member = &member_at(field, span);
    if field.attrs.simple.is_some() {
        return quote_spanned!(span=> let _: &dyn #p::SimpleList = &self.#member;);
    }
    quote_spanned!(span=> let _: &dyn #p::Flatten = &self.#member;)
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
    let mut out = state_bound(field, p);
    if a.secret.is_some() {
        // `Debug` is the user's derive, not ours: only the type can keep the value out of it.
        out.extend(quote_spanned!(span=> let _: &dyn #p::SecretField = &self.#member;));
    }
    if let Some(m) = &a.max_items {
        let n = Literal::usize_unsuffixed(m.value);
        out.extend(quote_spanned! {span=>
            #p::check_max_items(__field, &self.#member, #n)?;
        });
    }
    if let Some(m) = &a.min_items {
        let n = Literal::usize_unsuffixed(m.value);
        out.extend(quote_spanned! {span=>
            #p::check_min_items(__field, &self.#member, #n)?;
        });
    }
    if a.min.is_some() || a.max.is_some() {
        let (min, max) = (optional_bound(&a.min, p), optional_bound(&a.max, p));
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
    if a.simple.is_some() {
        out.extend(quote_spanned!(span=> #p::validate_simple(__field, &self.#member)?;));
    } else if a.json.is_some() {
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

/// `impl Fields` for a request: its field table, one entry per sent field in declaration order,
/// which `write_params` and `validate` read (runtime `fields.rs`).
///
/// Each field's value appears once, as the trait object its attributes send it as
/// (`Flatten`, `SimpleList`, or `JsonValue` for `json`), spanned on the field's type: a type
/// without the trait gets one error there, whose note (``required for the cast from `&Zone`
/// to `&dyn Flatten` ``) names no helper of ours.
fn fields_impl(cont: &Container, p: &TokenStream) -> TokenStream {
    let input = cont.original;
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let fields = fields(cont);
    let secrets = fields
        .iter()
        .filter(|f| f.attrs.secret.is_some() && f.attrs.skip.is_none())
        .map(|f| {
            // `Debug` is the user's derive, not ours: only the type can keep the value out of it.
            let span = f.ty.span();
            let member = &member_at(f, span);
            quote_spanned!(span=> let _: &dyn #p::SecretField = &self.#member;)
        });
    let entries = fields
        .iter()
        .filter(|f| f.attrs.skip.is_none())
        .map(|f| field_entry(f, p));
    quote! {
        #[automatically_derived]
        #[allow(deprecated)]
        impl #impl_generics #p::Fields for #ident #ty_generics #where_clause {
            #[inline]
            fn fields(&self, __visit: &mut dyn ::core::ops::FnMut(&[#p::Field<'_>])) {
                #(#secrets)*
                __visit(&[#(#entries),*]);
            }
        }
    }
}

/// One entry of the field table: wire name, value, body flag, and the constraint checks in
/// the order they run.
fn field_entry(field: &Field, p: &TokenStream) -> TokenStream {
    let a = &field.attrs;
    let span = field.ty.span();
    let member = &member_at(field, span);
    let wire = &field.wire;
    let value = if a.simple.is_some() {
        quote_spanned!(span=> #p::FieldValue::Simple(&self.#member))
    } else if a.json.is_some() && field.shape.optional {
        quote_spanned!(span=> #p::FieldValue::JsonOption(&self.#member))
    } else if a.json.is_some() {
        quote_spanned!(span=> #p::FieldValue::Json(&self.#member))
    } else {
        quote_spanned!(span=> #p::FieldValue::Flatten(&self.#member))
    };
    let body = a.body.is_some();
    let mut checks = Vec::new();
    if let Some(m) = &a.max_items {
        let n = Literal::usize_unsuffixed(m.value);
        checks.push(quote_spanned!(span=> #p::FieldCheck::MaxItems(&self.#member, #n)));
    }
    if let Some(m) = &a.min_items {
        let n = Literal::usize_unsuffixed(m.value);
        checks.push(quote_spanned!(span=> #p::FieldCheck::MinItems(&self.#member, #n)));
    }
    if a.min.is_some() || a.max.is_some() {
        let (min, max) = (optional_bound(&a.min, p), optional_bound(&a.max, p));
        checks.push(quote_spanned!(span=> #p::FieldCheck::Range(&self.#member, #min, #max)));
    }
    if let Some(m) = &a.max_len {
        let n = Literal::usize_unsuffixed(m.value);
        checks.push(quote_spanned!(span=> #p::FieldCheck::MaxLen(&self.#member, #n)));
    }
    let checks = if checks.is_empty() {
        quote!(#p::NO_CHECKS)
    } else {
        quote!(&[#(#checks),*])
    };
    quote! {
        #p::Field { name: #wire, value: #value, body: #body, checks: #checks }
    }
}

/// The field's name re-spanned onto its type, so that `&self.field` as a whole points at the
/// type when rustc finds no `Flatten` impl for it.
fn member_at(field: &Field, span: Span) -> syn::Ident {
    let mut member = field.ident.clone();
    member.set_span(span);
    member
}

/// `Some(Bound::…)` for a `min`/`max` attribute that is there, else `None`.
fn optional_bound(bound: &Option<attr::Attr<attr::Bound>>, p: &TokenStream) -> TokenStream {
    match bound {
        Some(b) => {
            let b = bound_tokens(b.value, p);
            quote!(::core::option::Option::Some(#b))
        }
        None => quote!(::core::option::Option::None),
    }
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
    builder_with(cont, true, |_| true)
}

/// [`builder`], with `new` only if `with_new` and setters only for the fields `with_methods`
/// accepts (see [`stub_builder`]).
fn builder_with(
    cont: &Container,
    with_new: bool,
    with_methods: impl Fn(&Field) -> bool,
) -> TokenStream {
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
    let methods = fields
        .iter()
        .filter(|f| with_methods(f))
        .map(|f| setters(f, vis));
    let new = with_new.then(|| {
        quote! {
            #[doc = #new_doc]
            #[must_use]
            #[inline]
            #vis fn new(#(#params),*) -> Self {
                Self { #(#inits),* }
            }
        }
    });
    quote! {
        #[automatically_derived]
        #[allow(deprecated)]
        #[allow(clippy::new_without_default, clippy::too_many_arguments)]
        impl #impl_generics #ident #ty_generics #where_clause {
            #new
            #(#methods)*
        }
    }
}

fn setters(field: &Field, vis: &syn::Visibility) -> TokenStream {
    if field.attrs.skip.is_some() {
        return TokenStream::new();
    }
    // A deprecated param warns where the user sets it: on each of its methods.
    let dep = &field.deprecated;
    let dep = quote!(#(#dep)*);
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
            #dep
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
                #dep
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
                #dep
                #vis fn #setter(mut self, items: impl ::core::iter::IntoIterator<Item = #item>) -> Self {
                    self.#member = ::core::iter::FromIterator::from_iter(items);
                    self
                }
                #[doc = #push_doc]
                #[must_use]
                #dep
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
                #dep
                #vis fn #setter(
                    mut self,
                    entries: impl ::core::iter::IntoIterator<Item = (#key, #value)>,
                ) -> Self {
                    self.#member = ::core::iter::FromIterator::from_iter(entries);
                    self
                }
                #[doc = #entry_doc]
                #[must_use]
                #dep
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
    let other = variants.iter().find(|v| v.other.is_some()).map(|v| v.ident);
    let units: Vec<&Variant> = variants.iter().filter(|v| v.other.is_none()).collect();
    let idents: Vec<&syn::Ident> = units.iter().map(|v| v.ident).collect();
    let wires: Vec<&str> = units.iter().map(|v| v.wire.as_str()).collect();
    let name = ident.unraw().to_string();
    let other_doc = other.map_or_else(String::new, |other| {
        format!(
            "The value sent on the wire: a listed value, or the one `{}` holds.",
            other.unraw()
        )
    });
    let (as_str, from_str) = match other {
        None => (
            quote! {
                /// The value sent on the wire.
                #[must_use]
                #[inline]
                #vis const fn as_str(&self) -> &'static str {
                    match *self {
                        #(Self::#idents => #wires,)*
                    }
                }
            },
            quote! {
                type Err = #p::ParseEnumError;

                #[inline]
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
            },
        ),
        Some(other) => (
            quote! {
                #[doc = #other_doc]
                #[must_use]
                #[inline]
                #vis fn as_str(&self) -> &str {
                    match self {
                        #(Self::#idents => #wires,)*
                        Self::#other(__value) => ::std::string::String::as_str(__value),
                    }
                }
            },
            quote! {
                type Err = ::core::convert::Infallible;

                #[inline]
                fn from_str(__s: &str) -> ::core::result::Result<Self, Self::Err> {
                    ::core::result::Result::Ok(match __s {
                        #(#wires => Self::#idents,)*
                        _ => Self::#other(::std::borrow::ToOwned::to_owned(__s)),
                    })
                }
            },
        ),
    };
    // With a catch-all every string is a value, so it converts (a setter takes `"CreateEcs"`).
    let from_strings = other.map(|other| {
        quote! {
            #[automatically_derived]
            #[allow(deprecated)]
            impl #impl_generics ::core::convert::From<&str> for #ident #ty_generics #where_clause {
                #[inline]
                fn from(__s: &str) -> Self {
                    match __s {
                        #(#wires => Self::#idents,)*
                        _ => Self::#other(::std::borrow::ToOwned::to_owned(__s)),
                    }
                }
            }

            #[automatically_derived]

            #[allow(deprecated)]
            impl #impl_generics ::core::convert::From<::std::string::String> for #ident #ty_generics #where_clause {
                #[inline]
                fn from(__s: ::std::string::String) -> Self {
                    match ::std::string::String::as_str(&__s) {
                        #(#wires => Self::#idents,)*
                        _ => Self::#other(__s),
                    }
                }
            }
        }
    });
    quote! {
        #[automatically_derived]
        #[allow(deprecated)]
        impl #impl_generics #ident #ty_generics #where_clause {
            #as_str
        }

        #[automatically_derived]

        #[allow(deprecated)]
        impl #impl_generics #p::ParamValue for #ident #ty_generics #where_clause {
            #[inline]
            fn write_value(&self, __out: &mut ::std::string::String) {
                __out.push_str(Self::as_str(self));
            }

            #[inline]
            fn as_wire_str(&self) -> ::core::option::Option<&str> {
                ::core::option::Option::Some(Self::as_str(self))
            }
        }

        #[automatically_derived]

        #[allow(deprecated)]
        impl #impl_generics ::core::fmt::Display for #ident #ty_generics #where_clause {
            #[inline]
            fn fmt(&self, __f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                __f.write_str(Self::as_str(self))
            }
        }

        #[automatically_derived]

        #[allow(deprecated)]
        impl #impl_generics ::core::str::FromStr for #ident #ty_generics #where_clause {
            #from_str
        }

        #from_strings
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

    /// The names of the methods in the stub's inherent impl, in order.
    fn stub_methods(input: DeriveInput, d: Derive) -> Vec<String> {
        let out = expand(input, d);
        assert!(out.contains("compile_error"), "{out}");
        let tokens: Vec<&str> = out.split_whitespace().collect();
        tokens
            .windows(2)
            .filter(|w| w[0] == "fn")
            .map(|w| w[1].to_owned())
            .filter(|name| !["write_params", "validate", "write_value"].contains(&name.as_str()))
            .collect()
    }

    #[test]
    fn stub_keeps_the_constructor_and_setters() {
        let methods = stub_methods(
            parse_quote! {
                #[rpc(product = "Ecs", version = "2014-05-26", action = "A")]
                pub struct D {
                    region_id: String,
                    image_id: Option<String>,
                    #[rpc(name = "Filter", max_items = "5")] filters: Vec<String>,
                    tags: ::std::collections::BTreeMap<String, String>,
                    #[rpc(skip)] note: u8,
                }
            },
            Derive::Request,
        );
        assert_eq!(
            methods,
            ["new", "image_id", "filters", "filter", "tags", "tags_entry"]
        );
    }

    #[test]
    fn stub_skips_what_it_cannot_read() {
        // A syntax error stops reading `a`'s attribute, so `skip` may be unread: no `new`,
        // and no setter for `a`; `b` is read whole and keeps its setter.
        let methods = stub_methods(
            parse_quote! {
                struct P { #[rpc(max_len = , skip)] a: String, b: Option<u8> }
            },
            Derive::Params,
        );
        assert_eq!(methods, ["b"]);
        // A rejected `name` leaves the push method's name unknown; an optional field's
        // attribute error does not touch `new`.
        let methods = stub_methods(
            parse_quote! {
                struct P { #[rpc(name = 5)] items: Vec<u8>, #[rpc(max_len = )] c: Option<String>, d: u8 }
            },
            Derive::Params,
        );
        assert_eq!(methods, ["new"]);
    }

    #[test]
    fn stub_emits_no_colliding_or_invalid_methods() {
        let methods = stub_methods(
            parse_quote! {
                struct P {
                    new: Option<u8>,
                    filter: Option<String>,
                    #[rpc(name = "Filter")] filters: Vec<String>,
                    #[rpc(name = "R#foo")] items: Vec<String>,
                    #[rpc(name = "Tag")] tags: Vec<String>,
                }
            },
            Derive::Params,
        );
        assert_eq!(methods, ["new", "filter", "tags", "tag"]);
    }

    #[test]
    fn stub_of_a_wrong_shape_has_no_builder() {
        let methods = stub_methods(
            parse_quote!(
                struct T(u8);
            ),
            Derive::Params,
        );
        assert!(methods.is_empty(), "{methods:?}");
        let methods = stub_methods(
            parse_quote!(
                enum E {
                    A(u8),
                }
            ),
            Derive::ParamValue,
        );
        assert!(methods.is_empty(), "{methods:?}");
    }

    #[test]
    fn deprecated_fields_deprecate_their_methods_and_impls_allow_it() {
        let out = expand(
            parse_quote! {
                #[deprecated]
                pub struct P {
                    #[deprecated(note = "use `b`")] a: Option<u8>,
                    #[deprecated] items: Vec<u8>,
                    b: Option<u8>,
                }
            },
            Derive::Params,
        );
        let tokens: Vec<&str> = out.split_whitespace().collect();
        // The method after each `#[deprecated …]` attribute.
        let deprecated: Vec<&str> = tokens
            .windows(2)
            .enumerate()
            .filter(|(_, w)| w[0] == "#" && w[1].starts_with("[deprecated"))
            .filter_map(|(i, _)| tokens[i..].windows(2).find(|w| w[0] == "fn").map(|w| w[1]))
            .collect();
        assert_eq!(deprecated, ["a", "items", "push_items"], "{out}");
        assert_eq!(
            out.matches("# [automatically_derived] # [allow (deprecated)]")
                .count(),
            // `Params`, `Flatten` and the builder.
            3,
            "{out}"
        );
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

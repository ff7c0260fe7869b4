//! The model the checks and the expansion work on. Every node keeps its `syn` original
//! for spans.

use proc_macro2::Span;
use quote::ToTokens;
use syn::ext::IdentExt;
use syn::{DeriveInput, GenericArgument, Ident, PathArguments, Type, TypePath, TypeReference};

use crate::attr;
use crate::ctxt::Ctxt;
use crate::symbol::{CRATE_ONLY_KEYS, REQUEST_KEYS};

/// Which derive is running.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Derive {
    Request,
    Params,
    ParamValue,
}

impl Derive {
    pub fn name(self) -> &'static str {
        match self {
            Derive::Request => "Request",
            Derive::Params => "Params",
            Derive::ParamValue => "ParamValue",
        }
    }
}

pub struct Container<'a> {
    pub original: &'a DeriveInput,
    pub derive: Derive,
    pub attrs: attr::Container,
    pub data: Data<'a>,
}

pub enum Data<'a> {
    Struct(Vec<Field<'a>>),
    Enum(Vec<Variant<'a>>),
    /// The input has the wrong shape for this derive; already reported.
    Invalid,
}

pub struct Field<'a> {
    pub ident: &'a Ident,
    pub ty: &'a Type,
    pub attrs: attr::Field,
    /// The param name on the wire (`RegionId`).
    pub wire: String,
    /// Where the wire name comes from: the `name = "…"` literal, or the field's ident.
    pub wire_span: Span,
    pub shape: Shape<'a>,
    /// The field's `#[deprecated]` attributes, copied onto its builder methods.
    pub deprecated: Vec<&'a syn::Attribute>,
}

pub struct Variant<'a> {
    pub ident: &'a Ident,
    /// The wire value; empty for the catch-all.
    pub wire: String,
    pub wire_span: Span,
    /// `#[rpc(other)]`: the catch-all `Other(String)`, with the span of the key.
    pub other: Option<Span>,
}

/// What a field's type looks like, syntactically.
#[derive(Debug, Clone, Copy)]
pub struct Shape<'a> {
    /// `Option<…>` around `inner`.
    pub optional: bool,
    /// The type inside `Option`, or the field's type.
    pub inner: &'a Type,
    /// `inner` is `Secret<…>`; `kind` is then the kind of what the `Secret` holds.
    pub secret: bool,
    pub kind: Kind<'a>,
}

#[derive(Debug, Clone, Copy)]
pub enum Kind<'a> {
    /// `Vec<T>` (`slice: false`), `[T]` or `&[T]` (`slice: true`).
    List {
        item: &'a Type,
        slice: bool,
    },
    /// `BTreeMap<K, V>` or `HashMap<K, V, ..>`.
    Map {
        key: &'a Type,
        value: &'a Type,
    },
    /// An integer or float primitive.
    Number,
    /// `String`, `str`, `&str` or `Cow<str>`.
    Str,
    Other,
}

impl<'a> Container<'a> {
    /// Builds the model, reporting attribute errors and wrong input shapes into `cx`.
    pub fn from_ast(cx: &Ctxt, input: &'a DeriveInput, derive: Derive) -> Container<'a> {
        let keys = match derive {
            Derive::Request => REQUEST_KEYS,
            Derive::Params | Derive::ParamValue => CRATE_ONLY_KEYS,
        };
        let attrs = attr::container(cx, &input.attrs, keys);
        let data = match (&input.data, derive) {
            (syn::Data::Struct(s), Derive::Request | Derive::Params) => match &s.fields {
                syn::Fields::Named(named) => Data::Struct(
                    named
                        .named
                        .iter()
                        .filter_map(|f| Field::from_ast(cx, f))
                        .collect(),
                ),
                syn::Fields::Unnamed(fields) => {
                    cx.error_spanned_by(fields, needs_named_fields(derive));
                    Data::Invalid
                }
                syn::Fields::Unit => {
                    cx.error_spanned_by(&input.ident, needs_named_fields(derive));
                    Data::Invalid
                }
            },
            (syn::Data::Enum(e), Derive::Request | Derive::Params) => {
                cx.error_spanned_by(e.enum_token, needs_named_fields(derive));
                Data::Invalid
            }
            (syn::Data::Union(u), _) => {
                let msg = match derive {
                    Derive::ParamValue => needs_unit_enum().to_owned(),
                    _ => needs_named_fields(derive),
                };
                cx.error_spanned_by(u.union_token, msg);
                Data::Invalid
            }
            (syn::Data::Struct(s), Derive::ParamValue) => {
                cx.error_spanned_by(s.struct_token, needs_unit_enum());
                Data::Invalid
            }
            (syn::Data::Enum(e), Derive::ParamValue) => Data::Enum(
                e.variants
                    .iter()
                    .filter_map(|v| Variant::from_ast(cx, v))
                    .collect(),
            ),
        };
        Container {
            original: input,
            derive,
            attrs,
            data,
        }
    }
}

fn needs_named_fields(derive: Derive) -> String {
    format!(
        "`#[derive({})]` needs a struct with named fields, like `struct Name {{ region_id: String }}`",
        derive.name()
    )
}

fn needs_unit_enum() -> &'static str {
    "`#[derive(ParamValue)]` needs an enum of unit variants, like `enum Kind { A, B }`; derive `Params` for a struct of params"
}

/// `bool` (or a path ending in it, like `::core::primitive::bool`).
pub fn is_bool(ty: &Type) -> bool {
    last_segment(ty).is_some_and(|last| last.ident == "bool" && last.arguments.is_none())
}

/// The one shape of a catch-all variant: `Other(String)`.
fn is_one_string(fields: &syn::Fields) -> bool {
    match fields {
        syn::Fields::Unnamed(f) if f.unnamed.len() == 1 => f.unnamed.iter().all(|f| {
            last_segment(&f.ty)
                .is_some_and(|last| last.ident == "String" && last.arguments.is_none())
        }),
        _ => false,
    }
}

impl<'a> Field<'a> {
    fn from_ast(cx: &Ctxt, field: &'a syn::Field) -> Option<Field<'a>> {
        let ident = field.ident.as_ref()?;
        let attrs = attr::field(cx, &field.attrs);
        let (wire, wire_span) = match &attrs.name {
            Some(name) => (name.value.value(), name.value.span()),
            None => (wire_name(ident), ident.span()),
        };
        Some(Field {
            ident,
            ty: &field.ty,
            shape: classify(&field.ty),
            attrs,
            wire,
            wire_span,
            deprecated: field
                .attrs
                .iter()
                .filter(|a| a.path().is_ident("deprecated"))
                .collect(),
        })
    }

    /// Whether this field is the request's client token: `#[rpc(client_token)]`, or on a
    /// `Request` a param named `ClientToken` (Aliyun's name for it), attribute or not.
    pub fn is_client_token(&self, derive: Derive) -> bool {
        self.attrs.client_token.is_some() || self.is_implicit_client_token(derive)
    }

    /// A `Request` param named `ClientToken` (whether or not it also says `client_token`).
    pub fn is_implicit_client_token(&self, derive: Derive) -> bool {
        derive == Derive::Request
            && self.attrs.skip.is_none()
            && !self.attrs.incomplete
            && self.wire == CLIENT_TOKEN_PARAM
    }

    /// Whether the generated constructor takes this field.
    pub fn is_required(&self) -> bool {
        self.attrs.skip.is_none()
            && !self.shape.optional
            && !matches!(self.shape.kind, Kind::List { .. } | Kind::Map { .. })
    }
}

impl<'a> Variant<'a> {
    fn from_ast(cx: &Ctxt, variant: &'a syn::Variant) -> Option<Variant<'a>> {
        let attrs = attr::variant(cx, &variant.attrs);
        if let Some(other) = &attrs.other {
            if let Some(rename) = &attrs.rename {
                cx.error_at(
                    rename.key,
                    "`rename` has no effect on the `other` variant, which sends the string it holds; remove `rename`",
                );
            }
            if !is_one_string(&variant.fields) {
                let at = match &variant.fields {
                    syn::Fields::Unit => variant.ident.to_token_stream(),
                    fields => fields.to_token_stream(),
                };
                cx.error_spanned_by(
                    at,
                    format!(
                        "the `other` variant holds the unknown value as a `String`: write `{}(String)`",
                        variant.ident
                    ),
                );
                return None;
            }
            return Some(Variant {
                ident: &variant.ident,
                wire: String::new(),
                wire_span: other.key,
                other: Some(other.key),
            });
        }
        if !matches!(variant.fields, syn::Fields::Unit) {
            cx.error_spanned_by(
                variant,
                format!(
                    "`#[derive(ParamValue)]` needs unit variants; remove the fields of `{}`, mark it `#[rpc(other)]` as the catch-all `{}(String)` for values the enum does not list, or implement `ParamValue` by hand",
                    variant.ident.unraw(),
                    variant.ident,
                ),
            );
            return None;
        }
        let (wire, wire_span) = match &attrs.rename {
            Some(r) => (r.value.value(), r.value.span()),
            None => (variant.ident.unraw().to_string(), variant.ident.span()),
        };
        Some(Variant {
            ident: &variant.ident,
            wire,
            wire_span,
            other: None,
        })
    }
}

/// Aliyun's name for the param that makes a create run at most once.
pub const CLIENT_TOKEN_PARAM: &str = "ClientToken";

/// The default wire name: the unrawed field name in PascalCase (`region_id` → `RegionId`,
/// `r#type` → `Type`, `ipv6_address` → `Ipv6Address`).
pub fn wire_name(ident: &Ident) -> String {
    ident
        .unraw()
        .to_string()
        .split('_')
        .map(|word| {
            let mut chars = word.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// A wire name in snake_case, for a generated method (`InstanceId` → `instance_id`,
/// `DBInstanceId` → `db_instance_id`, `Ipv6Address` → `ipv6_address`).
pub fn snake_case(wire: &str) -> String {
    let chars: Vec<char> = wire.chars().collect();
    let mut out = String::with_capacity(wire.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            let boundary = prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase() && next_lower);
            if boundary && !out.ends_with('_') {
                out.push('_');
            }
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// `name` as a method identifier (raw for keywords like `type`), or `None` when it cannot be one.
///
/// syn's own parser decides, so a name it rejects (`a-b`, `filter²`, `self`) never reaches
/// `Ident::new`, which would panic; `#` is refused up front, since `r#x` parses as the raw
/// form of another name.
pub fn method_ident(name: &str, span: Span) -> Option<Ident> {
    if name.contains('#') || ["_", "self", "Self", "super", "crate"].contains(&name) {
        return None;
    }
    let mut ident = syn::parse_str::<Ident>(name)
        .or_else(|_| syn::parse_str::<Ident>(&format!("r#{name}")))
        .ok()?;
    ident.set_span(span);
    Some(ident)
}

/// The builder methods a field gets besides the constructor, as (name, span to report a
/// problem with it at); the setter, named after the field, comes first.
pub fn builder_methods(field: &Field) -> Vec<(String, Span)> {
    if field.attrs.skip.is_some() {
        return Vec::new();
    }
    let setter = (field.ident.unraw().to_string(), field.ident.span());
    if field.shape.optional {
        return vec![setter];
    }
    match field.shape.kind {
        Kind::List { slice: true, .. } => vec![setter],
        Kind::List { slice: false, .. } => vec![setter, (push_name(field), field.wire_span)],
        Kind::Map { .. } => vec![setter, (entry_name(field), field.wire_span)],
        _ => Vec::new(),
    }
}

/// The method that appends one list item: the wire name in snake_case, or `push_<field>`
/// when that is the field's own name.
pub fn push_name(field: &Field) -> String {
    let name = snake_case(&field.wire);
    let own = field.ident.unraw().to_string();
    if name == own {
        format!("push_{own}")
    } else {
        name
    }
}

/// The method that inserts one map entry: `<wire name in snake_case>_entry`.
pub fn entry_name(field: &Field) -> String {
    format!("{}_entry", snake_case(&field.wire))
}

/// Classifies a field's type by its syntax alone.
pub fn classify(ty: &Type) -> Shape<'_> {
    let ty = ungroup(ty);
    let (optional, inner) = match single_arg(ty, "Option") {
        Some(inner) => (true, inner),
        None => (false, ty),
    };
    let secret = single_arg(inner, "Secret");
    Shape {
        optional,
        inner,
        secret: secret.is_some(),
        kind: kind_of(secret.unwrap_or(inner)),
    }
}

fn kind_of(ty: &Type) -> Kind<'_> {
    let ty = ungroup(ty);
    match ty {
        Type::Slice(s) => {
            return Kind::List {
                item: &s.elem,
                slice: true,
            }
        }
        Type::Reference(TypeReference { elem, .. }) => {
            return match ungroup(elem) {
                Type::Slice(s) => Kind::List {
                    item: &s.elem,
                    slice: true,
                },
                Type::Path(p) if p.qself.is_none() && p.path.is_ident("str") => Kind::Str,
                _ => Kind::Other,
            }
        }
        _ => {}
    }
    if let Some(item) = single_arg(ty, "Vec") {
        return Kind::List { item, slice: false };
    }
    if let Some(args) = type_args(ty, "BTreeMap").or_else(|| type_args(ty, "HashMap")) {
        if let [key, value, ..] = args.as_slice() {
            return Kind::Map { key, value };
        }
    }
    let Some(last) = last_segment(ty) else {
        return Kind::Other;
    };
    let name = last.ident.to_string();
    const NUMBERS: &[&str] = &[
        "i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64", "u128", "usize",
        "f32", "f64",
    ];
    if last.arguments.is_none() && NUMBERS.contains(&name.as_str()) {
        return Kind::Number;
    }
    if last.arguments.is_none() && (name == "String" || name == "str") {
        return Kind::Str;
    }
    if name == "Cow" && type_args(ty, "Cow").is_some_and(|a| a.len() == 1 && is_str(a[0])) {
        return Kind::Str;
    }
    Kind::Other
}

fn is_str(ty: &Type) -> bool {
    matches!(ungroup(ty), Type::Path(p) if p.qself.is_none() && p.path.is_ident("str"))
}

fn ungroup(mut ty: &Type) -> &Type {
    loop {
        match ty {
            Type::Group(g) => ty = &g.elem,
            Type::Paren(p) => ty = &p.elem,
            _ => return ty,
        }
    }
}

fn last_segment(ty: &Type) -> Option<&syn::PathSegment> {
    match ungroup(ty) {
        Type::Path(TypePath { qself: None, path }) => path.segments.last(),
        _ => None,
    }
}

/// The type arguments of `ty` when its last path segment is `name`.
fn type_args<'a>(ty: &'a Type, name: &str) -> Option<Vec<&'a Type>> {
    let last = last_segment(ty)?;
    if last.ident != name {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    Some(
        args.args
            .iter()
            .filter_map(|a| match a {
                GenericArgument::Type(t) => Some(t),
                _ => None,
            })
            .collect(),
    )
}

fn single_arg<'a>(ty: &'a Type, name: &str) -> Option<&'a Type> {
    match type_args(ty, name)?.as_slice() {
        [one] => Some(one),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse_quote;

    #[test]
    fn derives_wire_names() {
        let cases: [(Ident, &str); 4] = [
            (parse_quote!(region_id), "RegionId"),
            (parse_quote!(r#type), "Type"),
            (parse_quote!(ipv6_address), "Ipv6Address"),
            (parse_quote!(image_id), "ImageId"),
        ];
        for (ident, wire) in cases {
            assert_eq!(wire_name(&ident), wire);
        }
    }

    #[test]
    fn snake_cases_wire_names() {
        assert_eq!(snake_case("Filter"), "filter");
        assert_eq!(snake_case("InstanceId"), "instance_id");
        assert_eq!(snake_case("DBInstanceId"), "db_instance_id");
        assert_eq!(snake_case("Ipv6Address"), "ipv6_address");
    }

    #[test]
    fn method_idents_are_raw_for_keywords() {
        let span = Span::call_site();
        assert_eq!(method_ident("filter", span).unwrap().to_string(), "filter");
        assert_eq!(method_ident("type", span).unwrap().to_string(), "r#type");
        assert!(method_ident("self", span).is_none());
        assert!(method_ident("a-b", span).is_none());
        assert!(method_ident("r#foo", span).is_none());
        assert!(method_ident("filter²", span).is_none());
    }

    #[test]
    fn method_idents_refuse_what_does_not_lex_as_one() {
        let span = Span::call_site();
        for name in [
            "", "/*", "a(b", "\"", "'a", "r#", "0x", "]_entry", "a\u{0}b", "a.b",
        ] {
            assert!(method_ident(name, span).is_none(), "{name:?}");
        }
    }

    #[test]
    fn sees_through_secrets() {
        let ty: Type = parse_quote!(Option<Secret<String>>);
        let shape = classify(&ty);
        assert!(shape.optional && shape.secret);
        assert!(matches!(shape.kind, Kind::Str));
        let ty: Type = parse_quote!(::aliyun_rpc::params::Secret<u32>);
        let shape = classify(&ty);
        assert!(!shape.optional && shape.secret);
        assert!(matches!(shape.kind, Kind::Number));
        let ty: Type = parse_quote!(Vec<Secret<String>>);
        let shape = classify(&ty);
        assert!(!shape.secret);
        assert!(matches!(shape.kind, Kind::List { .. }));
    }

    fn kind(ty: Type) -> (bool, &'static str) {
        let shape = classify(&ty);
        let k = match shape.kind {
            Kind::List { slice: false, .. } => "vec",
            Kind::List { slice: true, .. } => "slice",
            Kind::Map { .. } => "map",
            Kind::Number => "number",
            Kind::Str => "str",
            Kind::Other => "other",
        };
        (shape.optional, k)
    }

    #[test]
    fn classifies_types() {
        assert_eq!(kind(parse_quote!(Vec<Filter>)), (false, "vec"));
        assert_eq!(
            kind(parse_quote!(Option<::std::vec::Vec<u8>>)),
            (true, "vec")
        );
        assert_eq!(kind(parse_quote!(&'a [T])), (false, "slice"));
        assert_eq!(kind(parse_quote!([T])), (false, "slice"));
        assert_eq!(kind(parse_quote!(BTreeMap<String, u8>)), (false, "map"));
        assert_eq!(kind(parse_quote!(HashMap<String, u8, S>)), (false, "map"));
        assert_eq!(kind(parse_quote!(u64)), (false, "number"));
        assert_eq!(kind(parse_quote!(Option<f32>)), (true, "number"));
        assert_eq!(kind(parse_quote!(String)), (false, "str"));
        assert_eq!(kind(parse_quote!(&'a str)), (false, "str"));
        assert_eq!(kind(parse_quote!(Cow<'a, str>)), (false, "str"));
        assert_eq!(
            kind(parse_quote!(Option<std::borrow::Cow<'static, str>>)),
            (true, "str")
        );
        assert_eq!(kind(parse_quote!(Filter)), (false, "other"));
        assert_eq!(kind(parse_quote!(Cow<'a, [u8]>)), (false, "other"));
    }

    #[test]
    fn required_fields_are_plain_values() {
        let input: DeriveInput = parse_quote! {
            struct S { a: String, b: Option<u8>, c: Vec<u8>, d: BTreeMap<String, u8>, #[rpc(skip)] e: u8 }
        };
        let cx = Ctxt::new();
        let c = Container::from_ast(&cx, &input, Derive::Params);
        assert!(cx.check().is_ok());
        let Data::Struct(fields) = c.data else {
            panic!("not a struct")
        };
        let required: Vec<bool> = fields.iter().map(Field::is_required).collect();
        assert_eq!(required, [true, false, false, false, false]);
        assert_eq!(push_name(&fields[2]), "push_c");
        assert_eq!(entry_name(&fields[3]), "d_entry");
    }

    #[test]
    fn rejects_wrong_shapes() {
        let cases: [(DeriveInput, Derive); 4] = [
            (
                parse_quote!(
                    enum E {
                        A,
                    }
                ),
                Derive::Request,
            ),
            (
                parse_quote!(
                    struct T(u8);
                ),
                Derive::Params,
            ),
            (
                parse_quote!(
                    struct U;
                ),
                Derive::Request,
            ),
            (
                parse_quote!(
                    enum E {
                        A(u8),
                    }
                ),
                Derive::ParamValue,
            ),
        ];
        for (input, derive) in cases {
            let cx = Ctxt::new();
            Container::from_ast(&cx, &input, derive);
            assert!(cx.check().is_err());
        }
    }
}

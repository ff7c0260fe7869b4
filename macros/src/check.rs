//! Rules across keys and fields: required container keys and their formats, wire names,
//! duplicates, common-param names, attribute-versus-type fit, builder-method collisions.

use std::collections::HashMap;

use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::LitStr;

use crate::ast::{self, Container, Data, Derive, Field, Kind, Variant};
use crate::ctxt::Ctxt;
use crate::symbol::*;

pub fn check(cx: &Ctxt, cont: &Container) {
    if cont.derive == Derive::Request {
        check_request_attrs(cx, cont);
        if let Data::Struct(fields) = &cont.data {
            check_paginate(cx, cont, fields);
            check_dry_run(cx, fields);
        }
    }
    match &cont.data {
        Data::Struct(fields) => check_fields(cx, cont, fields),
        Data::Enum(variants) => check_variants(cx, variants),
        Data::Invalid => {}
    }
}

fn check_request_attrs(cx: &Ctxt, cont: &Container) {
    let a = &cont.attrs;
    let response = format!("response = {}", response_type_name(cont));
    let missing: [(bool, Symbol, &str); 4] = [
        (a.product.is_none(), PRODUCT, "product = \"Ecs\""),
        (a.version.is_none(), VERSION, "version = \"2014-05-26\""),
        (a.action.is_none(), ACTION, "action = \"DescribeRegions\""),
        (a.response.is_none(), RESPONSE, &response),
    ];
    let Some(attr) = &a.rpc_attr else {
        cx.error_spanned_by(
            &cont.original.ident,
            "missing `#[rpc(...)]` on a `#[derive(Request)]` struct; add `#[rpc(product = \"Ecs\", version = \"2014-05-26\", action = \"DescribeRegions\", response = DescribeRegionsResponse)]`",
        );
        return;
    };
    for (is_missing, key, example) in missing {
        // A key written with a rejected value, or possibly unread after a syntax error, has
        // its own error already.
        if is_missing && !a.given.contains(&key) && !a.incomplete {
            cx.error_spanned_by(
                attr,
                format!("missing `{key}` in `#[rpc(...)]`; add `{example}`"),
            );
        }
    }
    if let Some(v) = &a.version {
        if !is_date(&v.value.value()) {
            cx.error_spanned_by(
                &v.value,
                format!(
                    "`version` must be a date like `2014-05-26`, not `{}`",
                    v.value.value()
                ),
            );
        }
    }
    if let Some(p) = &a.product {
        if !is_product(&p.value.value()) {
            not_identifier(cx, PRODUCT, &p.value, "Ecs");
        }
    }
    if let Some(act) = &a.action {
        if !is_identifier(&act.value.value()) {
            not_identifier(cx, ACTION, &act.value, "DescribeRegions");
        }
    }
}

/// `paginate(<convention>, ..)` needs the convention's cursor among the params.
fn check_paginate(cx: &Ctxt, cont: &Container, fields: &[Field]) {
    let Some(p) = &cont.attrs.paginate else {
        return;
    };
    let convention = p.value.convention.value;
    let param = convention.cursor_param();
    let has_cursor = fields
        .iter()
        .any(|f| f.attrs.incomplete || (f.wire == param && f.attrs.skip.is_none()));
    if !has_cursor {
        cx.error_at(
            p.value.convention.key,
            format!(
                "`paginate({})` needs a field sending `{param}`, like `{}`",
                convention.symbol(),
                convention.cursor_example()
            ),
        );
    }
}

/// The field sending `DryRun` is what `Client::dry_run` sets: a `bool` or `Option<bool>`.
fn check_dry_run(cx: &Ctxt, fields: &[Field]) {
    for f in fields {
        if f.wire == DRY_RUN_PARAM && f.attrs.skip.is_none() && !ast::is_bool(f.shape.inner) {
            cx.error_spanned_by(
                f.ty,
                "the `DryRun` param is a `bool`: write `dry_run: Option<bool>`, which `Client::dry_run` sets",
            );
        }
    }
}

/// The response type to suggest: `{Action}Response` for the struct's own action (the name
/// the code generator gives it), or the generic example when the action is missing or invalid.
fn response_type_name(cont: &Container) -> String {
    match &cont.attrs.action {
        Some(act) if is_identifier(&act.value.value()) => format!("{}Response", act.value.value()),
        _ => "DescribeRegionsResponse".to_owned(),
    }
}

fn not_identifier(cx: &Ctxt, key: Symbol, lit: &LitStr, example: &str) {
    cx.error_spanned_by(
        lit,
        format!(
            "`{key}` must be an ASCII identifier like `{example}`, not `{}`",
            lit.value()
        ),
    );
}

/// `YYYY-MM-DD` with a plausible month and day.
pub fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    matches!(
        (digits(0..4), digits(5..7), digits(8..10)),
        (Some(_), Some(1..=12), Some(1..=31))
    )
}

/// An ASCII letter, then ASCII letters, digits or `_`.
pub fn is_identifier(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Like [`is_identifier`], but inner `-` is allowed: real product codes such as `R-kvstore` have one.
pub fn is_product(s: &str) -> bool {
    !s.ends_with('-') && !s.contains("--") && is_identifier(&s.replace('-', "_"))
}

fn check_fields(cx: &Ctxt, cont: &Container, fields: &[Field]) {
    let mut seen: HashMap<&str, &Field> = HashMap::new();
    let mut client_token: Option<&Field> = None;
    for field in fields {
        check_field_attrs(cx, field);
        if let (Some(body), Derive::Params) = (&field.attrs.body, cont.derive) {
            cx.error_at(
                body.key,
                "`body` applies to fields of a `#[derive(Request)]` struct: a nested struct's params travel where the request field that holds it does, so put `body` on that field",
            );
        }
        let by_name = field.is_implicit_client_token(cont.derive);
        if field.attrs.client_token.is_some() || by_name {
            check_client_token(cx, cont, field, client_token);
            client_token = client_token.or(Some(field));
        }
        if field.attrs.skip.is_some() {
            continue;
        }
        if !check_wire_name(cx, field) {
            continue;
        }
        if cont.derive == Derive::Request && COMMON_PARAMS.contains(&field.wire.as_str()) {
            cx.error_at(
                field.wire_span,
                format!(
                    "`{}` is a common parameter the client sends on every call; give the field another name with `#[rpc(name = \"…\")]`",
                    field.wire
                ),
            );
        }
        if let Some(first) = seen.get(field.wire.as_str()) {
            cx.error_at(
                field.wire_span,
                format!(
                    "duplicate parameter name `{}`; field `{}` already sends it, set another with `#[rpc(name = \"…\")]`",
                    field.wire,
                    first.ident.unraw()
                ),
            );
        } else {
            seen.insert(&field.wire, field);
        }
    }
    check_builder_names(cx, fields);
}

/// The client token: one `Option<String>` field of a `Request`, sent as it is; marked
/// `client_token`, or sending `ClientToken` (then the attribute is optional).
fn check_client_token(cx: &Ctxt, cont: &Container, field: &Field, first: Option<&Field>) {
    let a = &field.attrs;
    // Only by its name: no attribute to point at or to name in the messages.
    let by_name = a.client_token.is_none();
    // Errors about the token point at the attribute, or at where the wire name comes from.
    let key = match &a.client_token {
        Some(attr) => attr.key,
        None => field.wire_span,
    };
    let what = if by_name {
        format!("a field sending `{}`", ast::CLIENT_TOKEN_PARAM)
    } else {
        "`client_token`".to_owned()
    };
    if cont.derive != Derive::Request {
        cx.error_at(
            key,
            "`client_token` applies to fields of a `#[derive(Request)]` struct, where the client fills it in per call; remove it here",
        );
        return;
    }
    if let Some(first) = first {
        let fix = if by_name {
            "send this field under another name with `#[rpc(name = \"…\")]`"
        } else {
            "remove `client_token` here"
        };
        cx.error_at(
            key,
            format!(
                "a request has one client token, and field `{}` already is it; {fix}",
                first.ident.unraw()
            ),
        );
    }
    for (span, other) in [
        (a.skip.as_ref().map(|x| x.key), SKIP),
        (a.json.as_ref().map(|x| x.key), JSON),
        (a.simple.as_ref().map(|x| x.key), SIMPLE),
        (a.secret.as_ref().map(|x| x.key), SECRET),
    ] {
        if let Some(span) = span {
            cx.error_at(
                span,
                format!("`{other}` cannot be combined with {what}, the client token, which must be sent as a plain string; remove `{other}`"),
            );
        }
    }
    if !(field.shape.optional && !field.shape.secret && matches!(field.shape.kind, Kind::Str)) {
        let rule = if by_name {
            format!(
                "{what} is the request's client token, left `None` to let the client fill in a UUID, so it must be `Option<String>`"
            )
        } else {
            "`client_token` applies to an `Option<String>` field, left `None` to let the client fill in a UUID".to_owned()
        };
        cx.error_at(
            key,
            format!(
                "{rule}; field `{}` is `{}`",
                field.ident.unraw(),
                type_name(field.ty)
            ),
        );
    }
}

/// Non-empty, and free of the characters that build or separate keys.
fn check_wire_name(cx: &Ctxt, field: &Field) -> bool {
    let w = &field.wire;
    let bad = !is_wire_name(w);
    if bad {
        let msg = nested_params_advice(field).unwrap_or_else(|| {
            format!(
                "invalid parameter name `{w}`; write a non-empty name without `.`, `=`, `&` or whitespace, like `name = \"RegionId\"`"
            )
        });
        cx.error_at(field.wire_span, msg);
    }
    !bad
}

fn is_wire_name(w: &str) -> bool {
    !(w.is_empty() || w.contains(['.', '=', '&']) || w.contains(char::is_whitespace))
}

/// For a dotted parameter name, the nested `#[derive(Params)]` structs that send it: the writer
/// joins a field's name to its parent's with `.` and numbers list items, so `SystemDisk.Size`
/// is a field `system_disk: Option<SystemDisk>` whose struct has a field `size`, and
/// `Filter.1.Key` is a field `filter: Vec<Filter>` whose struct has a field `key`. `None` when
/// the name has another problem (an empty segment, `=`, an index with nothing to index), which
/// the generic message covers.
fn nested_params_advice(field: &Field) -> Option<String> {
    let w = &field.wire;
    if !w.contains('.') || w.contains(['=', '&']) || w.contains(char::is_whitespace) {
        return None;
    }
    // (segment, is a list): an index segment marks the segment before it as a list.
    let mut levels: Vec<(&str, bool)> = Vec::new();
    for segment in w.split('.') {
        if !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit()) {
            match levels.last_mut() {
                Some((_, list @ false)) => *list = true,
                _ => return None,
            }
        } else if is_identifier(segment) {
            levels.push((segment, false));
        } else {
            return None;
        }
    }
    let (&(leaf, leaf_list), parents) = levels.split_last()?;
    let mut advice = format!("parameter name `{w}` contains `.`; use ");
    for (i, &(segment, list)) in parents.iter().enumerate() {
        let ty = struct_name(segment)?;
        let ty = if list {
            format!("Vec<{ty}>")
        } else {
            format!("Option<{ty}>")
        };
        if i > 0 {
            advice.push_str(" that has ");
        }
        advice.push_str(&format!(
            "a field `{}` with a nested `#[derive(Params)]` struct",
            field_decl(segment, Some(&ty))?
        ));
    }
    // A leaf list shows its items' type: the field's own, or its items' when it is a list.
    let leaf_ty = leaf_list.then(|| match field.shape.kind {
        Kind::List { item, .. } => format!("Vec<{}>", type_name(item)),
        _ => format!("Vec<{}>", type_name(field.ty)),
    });
    if !parents.is_empty() {
        advice.push_str(" that has ");
    }
    advice.push_str(&format!(
        "a field `{}`",
        field_decl(leaf, leaf_ty.as_deref())?
    ));
    if parents.is_empty() {
        advice.push_str(&format!(
            ", whose items are sent as `{leaf}.1`, `{leaf}.2`, …"
        ));
    }
    Some(advice)
}

/// `system_disk: Option<SystemDisk>` (or `system_disk` without a type) for the wire segment
/// `SystemDisk`, with a `#[rpc(name = "…")]` when the field's default wire name would differ
/// (`DBInstance`).
fn field_decl(segment: &str, ty: Option<&str>) -> Option<String> {
    let ident = ast::method_ident(&ast::snake_case(segment), Span::call_site())?;
    let rename = if ast::wire_name(&ident) == segment {
        String::new()
    } else {
        format!("#[rpc(name = \"{segment}\")] ")
    };
    Some(match ty {
        Some(ty) => format!("{rename}{ident}: {ty}"),
        None => format!("{rename}{ident}"),
    })
}

/// The nested struct's name for a wire segment: the segment, capitalized.
fn struct_name(segment: &str) -> Option<String> {
    let mut chars = segment.chars();
    let name = chars.next()?.to_ascii_uppercase().to_string() + chars.as_str();
    (name != "Self").then_some(name)
}

fn check_field_attrs(cx: &Ctxt, field: &Field) {
    let a = &field.attrs;
    if a.skip.is_some() {
        let others = [
            (a.name.as_ref().map(|x| x.key), NAME),
            (a.json.as_ref().map(|x| x.key), JSON),
            (a.simple.as_ref().map(|x| x.key), SIMPLE),
            (a.max_items.as_ref().map(|x| x.key), MAX_ITEMS),
            (a.min_items.as_ref().map(|x| x.key), MIN_ITEMS),
            (a.min.as_ref().map(|x| x.key), MIN),
            (a.max.as_ref().map(|x| x.key), MAX),
            (a.max_len.as_ref().map(|x| x.key), MAX_LEN),
            (a.secret.as_ref().map(|x| x.key), SECRET),
            (a.body.as_ref().map(|x| x.key), BODY),
        ];
        for (span, key) in others {
            if let Some(span) = span {
                cx.error_at(
                    span,
                    format!("`{key}` has no effect on a `skip` field, which sends nothing; remove `{key}` or `skip`"),
                );
            }
        }
        return;
    }
    if a.json.is_some() {
        for (span, key) in [
            (a.max_len.as_ref().map(|x| x.key), MAX_LEN),
            (a.min.as_ref().map(|x| x.key), MIN),
            (a.max.as_ref().map(|x| x.key), MAX),
        ] {
            if let Some(span) = span {
                cx.error_at(
                    span,
                    format!("`{key}` cannot be combined with `json`, which sends the value as one JSON string; remove one of them"),
                );
            }
        }
    }
    if let (Some(secret), Some(_)) = (&a.secret, &a.json) {
        cx.error_at(
            secret.key,
            "`secret` cannot be combined with `json`, which sends the value as one JSON string that the client cannot redact; remove one of them",
        );
    }
    if let Some(simple) = &a.simple {
        if a.json.is_some() {
            cx.error_at(
                simple.key,
                "`simple` cannot be combined with `json`: `simple` sends the items comma-joined (`a,b,c`), `json` as one JSON string (`[\"a\",\"b\"]`); remove one of them",
            );
        }
    }
    let kind = field.shape.kind;
    for (count, key) in [(&a.max_items, MAX_ITEMS), (&a.min_items, MIN_ITEMS)] {
        if let Some(m) = count {
            if !matches!(kind, Kind::List { .. }) {
                wrong_type(
                    cx,
                    m.key,
                    key,
                    "list fields: `Vec<T>`, `[T]`, `&[T]`, or an `Option` of one",
                    field,
                );
            }
        }
    }
    if let Some(simple) = &a.simple {
        if !matches!(kind, Kind::List { .. }) {
            wrong_type(
                cx,
                simple.key,
                SIMPLE,
                "list fields: `Vec<T>`, `[T]`, `&[T]`, or an `Option` of one, whose items are single values",
                field,
            );
        }
    }
    if let (Some(min), Some(max)) = (&a.min_items, &a.max_items) {
        if min.value > max.value {
            cx.error_at(
                max.key,
                format!(
                    "`max_items` ({}) is less than `min_items` ({}); swap them or fix the bounds",
                    max.value, min.value
                ),
            );
        }
    }
    if let Some(m) = &a.max_len {
        if !matches!(kind, Kind::Str) {
            wrong_type(
                cx,
                m.key,
                MAX_LEN,
                "string fields: `String`, `&str`, `Cow<str>`, or an `Option` of one",
                field,
            );
        }
    }
    for (bound, key) in [(&a.min, MIN), (&a.max, MAX)] {
        if let Some(b) = bound {
            if !matches!(kind, Kind::Number) {
                wrong_type(
                    cx,
                    b.key,
                    key,
                    "number fields: the integer and float primitives, or an `Option` of one",
                    field,
                );
            }
        }
    }
    if let (Some(min), Some(max)) = (&a.min, &a.max) {
        if min.value.as_f64() > max.value.as_f64() {
            cx.error_at(
                max.key,
                format!(
                    "`max` ({}) is less than `min` ({}); swap them or fix the bounds",
                    max.value, min.value
                ),
            );
        }
    }
}

fn wrong_type(cx: &Ctxt, span: Span, key: Symbol, accepted: &str, field: &Field) {
    let ty = type_name(field.ty);
    cx.error_at(
        span,
        format!(
            "`{key}` applies to {accepted}; field `{}` is `{ty}`",
            field.ident.unraw()
        ),
    );
}

/// A type as written, without the token spacing of `to_string` (`Option<u32>`, not `Option < u32 >`).
pub fn type_name(ty: &syn::Type) -> String {
    let mut out = quote::quote!(#ty).to_string();
    for (from, to) in [
        (" < ", "<"),
        ("< ", "<"),
        (" >", ">"),
        (" :: ", "::"),
        (":: ", "::"),
        ("& ", "&"),
        (" ,", ","),
        ("' ", "'"),
    ] {
        out = out.replace(from, to);
    }
    out
}

fn check_builder_names(cx: &Ctxt, fields: &[Field]) {
    let mut seen: HashMap<String, String> = HashMap::new();
    seen.insert("new".to_owned(), "the constructor".to_owned());
    for field in fields {
        let mut methods = ast::builder_methods(field);
        if !is_wire_name(&field.wire) {
            // Reported already; a push or entry method named after it would report it again.
            methods.truncate(1);
        }
        for (name, span) in methods {
            if ast::method_ident(&name, span).is_none() {
                cx.error_at(
                    span,
                    format!("cannot name a method `{name}` after parameter `{}`; pick another wire name with `#[rpc(name = \"…\")]`", field.wire),
                );
                continue;
            }
            let owner = format!("field `{}`", field.ident.unraw());
            if let Some(first) = seen.get(&name) {
                cx.error_at(
                    span,
                    format!(
                        "generated method `{name}` for {owner} collides with the one for {first}; rename one of the fields or set another `#[rpc(name = \"…\")]`"
                    ),
                );
            } else {
                seen.insert(name, owner);
            }
        }
    }
}

fn check_variants(cx: &Ctxt, variants: &[Variant]) {
    let mut seen: HashMap<&str, &Variant> = HashMap::new();
    let mut catch_all: Option<&Variant> = None;
    for v in variants {
        if let Some(key) = v.other {
            match catch_all {
                Some(first) => cx.error_at(
                    key,
                    format!(
                        "an enum has one catch-all, and variant `{}` already is it; remove `other` here",
                        first.ident.unraw()
                    ),
                ),
                None => catch_all = Some(v),
            }
            continue;
        }
        if v.wire.is_empty() {
            cx.error_at(
                v.wire_span,
                "empty wire value; write `rename = \"Value\"` with at least one character",
            );
            continue;
        }
        if let Some(first) = seen.get(v.wire.as_str()) {
            cx.error_at(
                v.wire_span,
                format!(
                    "duplicate wire value `{}`; variant `{}` already sends it, set another with `#[rpc(rename = \"…\")]`",
                    v.wire,
                    first.ident.unraw()
                ),
            );
        } else {
            seen.insert(&v.wire, v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::{parse_quote, DeriveInput};

    fn errors(input: DeriveInput, derive: Derive) -> Vec<String> {
        let cx = Ctxt::new();
        let cont = Container::from_ast(&cx, &input, derive);
        check(&cx, &cont);
        match cx.check() {
            Ok(()) => Vec::new(),
            Err(e) => e.into_iter().map(|e| e.to_string()).collect(),
        }
    }

    #[test]
    fn type_names_read_like_source() {
        let ty: syn::Type = syn::parse_quote!(Option<::std::borrow::Cow<'a, str>>);
        assert_eq!(type_name(&ty), "Option<::std::borrow::Cow<'a, str>>");
        let ty: syn::Type = syn::parse_quote!(&'a [Vec<u8>]);
        assert_eq!(type_name(&ty), "&'a [Vec<u8>]");
    }

    #[test]
    fn dates() {
        assert!(is_date("2014-05-26"));
        assert!(!is_date("2014-5-26"));
        assert!(!is_date("2014-13-01"));
        assert!(!is_date("20140526xx"));
    }

    #[test]
    fn identifiers() {
        assert!(is_identifier("DescribeRegions"));
        assert!(!is_identifier("Describe Regions"));
        assert!(!is_identifier("1Describe"));
        assert!(is_product("R-kvstore"));
        assert!(!is_product("Ecs-"));
        assert!(!is_product("E.cs"));
    }

    #[test]
    fn accepts_the_seed() {
        let input: DeriveInput = parse_quote! {
            #[rpc(product = "Ecs", version = "2014-05-26", action = "DescribeImageSupportInstanceTypes", response = R)]
            struct D {
                region_id: String,
                action_type: Option<ActionType>,
                #[rpc(name = "Filter", max_items = 50)]
                filters: Vec<Filter>,
                image_id: Option<String>,
            }
        };
        assert_eq!(errors(input, Derive::Request), Vec::<String>::new());
    }

    #[test]
    fn reports_missing_keys() {
        let input: DeriveInput = parse_quote! {
            #[rpc(product = "Ecs", version = "2014-05-26")]
            struct D {}
        };
        assert_eq!(
            errors(input, Derive::Request),
            [
                "missing `action` in `#[rpc(...)]`; add `action = \"DescribeRegions\"`",
                "missing `response` in `#[rpc(...)]`; add `response = DescribeRegionsResponse`",
            ]
        );
    }

    #[test]
    fn suggests_a_response_named_after_the_action() {
        let input: DeriveInput = parse_quote! {
            #[rpc(product = "Ecs", version = "2014-05-26", action = "DescribeZones")]
            struct D {}
        };
        assert_eq!(
            errors(input, Derive::Request),
            ["missing `response` in `#[rpc(...)]`; add `response = DescribeZonesResponse`"]
        );
        let input: DeriveInput = parse_quote! {
            #[rpc(product = "Ecs", version = "2014-05-26", action = "Describe Zones")]
            struct D {}
        };
        assert_eq!(
            errors(input, Derive::Request),
            [
                "missing `response` in `#[rpc(...)]`; add `response = DescribeRegionsResponse`",
                "`action` must be an ASCII identifier like `DescribeRegions`, not `Describe Zones`",
            ]
        );
    }

    fn wire_name_errors(name: &str, ty: syn::Type) -> Vec<String> {
        let input: DeriveInput = parse_quote! {
            struct P { #[rpc(name = #name)] x: #ty }
        };
        errors(input, Derive::Params)
    }

    #[test]
    fn dotted_names_suggest_nested_params() {
        let cases: [(&str, syn::Type, &str); 7] = [
            (
                "SystemDisk.Size",
                parse_quote!(Option<u32>),
                "use a field `system_disk: Option<SystemDisk>` with a nested `#[derive(Params)]` struct that has a field `size`",
            ),
            (
                "Filter.1.Key",
                parse_quote!(Vec<String>),
                "use a field `filter: Vec<Filter>` with a nested `#[derive(Params)]` struct that has a field `key`",
            ),
            (
                "DBInstance.ID",
                parse_quote!(String),
                "use a field `#[rpc(name = \"DBInstance\")] db_instance: Option<DBInstance>` with a nested `#[derive(Params)]` struct that has a field `#[rpc(name = \"ID\")] id`",
            ),
            (
                "Disk.Tag.2.Type",
                parse_quote!(String),
                "use a field `disk: Option<Disk>` with a nested `#[derive(Params)]` struct that has a field `tag: Vec<Tag>` with a nested `#[derive(Params)]` struct that has a field `r#type`",
            ),
            (
                "Tag.1",
                parse_quote!(String),
                "use a field `tag: Vec<String>`, whose items are sent as `Tag.1`, `Tag.2`, …",
            ),
            (
                "Host.Ips.1",
                parse_quote!(Vec<String>),
                "use a field `host: Option<Host>` with a nested `#[derive(Params)]` struct that has a field `ips: Vec<String>`",
            ),
            (
                "systemDisk.size",
                parse_quote!(u32),
                "use a field `#[rpc(name = \"systemDisk\")] system_disk: Option<SystemDisk>` with a nested `#[derive(Params)]` struct that has a field `#[rpc(name = \"size\")] size`",
            ),
        ];
        for (name, ty, advice) in cases {
            assert_eq!(
                wire_name_errors(name, ty),
                [format!("parameter name `{name}` contains `.`; {advice}")],
            );
        }
    }

    #[test]
    fn malformed_dotted_names_get_the_generic_message() {
        for name in [
            ".Size",
            "Disk.",
            "Disk..Size",
            "1.Size",
            "Tag.1.2",
            "Disk.Size=1",
            "Self.Id",
        ] {
            let errs = wire_name_errors(name, parse_quote!(String));
            assert_eq!(errs.len(), 1, "{name}: {errs:?}");
            assert!(
                errs[0].starts_with(&format!(
                    "invalid parameter name `{name}`; write a non-empty name without `.`"
                )),
                "{name}: {errs:?}"
            );
        }
    }

    #[test]
    fn a_rejected_key_is_not_also_missing() {
        let input: DeriveInput = parse_quote! {
            #[rpc(product = 5, version = "2014-05-26", action = Describe, response = "Resp")]
            struct D {}
        };
        assert_eq!(
            errors(input, Derive::Request),
            [
                "`product` takes a string literal; write `product = \"Ecs\"`",
                "`action` takes a string literal; write `action = \"DescribeRegions\"`",
                "`response` takes a type, not a string; write `response = Resp`",
            ]
        );
        // After a syntax error the rest of the attribute is unread: no guesses about it.
        let input: DeriveInput = parse_quote! {
            #[rpc(product = "Ecs" version = "2014-05-26", action = "A", response = R)]
            struct D {}
        };
        assert_eq!(errors(input, Derive::Request), ["expected `,`"]);
        let input: DeriveInput = parse_quote! {
            #[rpc(product = "Ecs", version = "2014-05-26", action = "A", response = "(")]
            struct D {}
        };
        assert_eq!(
            errors(input, Derive::Request),
            ["`response` takes a type, not a string; write `response = DescribeRegionsResponse`"]
        );
    }

    #[test]
    fn reports_duplicates_common_params_and_type_mismatches() {
        let input: DeriveInput = parse_quote! {
            #[rpc(product = "Ecs", version = "2014-05-26", action = "A", response = R)]
            struct D {
                region_id: String,
                #[rpc(name = "RegionId")] other: String,
                action: String,
                #[rpc(max_items = 3)] name: String,
                #[rpc(min = 5, max = 1)] n: u8,
                #[rpc(max_len = 3)] s: Vec<String>,
                #[rpc(min_items = 1)] one: Option<String>,
                #[rpc(min_items = 3, max_items = 2)] few: Vec<String>,
                #[rpc(simple)] joined: Option<String>,
                #[rpc(simple, json)] both: Vec<String>,
                #[rpc(simple)] fine: Option<Vec<u8>>,
                #[rpc(secret, json)] hidden: Option<Secret<String>>,
                #[rpc(secret, max_len = 30)] password: Option<Secret<String>>,
                #[rpc(secret, min = 1)] pin: Secret<u32>,
            }
        };
        let errs = errors(input, Derive::Request);
        assert_eq!(errs.len(), 10, "{errs:#?}");
        assert!(errs[0].starts_with("duplicate parameter name `RegionId`; field `region_id`"));
        assert!(errs[1].starts_with("`Action` is a common parameter"));
        assert!(errs[2].starts_with("`max_items` applies to list fields"));
        assert!(errs[3].starts_with("`max` (1) is less than `min` (5)"));
        assert!(errs[4].starts_with("`max_len` applies to string fields"));
        assert!(errs[5].starts_with("`min_items` applies to list fields"));
        assert_eq!(
            errs[6],
            "`max_items` (2) is less than `min_items` (3); swap them or fix the bounds"
        );
        assert!(errs[7].starts_with("`simple` applies to list fields"));
        assert!(errs[8].starts_with("`simple` cannot be combined with `json`"));
        assert!(errs[9].starts_with("`secret` cannot be combined with `json`"));
    }

    #[test]
    fn body_is_for_request_fields() {
        let input: DeriveInput = parse_quote! {
            #[rpc(product = "Nlb", version = "2022-04-30", action = "A", response = R)]
            struct D { #[rpc(body, json)] a: Vec<u8>, #[rpc(body, client_token)] t: Option<String> }
        };
        assert!(errors(input, Derive::Request).is_empty());
        let input: DeriveInput = parse_quote!(
            struct P {
                #[rpc(body)]
                a: String,
            }
        );
        let errs = errors(input, Derive::Params);
        assert_eq!(errs.len(), 1);
        assert!(errs[0].starts_with("`body` applies to fields of a `#[derive(Request)]` struct"));
    }

    #[test]
    fn a_client_token_param_is_the_client_token() {
        let request = |fields: proc_macro2::TokenStream| -> Vec<String> {
            let input: DeriveInput = parse_quote! {
                #[rpc(product = "Ecs", version = "2014-05-26", action = "A", response = R)]
                struct D { #fields }
            };
            errors(input, Derive::Request)
        };
        assert!(request(quote::quote!(client_token: Option<String>)).is_empty());
        assert!(
            request(quote::quote!(#[rpc(client_token)] client_token: Option<String>)).is_empty()
        );
        assert!(request(quote::quote!(#[rpc(skip)] client_token: u8)).is_empty());
        assert_eq!(
            request(quote::quote!(client_token: String)),
            ["a field sending `ClientToken` is the request's client token, left `None` to let the client fill in a UUID, so it must be `Option<String>`; field `client_token` is `String`"]
        );
        assert_eq!(
            request(quote::quote!(#[rpc(name = "ClientToken")] token: Option<u64>)).len(),
            1
        );
        assert_eq!(
            request(quote::quote!(
                #[rpc(client_token, name = "Token")] token: Option<String>,
                client_token: Option<String>,
            )),
            ["a request has one client token, and field `token` already is it; send this field under another name with `#[rpc(name = \"…\")]`"]
        );
        assert_eq!(
            request(quote::quote!(#[rpc(json)] client_token: Option<String>)),
            ["`json` cannot be combined with a field sending `ClientToken`, the client token, which must be sent as a plain string; remove `json`"]
        );
        // In a nested struct it is a plain param.
        let input: DeriveInput = parse_quote!(
            struct P {
                client_token: u8,
            }
        );
        assert!(errors(input, Derive::Params).is_empty());
    }

    #[test]
    fn common_params_are_fine_in_params() {
        let input: DeriveInput = parse_quote!(
            struct P {
                action: String,
                version: u8,
            }
        );
        assert!(errors(input, Derive::Params).is_empty());
    }

    #[test]
    fn reports_builder_collisions() {
        let input: DeriveInput = parse_quote! {
            struct P { filter: Option<String>, #[rpc(name = "Filter2")] filters: Vec<String> }
        };
        assert!(errors(input, Derive::Params).is_empty());
        let input: DeriveInput = parse_quote!(
            struct P {
                new: Option<u8>,
            }
        );
        let errs = errors(input, Derive::Params);
        assert_eq!(errs.len(), 1);
        assert!(errs[0].contains("collides with the one for the constructor"));
        let input: DeriveInput = parse_quote! {
            struct P { filter: Option<String>, #[rpc(name = "Filter")] filters: Vec<String> }
        };
        let errs = errors(input, Derive::Params);
        assert_eq!(errs.len(), 2, "{errs:#?}");
        assert!(errs[1].starts_with("generated method `filter` for field `filters` collides"));
    }

    #[test]
    fn reports_duplicate_variants() {
        let input: DeriveInput = parse_quote!(
            enum E {
                A,
                #[rpc(rename = "A")]
                B,
            }
        );
        let errs = errors(input, Derive::ParamValue);
        assert_eq!(errs.len(), 1);
        assert!(errs[0].starts_with("duplicate wire value `A`; variant `A`"));
    }

    #[test]
    fn one_catch_all_of_one_string() {
        let input: DeriveInput = parse_quote!(
            enum E {
                A,
                #[rpc(other)]
                Other(::std::string::String),
            }
        );
        assert!(errors(input, Derive::ParamValue).is_empty());
        let input: DeriveInput = parse_quote!(
            enum E {
                #[rpc(other)]
                Unit,
                #[rpc(other)]
                Number(u32),
                #[rpc(other)]
                Two(String, String),
                #[rpc(other)]
                Named { value: String },
            }
        );
        let errs = errors(input, Derive::ParamValue);
        assert_eq!(errs.len(), 4, "{errs:#?}");
        assert!(errs
            .iter()
            .all(|e| e.starts_with("the `other` variant holds the unknown value as a `String`")));
        let input: DeriveInput = parse_quote!(
            enum E {
                #[rpc(other)]
                Other(String),
                #[rpc(other, rename = "x")]
                Unknown(String),
            }
        );
        let errs = errors(input, Derive::ParamValue);
        assert_eq!(
            errs,
            [
                "`rename` has no effect on the `other` variant, which sends the string it holds; remove `rename`",
                "an enum has one catch-all, and variant `Other` already is it; remove `other` here",
            ]
        );
    }
}

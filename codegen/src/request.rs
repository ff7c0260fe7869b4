//! An action's parameters → its `#[derive(Request)]` struct and the `Params` structs,
//! `ParamValue` enums and JSON structs nested in it.
//!
//! Types: `string` → `String` (a `ParamValue` enum when the schema has `enum`), `integer` →
//! `i32` for `int32` and `i64` otherwise, `number` → `f64`, `boolean` → `bool`, an array →
//! `Vec<T>`, an object with properties → a `Params` struct, one without → `BTreeMap<String,
//! String>`. A `json` param is a serde `Serialize` struct (enums there are plain strings).
//! Required params are plain fields (the derive's constructor takes them), optional ones
//! `Option<T>`; lists and maps are never `Option` (empty sends nothing) except with `json`.
//! A string whose wire name contains `password` is a `Secret<String>` with `#[rpc(secret)]`.

use aliyun_rpc_metadata::{Api, HttpMethod, Location, Number, Schema, Style, Type};

use crate::context::Cx;
use crate::docs;
use crate::fields::FieldNames;
use crate::ir::*;
use crate::naming::{default_wire_name, pascal_case};

/// Builds the request struct of `api` and everything nested in it.
pub fn lower(cx: &mut Cx<'_>, product: &str, version: &str, api: &Api) -> Result<(), crate::Error> {
    let slot = cx.reg.slot();
    let mut names = FieldNames::for_derive();
    let mut fields = Vec::with_capacity(api.parameters.len());
    for p in &api.parameters {
        let body =
            match &p.location {
                Location::Query => false,
                Location::FormData | Location::Body => true,
                Location::Path | Location::Header => return Err(cx.unsupported(
                    &p.name,
                    "a ROA path or header parameter; aliyun-rpc sends RPC query and form params",
                )),
                Location::Unknown(other) => {
                    return Err(cx.unsupported(&p.name, format!("unknown position `in: {other}`")))
                }
            };
        let top = Top { body };
        fields.push(param(
            cx,
            &mut names,
            &p.name,
            &p.name,
            &p.schema,
            p.style.as_ref(),
            Some(top),
        )?);
    }
    let only = |m: HttpMethod| api.methods.len() == 1 && api.methods[0] == m;
    let method = if only(HttpMethod::Post) {
        Some("POST")
    } else if only(HttpMethod::Get) {
        Some("GET")
    } else {
        None
    };
    let doc = docs::or(
        docs::lines(
            api.title.as_deref().or(api.summary.as_deref()),
            api.description.as_deref(),
        ),
        || format!("Calls `{}` ({product} {version}).", api.name),
    );
    cx.reg.place_reserved(
        slot,
        TypeDef {
            name: api.name.clone(),
            doc,
            deprecated: api.deprecated,
            kind: Kind::Request(Request {
                product: product.to_owned(),
                version: version.to_owned(),
                action: api.name.clone(),
                response: format!("{}Response", api.name),
                method,
                idempotent: api.operation_type.as_ref().is_some_and(|op| op.is_read()),
                fields,
                paginate: None,
            }),
        },
    );
    Ok(())
}

/// What only a request's own fields have.
#[derive(Clone, Copy)]
struct Top {
    body: bool,
}

/// One field of a `Request` (`top` is `Some`) or `Params` struct. `path` names it in errors
/// (`SystemDisk.Size`, `Filter[].Key`).
fn param(
    cx: &mut Cx<'_>,
    names: &mut FieldNames,
    wire: &str,
    path: &str,
    schema: &Schema,
    style: Option<&Style>,
    top: Option<Top>,
) -> Result<ParamField, crate::Error> {
    let client_token = top.is_some() && wire == "ClientToken" && schema.ty == Type::String;
    let json =
        matches!(style, Some(Style::Json)) && matches!(schema.ty, Type::Array | Type::Object);
    let simple = matches!(style, Some(Style::Simple)) && schema.ty == Type::Array;
    if let (Some(Style::Unknown(s)), Type::Array | Type::Object) = (style, &schema.ty) {
        return Err(cx.unsupported(path, format!("unknown style `{s}` for a list or object")));
    }
    if simple
        && schema
            .items
            .as_deref()
            .is_some_and(|i| matches!(i.ty, Type::Array | Type::Object))
    {
        return Err(cx.unsupported(
            path,
            "a comma-joined (`simple`) list of lists or objects has no wire form",
        ));
    }
    let required = schema.required && !client_token;
    let base = if json {
        json_type(cx, wire, path, schema)?
    } else {
        match &schema.ty {
            Type::String if !client_token && !schema.enum_values.is_empty() => {
                Ty::Named(enum_type(cx, wire, schema))
            }
            Type::Array => {
                item_type(cx, wire, &format!("{path}[]"), schema.items.as_deref())?.vec()
            }
            Type::Object if schema.properties.is_empty() => Ty::StrMap,
            Type::Object => Ty::Named(params_struct(cx, wire, path, schema)?),
            other => scalar(cx, path, other, schema)?,
        }
    };
    // A password is kept in a `Secret`, which `#[rpc(secret)]` requires: `Debug`, the
    // client's `curl` rendering, errors and tracing then never show it.
    let string = base == Ty::Str && !json;
    let secret = string && !client_token && wire.to_ascii_lowercase().contains("password");
    let base = if secret {
        Ty::Secret(Box::new(base))
    } else {
        base
    };
    let is_container = matches!(base, Ty::Vec(_) | Ty::StrMap);
    // An optional list with a least count: an empty `Vec` would fail `min_items`, so `None`
    // is how it is left out, and `Some` holds at least that many items.
    let counted = matches!(base, Ty::Vec(_)) && schema.min_items.is_some_and(|n| n > 0);
    let ty = if required || (is_container && !json && !counted) {
        base
    } else {
        base.option()
    };
    let named = names
        .assign(wire, &ty)
        .map_err(|r| cx.unsupported(path, r))?;
    let list =
        matches!(&ty, Ty::Vec(_)) || matches!(&ty, Ty::Option(t) if matches!(**t, Ty::Vec(_)));
    let (mut min_items, mut max_items) = if list {
        let least = if required { Some(1) } else { None };
        (schema.min_items.max(least), schema.max_items)
    } else {
        (None, None)
    };
    if let (Some(lo), Some(hi)) = (min_items, max_items) {
        if lo > hi {
            (min_items, max_items) = (None, None);
        }
    }
    let (min, max) = bounds(&ty, schema.minimum, schema.maximum);
    Ok(ParamField {
        doc: docs::or(
            docs::lines(schema.title.as_deref(), schema.description.as_deref()),
            || format!("`{wire}`"),
        ),
        deprecated: schema.deprecated,
        name: named.rename,
        ident: named.ident,
        json,
        simple,
        body: top.is_some_and(|t| t.body),
        client_token,
        secret,
        max_items,
        min_items,
        min,
        max,
        max_len: if string { schema.max_length } else { None },
        ty,
    })
}

/// `string`, `integer`, `number`, `boolean`.
fn scalar(cx: &Cx<'_>, path: &str, ty: &Type, schema: &Schema) -> Result<Ty, crate::Error> {
    Ok(match ty {
        Type::String => Ty::Str,
        Type::Integer if schema.format.as_deref() == Some("int32") => Ty::I32,
        Type::Integer => Ty::I64,
        Type::Number => Ty::F64,
        Type::Boolean => Ty::Bool,
        other => {
            return Err(cx.unsupported(path, format!("type `{other}` has no Rust equivalent here")))
        }
    })
}

/// The item type of a list param.
fn item_type(
    cx: &mut Cx<'_>,
    wire: &str,
    path: &str,
    items: Option<&Schema>,
) -> Result<Ty, crate::Error> {
    let Some(items) = items else {
        return Err(cx.unsupported(path, "an array without `items`"));
    };
    Ok(match &items.ty {
        Type::String if !items.enum_values.is_empty() => Ty::Named(enum_type(cx, wire, items)),
        Type::Array => item_type(cx, wire, &format!("{path}[]"), items.items.as_deref())?.vec(),
        Type::Object if items.properties.is_empty() => Ty::StrMap,
        Type::Object => Ty::Named(params_struct(cx, wire, path, items)?),
        other => scalar(cx, path, other, items)?,
    })
}

/// A `#[derive(Params)]` struct for an object, named `{Action}{Wire}`.
fn params_struct(
    cx: &mut Cx<'_>,
    wire: &str,
    path: &str,
    schema: &Schema,
) -> Result<String, crate::Error> {
    let slot = cx.reg.slot();
    let mut names = FieldNames::for_derive();
    let mut fields = Vec::with_capacity(schema.properties.len());
    for (prop, s) in &schema.properties {
        let style = s.style.clone().or(match s.ty {
            Type::Array => Some(Style::RepeatList),
            Type::Object => Some(Style::Flat),
            _ => None,
        });
        let child = format!("{path}.{prop}");
        fields.push(param(
            cx,
            &mut names,
            prop,
            &child,
            s,
            style.as_ref(),
            None,
        )?);
    }
    let action = cx.action;
    let doc = docs::or(
        docs::lines(schema.title.as_deref(), schema.description.as_deref()),
        || format!("`{wire}` in [`{action}`]."),
    );
    Ok(cx.reg.place(
        slot,
        TypeDef {
            name: format!("{action}{}", pascal_case(wire)),
            doc,
            deprecated: false,
            kind: Kind::Params(fields),
        },
    ))
}

/// A `#[derive(ParamValue)]` enum for a string with `enum`, named `{Action}{Wire}`: one
/// variant per value ([`pascal_case`], `#[rpc(rename)]` when that differs from the value,
/// numeric suffixes on clashes, `Other` kept for the catch-all).
fn enum_type(cx: &mut Cx<'_>, wire: &str, schema: &Schema) -> String {
    let slot = cx.reg.slot();
    let mut used = std::collections::BTreeSet::from(["Other".to_owned()]);
    let mut variants = Vec::with_capacity(schema.enum_values.len());
    for value in schema.enum_values.iter().filter(|v| !v.is_empty()) {
        let base = pascal_case(value);
        let base = if base.is_empty() {
            "Value".to_owned()
        } else {
            base
        };
        let ident = (1u32..)
            .map(|n| {
                if n == 1 {
                    base.clone()
                } else {
                    format!("{base}{n}")
                }
            })
            .find(|candidate| !used.contains(candidate))
            .unwrap_or(base);
        used.insert(ident.clone());
        variants.push(Variant {
            doc: vec![match schema.enum_titles.get(value) {
                Some(title) if !title.trim().is_empty() && title != value => {
                    format!("`{value}`: {}", title.trim())
                }
                _ => format!("`{value}`"),
            }],
            rename: (ident != *value).then(|| value.clone()),
            ident,
        });
    }
    let action = cx.action;
    cx.reg.place(
        slot,
        TypeDef {
            name: format!("{action}{}", pascal_case(wire)),
            doc: vec![format!("Values of `{wire}` in [`{action}`].")],
            deprecated: false,
            kind: Kind::Enum(variants),
        },
    )
}

/// The type of a `json` param (or of a value inside one), without `Option`.
fn json_type(cx: &mut Cx<'_>, wire: &str, path: &str, schema: &Schema) -> Result<Ty, crate::Error> {
    Ok(match &schema.ty {
        Type::Object if schema.properties.is_empty() => Ty::StrMap,
        Type::Object => Ty::Named(json_struct(cx, wire, path, schema)?),
        Type::Array => {
            let path = format!("{path}[]");
            match schema.items.as_deref() {
                Some(items) => json_type(cx, wire, &path, items)?.vec(),
                None => return Err(cx.unsupported(&path, "an array without `items`")),
            }
        }
        other => scalar(cx, path, other, schema)?,
    })
}

/// A serde `Serialize` struct for an object inside a `json` param, named `{Action}{Wire}`.
fn json_struct(
    cx: &mut Cx<'_>,
    wire: &str,
    path: &str,
    schema: &Schema,
) -> Result<String, crate::Error> {
    let slot = cx.reg.slot();
    let mut names = FieldNames::plain();
    let mut fields = Vec::with_capacity(schema.properties.len());
    for (prop, s) in &schema.properties {
        let child = format!("{path}.{prop}");
        let base = json_type(cx, prop, &child, s)?;
        let ty = if s.required { base } else { base.option() };
        let named = names
            .assign(prop, &ty)
            .map_err(|r| cx.unsupported(&child, r))?;
        fields.push(JsonField {
            doc: docs::or(
                docs::lines(s.title.as_deref(), s.description.as_deref()),
                || format!("`{prop}`"),
            ),
            rename: (default_wire_name(&named.ident) != *prop).then(|| prop.clone()),
            ident: named.ident,
            ty,
        });
    }
    let action = cx.action;
    let doc = docs::or(
        docs::lines(schema.title.as_deref(), schema.description.as_deref()),
        || format!("`{wire}` in [`{action}`], sent as JSON."),
    );
    Ok(cx.reg.place(
        slot,
        TypeDef {
            name: format!("{action}{}", pascal_case(wire)),
            doc,
            deprecated: false,
            kind: Kind::Json(fields),
        },
    ))
}

/// `min`/`max` for a number field, made to fit its type: integer bounds for an integer
/// field (a fractional minimum rounds up, a maximum down), dropped when outside the type's
/// range or when they contradict each other.
fn bounds(ty: &Ty, min: Option<Number>, max: Option<Number>) -> (Option<Number>, Option<Number>) {
    let inner = match ty {
        Ty::Option(inner) => inner.as_ref(),
        other => other,
    };
    let (lo, hi) = match inner {
        Ty::I32 => (i64::from(i32::MIN), i64::from(i32::MAX)),
        Ty::I64 => (i64::MIN, i64::MAX),
        Ty::F64 => return contradiction_free(min, max),
        _ => return (None, None),
    };
    let fit = |n: Number, round_up: bool| -> Option<Number> {
        let v = match n {
            Number::Int(i) => i,
            Number::Float(x) => {
                let r = if round_up { x.ceil() } else { x.floor() };
                if !(r >= lo as f64 && r <= hi as f64) {
                    return None;
                }
                r as i64
            }
        };
        (lo..=hi).contains(&v).then_some(Number::Int(v))
    };
    contradiction_free(
        min.and_then(|n| fit(n, true)),
        max.and_then(|n| fit(n, false)),
    )
}

fn contradiction_free(
    min: Option<Number>,
    max: Option<Number>,
) -> (Option<Number>, Option<Number>) {
    match (min, max) {
        (Some(a), Some(b)) if a.as_f64() > b.as_f64() => (None, None),
        other => other,
    }
}

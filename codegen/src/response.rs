//! An action's response schema → `{Action}Response` and the structs nested in it.
//!
//! Absent-field rule: Aliyun leaves fields out freely, so every scalar and object field is
//! `Option<T>`, and every list is a `Vec<T>` that is empty when absent (`#[serde(default)]`).
//! Lists: an object whose only property is an array is Aliyun's list wrapper
//! (`{"Vpcs":{"Vpc":[…]}}`, `<Vpcs><Vpc>…</Vpc></Vpcs>`) and becomes `Vec<Item>` decoded with
//! `::aliyun_rpc::response::list`; any other array is a bare list (`[…]` in JSON, repeated
//! elements in XML). Types: `string` → `String`, `integer` → `i32` for `int32` and `i64`
//! otherwise, `number` → `f64`, `boolean` → `bool`, an object with properties → a struct
//! named `{Action}Response{Property}`, one without → `::serde::de::IgnoredAny` (not typed).
//! Response enums stay `String`: the service may answer values the metadata does not list.
//!
//! The structs do not use `#[aliyun_rpc::response]`: that attribute adds serde's derive,
//! and generated responses implement `Deserialize` through the runtime's `DecodeStruct`
//! instead, a fraction of the code for the compiler; the list handling is in their impls.

use aliyun_rpc_metadata::{Api, Schema, Type};

use crate::context::Cx;
use crate::docs;
use crate::fields::FieldNames;
use crate::ir::*;
use crate::naming::pascal_case;

/// Builds `{Action}Response` and its nested structs.
pub fn lower(cx: &mut Cx<'_>, api: &Api) -> Result<(), crate::Error> {
    let name = format!("{}Response", api.name);
    let slot = cx.reg.slot();
    let fields = match &api.response {
        Some(schema) if schema.ty == Type::Object => fields(cx, &name, "", schema)?,
        Some(schema) => {
            return Err(cx.unsupported_response(
                "",
                format!("a {} at the top level, not an object", schema.ty),
            ))
        }
        None => Vec::new(),
    };
    let action = &api.name;
    cx.reg.place_reserved(
        slot,
        TypeDef {
            name,
            doc: vec![format!(
                "The answer to [`{action}`], from JSON or XML alike."
            )],
            deprecated: false,
            kind: Kind::Response(fields),
        },
    );
    Ok(())
}

fn fields(
    cx: &mut Cx<'_>,
    owner: &str,
    path: &str,
    schema: &Schema,
) -> Result<Vec<ResponseField>, crate::Error> {
    let mut names = FieldNames::plain();
    let mut out = Vec::with_capacity(schema.properties.len());
    for (prop, s) in &schema.properties {
        let child = if path.is_empty() {
            prop.clone()
        } else {
            format!("{path}.{prop}")
        };
        let (ty, decode) = field_type(cx, owner, prop, &child, s)?;
        let named = names
            .assign(prop, &ty)
            .map_err(|r| cx.unsupported_response(&child, r))?;
        out.push(ResponseField {
            doc: docs::or(
                docs::lines(s.title.as_deref(), s.description.as_deref()),
                || format!("`{prop}`"),
            ),
            ident: named.ident,
            rename: named.rename,
            ty,
            decode,
        });
    }
    Ok(out)
}

/// The list wrapper's inner property: an object with exactly one property, an array.
fn list_wrapper(schema: &Schema) -> Option<(&String, &Schema)> {
    let mut props = schema.properties.iter();
    match (props.next(), props.next()) {
        (Some((name, inner)), None) if inner.ty == Type::Array => Some((name, inner)),
        _ => None,
    }
}

fn field_type(
    cx: &mut Cx<'_>,
    owner: &str,
    wire: &str,
    path: &str,
    schema: &Schema,
) -> Result<(Ty, Decode), crate::Error> {
    Ok(match &schema.ty {
        Type::Object => match list_wrapper(schema) {
            Some((item, array)) => {
                let path = format!("{path}.{item}[]");
                let item = item_type(cx, owner, item, &path, array.items.as_deref())?;
                (item.vec(), Decode::List)
            }
            None if schema.properties.is_empty() => (Ty::Ignored.option(), Decode::Plain),
            None => (
                Ty::Named(structure(cx, owner, wire, path, schema)?).option(),
                Decode::Plain,
            ),
        },
        Type::Array => {
            let path = format!("{path}[]");
            let item = item_type(cx, owner, wire, &path, schema.items.as_deref())?;
            (item.vec(), Decode::Default)
        }
        other => (scalar(cx, path, other, schema)?.option(), Decode::Plain),
    })
}

fn item_type(
    cx: &mut Cx<'_>,
    owner: &str,
    wire: &str,
    path: &str,
    items: Option<&Schema>,
) -> Result<Ty, crate::Error> {
    let Some(items) = items else {
        return Err(cx.unsupported_response(path, "an array without `items`"));
    };
    Ok(match &items.ty {
        Type::Object if items.properties.is_empty() => Ty::Ignored,
        Type::Object => Ty::Named(structure(cx, owner, wire, path, items)?),
        Type::Array => {
            let path = format!("{path}[]");
            item_type(cx, owner, wire, &path, items.items.as_deref())?.vec()
        }
        other => scalar(cx, path, other, items)?,
    })
}

fn scalar(cx: &Cx<'_>, path: &str, ty: &Type, schema: &Schema) -> Result<Ty, crate::Error> {
    Ok(match ty {
        Type::String => Ty::Str,
        Type::Integer if schema.format.as_deref() == Some("int32") => Ty::I32,
        Type::Integer => Ty::I64,
        Type::Number => Ty::F64,
        Type::Boolean => Ty::Bool,
        other => {
            return Err(cx
                .unsupported_response(path, format!("type `{other}` has no Rust equivalent here")))
        }
    })
}

/// A response struct named `{owner}{Wire}`.
fn structure(
    cx: &mut Cx<'_>,
    owner: &str,
    wire: &str,
    path: &str,
    schema: &Schema,
) -> Result<String, crate::Error> {
    let slot = cx.reg.slot();
    let fields = fields(cx, owner, path, schema)?;
    let doc = docs::or(
        docs::lines(schema.title.as_deref(), schema.description.as_deref()),
        || format!("`{wire}` in [`{owner}`]."),
    );
    Ok(cx.reg.place(
        slot,
        TypeDef {
            name: format!("{owner}{}", pascal_case(wire)),
            doc,
            deprecated: false,
            kind: Kind::Response(fields),
        },
    ))
}

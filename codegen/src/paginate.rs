//! Which generated actions are lists that `Client::paginate` can follow, and in which
//! convention: the request gets `paginate(<convention>, items = "<field>", item = <Type>)`.
//!
//! Detection rule, on the generated types (so that what is declared is what the derive
//! reads): the response has exactly one list field (a `Vec`: a wrapped or bare list), and
//!
//! 1. `next_token`: the request has a param `NextToken` and the response a field
//!    `next_token`;
//! 2. else `page_number`: the request has `PageNumber`, the response `page_number`,
//!    `page_size` and `total_count`;
//! 3. else `marker`: the request has `Marker`, the response `marker` and `is_truncated`.
//!
//! The fields must have the types the derive reads: integers for page numbers, sizes and
//! counts, strings for tokens and markers, a bool for `is_truncated` (some actions declare
//! `PageNumber` as a string; they get no declaration).
//!
//! An action with both token and page params (ECS `DescribeInstances`) is declared in token
//! mode, which Aliyun recommends for it and in which a listing that changes between pages
//! neither skips nor repeats items. Anything else gets no declaration.

use crate::ir::{Kind, Pagination, Ty, TypeDef};
use crate::naming::{default_wire_name, unraw};
use crate::registry::Registry;

/// Sets the `paginate` of `action`'s request when its response fits a convention.
pub fn declare(reg: &mut Registry, action: &str) {
    let Some(found) = reg
        .get_mut(&format!("{action}Response"))
        .and_then(|def| detect_response(def))
    else {
        return;
    };
    let Some(TypeDef {
        kind: Kind::Request(request),
        ..
    }) = reg.get_mut(action)
    else {
        return;
    };
    let sends = |wire: &str, kind: fn(&Ty) -> bool| {
        request.fields.iter().any(|f| {
            f.name
                .clone()
                .unwrap_or_else(|| default_wire_name(unraw(&f.ident)))
                == wire
                && kind(&f.ty)
        })
    };
    let convention = [
        (
            "next_token",
            "NextToken",
            found.next_token,
            is_str as fn(&Ty) -> bool,
        ),
        ("page_number", "PageNumber", found.page_number, is_int),
        ("marker", "Marker", found.marker, is_str),
    ]
    .into_iter()
    .find(|(_, param, answered, kind)| *answered && sends(param, *kind))
    .map(|(convention, ..)| convention);
    if let Some(convention) = convention {
        request.paginate = Some(Pagination {
            convention,
            items: found.items,
            item: found.item,
        });
    }
}

/// What a response offers each convention.
struct Found {
    items: String,
    item: Ty,
    next_token: bool,
    page_number: bool,
    marker: bool,
}

fn detect_response(def: &TypeDef) -> Option<Found> {
    let Kind::Response(fields) = &def.kind else {
        return None;
    };
    let mut lists = fields.iter().filter_map(|f| match &f.ty {
        Ty::Vec(item) => Some((f, item)),
        _ => None,
    });
    let (list, item) = lists.next()?;
    if lists.next().is_some() {
        return None;
    }
    let has =
        |name: &str, kind: fn(&Ty) -> bool| fields.iter().any(|f| f.ident == name && kind(&f.ty));
    Some(Found {
        items: list.ident.clone(),
        item: (**item).clone(),
        next_token: has("next_token", is_str),
        page_number: has("page_number", is_int)
            && has("page_size", is_int)
            && has("total_count", is_int),
        marker: has("marker", is_str) && has("is_truncated", is_bool),
    })
}

/// The type without its `Option`.
fn plain(ty: &Ty) -> &Ty {
    match ty {
        Ty::Option(inner) => inner,
        other => other,
    }
}

/// An integer, which the derive's page numbers and counts read and write (some actions
/// declare `PageNumber` as a string: no declaration for them).
fn is_int(ty: &Ty) -> bool {
    matches!(plain(ty), Ty::I32 | Ty::I64)
}

fn is_str(ty: &Ty) -> bool {
    matches!(plain(ty), Ty::Str)
}

fn is_bool(ty: &Ty) -> bool {
    matches!(plain(ty), Ty::Bool)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Decode, ParamField, Request, ResponseField};

    fn param(ident: &str) -> ParamField {
        let ty = if ident.starts_with("page") || ident.starts_with("max") {
            Ty::I32.option()
        } else {
            Ty::Str.option()
        };
        ParamField {
            ident: ident.to_owned(),
            ty,
            doc: Vec::new(),
            deprecated: false,
            name: None,
            json: false,
            simple: false,
            body: false,
            client_token: false,
            secret: false,
            max_items: None,
            min_items: None,
            min: None,
            max: None,
            max_len: None,
        }
    }

    fn field(ident: &str, ty: Ty) -> ResponseField {
        ResponseField {
            ident: ident.to_owned(),
            ty,
            doc: Vec::new(),
            rename: None,
            decode: Decode::Plain,
        }
    }

    fn declared(params: &[&str], response: Vec<ResponseField>) -> Option<Pagination> {
        let mut reg = Registry::default();
        reg.reserve("A");
        reg.reserve("AResponse");
        let slot = reg.slot();
        reg.place_reserved(
            slot,
            TypeDef {
                name: "A".into(),
                doc: Vec::new(),
                deprecated: false,
                kind: Kind::Request(Request {
                    product: "Ecs".into(),
                    version: "2014-05-26".into(),
                    action: "A".into(),
                    response: "AResponse".into(),
                    method: None,
                    idempotent: true,
                    fields: params.iter().map(|p| param(p)).collect(),
                    paginate: None,
                }),
            },
        );
        let slot = reg.slot();
        reg.place_reserved(
            slot,
            TypeDef {
                name: "AResponse".into(),
                doc: Vec::new(),
                deprecated: false,
                kind: Kind::Response(response),
            },
        );
        declare(&mut reg, "A");
        reg.into_items().find_map(|d| match d.kind {
            Kind::Request(r) => r.paginate,
            _ => None,
        })
    }

    fn page_fields() -> Vec<ResponseField> {
        vec![
            field("page_number", Ty::I32.option()),
            field("page_size", Ty::I32.option()),
            field("total_count", Ty::I32.option()),
        ]
    }

    #[test]
    fn each_convention_is_found_and_the_token_wins() {
        let mut both = page_fields();
        both.push(field("next_token", Ty::Str.option()));
        both.push(field("vpcs", Ty::Named("Vpc".into()).vec()));
        let p = declared(
            &["region_id", "page_number", "page_size", "next_token"],
            both.clone(),
        );
        assert_eq!(
            p,
            Some(Pagination {
                convention: "next_token",
                items: "vpcs".into(),
                item: Ty::Named("Vpc".into()),
            })
        );
        let p = declared(&["page_number", "page_size"], both);
        assert_eq!(p.map(|p| p.convention), Some("page_number"));
        let marker = vec![
            field("is_truncated", Ty::Bool.option()),
            field("marker", Ty::Str.option()),
            field("users", Ty::Str.vec()),
        ];
        let p = declared(&["marker", "max_items"], marker);
        assert_eq!(p.map(|p| (p.convention, p.item)), Some(("marker", Ty::Str)));
    }

    #[test]
    fn no_declaration_without_the_params_the_fields_or_one_list() {
        let mut fields = page_fields();
        fields.push(field("vpcs", Ty::Str.vec()));
        assert_eq!(declared(&["region_id"], fields.clone()), None);
        let mut two_lists = fields.clone();
        two_lists.push(field("zones", Ty::Str.vec()));
        assert_eq!(declared(&["page_number"], two_lists), None);
        let no_total: Vec<_> = fields
            .into_iter()
            .filter(|f| f.ident != "total_count")
            .collect();
        assert_eq!(declared(&["page_number"], no_total), None);
        assert_eq!(declared(&["next_token"], page_fields()), None);
        // `PageNumber` declared as a string: the derive could not count pages with it.
        let mut string_page = page_fields();
        string_page[0] = field("page_number", Ty::Str.option());
        string_page.push(field("vpcs", Ty::Str.vec()));
        assert_eq!(declared(&["page_number"], string_page), None);
    }
}

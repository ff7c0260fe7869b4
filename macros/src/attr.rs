//! Reading `#[rpc(...)]` attributes into plain values. Each key is checked for its literal
//! kind here; rules that relate keys to each other or to the field's type live in `check.rs`.

use proc_macro2::{Span, TokenTree};
use syn::meta::ParseNestedMeta;
use syn::parse::ParseStream;
use syn::spanned::Spanned;
use syn::{Attribute, Expr, ExprLit, ExprUnary, Lit, LitStr, Path, Token, Type, UnOp};

use crate::ctxt::Ctxt;
use crate::symbol::*;

/// A key that was set, with the span of the key itself (for "duplicate" and rule errors).
#[derive(Debug, Clone)]
pub struct Attr<T> {
    pub key: Span,
    pub value: T,
}

/// The HTTP method pinned by `method = "…"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
}

/// A `min = …` / `max = …` literal, as written.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Bound {
    Int(i128),
    Float(f64),
}

impl Bound {
    pub fn as_f64(self) -> f64 {
        match self {
            Bound::Int(i) => i as f64,
            Bound::Float(x) => x,
        }
    }
}

impl std::fmt::Display for Bound {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Bound::Int(i) => write!(f, "{i}"),
            Bound::Float(x) => write!(f, "{x}"),
        }
    }
}

/// A pagination convention, `paginate(page_number | next_token | marker, ..)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Convention {
    PageNumber,
    NextToken,
    Marker,
}

impl Convention {
    /// The keyword that names it.
    pub fn symbol(self) -> Symbol {
        match self {
            Convention::PageNumber => PAGE_NUMBER,
            Convention::NextToken => NEXT_TOKEN,
            Convention::Marker => MARKER,
        }
    }

    /// The request param that moves from page to page.
    pub fn cursor_param(self) -> &'static str {
        match self {
            Convention::PageNumber => "PageNumber",
            Convention::NextToken => "NextToken",
            Convention::Marker => "Marker",
        }
    }

    /// The field to suggest for the cursor param.
    pub fn cursor_example(self) -> &'static str {
        match self {
            Convention::PageNumber => "page_number: Option<i32>",
            Convention::NextToken => "next_token: Option<String>",
            Convention::Marker => "marker: Option<String>",
        }
    }
}

/// `paginate(page_number, items = "vpcs", item = Vpc)`: all three parts read.
#[derive(Debug, Clone)]
pub struct Paginate {
    pub convention: Attr<Convention>,
    /// The response field holding the list.
    pub items: syn::Ident,
    /// The type of the list's elements.
    pub item: Type,
}

/// Keys on the struct or enum itself.
#[derive(Default)]
pub struct Container {
    /// The last `#[rpc(...)]` attribute, for "missing key" errors.
    pub rpc_attr: Option<Attribute>,
    pub product: Option<Attr<LitStr>>,
    pub version: Option<Attr<LitStr>>,
    pub action: Option<Attr<LitStr>>,
    pub response: Option<Attr<Type>>,
    pub method: Option<Attr<Method>>,
    pub idempotent: Option<Attr<()>>,
    pub paginate: Option<Attr<Paginate>>,
    pub krate: Option<Attr<Path>>,
    /// Every known key written, its value valid or not, so that a rejected value is not also
    /// reported as a missing key.
    pub given: Vec<Symbol>,
    /// A syntax error stopped reading an attribute before its end, so any key may be unread.
    pub incomplete: bool,
}

/// Keys on a field.
#[derive(Default)]
pub struct Field {
    pub name: Option<Attr<LitStr>>,
    pub json: Option<Attr<()>>,
    pub simple: Option<Attr<()>>,
    pub max_items: Option<Attr<usize>>,
    pub min_items: Option<Attr<usize>>,
    pub min: Option<Attr<Bound>>,
    pub max: Option<Attr<Bound>>,
    pub max_len: Option<Attr<usize>>,
    pub skip: Option<Attr<()>>,
    pub client_token: Option<Attr<()>>,
    pub secret: Option<Attr<()>>,
    pub body: Option<Attr<()>>,
    /// A syntax error stopped reading before the end, or a `name` value was rejected: `skip`
    /// and the wire name may not be what the user meant (errors are reported already).
    pub incomplete: bool,
}

/// Keys on an enum variant.
#[derive(Default)]
pub struct Variant {
    pub rename: Option<Attr<LitStr>>,
    pub other: Option<Attr<()>>,
}

/// Reads the container keys; `keys` are the ones this derive accepts.
pub fn container(cx: &Ctxt, attrs: &[Attribute], keys: &[Symbol]) -> Container {
    let mut out = Container::default();
    for attr in rpc_attrs(cx, attrs) {
        out.rpc_attr = Some(attr.clone());
        let read_to_end = parse_each(cx, attr, |meta| {
            let path = &meta.path;
            let Some(&key) = keys.iter().find(|k| *path == **k) else {
                return unknown(cx, meta, keys);
            };
            out.given.push(key);
            if *path == PRODUCT {
                let v = string(cx, meta, PRODUCT, "Ecs")?;
                set(cx, meta, &mut out.product, v);
            } else if *path == VERSION {
                let v = string(cx, meta, VERSION, "2014-05-26")?;
                set(cx, meta, &mut out.version, v);
            } else if *path == ACTION {
                let v = string(cx, meta, ACTION, "DescribeRegions")?;
                set(cx, meta, &mut out.action, v);
            } else if *path == RESPONSE {
                let input = meta.value()?;
                if input.peek(LitStr) {
                    let lit: LitStr = input.parse()?;
                    let example = match lit.parse::<Type>() {
                        Ok(_) => lit.value(),
                        Err(_) => "DescribeRegionsResponse".to_owned(),
                    };
                    cx.error_spanned_by(
                        &lit,
                        format!(
                            "`response` takes a type, not a string; write `response = {example}`"
                        ),
                    );
                } else {
                    let ty: Type = input.parse()?;
                    set(cx, meta, &mut out.response, Some(ty));
                }
            } else if *path == METHOD {
                let v = string(cx, meta, METHOD, "POST")?.and_then(|lit| {
                    match lit.value().as_str() {
                        "GET" => Some(Method::Get),
                        "POST" => Some(Method::Post),
                        other => {
                            cx.error_spanned_by(
                                &lit,
                                format!(
                                    "unknown method `{other}`; write `method = \"GET\"` or `method = \"POST\"`"
                                ),
                            );
                            None
                        }
                    }
                });
                set(cx, meta, &mut out.method, v);
            } else if *path == IDEMPOTENT {
                flag(cx, meta, IDEMPOTENT)?;
                set(cx, meta, &mut out.idempotent, Some(()));
            } else if *path == PAGINATE {
                let v = paginate(cx, meta)?;
                set(cx, meta, &mut out.paginate, v);
            } else if *path == CRATE {
                let v = string(cx, meta, CRATE, "aliyun_rpc")?.and_then(|lit| {
                    match lit.parse::<Path>() {
                        Ok(p) => Some(p),
                        Err(_) => {
                            cx.error_spanned_by(
                                &lit,
                                "`crate` takes a path to the `aliyun_rpc` crate, like `crate = \"::aliyun_rpc\"`",
                            );
                            None
                        }
                    }
                });
                set(cx, meta, &mut out.krate, v);
            }
            Ok(())
        });
        out.incomplete |= !read_to_end;
    }
    out
}

const PAGINATE_EXAMPLE: &str = "paginate(page_number, items = \"vpcs\", item = Vpc)";

/// `paginate(<convention>, items = "field", item = Type)`; `None` after an error.
fn paginate(cx: &Ctxt, meta: &ParseNestedMeta) -> syn::Result<Option<Paginate>> {
    if !meta.input.peek(syn::token::Paren) {
        cx.error_spanned_by(
            &meta.path,
            format!("`paginate` takes a list; write `{PAGINATE_EXAMPLE}`"),
        );
        skip_value(meta.input)?;
        return Ok(None);
    }
    let mut convention: Option<Attr<Convention>> = None;
    let mut items: Option<Attr<syn::Ident>> = None;
    let mut item: Option<Attr<Type>> = None;
    let mut failed = false;
    meta.parse_nested_meta(|inner| {
        let path = &inner.path;
        let chosen = [
            (PAGE_NUMBER, Convention::PageNumber),
            (NEXT_TOKEN, Convention::NextToken),
            (MARKER, Convention::Marker),
        ]
        .into_iter()
        .find(|(k, _)| *path == *k);
        if let Some((key, conv)) = chosen {
            flag(cx, &inner, key)?;
            if let Some(first) = &convention {
                cx.error_at(
                    path.span(),
                    format!(
                        "`paginate` takes one convention; `{}` is already given, remove this one",
                        first.value.symbol()
                    ),
                );
                failed = true;
            } else {
                convention = Some(Attr {
                    key: path.span(),
                    value: conv,
                });
            }
        } else if *path == ITEMS {
            let v = string(cx, &inner, ITEMS, "vpcs")?.and_then(|lit| {
                match lit.parse::<syn::Ident>() {
                    Ok(ident) => Some(syn::Ident::new(&ident.to_string(), lit.span())),
                    Err(_) => {
                        cx.error_spanned_by(
                            &lit,
                            "`items` names the response field holding the list, like `items = \"vpcs\"`",
                        );
                        None
                    }
                }
            });
            failed |= v.is_none();
            set(cx, &inner, &mut items, v);
        } else if *path == ITEM {
            if !inner.input.peek(Token![=]) {
                cx.error_spanned_by(path, "`item` needs a type; write `item = Vpc`");
                skip_value(inner.input)?;
                failed = true;
            } else {
                let ty: Type = inner.value()?.parse()?;
                set(cx, &inner, &mut item, Some(ty));
            }
        } else {
            failed = true;
            return unknown(cx, &inner, PAGINATE_KEYS);
        }
        Ok(())
    })?;
    if failed {
        return Ok(None);
    }
    let mut missing = Vec::new();
    if convention.is_none() {
        missing.push("a convention (`page_number`, `next_token` or `marker`)");
    }
    if items.is_none() {
        missing.push("`items = \"field\"`, the response field holding the list");
    }
    if item.is_none() {
        missing.push("`item = Type`, the type of the list's elements");
    }
    match (convention, items, item) {
        (Some(convention), Some(items), Some(item)) => Ok(Some(Paginate {
            convention,
            items: items.value,
            item: item.value,
        })),
        _ => {
            cx.error_spanned_by(
                &meta.path,
                format!(
                    "`paginate` needs {}; write `{PAGINATE_EXAMPLE}`",
                    missing.join(" and ")
                ),
            );
            Ok(None)
        }
    }
}

/// Reads the field keys.
pub fn field(cx: &Ctxt, attrs: &[Attribute]) -> Field {
    let mut out = Field::default();
    for attr in rpc_attrs(cx, attrs) {
        let read_to_end = parse_each(cx, attr, |meta| {
            let path = &meta.path;
            if *path == NAME {
                let v = string(cx, meta, NAME, "RegionId")?;
                out.incomplete |= v.is_none();
                set(cx, meta, &mut out.name, v);
            } else if *path == JSON {
                flag(cx, meta, JSON)?;
                set(cx, meta, &mut out.json, Some(()));
            } else if *path == SIMPLE {
                flag(cx, meta, SIMPLE)?;
                set(cx, meta, &mut out.simple, Some(()));
            } else if *path == SKIP {
                flag(cx, meta, SKIP)?;
                set(cx, meta, &mut out.skip, Some(()));
            } else if *path == CLIENT_TOKEN {
                flag(cx, meta, CLIENT_TOKEN)?;
                set(cx, meta, &mut out.client_token, Some(()));
            } else if *path == SECRET {
                flag(cx, meta, SECRET)?;
                set(cx, meta, &mut out.secret, Some(()));
            } else if *path == BODY {
                flag(cx, meta, BODY)?;
                set(cx, meta, &mut out.body, Some(()));
            } else if *path == MAX_ITEMS {
                let v = count(cx, meta, MAX_ITEMS)?;
                set(cx, meta, &mut out.max_items, v);
            } else if *path == MIN_ITEMS {
                let v = count(cx, meta, MIN_ITEMS)?;
                set(cx, meta, &mut out.min_items, v);
            } else if *path == MAX_LEN {
                let v = count(cx, meta, MAX_LEN)?;
                set(cx, meta, &mut out.max_len, v);
            } else if *path == MIN {
                let v = bound(cx, meta, MIN)?;
                set(cx, meta, &mut out.min, v);
            } else if *path == MAX {
                let v = bound(cx, meta, MAX)?;
                set(cx, meta, &mut out.max, v);
            } else {
                return unknown(cx, meta, FIELD_KEYS);
            }
            Ok(())
        });
        out.incomplete |= !read_to_end;
    }
    out
}

/// Reads the variant keys.
pub fn variant(cx: &Ctxt, attrs: &[Attribute]) -> Variant {
    let mut out = Variant::default();
    for attr in rpc_attrs(cx, attrs) {
        parse_each(cx, attr, |meta| {
            if meta.path == RENAME {
                let v = string(cx, meta, RENAME, "CreateEcs")?;
                set(cx, meta, &mut out.rename, v);
                Ok(())
            } else if meta.path == OTHER {
                flag(cx, meta, OTHER)?;
                set(cx, meta, &mut out.other, Some(()));
                Ok(())
            } else {
                unknown(cx, meta, VARIANT_KEYS)
            }
        });
    }
    out
}

/// The `#[rpc ...]` attributes, reporting any that are not the list form `#[rpc(...)]`.
fn rpc_attrs<'a>(cx: &'a Ctxt, attrs: &'a [Attribute]) -> impl Iterator<Item = &'a Attribute> {
    attrs
        .iter()
        .filter(|a| *a.path() == RPC)
        .filter(move |a| match &a.meta {
            syn::Meta::List(_) => true,
            _ => {
                cx.error_spanned_by(a, "expected `#[rpc(...)]` with keys inside the parentheses");
                false
            }
        })
}

/// Runs `f` on each key; a syntax error stops this attribute but is still reported. Whether
/// every key was read.
fn parse_each(
    cx: &Ctxt,
    attr: &Attribute,
    mut f: impl FnMut(&ParseNestedMeta) -> syn::Result<()>,
) -> bool {
    match attr.parse_nested_meta(|meta| f(&meta)) {
        Ok(()) => true,
        Err(err) => {
            cx.syn_error(err);
            false
        }
    }
}

fn set<T>(cx: &Ctxt, meta: &ParseNestedMeta, slot: &mut Option<Attr<T>>, value: Option<T>) {
    let key = meta.path.span();
    if slot.is_some() {
        let name = meta
            .path
            .get_ident()
            .map(ToString::to_string)
            .unwrap_or_default();
        cx.error_at(
            key,
            format!("duplicate `rpc` attribute `{name}`; remove this one"),
        );
    } else if let Some(value) = value {
        *slot = Some(Attr { key, value });
    }
}

fn unknown(cx: &Ctxt, meta: &ParseNestedMeta, keys: &[Symbol]) -> syn::Result<()> {
    let name = meta
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect::<Vec<_>>()
        .join("::");
    cx.error_spanned_by(
        &meta.path,
        format!(
            "unknown `rpc` attribute `{name}`; expected one of {}",
            one_of(keys)
        ),
    );
    skip_value(meta.input)
}

/// Skips `= value` or `(...)` after a key, up to the next top-level comma.
fn skip_value(input: ParseStream) -> syn::Result<()> {
    input.step(|cursor| {
        let mut rest = *cursor;
        while let Some((tt, next)) = rest.token_tree() {
            if matches!(&tt, TokenTree::Punct(p) if p.as_char() == ',') {
                return Ok(((), rest));
            }
            rest = next;
        }
        Ok(((), rest))
    })
}

/// A key with no value: `json`, `skip`.
fn flag(cx: &Ctxt, meta: &ParseNestedMeta, key: Symbol) -> syn::Result<()> {
    if meta.input.peek(Token![=]) || meta.input.peek(syn::token::Paren) {
        cx.error_spanned_by(
            &meta.path,
            format!("`{key}` takes no value; write `#[rpc({key})]`"),
        );
        skip_value(meta.input)?;
    }
    Ok(())
}

/// `key = <expr>`; the expression is checked by the caller.
fn value_expr(
    cx: &Ctxt,
    meta: &ParseNestedMeta,
    key: Symbol,
    example: &str,
) -> syn::Result<Option<Expr>> {
    if !meta.input.peek(Token![=]) {
        cx.error_spanned_by(
            &meta.path,
            format!("`{key}` needs a value; write `{key} = {example}`"),
        );
        skip_value(meta.input)?;
        return Ok(None);
    }
    Ok(Some(meta.value()?.parse()?))
}

fn string(
    cx: &Ctxt,
    meta: &ParseNestedMeta,
    key: Symbol,
    example: &str,
) -> syn::Result<Option<LitStr>> {
    let example = format!("\"{example}\"");
    Ok(
        value_expr(cx, meta, key, &example)?.and_then(|expr| match expr {
            Expr::Lit(ExprLit {
                lit: Lit::Str(s), ..
            }) => Some(s),
            other => {
                cx.error_spanned_by(
                    other,
                    format!("`{key}` takes a string literal; write `{key} = {example}`"),
                );
                None
            }
        }),
    )
}

fn count(cx: &Ctxt, meta: &ParseNestedMeta, key: Symbol) -> syn::Result<Option<usize>> {
    let msg = format!("`{key}` takes a non-negative integer literal; write `{key} = 50`");
    Ok(
        value_expr(cx, meta, key, "50")?.and_then(|expr| match &expr {
            Expr::Lit(ExprLit {
                lit: Lit::Int(i), ..
            }) => match i.base10_parse::<usize>() {
                Ok(n) => Some(n),
                Err(_) => {
                    cx.error_spanned_by(i, format!("`{key}` is too large for `usize`"));
                    None
                }
            },
            _ => {
                cx.error_spanned_by(expr, msg);
                None
            }
        }),
    )
}

fn bound(cx: &Ctxt, meta: &ParseNestedMeta, key: Symbol) -> syn::Result<Option<Bound>> {
    let Some(expr) = value_expr(cx, meta, key, "1")? else {
        return Ok(None);
    };
    let (negative, lit) = match &expr {
        Expr::Lit(ExprLit { lit, .. }) => (false, lit),
        Expr::Unary(ExprUnary {
            op: UnOp::Neg(_),
            expr: inner,
            ..
        }) => match &**inner {
            Expr::Lit(ExprLit { lit, .. }) => (true, lit),
            _ => (false, &Lit::Verbatim(proc_macro2::Literal::string(""))),
        },
        _ => (false, &Lit::Verbatim(proc_macro2::Literal::string(""))),
    };
    let parsed = match lit {
        Lit::Int(i) => i
            .base10_parse::<i128>()
            .ok()
            .map(|v| Bound::Int(if negative { -v } else { v })),
        Lit::Float(f) => f
            .base10_parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .map(|v| Bound::Float(if negative { -v } else { v })),
        _ => None,
    };
    if parsed.is_none() {
        cx.error_spanned_by(
            &expr,
            format!("`{key}` takes a finite number literal, like `{key} = 1`, `{key} = -5` or `{key} = 0.5`"),
        );
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse_quote;

    fn messages(cx: Ctxt) -> Vec<String> {
        match cx.check() {
            Ok(()) => Vec::new(),
            Err(e) => e.into_iter().map(|e| e.to_string()).collect(),
        }
    }

    #[test]
    fn reads_every_field_key() {
        let f: syn::Field = parse_quote! {
            #[rpc(name = "Filter", max_items = 50, min_items = 1, min = -5, max = 2.5, max_len = 10)]
            #[rpc(json, skip, simple, secret, body)]
            x: u8
        };
        let cx = Ctxt::new();
        let a = field(&cx, &f.attrs);
        assert!(messages(cx).is_empty());
        assert_eq!(a.name.unwrap().value.value(), "Filter");
        assert_eq!(a.max_items.unwrap().value, 50);
        assert_eq!(a.min_items.unwrap().value, 1);
        assert_eq!(a.min.unwrap().value, Bound::Int(-5));
        assert_eq!(a.max.unwrap().value, Bound::Float(2.5));
        assert_eq!(a.max_len.unwrap().value, 10);
        assert!(a.json.is_some() && a.skip.is_some() && a.simple.is_some());
        assert!(a.secret.is_some() && a.body.is_some());
    }

    #[test]
    fn reports_unknown_duplicate_and_wrong_kinds_together() {
        let f: syn::Field = parse_quote! {
            #[rpc(nmae = "X", name = "A", name = "B", max_items = "5", json = true)]
            x: u8
        };
        let cx = Ctxt::new();
        let a = field(&cx, &f.attrs);
        assert_eq!(
            messages(cx),
            [
                "unknown `rpc` attribute `nmae`; expected one of `name`, `json`, `simple`, `max_items`, `min_items`, `min`, `max`, `max_len`, `skip`, `client_token`, `secret`, `body`",
                "duplicate `rpc` attribute `name`; remove this one",
                "`max_items` takes a non-negative integer literal; write `max_items = 50`",
                "`json` takes no value; write `#[rpc(json)]`",
            ]
        );
        assert_eq!(a.name.unwrap().value.value(), "A");
    }

    #[test]
    fn reads_container_keys() {
        let input: syn::DeriveInput = parse_quote! {
            #[rpc(product = "Ecs", version = "2014-05-26", action = "X", response = Vec<u8>,
                  method = "GET", idempotent, crate = "crate")]
            struct S {}
        };
        let cx = Ctxt::new();
        let c = container(&cx, &input.attrs, REQUEST_KEYS);
        assert!(messages(cx).is_empty());
        assert_eq!(c.product.unwrap().value.value(), "Ecs");
        assert_eq!(c.method.unwrap().value, Method::Get);
        assert!(c.idempotent.is_some());
        let krate = c.krate.unwrap().value;
        assert!(krate.is_ident("crate"));
    }

    #[test]
    fn rejects_request_keys_on_params() {
        let input: syn::DeriveInput = parse_quote! {
            #[rpc(product = "Ecs")]
            struct S {}
        };
        let cx = Ctxt::new();
        container(&cx, &input.attrs, CRATE_ONLY_KEYS);
        assert_eq!(
            messages(cx),
            ["unknown `rpc` attribute `product`; expected one of `crate`"]
        );
    }

    #[test]
    fn rejects_bad_method_and_infinite_bound() {
        let input: syn::DeriveInput = parse_quote! {
            #[rpc(method = "PUT")]
            struct S { #[rpc(max = 1e999)] x: f64 }
        };
        let cx = Ctxt::new();
        container(&cx, &input.attrs, REQUEST_KEYS);
        let syn::Data::Struct(s) = &input.data else {
            unreachable!()
        };
        field(&cx, &s.fields.iter().next().unwrap().attrs);
        let m = messages(cx);
        assert_eq!(m.len(), 2);
        assert!(m[0].starts_with("unknown method `PUT`"));
        assert!(m[1].starts_with("`max` takes a finite number literal"));
    }
}

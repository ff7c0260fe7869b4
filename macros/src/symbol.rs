//! Every keyword the `#[rpc(...)]` attribute understands, in one place, so matching and
//! error messages cannot drift apart.

use std::fmt;

use syn::Path;

/// One attribute keyword.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Symbol(pub &'static str);

pub const RPC: Symbol = Symbol("rpc");

// Container keys of `#[derive(Request)]`.
pub const PRODUCT: Symbol = Symbol("product");
pub const VERSION: Symbol = Symbol("version");
pub const ACTION: Symbol = Symbol("action");
pub const RESPONSE: Symbol = Symbol("response");
pub const METHOD: Symbol = Symbol("method");
pub const CRATE: Symbol = Symbol("crate");
pub const IDEMPOTENT: Symbol = Symbol("idempotent");
pub const PAGINATE: Symbol = Symbol("paginate");

// Keys inside `paginate(...)`.
pub const PAGE_NUMBER: Symbol = Symbol("page_number");
pub const NEXT_TOKEN: Symbol = Symbol("next_token");
pub const MARKER: Symbol = Symbol("marker");
pub const ITEMS: Symbol = Symbol("items");
pub const ITEM: Symbol = Symbol("item");

// Field keys.
pub const NAME: Symbol = Symbol("name");
pub const JSON: Symbol = Symbol("json");
pub const SIMPLE: Symbol = Symbol("simple");
pub const MAX_ITEMS: Symbol = Symbol("max_items");
pub const MIN_ITEMS: Symbol = Symbol("min_items");
pub const MIN: Symbol = Symbol("min");
pub const MAX: Symbol = Symbol("max");
pub const MAX_LEN: Symbol = Symbol("max_len");
pub const SKIP: Symbol = Symbol("skip");
pub const CLIENT_TOKEN: Symbol = Symbol("client_token");
pub const SECRET: Symbol = Symbol("secret");
pub const BODY: Symbol = Symbol("body");

// Variant keys of `#[derive(ParamValue)]`.
pub const RENAME: Symbol = Symbol("rename");
pub const OTHER: Symbol = Symbol("other");

/// Keys accepted on a `#[derive(Request)]` struct.
pub const REQUEST_KEYS: &[Symbol] = &[
    PRODUCT, VERSION, ACTION, RESPONSE, METHOD, IDEMPOTENT, PAGINATE, CRATE,
];
/// Keys accepted inside `paginate(...)`: one convention, then `items` and `item`.
pub const PAGINATE_KEYS: &[Symbol] = &[PAGE_NUMBER, NEXT_TOKEN, MARKER, ITEMS, ITEM];
/// Keys accepted on a `#[derive(Params)]` struct or a `#[derive(ParamValue)]` enum.
pub const CRATE_ONLY_KEYS: &[Symbol] = &[CRATE];
/// The wire name of the param a dry run sets (`Client::dry_run`).
pub const DRY_RUN_PARAM: &str = "DryRun";

/// Keys accepted on a field.
pub const FIELD_KEYS: &[Symbol] = &[
    NAME,
    JSON,
    SIMPLE,
    MAX_ITEMS,
    MIN_ITEMS,
    MIN,
    MAX,
    MAX_LEN,
    SKIP,
    CLIENT_TOKEN,
    SECRET,
    BODY,
];
/// Keys accepted on an enum variant.
pub const VARIANT_KEYS: &[Symbol] = &[RENAME, OTHER];

/// Params the client sends on every call; a `Request` field may not use these wire names.
pub const COMMON_PARAMS: &[&str] = &[
    "Action",
    "Version",
    "Format",
    "AccessKeyId",
    "Signature",
    "SignatureMethod",
    "SignatureVersion",
    "SignatureNonce",
    "Timestamp",
    "SecurityToken",
];

impl PartialEq<Symbol> for Path {
    fn eq(&self, word: &Symbol) -> bool {
        self.is_ident(word.0)
    }
}

impl fmt::Display for Symbol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// "`a`, `b`, `c`" for an "expected one of" message.
pub fn one_of(keys: &[Symbol]) -> String {
    keys.iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_keys_in_order() {
        assert_eq!(
            one_of(FIELD_KEYS),
            "`name`, `json`, `simple`, `max_items`, `min_items`, `min`, `max`, `max_len`, `skip`, `client_token`, `secret`, `body`"
        );
    }

    #[test]
    fn matches_paths() {
        let path: Path = syn::parse_quote!(max_items);
        assert!(path == MAX_ITEMS);
        assert!(path != MAX);
    }
}

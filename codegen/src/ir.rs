//! What the generator writes, before it becomes tokens: type definitions with every name
//! and attribute decided. `lower` builds it from the metadata, `emit` prints it.

use aliyun_rpc_metadata::Number;

/// A Rust type of a generated field.
#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    /// `::std::string::String`
    Str,
    /// `i32`
    I32,
    /// `i64`
    I64,
    /// `f64`
    F64,
    /// `bool`
    Bool,
    /// A generated type, by name.
    Named(String),
    /// `::std::vec::Vec<T>`
    Vec(Box<Ty>),
    /// `::std::option::Option<T>`
    Option(Box<Ty>),
    /// `::aliyun_rpc::params::Secret<T>`: a value `Debug` and the client never show.
    Secret(Box<Ty>),
    /// `::std::collections::BTreeMap<String, String>`: an object without declared properties
    /// (sent as `Name.key=value`, or as a JSON object with `json`).
    StrMap,
    /// `::serde::de::IgnoredAny`: a response object without declared properties.
    Ignored,
}

impl Ty {
    pub fn option(self) -> Ty {
        Ty::Option(Box::new(self))
    }

    pub fn vec(self) -> Ty {
        Ty::Vec(Box::new(self))
    }
}

/// One generated item.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    pub name: String,
    pub doc: Vec<String>,
    pub deprecated: bool,
    pub kind: Kind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// `#[derive(Request)]`: an action's request.
    Request(Request),
    /// `#[derive(Params)]`: a `flat` object or a list item.
    Params(Vec<ParamField>),
    /// `#[derive(Serialize)]`: an object sent inside a `json` param.
    Json(Vec<JsonField>),
    /// `#[derive(ParamValue)]`: a string param with `enum`.
    Enum(Vec<Variant>),
    /// `#[derive(Deserialize)]`: a response object.
    Response(Vec<ResponseField>),
    /// `pub type Name = Target;`: a nested type identical to `Target`, placed first.
    Alias(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub product: String,
    pub version: String,
    pub action: String,
    pub response: String,
    pub method: Option<&'static str>,
    pub idempotent: bool,
    pub fields: Vec<ParamField>,
    /// `paginate(..)`, when the action is a list in one of Aliyun's conventions.
    pub paginate: Option<Pagination>,
}

/// `paginate(<convention>, items = "<items>", item = <item>)` on a request.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// `page_number`, `next_token` or `marker`.
    pub convention: &'static str,
    /// The response field holding the list.
    pub items: String,
    /// The type of its elements.
    pub item: Ty,
}

/// A field of a `Request` or `Params` struct.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamField {
    /// The identifier as written (`r#type` for a keyword).
    pub ident: String,
    pub ty: Ty,
    pub doc: Vec<String>,
    pub deprecated: bool,
    /// `name = "…"`, when the derive's default would not give the wire name.
    pub name: Option<String>,
    pub json: bool,
    pub simple: bool,
    pub body: bool,
    pub client_token: bool,
    pub secret: bool,
    pub max_items: Option<u64>,
    pub min_items: Option<u64>,
    pub min: Option<Number>,
    pub max: Option<Number>,
    pub max_len: Option<u64>,
}

/// A field of a struct sent inside a `json` param.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonField {
    pub ident: String,
    pub ty: Ty,
    pub doc: Vec<String>,
    /// `#[serde(rename = "…")]`, when `rename_all = "PascalCase"` would not give the key.
    pub rename: Option<String>,
}

/// A variant of a `ParamValue` enum (the catch-all `Other(String)` is not listed).
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    pub ident: String,
    pub doc: Vec<String>,
    /// `#[rpc(rename = "…")]`, when the wire value is not the variant's name.
    pub rename: Option<String>,
}

/// A field of a response struct.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseField {
    pub ident: String,
    pub ty: Ty,
    pub doc: Vec<String>,
    pub rename: Option<String>,
    pub decode: Decode,
}

/// How a response field decodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decode {
    /// As its type says (`Option<T>`: absent is `None`).
    Plain,
    /// `#[serde(default)]`: a bare array, absent is empty.
    Default,
    /// `#[serde(default, deserialize_with = "::aliyun_rpc::response::list")]`: Aliyun's list
    /// wrapper `{"Items":{"Item":[…]}}`.
    List,
}

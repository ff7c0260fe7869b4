//! The file as serde reads it, before normalisation: strings where the file has strings,
//! loose JSON values where products disagree on the type. Actions and parameters are kept
//! as raw JSON slices so that an error while reading one names it.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;

/// The top level. Unknown keys (`directories`, `components`, …) are ignored.
#[derive(Deserialize)]
pub struct Docs<'a> {
    pub info: Info,
    #[serde(borrow, default)]
    pub apis: BTreeMap<String, &'a RawValue>,
    #[serde(default)]
    pub endpoints: Vec<Endpoint>,
}

#[derive(Deserialize)]
pub struct Info {
    pub product: String,
    pub version: String,
    pub style: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Endpoint {
    pub region_id: String,
    pub endpoint: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Api<'a> {
    #[serde(default)]
    pub methods: Vec<String>,
    pub deprecated: Option<bool>,
    pub system_tags: Option<SystemTags>,
    #[serde(borrow, default)]
    pub parameters: Vec<&'a RawValue>,
    #[serde(default)]
    pub responses: BTreeMap<String, Response>,
    #[serde(default)]
    pub error_codes: BTreeMap<String, Vec<ErrorCode>>,
    pub response_demo: Option<String>,
    pub title: Option<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SystemTags {
    pub operation_type: Option<String>,
}

#[derive(Deserialize)]
pub struct Response {
    pub schema: Option<Schema>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorCode {
    #[serde(default)]
    pub error_code: String,
    #[serde(default)]
    pub error_message: String,
}

/// Just the name of a parameter, to name one that does not parse.
#[derive(Deserialize)]
pub struct ParamName {
    pub name: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Param {
    pub name: String,
    #[serde(rename = "in")]
    pub location: Option<String>,
    pub style: Option<String>,
    #[serde(default)]
    pub schema: Schema,
    pub allow_empty_value: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Schema {
    #[serde(rename = "type")]
    pub ty: Option<String>,
    pub format: Option<String>,
    /// A bool in Aliyun's files; OpenAPI writes a list of names here, which is ignored.
    pub required: Option<Value>,
    pub doc_required: Option<bool>,
    #[serde(rename = "enum")]
    pub enum_values: Option<Vec<Value>>,
    pub enum_value_titles: Option<BTreeMap<String, Value>>,
    pub minimum: Option<Value>,
    pub maximum: Option<Value>,
    pub max_length: Option<Value>,
    pub min_length: Option<Value>,
    pub max_items: Option<Value>,
    pub min_items: Option<Value>,
    pub items: Option<Box<Schema>>,
    pub properties: Option<BTreeMap<String, Schema>>,
    pub default: Option<Value>,
    pub example: Option<Value>,
    pub pattern: Option<String>,
    pub deprecated: Option<bool>,
    pub title: Option<String>,
    pub description: Option<String>,
}

/// One entry of the list inside `responseDemo`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Demo {
    #[serde(rename = "type")]
    pub ty: String,
    #[serde(default)]
    pub example: String,
    #[serde(default)]
    pub error_example: String,
}

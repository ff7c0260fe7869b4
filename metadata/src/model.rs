//! The normalised metadata tree: what [`ApiDocs::from_json`](crate::ApiDocs::from_json)
//! returns. Every quirk of the source is already resolved here (see [`crate::normalise`]):
//! one entry per parameter name, no dotted parameter names, numbers as numbers, and unknown
//! enumerated values kept as `Unknown(String)`.

use std::collections::BTreeMap;
use std::fmt;

/// One product version's metadata (`api-docs.json`).
#[derive(Debug, Clone, PartialEq)]
pub struct ApiDocs {
    /// `info`: product code, version, API style.
    pub info: Info,
    /// `apis`, keyed (and so ordered) by action name.
    pub apis: BTreeMap<String, Api>,
    /// `endpoints`, in the file's order.
    pub endpoints: Vec<Endpoint>,
}

/// The `info` object.
#[derive(Debug, Clone, PartialEq)]
pub struct Info {
    /// The product code, as the RPC endpoint and SDKs spell it (`Ecs`, `Nlb`).
    pub product: String,
    /// The API version, `YYYY-MM-DD`.
    pub version: String,
    /// `RPC` or `ROA`.
    pub style: ApiStyle,
    /// `title`, when the file has it (the vendored copies do not).
    pub title: Option<String>,
    /// `description`, when the file has it.
    pub description: Option<String>,
}

/// `info.style`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiStyle {
    /// `RPC`: an action name plus flat parameters.
    Rpc,
    /// `ROA`: REST-like paths.
    Roa,
    /// Any other value, as written (an absent style is `Unknown("")`).
    Unknown(String),
}

/// One entry of `endpoints`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// `regionId`, e.g. `cn-hangzhou`.
    pub region_id: String,
    /// `endpoint`, a host name such as `ecs.cn-hangzhou.aliyuncs.com`.
    pub endpoint: String,
}

/// One action (`apis.{Action}`).
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// The action name (the key in `apis`).
    pub name: String,
    /// `methods`, in the file's order.
    pub methods: Vec<HttpMethod>,
    /// `deprecated` (absent: `false`).
    pub deprecated: bool,
    /// `systemTags.operationType`.
    pub operation_type: Option<OperationType>,
    /// `parameters`, in the file's order after normalisation.
    pub parameters: Vec<Parameter>,
    /// `responses."200".schema`.
    pub response: Option<Schema>,
    /// `errorCodes`, keyed by HTTP status.
    pub error_codes: BTreeMap<u16, Vec<ErrorCode>>,
    /// `responseDemo`, split into its JSON and XML examples.
    pub response_demo: ResponseDemo,
    /// `title`, when the file has it.
    pub title: Option<String>,
    /// `summary`, when the file has it.
    pub summary: Option<String>,
    /// `description`, when the file has it.
    pub description: Option<String>,
}

impl Api {
    /// The parameter with this wire name (after normalisation, so `SystemDisk`, not
    /// `SystemDisk.Size`).
    pub fn parameter(&self, name: &str) -> Option<&Parameter> {
        self.parameters.iter().find(|p| p.name == name)
    }
}

/// `methods` entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HttpMethod {
    /// `get`
    Get,
    /// `post`
    Post,
    /// `put`
    Put,
    /// `delete`
    Delete,
    /// Any other value, as written.
    Unknown(String),
}

/// `systemTags.operationType`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OperationType {
    /// `get`: reads one thing.
    Get,
    /// `list`: reads many things.
    List,
    /// `create`
    Create,
    /// `update`
    Update,
    /// `delete`
    Delete,
    /// `none`
    None,
    /// Any other value, as written.
    Unknown(String),
}

impl OperationType {
    /// `get` and `list`: the action only reads.
    pub fn is_read(&self) -> bool {
        matches!(self, OperationType::Get | OperationType::List)
    }
}

/// One entry of an action's `parameters`.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    /// The wire name (`RegionId`; never dotted after normalisation).
    pub name: String,
    /// `in`: where the parameter travels.
    pub location: Location,
    /// `style`: how a list or object is spelled on the wire. Normalisation fills in
    /// `RepeatList` for an array and `Flat` for an object that the file left without one.
    pub style: Option<Style>,
    /// `schema`.
    pub schema: Schema,
    /// `allowEmptyValue`, when present.
    pub allow_empty_value: Option<bool>,
}

/// `in`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// `query`
    Query,
    /// `formData`: the form body (signature V3 sends it there).
    FormData,
    /// `body`
    Body,
    /// `path` (ROA)
    Path,
    /// `header` (ROA)
    Header,
    /// Any other value, as written (an absent `in` is `Unknown("")`).
    Unknown(String),
}

/// `style`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Style {
    /// `repeatList`: `Name.N`, `Name.N.Field`.
    RepeatList,
    /// `flat`: `Name.Field` for an object, `Name.N.Field` for an array.
    Flat,
    /// `json`: the value as one JSON string.
    Json,
    /// `simple`: a list joined with commas.
    Simple,
    /// Any other value, as written.
    Unknown(String),
}

/// A parameter's or response field's `schema`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Schema {
    /// `type`.
    pub ty: Type,
    /// `format`: `int32`, `int64`, `float`, `double`, … as written.
    pub format: Option<String>,
    /// `required` (absent: `false`).
    pub required: bool,
    /// `docRequired` (absent: `false`): the prose marks it required.
    pub doc_required: bool,
    /// `enum`, as strings (an empty `enum` is no enum; see [`crate::normalise`]).
    pub enum_values: Vec<String>,
    /// `enumValueTitles`: a short label per enum value.
    pub enum_titles: BTreeMap<String, String>,
    /// `minimum`, parsed (the file writes it as a string).
    pub minimum: Option<Number>,
    /// `maximum`, parsed.
    pub maximum: Option<Number>,
    /// `maxLength`.
    pub max_length: Option<u64>,
    /// `minLength`.
    pub min_length: Option<u64>,
    /// `maxItems`.
    pub max_items: Option<u64>,
    /// `minItems`.
    pub min_items: Option<u64>,
    /// `items`, for an array.
    pub items: Option<Box<Schema>>,
    /// `properties`, for an object, by name.
    pub properties: BTreeMap<String, Schema>,
    /// `style` of a property that normalisation folded in from a dotted parameter
    /// (`LaunchConfiguration.DataDisk` with `repeatList`); `None` everywhere else.
    pub style: Option<Style>,
    /// `default`, as text.
    pub default: Option<String>,
    /// `example`, as text.
    pub example: Option<String>,
    /// `pattern`.
    pub pattern: Option<String>,
    /// `deprecated` (absent: `false`).
    pub deprecated: bool,
    /// `title`, when the file has it.
    pub title: Option<String>,
    /// `description`, when the file has it.
    pub description: Option<String>,
}

/// `type`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Type {
    /// `string` (also what an absent type without `items` or `properties` becomes).
    #[default]
    String,
    /// `integer`
    Integer,
    /// `number`
    Number,
    /// `boolean`
    Boolean,
    /// `array`
    Array,
    /// `object`
    Object,
    /// Any other value, as written.
    Unknown(String),
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Type::String => "string",
            Type::Integer => "integer",
            Type::Number => "number",
            Type::Boolean => "boolean",
            Type::Array => "array",
            Type::Object => "object",
            Type::Unknown(other) => other,
        })
    }
}

/// A `minimum` or `maximum`: an integer when the text is one, else a finite float.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    /// `"1"`, `"-1"`.
    Int(i64),
    /// `"0.5"`.
    Float(f64),
}

impl Number {
    /// The value as a float (integers beyond 2^53 round).
    pub fn as_f64(self) -> f64 {
        match self {
            Number::Int(i) => i as f64,
            Number::Float(x) => x,
        }
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Number::Int(i) => write!(f, "{i}"),
            Number::Float(x) => write!(f, "{x}"),
        }
    }
}

/// One entry of `errorCodes.{status}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorCode {
    /// `errorCode`, e.g. `InvalidParameter`.
    pub code: String,
    /// `errorMessage`.
    pub message: String,
}

/// `responseDemo`: the file holds a JSON string listing `{type, example, errorExample}`
/// entries; an empty string means no examples.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ResponseDemo {
    /// The JSON success example.
    pub json: Option<String>,
    /// The XML success example.
    pub xml: Option<String>,
    /// The JSON error example.
    pub json_error: Option<String>,
    /// The XML error example.
    pub xml_error: Option<String>,
}

//! The one normalisation pass from the file's shape (serde structs that mirror it) to the
//! model ([`ApiDocs`] and below). Each quirk of Aliyun's metadata is resolved here, by one
//! rule, with a test named after it:
//!
//! | quirk | rule |
//! | --- | --- |
//! | a parameter listed twice (`RegionId`, `ClientToken`) | one entry, at the first listing's place, with the first listing's schema; required only when every listing says so |
//! | literal dotted parameters (`SystemDisk.Size`) beside a `flat` object `SystemDisk` | folded into the object's `properties`; a property the object already declares keeps the object's declaration |
//! | dotted parameters without their object (`SystemDisk.Category` alone) | the object is synthesized (`flat`, at the first dotted parameter's place and `in`), required when one of its properties is |
//! | indexed dotted parameters (`Filter.1.Key`, `DataDisk.2.Size`, `AddGroup.1`) | folded into the array's `items` the same way; a synthesized array is `repeatList` with `maxItems` = the highest index |
//! | `minimum` / `maximum` written as strings (`"1"`) | parsed into [`Number`]: `Int` when the text is an integer, else a finite `Float`; anything else is an error naming the action and parameter |
//! | `maxLength`, `maxItems`, … as strings | parsed into `u64` the same way |
//! | unknown `type`, `style`, `in`, `methods`, `operationType` values | kept as `Unknown(value)`; never an error here |
//! | `enum: []` | no enum |
//! | enum values only in `enumValueTitles` | the enum is the titles' keys |
//! | an array or object parameter without `style` | `repeatList` for an array, `flat` for an object |
//! | `responseDemo: ""` | no examples |
//!
//! A dotted parameter that cannot fold (its base is a string, a `json` object, or a dotted
//! path indexes an object) is an error naming the action and the parameter.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::error::Error;
use crate::model::*;
use crate::raw;

/// Where errors point: the origin (file name) and the action.
struct Cx<'a> {
    origin: &'a str,
    action: &'a str,
}

impl Cx<'_> {
    fn invalid(&self, place: impl Into<String>, reason: impl Into<String>) -> Error {
        Error::Invalid {
            origin: self.origin.to_owned(),
            action: self.action.to_owned(),
            place: place.into(),
            reason: reason.into(),
        }
    }
}

/// Normalises a parsed document. `origin` names it in errors.
pub(crate) fn api_docs(raw: raw::Docs<'_>, origin: &str) -> Result<ApiDocs, Error> {
    let info = Info {
        product: raw.info.product,
        version: raw.info.version,
        style: match raw.info.style.as_deref() {
            Some("RPC") => ApiStyle::Rpc,
            Some("ROA") => ApiStyle::Roa,
            other => ApiStyle::Unknown(other.unwrap_or_default().to_owned()),
        },
        title: raw.info.title,
        description: raw.info.description,
    };
    let mut apis = BTreeMap::new();
    for (name, json) in raw.apis {
        let cx = Cx {
            origin,
            action: &name,
        };
        let api = api(&cx, &name, json.get())?;
        apis.insert(name, api);
    }
    let endpoints = raw
        .endpoints
        .into_iter()
        .map(|e| Endpoint {
            region_id: e.region_id,
            endpoint: e.endpoint,
        })
        .collect();
    Ok(ApiDocs {
        info,
        apis,
        endpoints,
    })
}

fn api(cx: &Cx<'_>, name: &str, json: &str) -> Result<Api, Error> {
    let raw: raw::Api<'_> =
        serde_json::from_str(json).map_err(|e| cx.invalid("its definition", e.to_string()))?;
    let mut parameters = Vec::with_capacity(raw.parameters.len());
    for (i, json) in raw.parameters.iter().enumerate() {
        parameters.push(parameter(cx, i, json.get())?);
    }
    let parameters = fold_dotted(cx, merge_duplicates(parameters))?;
    let response = match raw
        .responses
        .into_iter()
        .find(|(status, _)| status == "200")
    {
        Some((_, raw::Response { schema: Some(s) })) => Some(schema(cx, s, &Place::response())?),
        _ => None,
    };
    let mut error_codes = BTreeMap::new();
    for (status, codes) in raw.error_codes {
        let status: u16 = status.trim().parse().map_err(|_| {
            cx.invalid(
                "errorCodes",
                format!("`{status}` is not an HTTP status code"),
            )
        })?;
        let codes = codes.into_iter().map(|c| ErrorCode {
            code: c.error_code,
            message: c.error_message,
        });
        error_codes
            .entry(status)
            .or_insert_with(Vec::new)
            .extend(codes);
    }
    Ok(Api {
        name: name.to_owned(),
        methods: raw.methods.iter().map(|m| http_method(m)).collect(),
        deprecated: raw.deprecated.unwrap_or(false),
        operation_type: raw
            .system_tags
            .and_then(|t| t.operation_type)
            .map(|op| operation_type(&op)),
        parameters,
        response,
        error_codes,
        response_demo: response_demo(cx, raw.response_demo.as_deref())?,
        title: raw.title,
        summary: raw.summary,
        description: raw.description,
    })
}

fn http_method(m: &str) -> HttpMethod {
    match m.to_ascii_lowercase().as_str() {
        "get" => HttpMethod::Get,
        "post" => HttpMethod::Post,
        "put" => HttpMethod::Put,
        "delete" => HttpMethod::Delete,
        _ => HttpMethod::Unknown(m.to_owned()),
    }
}

fn operation_type(op: &str) -> OperationType {
    match op {
        "get" => OperationType::Get,
        "list" => OperationType::List,
        "create" => OperationType::Create,
        "update" => OperationType::Update,
        "delete" => OperationType::Delete,
        "none" => OperationType::None,
        other => OperationType::Unknown(other.to_owned()),
    }
}

fn location(value: Option<&str>) -> Location {
    match value {
        Some("query") => Location::Query,
        Some("formData") => Location::FormData,
        Some("body") => Location::Body,
        Some("path") => Location::Path,
        Some("header") => Location::Header,
        other => Location::Unknown(other.unwrap_or_default().to_owned()),
    }
}

fn style(value: &str) -> Style {
    match value {
        "repeatList" => Style::RepeatList,
        "flat" => Style::Flat,
        "json" => Style::Json,
        "simple" => Style::Simple,
        other => Style::Unknown(other.to_owned()),
    }
}

fn parameter(cx: &Cx<'_>, index: usize, json: &str) -> Result<Parameter, Error> {
    let raw: raw::Param = serde_json::from_str(json).map_err(|e| {
        let name = serde_json::from_str::<raw::ParamName>(json)
            .ok()
            .and_then(|p| p.name);
        let place = match name {
            Some(name) => format!("parameter `{name}`"),
            None => format!("parameter #{}", index + 1),
        };
        cx.invalid(place, e.to_string())
    })?;
    let schema = schema(cx, raw.schema, &Place::param(&raw.name))?;
    let style = raw.style.as_deref().map(style).or(match schema.ty {
        Type::Array => Some(Style::RepeatList),
        Type::Object => Some(Style::Flat),
        _ => None,
    });
    Ok(Parameter {
        location: location(raw.location.as_deref()),
        style,
        schema,
        allow_empty_value: raw.allow_empty_value,
        name: raw.name,
    })
}

/// A path inside a parameter or the response, for error messages:
/// ``parameter `Filter[].Key` ``.
struct Place {
    what: &'static str,
    path: String,
}

impl Place {
    fn param(name: &str) -> Place {
        Place {
            what: "parameter",
            path: name.to_owned(),
        }
    }

    fn response() -> Place {
        Place {
            what: "response field",
            path: String::new(),
        }
    }

    fn child(&self, segment: &str) -> Place {
        let path = if self.path.is_empty() {
            segment.to_owned()
        } else if segment == "[]" {
            format!("{}[]", self.path)
        } else {
            format!("{}.{segment}", self.path)
        };
        Place {
            what: self.what,
            path,
        }
    }

    fn render(&self) -> String {
        if self.path.is_empty() {
            "response schema".to_owned()
        } else {
            format!("{} `{}`", self.what, self.path)
        }
    }
}

fn schema(cx: &Cx<'_>, raw: raw::Schema, at: &Place) -> Result<Schema, Error> {
    let bad = |key: &str, reason: String| cx.invalid(at.render(), format!("`{key}` {reason}"));
    let number_of = |key: &str, v: Option<Value>| -> Result<Option<Number>, Error> {
        v.filter(|v| !v.is_null())
            .map(|v| number(&v).map_err(|r| bad(key, r)))
            .transpose()
    };
    let count_of = |key: &str, v: Option<Value>| -> Result<Option<u64>, Error> {
        v.filter(|v| !v.is_null())
            .map(|v| count(&v).map_err(|r| bad(key, r)))
            .transpose()
    };
    let items = match raw.items {
        Some(items) => Some(Box::new(schema(cx, *items, &at.child("[]"))?)),
        None => None,
    };
    let mut properties = BTreeMap::new();
    for (name, prop) in raw.properties.unwrap_or_default() {
        let prop = schema(cx, prop, &at.child(&name))?;
        properties.insert(name, prop);
    }
    let ty = match raw.ty.as_deref() {
        Some("string") => Type::String,
        Some("integer") => Type::Integer,
        Some("number") => Type::Number,
        Some("boolean") => Type::Boolean,
        Some("array") => Type::Array,
        Some("object") => Type::Object,
        Some(other) => Type::Unknown(other.to_owned()),
        None if items.is_some() => Type::Array,
        None if !properties.is_empty() => Type::Object,
        None => Type::String,
    };
    let enum_titles: BTreeMap<String, String> = raw
        .enum_value_titles
        .unwrap_or_default()
        .into_iter()
        .map(|(k, v)| (k, text(&v).unwrap_or_default()))
        .collect();
    let mut enum_values: Vec<String> = Vec::new();
    for v in raw.enum_values.unwrap_or_default() {
        if let Some(v) = text(&v) {
            if !enum_values.contains(&v) {
                enum_values.push(v);
            }
        }
    }
    if enum_values.is_empty() {
        enum_values = enum_titles.keys().cloned().collect();
    }
    Ok(Schema {
        ty,
        format: raw.format,
        required: matches!(raw.required, Some(Value::Bool(true))),
        doc_required: raw.doc_required.unwrap_or(false),
        enum_values,
        enum_titles,
        minimum: number_of("minimum", raw.minimum)?,
        maximum: number_of("maximum", raw.maximum)?,
        max_length: count_of("maxLength", raw.max_length)?,
        min_length: count_of("minLength", raw.min_length)?,
        max_items: count_of("maxItems", raw.max_items)?,
        min_items: count_of("minItems", raw.min_items)?,
        items,
        properties,
        style: None,
        default: raw.default.as_ref().and_then(text),
        example: raw.example.as_ref().and_then(text),
        pattern: raw.pattern,
        deprecated: raw.deprecated.unwrap_or(false),
        title: raw.title,
        description: raw.description,
    })
}

/// `"1"`, `1`, `"-1"`, `"0.5"` → a number; anything else is refused with a reason.
fn number(v: &Value) -> Result<Number, String> {
    let parsed = match v {
        Value::Number(n) => n
            .as_i64()
            .map(Number::Int)
            .or_else(|| n.as_f64().map(Number::Float)),
        Value::String(s) => {
            let s = s.trim();
            s.parse::<i64>()
                .map(Number::Int)
                .ok()
                .or_else(|| s.parse::<f64>().ok().map(Number::Float))
        }
        _ => None,
    };
    match parsed {
        Some(Number::Float(x)) if !x.is_finite() => Err(format!("is not a finite number: {v}")),
        Some(n) => Ok(n),
        None => Err(format!("is not a number: {v}")),
    }
}

/// `"128"` or `128` → 128; negative or fractional counts are refused.
fn count(v: &Value) -> Result<u64, String> {
    let parsed = match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse::<u64>().ok(),
        _ => None,
    };
    parsed.ok_or_else(|| format!("is not a non-negative integer: {v}"))
}

/// A scalar as text (`"60"`, `60`, `true`); `null` is no value; arrays and objects are
/// kept as their JSON.
fn text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        other => Some(other.to_string()),
    }
}

fn response_demo(cx: &Cx<'_>, demo: Option<&str>) -> Result<ResponseDemo, Error> {
    let mut out = ResponseDemo::default();
    let Some(demo) = demo.filter(|d| !d.trim().is_empty()) else {
        return Ok(out);
    };
    let entries: Vec<raw::Demo> =
        serde_json::from_str(demo).map_err(|e| cx.invalid("responseDemo", e.to_string()))?;
    let non_empty = |s: String| (!s.trim().is_empty()).then_some(s);
    for entry in entries {
        let (example, error) = match entry.ty.to_ascii_lowercase().as_str() {
            "json" => (&mut out.json, &mut out.json_error),
            "xml" => (&mut out.xml, &mut out.xml_error),
            _ => continue,
        };
        if example.is_none() {
            *example = non_empty(entry.example);
        }
        if error.is_none() {
            *error = non_empty(entry.error_example);
        }
    }
    Ok(out)
}

/// A parameter listed more than once becomes one entry at its first place, with its first
/// schema, required only when every listing says so.
fn merge_duplicates(params: Vec<Parameter>) -> Vec<Parameter> {
    let mut out: Vec<Parameter> = Vec::with_capacity(params.len());
    for param in params {
        match out.iter_mut().find(|p| p.name == param.name) {
            Some(first) => first.schema.required &= param.schema.required,
            None => out.push(param),
        }
    }
    out
}

/// Folds `A.B` (and `A.1.B`) parameters into the parameter `A`, synthesizing `A` (at the
/// place of its first dotted parameter) when the file does not declare it.
fn fold_dotted(cx: &Cx<'_>, params: Vec<Parameter>) -> Result<Vec<Parameter>, Error> {
    if !params.iter().any(|p| p.name.contains('.')) {
        return Ok(params);
    }
    let declared: BTreeSet<String> = params
        .iter()
        .filter(|p| !p.name.contains('.'))
        .map(|p| p.name.clone())
        .collect();
    let mut synthesized: BTreeSet<String> = BTreeSet::new();
    let mut out: Vec<Parameter> = Vec::with_capacity(params.len());
    let mut dotted: Vec<Parameter> = Vec::new();
    for param in params {
        let Some((base, rest)) = param.name.split_once('.') else {
            out.push(param);
            continue;
        };
        if !declared.contains(base) && !synthesized.contains(base) {
            let next = rest.split('.').next().unwrap_or_default();
            out.push(Parameter {
                name: base.to_owned(),
                location: param.location.clone(),
                style: Some(if is_index(next) {
                    Style::RepeatList
                } else {
                    Style::Flat
                }),
                schema: container_for(next),
                allow_empty_value: None,
            });
            synthesized.insert(base.to_owned());
        }
        dotted.push(param);
    }
    for param in dotted {
        let segments: Vec<&str> = param.name.split('.').collect();
        let place = format!("parameter `{}`", param.name);
        if segments.iter().any(|s| s.is_empty()) {
            return Err(cx.invalid(place, "empty segment in a dotted name"));
        }
        let base = segments[0];
        let Some(target) = out.iter_mut().find(|p| p.name == base) else {
            return Err(cx.invalid(place, format!("no parameter `{base}` to fold into")));
        };
        if matches!(target.style, Some(Style::Json)) {
            return Err(cx.invalid(
                place,
                format!("cannot fold into `{base}`, which is sent as one JSON string"),
            ));
        }
        let mut leaf = param.schema;
        leaf.style = param
            .style
            .filter(|_| matches!(leaf.ty, Type::Array | Type::Object));
        fold(
            &mut target.schema,
            base,
            &segments[1..],
            leaf,
            &mut synthesized,
        )
        .map_err(|reason| cx.invalid(place, reason))?;
    }
    for param in &mut out {
        if synthesized.contains(&param.name) {
            settle(&mut param.schema, &param.name, &synthesized);
        }
    }
    Ok(out)
}

fn is_index(segment: &str) -> bool {
    segment.bytes().all(|b| b.is_ascii_digit())
}

/// An empty container for the segment that follows: an array before an index, else an object.
fn container_for(next: &str) -> Schema {
    Schema {
        ty: if is_index(next) {
            Type::Array
        } else {
            Type::Object
        },
        ..Schema::default()
    }
}

/// Puts `leaf` at `path` under `node` (whose own path is `at`), creating containers on the
/// way and recording them in `synthesized`. What is already declared stays.
fn fold(
    node: &mut Schema,
    at: &str,
    path: &[&str],
    leaf: Schema,
    synthesized: &mut BTreeSet<String>,
) -> Result<(), String> {
    let Some((&segment, rest)) = path.split_first() else {
        return Ok(());
    };
    if is_index(segment) {
        if node.ty != Type::Array {
            return Err(format!(
                "`{segment}` indexes `{at}`, which is a {} and not an array",
                node.ty
            ));
        }
        let n: u64 = segment
            .parse()
            .ok()
            .filter(|n| *n >= 1)
            .ok_or_else(|| format!("`{segment}` is not a list index (1, 2, …)"))?;
        if synthesized.contains(at) {
            node.max_items = Some(node.max_items.map_or(n, |m| m.max(n)));
        }
        let child_at = format!("{at}[]");
        match (&mut node.items, rest.first()) {
            (Some(_), None) => Ok(()),
            (None, None) => {
                node.items = Some(Box::new(leaf));
                Ok(())
            }
            (items, Some(next)) => {
                let child = items.get_or_insert_with(|| {
                    synthesized.insert(child_at.clone());
                    Box::new(container_for(next))
                });
                fold(child, &child_at, rest, leaf, synthesized)
            }
        }
    } else {
        if node.ty != Type::Object {
            return Err(format!(
                "`{at}` is a {}, so it has no property `{segment}`",
                node.ty
            ));
        }
        let child_at = format!("{at}.{segment}");
        match rest.first() {
            None => {
                node.properties.entry(segment.to_owned()).or_insert(leaf);
                Ok(())
            }
            Some(next) => {
                let child = node
                    .properties
                    .entry(segment.to_owned())
                    .or_insert_with(|| {
                        synthesized.insert(child_at.clone());
                        container_for(next)
                    });
                fold(child, &child_at, rest, leaf, synthesized)
            }
        }
    }
}

/// A synthesized container is required when one of its children is.
fn settle(node: &mut Schema, at: &str, synthesized: &BTreeSet<String>) -> bool {
    let is_synthesized = synthesized.contains(at);
    if let Some(items) = &mut node.items {
        let child_required = settle(items, &format!("{at}[]"), synthesized);
        if is_synthesized {
            node.required |= child_required;
        }
    }
    for (name, prop) in &mut node.properties {
        let child_required = settle(prop, &format!("{at}.{name}"), synthesized);
        if is_synthesized {
            node.required |= child_required;
        }
    }
    node.required
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A document with one action `A` whose `parameters` are `params` (JSON).
    fn docs(params: &str) -> Result<ApiDocs, Error> {
        ApiDocs::from_json_named(
            &format!(
                r#"{{"info":{{"product":"P","version":"2020-01-01","style":"RPC"}},
                    "apis":{{"A":{{"parameters":{params}}}}}}}"#
            ),
            "test.json",
        )
    }

    fn action(params: &str) -> Api {
        match docs(params) {
            Ok(mut d) => d.apis.remove("A").expect("action A"),
            Err(e) => panic!("{e}"),
        }
    }

    fn names(api: &Api) -> Vec<&str> {
        api.parameters.iter().map(|p| p.name.as_str()).collect()
    }

    #[test]
    fn quirk_param_listed_twice_is_one_entry_required_only_if_every_listing_says_so() {
        let api = action(
            r#"[{"name":"RegionId","in":"query","schema":{"type":"string","required":true}},
                {"name":"ClientToken","in":"query","schema":{"type":"string","required":true,"example":"first"}},
                {"name":"RegionId","in":"query","schema":{"type":"string","required":true}},
                {"name":"ClientToken","in":"query","schema":{"type":"string","required":false,"example":"second"}}]"#,
        );
        assert_eq!(names(&api), ["RegionId", "ClientToken"]);
        assert!(api.parameters[0].schema.required);
        assert!(!api.parameters[1].schema.required);
        assert_eq!(api.parameters[1].schema.example.as_deref(), Some("first"));
    }

    #[test]
    fn quirk_dotted_params_fold_into_the_flat_object_beside_them() {
        let api = action(
            r#"[{"name":"SystemDisk.Size","in":"query","schema":{"type":"integer","format":"int32","required":false}},
                {"name":"SystemDisk","in":"query","style":"flat","schema":{"type":"object","required":false,
                  "properties":{"StorageClusterId":{"type":"string","required":false},
                                "Category":{"type":"string","required":false,"example":"declared"}}}},
                {"name":"SystemDisk.Category","in":"query","schema":{"type":"string","required":true,"example":"dotted"}}]"#,
        );
        assert_eq!(names(&api), ["SystemDisk"]);
        let disk = &api.parameters[0];
        assert_eq!(disk.style, Some(Style::Flat));
        let props: Vec<&str> = disk.schema.properties.keys().map(String::as_str).collect();
        assert_eq!(props, ["Category", "Size", "StorageClusterId"]);
        assert_eq!(disk.schema.properties["Size"].ty, Type::Integer);
        // The object's own declaration wins over the dotted one.
        assert_eq!(
            disk.schema.properties["Category"].example.as_deref(),
            Some("declared")
        );
        assert!(!disk.schema.required);
    }

    #[test]
    fn quirk_dotted_params_without_their_object_synthesize_it_at_the_first_ones_place() {
        let api = action(
            r#"[{"name":"RegionId","in":"formData","schema":{"type":"string","required":true}},
                {"name":"SystemDisk.Category","in":"formData","schema":{"type":"string","required":false}},
                {"name":"ImageId","in":"formData","schema":{"type":"string","required":false}},
                {"name":"SystemDisk.Size","in":"formData","schema":{"type":"integer","required":true}},
                {"name":"LaunchConfiguration.DataDisk","in":"formData","style":"repeatList","schema":{"type":"array",
                  "items":{"type":"object","properties":{"Size":{"type":"integer"}}}}}]"#,
        );
        assert_eq!(
            names(&api),
            ["RegionId", "SystemDisk", "ImageId", "LaunchConfiguration"]
        );
        let disk = &api.parameters[1];
        assert_eq!(disk.location, Location::FormData);
        assert_eq!(disk.style, Some(Style::Flat));
        assert_eq!(disk.schema.ty, Type::Object);
        // Required, since `SystemDisk.Size` is.
        assert!(disk.schema.required);
        let launch = &api.parameters[3];
        assert!(!launch.schema.required);
        let data_disk = &launch.schema.properties["DataDisk"];
        assert_eq!(data_disk.ty, Type::Array);
        assert_eq!(data_disk.style, Some(Style::RepeatList));
    }

    #[test]
    fn quirk_indexed_dotted_params_fold_into_an_array() {
        let api = action(
            r#"[{"name":"Filter.1.Key","in":"query","schema":{"type":"string"}},
                {"name":"Filter.2.Key","in":"query","schema":{"type":"string"}},
                {"name":"Filter.1.Value","in":"query","schema":{"type":"string"}},
                {"name":"AddGroup.1","in":"query","schema":{"type":"string"}},
                {"name":"DataDisk","in":"query","style":"repeatList","schema":{"type":"array","maxItems":16,
                  "items":{"type":"object","properties":{"Size":{"type":"integer"}}}}},
                {"name":"DataDisk.3.Category","in":"query","schema":{"type":"string"}}]"#,
        );
        assert_eq!(names(&api), ["Filter", "AddGroup", "DataDisk"]);
        let filter = &api.parameters[0];
        assert_eq!(filter.style, Some(Style::RepeatList));
        assert_eq!(filter.schema.ty, Type::Array);
        assert_eq!(filter.schema.max_items, Some(2));
        let item = filter.schema.items.as_deref().expect("items");
        assert_eq!(item.ty, Type::Object);
        let props: Vec<&str> = item.properties.keys().map(String::as_str).collect();
        assert_eq!(props, ["Key", "Value"]);
        let group = &api.parameters[1].schema;
        assert_eq!(group.max_items, Some(1));
        assert_eq!(group.items.as_deref().map(|i| &i.ty), Some(&Type::String));
        // A declared array keeps its own maxItems and gains the property.
        let disk = &api.parameters[2].schema;
        assert_eq!(disk.max_items, Some(16));
        let item = disk.items.as_deref().expect("items");
        assert!(item.properties.contains_key("Category"));
        assert!(item.properties.contains_key("Size"));
    }

    #[test]
    fn quirk_dotted_params_that_cannot_fold_are_errors_naming_action_and_param() {
        for (params, reason) in [
            (
                r#"[{"name":"Name","in":"query","schema":{"type":"string"}},
                    {"name":"Name.Size","in":"query","schema":{"type":"string"}}]"#,
                "`Name` is a string, so it has no property `Size`",
            ),
            (
                r#"[{"name":"Conf","in":"query","style":"json","schema":{"type":"object"}},
                    {"name":"Conf.Size","in":"query","schema":{"type":"string"}}]"#,
                "cannot fold into `Conf`, which is sent as one JSON string",
            ),
            (
                r#"[{"name":"Disk.0","in":"query","schema":{"type":"string"}}]"#,
                "`0` is not a list index (1, 2, …)",
            ),
            (
                r#"[{"name":"Disk..Size","in":"query","schema":{"type":"string"}}]"#,
                "empty segment in a dotted name",
            ),
        ] {
            let err = match docs(params) {
                Err(e) => e.to_string(),
                Ok(d) => panic!("{d:?}"),
            };
            assert!(
                err.starts_with("test.json: action `A`, parameter `"),
                "{err}"
            );
            assert!(err.ends_with(reason), "{err}");
        }
    }

    #[test]
    fn quirk_minimum_and_maximum_strings_become_numbers() {
        let api = action(
            r#"[{"name":"PageSize","in":"query","schema":{"type":"integer","minimum":"1","maximum":"100"}},
                {"name":"Offset","in":"query","schema":{"type":"integer","minimum":"-1","maximum":50}},
                {"name":"Ratio","in":"query","schema":{"type":"number","minimum":" 0.5 ","maximum":"1e3"}},
                {"name":"Name","in":"query","schema":{"type":"string","maxLength":"128","minLength":2}}]"#,
        );
        let s = |i: usize| &api.parameters[i].schema;
        assert_eq!(
            (s(0).minimum, s(0).maximum),
            (Some(Number::Int(1)), Some(Number::Int(100)))
        );
        assert_eq!(
            (s(1).minimum, s(1).maximum),
            (Some(Number::Int(-1)), Some(Number::Int(50)))
        );
        assert_eq!(
            (s(2).minimum, s(2).maximum),
            (Some(Number::Float(0.5)), Some(Number::Float(1000.0)))
        );
        assert_eq!((s(3).max_length, s(3).min_length), (Some(128), Some(2)));
    }

    #[test]
    fn quirk_unparseable_bounds_are_errors_naming_action_and_param() {
        for (schema, reason) in [
            (
                r#"{"type":"integer","minimum":"one"}"#,
                "`minimum` is not a number: \"one\"",
            ),
            (
                r#"{"type":"number","maximum":"inf"}"#,
                "`maximum` is not a finite number: \"inf\"",
            ),
            (
                r#"{"type":"array","maxItems":"-3"}"#,
                "`maxItems` is not a non-negative integer: \"-3\"",
            ),
        ] {
            let params = format!(
                r#"[{{"name":"Tag","in":"query","style":"repeatList","schema":{{"type":"array",
                    "items":{{"type":"object","properties":{{"Key":{schema}}}}}}}}}]"#
            );
            let err = match docs(&params) {
                Err(e) => e.to_string(),
                Ok(d) => panic!("{d:?}"),
            };
            assert_eq!(
                err,
                format!("test.json: action `A`, parameter `Tag[].Key`: {reason}")
            );
        }
    }

    #[test]
    fn quirk_unknown_type_style_and_in_are_kept_as_unknown() {
        let api = action(
            r#"[{"name":"When","in":"cookie","style":"spaceDelimited","schema":{"type":"date"}},
                {"name":"Bare","schema":{}}]"#,
        );
        let when = &api.parameters[0];
        assert_eq!(when.location, Location::Unknown("cookie".into()));
        assert_eq!(when.style, Some(Style::Unknown("spaceDelimited".into())));
        assert_eq!(when.schema.ty, Type::Unknown("date".into()));
        let bare = &api.parameters[1];
        assert_eq!(bare.location, Location::Unknown(String::new()));
        assert_eq!(bare.style, None);
        assert_eq!(bare.schema.ty, Type::String);
    }

    #[test]
    fn quirk_empty_enum_is_no_enum() {
        let api = action(r#"[{"name":"Kind","in":"query","schema":{"type":"string","enum":[]}}]"#);
        assert!(api.parameters[0].schema.enum_values.is_empty());
    }

    #[test]
    fn quirk_enum_only_in_value_titles_takes_their_keys() {
        let api = action(
            r#"[{"name":"BootMode","in":"query","schema":{"type":"string",
                 "enumValueTitles":{"UEFI":"UEFI","BIOS":"BIOS"}}},
                {"name":"Period","in":"query","schema":{"type":"integer","enum":["60",600,"60"]}}]"#,
        );
        assert_eq!(api.parameters[0].schema.enum_values, ["BIOS", "UEFI"]);
        assert_eq!(api.parameters[1].schema.enum_values, ["60", "600"]);
    }

    #[test]
    fn quirk_containers_without_style_get_repeat_list_or_flat() {
        let api = action(
            r#"[{"name":"Ids","in":"query","schema":{"type":"array","items":{"type":"string"}}},
                {"name":"Options","in":"query","schema":{"type":"object","properties":{"A":{"type":"string"}}}},
                {"name":"Name","in":"query","schema":{"type":"string"}}]"#,
        );
        let styles: Vec<_> = api.parameters.iter().map(|p| p.style.clone()).collect();
        assert_eq!(styles, [Some(Style::RepeatList), Some(Style::Flat), None]);
    }

    #[test]
    fn quirk_empty_response_demo_has_no_examples() {
        let d = ApiDocs::from_json(
            r#"{"info":{"product":"P","version":"2020-01-01"},
                "apis":{"A":{"responseDemo":""},
                        "B":{"responseDemo":"[{\"type\":\"json\",\"example\":\"{}\",\"errorExample\":\"\"},{\"type\":\"xml\",\"example\":\"<B/>\",\"errorExample\":\"<Error/>\"},{\"type\":\"yaml\",\"example\":\"x\"}]"}}}"#,
        );
        let d = match d {
            Ok(d) => d,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(d.apis["A"].response_demo, ResponseDemo::default());
        assert_eq!(
            d.apis["B"].response_demo,
            ResponseDemo {
                json: Some("{}".into()),
                xml: Some("<B/>".into()),
                json_error: None,
                xml_error: Some("<Error/>".into()),
            }
        );
        assert_eq!(d.info.style, ApiStyle::Unknown(String::new()));
    }

    #[test]
    fn malformed_entries_name_the_action_and_place() {
        let cases = [
            (
                r#"{"A":{"parameters":[{"name":"RegionId","in":"query","schema":{"required":"yes","deprecated":"no"}}]}}"#,
                "test.json: action `A`, parameter `RegionId`: invalid type: string \"no\", expected a boolean",
            ),
            (
                r#"{"A":{"parameters":[{"in":"query"}]}}"#,
                "test.json: action `A`, parameter #1: missing field `name`",
            ),
            (
                r#"{"A":{"responseDemo":"[{"}}"#,
                "test.json: action `A`, responseDemo: EOF while parsing",
            ),
            (
                r#"{"A":{"errorCodes":{"4xx":[]}}}"#,
                "test.json: action `A`, errorCodes: `4xx` is not an HTTP status code",
            ),
            (
                r#"{"A":{"methods":"get"}}"#,
                "test.json: action `A`, its definition: invalid type: string \"get\", expected a sequence",
            ),
        ];
        for (apis, expected) in cases {
            let text =
                format!(r#"{{"info":{{"product":"P","version":"2020-01-01"}},"apis":{apis}}}"#);
            let err = match ApiDocs::from_json_named(&text, "test.json") {
                Err(e) => e.to_string(),
                Ok(d) => panic!("{d:?}"),
            };
            assert!(err.starts_with(expected), "{err}\nexpected: {expected}");
        }
    }
}

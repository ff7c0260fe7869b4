//! Schema mode's answer to a call that passed its checks and that no handler serves: the
//! action's example response, or a minimal object built from its response schema, with the
//! call's identifiers echoed.
//!
//! - The template is the JSON example of `responseDemo` when it parses as a JSON object; else
//!   an object built from the `200` response schema: every property, scalars from their
//!   `example` (or `""`, `0`, `false`), lists empty, objects built the same way; else `{}`.
//!   (The XML example is never used: the emulator renders XML from the same JSON, as for every
//!   answer, so both formats say the same thing.)
//! - Echo: a top-level field of the answer (in the example or the response schema) named like
//!   a scalar param the call sent (`RegionId`, `InstanceId`, `VpcId`, `PageSize`, …) takes the
//!   call's value, typed like the field (a value that does not fit the field's type leaves the
//!   example's).
//! - `RequestId` is always fresh (the renderer sets it).

use aliyun_rpc_metadata::{Api, Schema, Type};
use serde_json::{Map, Number, Value};

/// How deep a response schema is followed when building an answer from it (Aliyun's are a
/// handful of levels; a deeper one is cut with `null`).
const MAX_DEPTH: usize = 32;

/// The answer `api` gives before echoing: see the module's rules.
pub(crate) fn template(api: &Api) -> Map<String, Value> {
    let example = api
        .response_demo
        .json
        .as_deref()
        .and_then(|json| serde_json::from_str::<Value>(json).ok());
    let mut body = match example {
        Some(Value::Object(map)) => map,
        _ => match api.response.as_ref().map(|schema| minimal(schema, 0)) {
            Some(Value::Object(map)) => map,
            _ => Map::new(),
        },
    };
    body.remove("RequestId");
    body
}

/// `template` with the call's identifiers echoed: `sent(name)` is the value of scalar param
/// `name` when the call sent one (non-empty, at the top level).
pub(crate) fn answer<'r>(
    template: &Map<String, Value>,
    response: Option<&Schema>,
    sent: impl Fn(&str) -> Option<&'r str>,
) -> Map<String, Value> {
    let mut body = template.clone();
    if let Some(response) = response {
        for (name, field) in &response.properties {
            if let Some(value) = sent(name).and_then(|v| typed(v, &field.ty)) {
                body.insert(name.clone(), value);
            }
        }
    }
    for (name, example) in template {
        let declared = response.is_some_and(|r| r.properties.contains_key(name));
        if declared {
            continue;
        }
        if let Some(value) = sent(name).and_then(|v| like(v, example)) {
            body.insert(name.clone(), value);
        }
    }
    body
}

/// `value` as a JSON value of type `ty`, if it is one.
fn typed(value: &str, ty: &Type) -> Option<Value> {
    match ty {
        Type::Integer => value.parse::<i64>().ok().map(Value::from),
        Type::Number => value
            .parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .map(Value::Number),
        Type::Boolean => boolean(value).map(Value::Bool),
        Type::String | Type::Unknown(_) => Some(Value::String(value.to_owned())),
        Type::Array | Type::Object => None,
    }
}

/// `value` as a JSON value of the same kind as `example`, if it is one.
fn like(value: &str, example: &Value) -> Option<Value> {
    match example {
        Value::Number(_) => typed(value, &Type::Integer).or_else(|| typed(value, &Type::Number)),
        Value::Bool(_) => typed(value, &Type::Boolean),
        Value::String(_) | Value::Null => typed(value, &Type::String),
        Value::Array(_) | Value::Object(_) => None,
    }
}

fn boolean(value: &str) -> Option<bool> {
    if value.eq_ignore_ascii_case("true") {
        Some(true)
    } else if value.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// The smallest value of `schema`'s shape: see the module's rules.
fn minimal(schema: &Schema, depth: usize) -> Value {
    if depth > MAX_DEPTH {
        return Value::Null;
    }
    let example = schema.example.as_deref();
    match &schema.ty {
        Type::Object => Value::Object(
            schema
                .properties
                .iter()
                .map(|(name, field)| (name.clone(), minimal(field, depth + 1)))
                .collect(),
        ),
        Type::Array => Value::Array(Vec::new()),
        Type::Integer => example
            .and_then(|e| typed(e, &Type::Integer))
            .unwrap_or(Value::from(0)),
        Type::Number => example
            .and_then(|e| typed(e, &Type::Number))
            .unwrap_or(Value::from(0.0)),
        Type::Boolean => Value::Bool(example.and_then(boolean).unwrap_or(false)),
        Type::String | Type::Unknown(_) => Value::String(example.unwrap_or_default().to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aliyun_rpc_metadata::ApiDocs;
    use serde_json::json;

    fn api(action: &str) -> Api {
        let docs = r#"{"info": {"product": "Ecs", "version": "2014-05-26", "style": "RPC"},
            "apis": {
              "WithExample": {"responses": {"200": {"schema": {"type": "object", "properties": {
                  "RequestId": {"type": "string"}, "RegionId": {"type": "string"},
                  "PageSize": {"type": "integer"}, "Enabled": {"type": "boolean"}}}}},
                "responseDemo": "[{\"type\":\"json\",\"example\":\"{\\\"RequestId\\\":\\\"X\\\",\\\"RegionId\\\":\\\"cn-qingdao\\\",\\\"PageSize\\\":10,\\\"VpcId\\\":\\\"vpc-1\\\",\\\"Items\\\":{\\\"Item\\\":[1]}}\"}]"},
              "WithoutExample": {"responses": {"200": {"schema": {"type": "object", "properties": {
                  "RequestId": {"type": "string"},
                  "TotalCount": {"type": "integer", "example": "12"},
                  "Ratio": {"type": "number"},
                  "Name": {"type": "string", "example": "demo"},
                  "Ready": {"type": "boolean", "example": "true"},
                  "Vpcs": {"type": "object", "properties": {"Vpc": {"type": "array",
                      "items": {"type": "object", "properties": {"VpcId": {"type": "string"}}}}}}}}}}},
              "Bare": {}
            }}"#;
        match ApiDocs::from_json(docs) {
            Ok(mut docs) => match docs.apis.remove(action) {
                Some(api) => api,
                None => panic!("no {action}"),
            },
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn the_example_is_the_template_without_its_request_id() {
        let body = template(&api("WithExample"));
        assert_eq!(
            Value::Object(body),
            json!({"RegionId": "cn-qingdao", "PageSize": 10, "VpcId": "vpc-1",
                   "Items": {"Item": [1]}})
        );
    }

    #[test]
    fn without_an_example_the_schema_builds_a_minimal_answer() {
        let body = template(&api("WithoutExample"));
        assert_eq!(
            Value::Object(body),
            json!({"TotalCount": 12, "Ratio": 0.0, "Name": "demo", "Ready": true,
                   "Vpcs": {"Vpc": []}})
        );
        assert!(template(&api("Bare")).is_empty());
    }

    #[test]
    fn sent_identifiers_are_echoed_typed_like_their_field() {
        let api = api("WithExample");
        let template = template(&api);
        let sent = |name: &str| match name {
            "RegionId" => Some("cn-hangzhou"),
            "PageSize" => Some("50"),
            "VpcId" => Some("vpc-mine"),
            "Enabled" => Some("True"),
            "Items" => Some("not a list"),
            _ => None,
        };
        let body = answer(&template, api.response.as_ref(), sent);
        assert_eq!(
            Value::Object(body),
            json!({"RegionId": "cn-hangzhou", "PageSize": 50, "VpcId": "vpc-mine",
                   "Enabled": true, "Items": {"Item": [1]}})
        );
        // A value that does not fit the field's type leaves the example's.
        let body = answer(&template, api.response.as_ref(), |name| {
            (name == "PageSize").then_some("ten")
        });
        assert_eq!(body.get("PageSize"), Some(&json!(10)));
    }
}

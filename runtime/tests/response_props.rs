//! Property tests of the response decoder (issue 10 item 17): whatever a server sends —
//! random JSON values, random XML-ish text, random bytes — decoding into a response type
//! and decoding an error answer return `Ok` or an error, never panic, and an error's
//! `Display` stays bounded and free of raw control characters.

use std::collections::BTreeMap;

use aliyun_rpc_runtime::credentials::AssumeRoleResponse;
use aliyun_rpc_runtime::response::{self, decode, decode_error};
use aliyun_rpc_runtime::Format;
use proptest::prelude::*;
use serde::Deserialize;
use serde_json::Value;

/// A response shaped like the seed's, with a wrapped list, numbers and an option.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[allow(dead_code)]
struct Listing {
    request_id: String,
    total_count: Option<u64>,
    #[serde(default, deserialize_with = "response::list")]
    instance_types: Vec<Item>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[allow(dead_code)]
struct Item {
    instance_type_id: String,
    cpu_core_count: u32,
    memory_size: f64,
    #[serde(default)]
    enabled: bool,
    #[serde(default, deserialize_with = "response::list")]
    tags: Vec<String>,
}

/// Keys that the types above look for, and a few more.
const KEYS: &[&str] = &[
    "RequestId",
    "TotalCount",
    "InstanceTypes",
    "InstanceType",
    "InstanceTypeId",
    "CpuCoreCount",
    "MemorySize",
    "Enabled",
    "Tags",
    "Tag",
    "Code",
    "Message",
    "HostId",
    "Recommend",
    "Credentials",
    "AccessKeyId",
    "AccessKeySecret",
    "SecurityToken",
    "Expiration",
    "AssumedRoleUser",
    "Arn",
    "AssumedRoleId",
    "@attr",
    "$text",
    "$value",
    "",
];

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(KEYS).prop_map(str::to_owned),
        1 => "\\PC{0,12}",
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        "\\PC{0,24}".prop_map(Value::String),
        "[\\u{0}-\\u{1f}\\u{7f}\\u{85}\\u{202e}a-z]{0,8}".prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 64, 8, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map(key(), inner, 0..8)
                .prop_map(|m: BTreeMap<String, Value>| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// XML-ish text: well-formed trees of the known tags, with attributes, text, entities,
/// CDATA and comments, mixed with stray markup.
fn xml_node() -> impl Strategy<Value = String> {
    let text = prop_oneof![
        "\\PC{0,16}",
        "[0-9.eE+-]{0,12}",
        Just("&amp;&lt;&#65;&#x1F600;&bogus;&#xFFFFFFFF;".to_owned()),
        Just("<![CDATA[ <x> ]]>".to_owned()),
        Just("<!-- c -->".to_owned()),
        "[<>/&;=\"' a-z!?\\[\\]]{0,12}",
    ];
    text.prop_recursive(5, 64, 6, |inner| {
        (
            proptest::sample::select(KEYS),
            proptest::option::of(("[a-z]{1,4}", "[^\"<&]{0,8}")),
            proptest::collection::vec(inner, 0..5),
            any::<bool>(),
        )
            .prop_map(|(tag, attr, children, close)| {
                let tag = if tag.is_empty() || tag.starts_with(['@', '$']) {
                    "X"
                } else {
                    tag
                };
                let attr = attr
                    .map(|(k, v)| format!(" {k}=\"{v}\""))
                    .unwrap_or_default();
                let end = if close {
                    format!("</{tag}>")
                } else {
                    String::new()
                };
                format!("<{tag}{attr}>{}{end}", children.concat())
            })
    })
}

/// Decodes `body` every way the client does; panics are the failure proptest reports.
fn decode_all(body: &[u8]) {
    for format in [Format::Json, Format::Xml] {
        let _ = decode::<Listing>(format, 200, body).map_err(|e| check_display(&e.to_string()));
        let _ = decode::<AssumeRoleResponse>(format, 200, body)
            .map_err(|e| check_display(&e.to_string()));
        let _ = decode::<Value>(format, 200, body).map_err(|e| check_display(&e.to_string()));
        let _ = decode::<BTreeMap<String, String>>(format, 200, body);
        let _ = decode::<Vec<Item>>(format, 200, body);
        for status in [400, 404, 500, 503] {
            let error = decode_error(format, status, body);
            check_display(&error.to_string());
            assert!(error.message().len() <= 1024);
            assert!(error.code().len() <= 128);
        }
    }
}

/// What a server's text may become in an error: no raw control character, bounded.
fn check_display(shown: &str) {
    assert!(!shown.contains(|c: char| c.is_control()), "{shown:?}");
}

proptest! {
    #[test]
    fn random_json_never_panics(value in json_value()) {
        decode_all(value.to_string().as_bytes());
        // Wrapped the way Aliyun wraps lists, and as an error body.
        let wrapped = serde_json::json!({
            "RequestId": "R", "InstanceTypes": {"InstanceType": value.clone()},
            "Code": value.clone(), "Message": value,
        });
        decode_all(wrapped.to_string().as_bytes());
    }

    #[test]
    fn random_xml_never_panics(nodes in proptest::collection::vec(xml_node(), 0..4), root in proptest::sample::select(KEYS)) {
        let body = format!("<?xml version=\"1.0\"?><{root}>{}</{root}>", nodes.concat());
        decode_all(body.as_bytes());
        decode_all(nodes.concat().as_bytes());
    }

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        decode_all(&bytes);
    }

    /// A truncated answer (a body cut anywhere) is an error or a value, never a panic.
    #[test]
    fn truncated_answers_never_panic(value in json_value(), nodes in proptest::collection::vec(xml_node(), 1..3), cut in any::<proptest::sample::Index>()) {
        let json = value.to_string();
        let xml = format!("<Response>{}</Response>", nodes.concat());
        for body in [json.as_bytes(), xml.as_bytes()] {
            let at = cut.index(body.len() + 1);
            decode_all(&body[..at]);
        }
    }
}

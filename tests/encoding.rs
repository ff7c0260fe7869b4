//! Values that need percent-encoding (spaces, reserved characters, non-ASCII, emoji, control
//! characters) arrive as they were sent, in every format and method.

mod common;

use aliyun_rpc::{Error, Format, Method, Params, Request};
use aliyun_rpc_emulator::{ApiError as EmulatorError, Emulator};
use common::{build, builder, start};
use serde::Deserialize;
use serde_json::json;

/// Echoes its business params back, so values can be compared after the round trip.
#[derive(Debug, Request)]
#[rpc(product = "Ecs", version = "2014-05-26", action = "Echo", response = EchoResponse)]
struct Echo {
    description: String,
    #[rpc(name = "Tag")]
    tags: Vec<Tag>,
}

#[derive(Debug, Clone, Params)]
struct Tag {
    key: String,
    value: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct EchoResponse {
    params: std::collections::BTreeMap<String, String>,
}

#[tokio::test]
async fn values_that_need_encoding_round_trip() -> Result<(), Error> {
    let emulator = start(Emulator::builder().handler("2014-05-26", "Echo", |req| {
        let params: serde_json::Map<String, serde_json::Value> = req
            .business_params()
            .map(|(k, v)| (k.to_owned(), json!(v)))
            .collect();
        if params.is_empty() {
            return Err(EmulatorError::bad_request(
                "MissingParams",
                "nothing to echo",
            ));
        }
        Ok(json!({ "Params": params }))
    }))
    .await;
    let values = [
        "a b  c",
        "*~+/=&%",
        "100% sure? #1 'quoted' \"double\"",
        "杭州 实例",
        "🚀 emoji ✓",
        "tab\tand\nnewline",
        "%20 is not a space",
    ];
    for format in [Format::Json, Format::Xml] {
        for method in [Method::Post, Method::Get] {
            let client = build(builder(&emulator).format(format).method(method));
            for value in values {
                let request = Echo::new(value).tag(Tag {
                    key: value.into(),
                    value: value.into(),
                });
                let echoed = client.call(&request).await?.params;
                let expected: std::collections::BTreeMap<String, String> = [
                    ("Description".to_owned(), value.to_owned()),
                    ("Tag.1.Key".to_owned(), value.to_owned()),
                    ("Tag.1.Value".to_owned(), value.to_owned()),
                ]
                .into_iter()
                .collect();
                assert_eq!(echoed, expected, "{format:?} {method:?} {value:?}");
            }
        }
    }
    Ok(())
}

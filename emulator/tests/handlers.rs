//! Users' own actions: what they receive, how their answers and errors are rendered, and
//! overriding a built-in one.

mod common;

use aliyun_rpc_emulator::{ApiError, Emulator, EmulatorRequest};
use common::*;
use serde_json::{json, Value};

const VERSION: &str = "2024-01-01";

fn echo(req: &EmulatorRequest) -> Result<Value, ApiError> {
    let params: serde_json::Map<String, Value> = req
        .business_params()
        .map(|(k, v)| (k.to_owned(), Value::String(v.to_owned())))
        .collect();
    Ok(json!({ "Params": params, "Method": req.method(), "AccessKeyId": req.access_key_id() }))
}

async fn echo_emulator() -> Emulator {
    Emulator::builder()
        .handler(VERSION, "Echo", echo)
        .handler(VERSION, "Fail", |_| {
            Err(ApiError::new(
                503,
                "Throttling.User",
                "Request was denied due to user flow control.",
            ))
        })
        .handler(VERSION, "NotAnObject", |_| Ok(json!([1, 2])))
        .handler(VERSION, "Panic", |_| panic!("handler bug"))
        .start()
        .await
        .unwrap()
}

const AWKWARD: [&str; 6] = [
    "with spaces  and\ttabs",
    "*~+/=&%",
    "a%20b+c%2Bd",
    "中文参数：华东1（杭州）",
    "emoji 🚀👍🏽",
    "<xml> & \"quotes\" 'single'",
];

#[tokio::test]
async fn awkward_values_round_trip_through_get_and_post() {
    let emulator = echo_emulator().await;
    let mut params = common("Echo", VERSION, "testid", "JSON");
    for (i, value) in AWKWARD.iter().enumerate() {
        params.push((format!("Value.{}", i + 1), value.to_string()));
    }
    params.push(("Key With Space*".to_owned(), "k".to_owned()));

    let get_params = signed("GET", params.clone(), "testsecret");
    let reply = get(emulator.endpoint(), &encode(&get_params)).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let json = reply.json();
    for (i, value) in AWKWARD.iter().enumerate() {
        assert_eq!(json["Params"][format!("Value.{}", i + 1)], *value);
    }
    assert_eq!(json["Params"]["Key With Space*"], "k");
    assert_eq!(json["Method"], "GET");

    // A new attempt needs a new nonce.
    set(
        &mut params,
        "SignatureNonce",
        &uuid::Uuid::new_v4().to_string(),
    );
    let post_params = signed("POST", params, "testsecret");
    let reply = post(emulator.endpoint(), "", &encode(&post_params)).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let json = reply.json();
    for (i, value) in AWKWARD.iter().enumerate() {
        assert_eq!(json["Params"][format!("Value.{}", i + 1)], *value);
    }
    assert_eq!(json["Method"], "POST");
    emulator.shutdown().await;
}

#[tokio::test]
async fn awkward_values_are_escaped_in_xml() {
    let emulator = echo_emulator().await;
    let mut params = common("Echo", VERSION, "testid", "XML");
    params.push(("Text".to_owned(), AWKWARD[5].to_owned()));
    params.push(("Chinese".to_owned(), AWKWARD[3].to_owned()));
    let reply = call(emulator.endpoint(), params, "testsecret").await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(reply
        .body
        .starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?><EchoResponse><RequestId>"));
    assert!(
        reply.body.contains(
            "<Params><Chinese>中文参数：华东1（杭州）</Chinese>\
         <Text>&lt;xml&gt; &amp; &quot;quotes&quot; &apos;single&apos;</Text></Params>"
        ),
        "{}",
        reply.body
    );
    emulator.shutdown().await;
}

#[tokio::test]
async fn handler_errors_and_bugs() {
    let emulator = echo_emulator().await;
    let reply = call(
        emulator.endpoint(),
        common("Fail", VERSION, "testid", "JSON"),
        "testsecret",
    )
    .await;
    let json = reply.assert_error(503, "Throttling.User");
    assert_eq!(
        json["Message"],
        "Request was denied due to user flow control."
    );
    // Not an ECS version: no product in the link.
    assert!(json["Recommend"]
        .as_str()
        .unwrap()
        .starts_with("https://api.aliyun.com/troubleshoot?q=Throttling.User&requestId="));

    let reply = call(
        emulator.endpoint(),
        common("NotAnObject", VERSION, "testid", "JSON"),
        "testsecret",
    )
    .await;
    let json = reply.assert_error(500, "InternalError");
    assert_eq!(
        json["Message"],
        "the handler for NotAnObject returned an array, not a JSON object"
    );

    let reply = call(
        emulator.endpoint(),
        common("Panic", VERSION, "testid", "JSON"),
        "testsecret",
    )
    .await;
    let json = reply.assert_error(500, "InternalError");
    assert_eq!(
        json["Message"],
        "the handler for Panic panicked: handler bug"
    );

    // The emulator keeps serving after a handler panicked.
    let reply = call(
        emulator.endpoint(),
        common("Echo", VERSION, "testid", "JSON"),
        "testsecret",
    )
    .await;
    assert_eq!(reply.status, 200);
    emulator.shutdown().await;
}

#[tokio::test]
async fn user_handler_overrides_a_built_in_one() {
    let emulator = Emulator::builder()
        .handler("2014-05-26", "DescribeRegions", |_| {
            Ok(json!({ "Regions": { "Region": [{ "RegionId": "cn-test" }] }, "RequestId": "ignored" }))
        })
        .start()
        .await
        .unwrap();
    let reply = call(
        emulator.endpoint(),
        common("DescribeRegions", "2014-05-26", "testid", "JSON"),
        "testsecret",
    )
    .await;
    let json = reply.json();
    assert_eq!(json["Regions"]["Region"][0]["RegionId"], "cn-test");
    assert_ne!(json["RequestId"], "ignored", "the emulator sets RequestId");
    emulator.shutdown().await;
}

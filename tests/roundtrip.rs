//! Flattening, round trip: arbitrary request values (nested lists of `#[derive(Params)]`
//! structs, maps, strings with `+`, `%`, `&`, `=`, spaces, emoji, any Unicode) go through
//! the client, real loopback HTTP and the emulator's decoder; the business params the
//! emulator's handler receives are exactly the request's `to_params()`. GET and POST, a few
//! dozen cases.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use aliyun_rpc::{Client, Credentials, Method, Params, Request, RetryPolicy};
use aliyun_rpc_emulator::Emulator;
use proptest::prelude::*;
use serde_json::json;

/// Params as the wire carries them.
type Pairs = Vec<(String, String)>;

#[derive(Debug, serde::Deserialize)]
pub struct Empty {}

#[derive(Debug, Clone, Params)]
pub struct Item {
    pub name: String,
    pub value: Vec<String>,
    pub label: BTreeMap<String, String>,
    pub size: Option<u32>,
}

#[derive(Debug, Clone, Request)]
#[rpc(product = "Ecs", version = "2099-01-01", action = "RoundTrip", response = Empty)]
pub struct RoundTrip {
    pub region_id: String,
    pub description: Option<String>,
    #[rpc(name = "Item")]
    pub items: Vec<Item>,
    #[rpc(name = "Tag")]
    pub tags: BTreeMap<String, String>,
    pub grid: Vec<Vec<String>>,
    pub flag: Option<bool>,
}

/// Text that stresses the encoders: the characters with a wire meaning, spaces, emoji and
/// CJK often; any Unicode scalar sometimes.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[ +%&=~*/a-zA-Z0-9._\\-😀🚀✓杭州]{0,12}",
        1 => any::<String>(),
    ]
}

/// Map keys the client accepts: non-empty, no `.`, `=`, `&` or whitespace.
fn map_key() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9+%~*_\\-😀杭]{1,6}"
}

fn item() -> impl Strategy<Value = Item> {
    (
        text(),
        proptest::collection::vec(text(), 0..3),
        proptest::collection::btree_map(map_key(), text(), 0..3),
        proptest::option::of(any::<u32>()),
    )
        .prop_map(|(name, value, label, size)| Item {
            name,
            value,
            label,
            size,
        })
}

fn round_trip() -> impl Strategy<Value = RoundTrip> {
    (
        text(),
        proptest::option::of(text()),
        proptest::collection::vec(item(), 0..4),
        proptest::collection::btree_map(map_key(), text(), 0..3),
        proptest::collection::vec(proptest::collection::vec(text(), 0..3), 0..3),
        proptest::option::of(any::<bool>()),
    )
        .prop_map(
            |(region_id, description, items, tags, grid, flag)| RoundTrip {
                region_id,
                description,
                items,
                tags,
                grid,
                flag,
            },
        )
}

#[test]
fn arbitrary_requests_reach_the_emulator_as_flattened() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let received: Arc<Mutex<Option<Pairs>>> = Arc::default();
    let recorder = Arc::clone(&received);
    let emulator = runtime
        .block_on(
            Emulator::builder()
                .handler("2099-01-01", "RoundTrip", move |req| {
                    let params = req
                        .business_params()
                        .map(|(k, v)| (k.to_owned(), v.to_owned()))
                        .collect();
                    *recorder.lock().unwrap() = Some(params);
                    Ok(json!({}))
                })
                .start(),
        )
        .unwrap();
    let client = |method| {
        Client::builder()
            .credentials(Credentials::new(
                emulator.access_key_id(),
                emulator.access_key_secret(),
            ))
            .region("cn-hangzhou")
            .endpoint(emulator.endpoint())
            .retry(RetryPolicy::none())
            .method(method)
            .build()
            .unwrap()
    };
    let (get, post) = (client(Method::Get), client(Method::Post));

    let config = ProptestConfig {
        cases: 48,
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    proptest!(config, |(request in round_trip(), use_get in any::<bool>())| {
        let client = if use_get { &get } else { &post };
        *received.lock().unwrap() = None;
        let outcome = runtime.block_on(client.call(&request));
        prop_assert!(outcome.is_ok(), "{:?}", outcome.err());
        let mut got = received.lock().unwrap().take().expect("the handler ran");
        let mut expected = request.to_params();
        got.sort();
        expected.sort();
        prop_assert_eq!(got, expected);
    });
    runtime.block_on(emulator.shutdown());
}

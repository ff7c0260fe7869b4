//! Schema mode's costs: (a) loading all of ECS `2014-05-26` at start (parse and normalise the
//! metadata, build every action's checks and answer) against (b) the metadata parse alone; then
//! whole calls over loopback, each signed with a fresh nonce by the runtime's signer and sent
//! over one keep-alive connection: (c) `DescribeRegions` served by its built-in handler with
//! schema mode off, (d) the same with schema mode on (the schema's checks, then the handler),
//! (e) `DescribeInstances` served from the metadata (checks of a `Tag.N` list and integers,
//! the example answer with the call's ids echoed).
//!
//! `cargo bench -p aliyun-rpc-emulator --bench schema -- --warm-up-time 2 --measurement-time 5`

use std::hint::black_box;

use aliyun_rpc_emulator::{Emulator, EmulatorBuilder};
use aliyun_rpc_metadata::{vendored, ApiDocs};
use aliyun_rpc_runtime::signing::{percent_encode, sign, string_to_sign};
use criterion::{criterion_group, criterion_main, Criterion};
use tokio::runtime::Runtime;

fn runtime() -> Runtime {
    match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => panic!("tokio: {e}"),
    }
}

fn start(rt: &Runtime, builder: EmulatorBuilder) -> Emulator {
    match rt.block_on(builder.start()) {
        Ok(emulator) => emulator,
        Err(e) => panic!("emulator: {e}"),
    }
}

fn load(c: &mut Criterion) {
    let rt = runtime();
    let mut group = c.benchmark_group("load");
    group.bench_function("ecs_schema_and_start", |b| {
        b.iter(|| {
            let builder = Emulator::builder()
                .built_in_schema(false)
                .api_docs_str(vendored::ECS_2014_05_26_FILE, vendored::ECS_2014_05_26);
            let emulator = start(&rt, builder);
            rt.block_on(emulator.shutdown());
        })
    });
    group.bench_function("ecs_metadata_parse_only", |b| {
        b.iter(|| {
            let docs = ApiDocs::from_json_named(
                black_box(vendored::ECS_2014_05_26),
                vendored::ECS_2014_05_26_FILE,
            );
            black_box(docs.map(|d| d.apis.len()).unwrap_or_default())
        })
    });
    group.finish();
}

/// A signed v1 GET query for `action` with `business` params: a fresh nonce, the time now.
fn signed_query(action: &str, business: &[(&str, &str)], nonce: u64) -> String {
    let timestamp = aliyun_rpc_runtime::wire::format_timestamp(time::OffsetDateTime::now_utc());
    let nonce = format!("bench-{nonce}");
    let mut params: Vec<(String, String)> = [
        ("Action", action),
        ("Version", "2014-05-26"),
        ("Format", "JSON"),
        ("AccessKeyId", "testid"),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureVersion", "1.0"),
        ("SignatureNonce", nonce.as_str()),
        ("Timestamp", timestamp.as_str()),
    ]
    .iter()
    .chain(business)
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let signature = sign(&string_to_sign("GET", &params), "testsecret");
    params.push(("Signature".into(), signature));
    params
        .iter()
        .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn calls(c: &mut Criterion) {
    let rt = runtime();
    let http = match reqwest::Client::builder().no_proxy().build() {
        Ok(http) => http,
        Err(e) => panic!("reqwest: {e}"),
    };
    let plain = start(&rt, Emulator::builder().built_in_schema(false));
    let schema = start(&rt, Emulator::builder());
    let mut nonce = 0u64;
    let mut call = |endpoint: &str, action: &str, business: &[(&str, &str)]| {
        nonce += 1;
        let url = format!("{endpoint}/?{}", signed_query(action, business, nonce));
        rt.block_on(async {
            let response = match http.get(url).send().await {
                Ok(response) => response,
                Err(e) => panic!("call: {e}"),
            };
            assert_eq!(response.status(), 200);
            black_box(response.bytes().await.map(|b| b.len()).unwrap_or_default())
        })
    };
    let regions: &[(&str, &str)] = &[("AcceptLanguage", "en-US")];
    let instances: &[(&str, &str)] = &[
        ("RegionId", "cn-hangzhou"),
        ("PageSize", "10"),
        ("Tag.1.Key", "env"),
        ("Tag.1.Value", "prod"),
        ("Tag.2.Key", "team"),
        ("Tag.2.Value", "web"),
    ];
    let mut group = c.benchmark_group("call");
    group.bench_function("built_in_handler", |b| {
        b.iter(|| call(plain.endpoint(), "DescribeRegions", regions))
    });
    group.bench_function("built_in_handler_schema_checked", |b| {
        b.iter(|| call(schema.endpoint(), "DescribeRegions", regions))
    });
    group.bench_function("schema_answer", |b| {
        b.iter(|| call(schema.endpoint(), "DescribeInstances", instances))
    });
    group.finish();
}

criterion_group!(benches, load, calls);
criterion_main!(benches);

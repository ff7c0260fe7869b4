//! The emulator's schema mode through our client, with hand-written request types: the issue's
//! misspelling (a field `vswitch_id` goes out as `VswitchId`) is refused naming `VSwitchId`;
//! strictness off lets it through; `DryRun`; a handler answers only valid calls; every ECS
//! action answers its example, in JSON and XML, by GET and POST.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use aliyun_rpc::{Error, Format, Method, Request};
use aliyun_rpc_emulator::Emulator;
use common::{api_error, build, builder, emulator, start};
use serde::Deserialize;
use serde_json::json;

/// `RunInstances` as a new user might write it: `vswitch_id` goes out as `VswitchId`, which
/// ECS does not declare (it is `VSwitchId`), so the real service would drop it silently.
#[derive(Debug, Clone, Request)]
#[rpc(product = "Ecs", version = "2014-05-26", action = "RunInstances", response = RunInstancesResponse)]
struct RunInstances {
    region_id: String,
    image_id: Option<String>,
    vswitch_id: Option<String>,
    amount: Option<i32>,
    dry_run: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RunInstancesResponse {
    request_id: String,
    #[serde(deserialize_with = "aliyun_rpc::response::list")]
    instance_id_sets: Vec<String>,
}

fn run_instances() -> RunInstances {
    RunInstances::new("cn-hangzhou").image_id("ubuntu_22_04_x64_20G_alibase_20240710.vhd")
}

#[tokio::test]
async fn a_misspelt_field_is_refused_naming_the_declared_param() {
    let emulator = emulator().await;
    let client = build(builder(&emulator));
    let request = run_instances().vswitch_id("vsw-bp1s5fnvk4gn2tws0****");
    assert_eq!(
        request.to_params(),
        [
            ("RegionId".to_owned(), "cn-hangzhou".to_owned()),
            (
                "ImageId".to_owned(),
                "ubuntu_22_04_x64_20G_alibase_20240710.vhd".to_owned()
            ),
            (
                "VswitchId".to_owned(),
                "vsw-bp1s5fnvk4gn2tws0****".to_owned()
            ),
        ]
    );
    let err = match client.call(&request).await {
        Err(Error::Api(err)) => err,
        other => panic!("expected an API error, got {other:?}"),
    };
    assert_eq!(
        (err.http_status(), err.code()),
        (400, "InvalidParameter.Undeclared")
    );
    assert!(
        err.message().starts_with(
            "The parameter `VswitchId` is not declared by RunInstances (API version \
             2014-05-26); did you mean `VSwitchId`?"
        ),
        "{}",
        err.message()
    );
    // What a user reads.
    let shown = Error::Api(err).to_string();
    assert!(shown.contains("did you mean `VSwitchId`?"), "{shown}");
}

#[tokio::test]
async fn with_strictness_off_the_misspelt_field_passes_as_on_aliyun() {
    let emulator = start(Emulator::builder().allow_undeclared_params(true)).await;
    let client = build(builder(&emulator));
    let response = client
        .call(&run_instances().vswitch_id("vsw-1").amount(2))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(response.request_id.len(), 36);
    assert!(!response.instance_id_sets.is_empty());
}

#[tokio::test]
async fn dry_run_and_invalid_values_reach_the_client_as_api_errors() {
    let emulator = emulator().await;
    let client = build(builder(&emulator));
    let e = api_error(&client, &run_instances().dry_run(true)).await;
    assert_eq!(
        (e.http_status(), e.code(), e.message()),
        (
            400,
            "DryRunOperation",
            "Request validation has been passed with DryRun flag set."
        )
    );
    assert_eq!(e.request_id().map(str::len), Some(36));
    let e = api_error(&client, &run_instances().amount(1001)).await;
    assert_eq!(
        (e.code(), e.message()),
        (
            "InvalidParameter",
            "The specified parameter \"Amount\" is not valid. (expected at most 1000; got \
             `1001`)"
        )
    );
    // Not retried: the call surely did not run.
    assert_eq!(e.attempts(), 1);
}

#[tokio::test]
async fn a_handler_answers_only_valid_calls() {
    let calls = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&calls);
    let emulator = start(
        Emulator::builder().handler("2014-05-26", "RunInstances", move |req| {
            seen.fetch_add(1, Ordering::SeqCst);
            Ok(json!({ "InstanceIdSets": { "InstanceIdSet": [
                format!("i-{}", req.param("Amount").unwrap_or("1"))
            ] } }))
        }),
    )
    .await;
    let client = build(builder(&emulator));
    let e = api_error(&client, &run_instances().vswitch_id("vsw-1")).await;
    assert_eq!(e.code(), "InvalidParameter.Undeclared");
    let e = api_error(&client, &run_instances().amount(0)).await;
    assert_eq!(e.code(), "InvalidParameter");
    assert_eq!(calls.load(Ordering::SeqCst), 0);
    let response = client
        .call(&run_instances().amount(3))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(response.instance_id_sets, ["i-3"]);
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

/// `DescribeInstances`, hand-written with a few of its fields.
#[derive(Debug, Clone, Request)]
#[rpc(product = "Ecs", version = "2014-05-26", action = "DescribeInstances", response = DescribeInstancesResponse)]
struct DescribeInstances {
    region_id: String,
    page_size: Option<i32>,
    #[rpc(name = "Tag")]
    tags: Vec<Tag>,
}

#[derive(Debug, Clone, aliyun_rpc::Params)]
struct Tag {
    key: String,
    value: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DescribeInstancesResponse {
    page_size: i32,
    total_count: i32,
    #[serde(deserialize_with = "aliyun_rpc::response::list")]
    instances: Vec<Instance>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Instance {
    instance_id: String,
    region_id: String,
}

#[tokio::test]
async fn every_action_answers_its_example_in_each_format_and_method() {
    let emulator = emulator().await;
    let request = DescribeInstances::new("cn-shanghai").page_size(7).tag(Tag {
        key: "env".into(),
        value: "prod".into(),
    });
    for format in [Format::Json, Format::Xml] {
        for method in [Method::Get, Method::Post] {
            let client = build(builder(&emulator).format(format).method(method));
            let response = client
                .call(&request)
                .await
                .unwrap_or_else(|e| panic!("{format:?} {method:?}: {e}"));
            assert_eq!(response.page_size, 7, "{format:?} {method:?}");
            assert!(response.total_count >= 1);
            let first = response.instances.first();
            assert!(
                first.is_some_and(|i| !i.instance_id.is_empty() && !i.region_id.is_empty()),
                "{format:?} {method:?}: {response:?}"
            );
        }
    }
    assert_eq!(emulator.request_count(), 4);
}

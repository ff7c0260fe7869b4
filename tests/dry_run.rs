//! `Client::dry_run` against the emulator's schema mode (built-in ECS): `DryRunOperation` is
//! success, any other error comes back as it is, a dry run is retried like any call, and
//! `Error::is_dry_run_success` answers for a plain `call`.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use aliyun_rpc::{DryRun, Error, Request};
use aliyun_rpc_emulator::Emulator;
use common::{build, builder, emulator, retrying_builder, start};
use serde_json::json;

#[derive(Debug, Clone, Request)]
#[rpc(product = "Ecs", version = "2014-05-26", action = "RunInstances", response = RunInstancesResponse)]
struct RunInstances {
    region_id: String,
    image_id: Option<String>,
    amount: Option<i32>,
    dry_run: Option<bool>,
}

#[aliyun_rpc::response]
#[derive(Debug)]
pub struct RunInstancesResponse {
    pub instance_id_sets: Vec<String>,
}

fn run_instances() -> RunInstances {
    RunInstances::new("cn-hangzhou").image_id("ubuntu_22_04_x64_20G_alibase_20240710.vhd")
}

#[test]
fn the_derive_sets_the_dry_run_param() {
    let mut request = run_instances();
    assert!(!request.to_params().iter().any(|(k, _)| k == "DryRun"));
    request.set_dry_run(true);
    assert!(request
        .to_params()
        .contains(&("DryRun".to_owned(), "true".to_owned())));
}

#[tokio::test]
async fn a_passing_dry_run_is_ok_and_runs_nothing() {
    let emulator = emulator().await;
    let client = build(builder(&emulator));
    // The request as built says nothing about DryRun: `dry_run` sets it.
    let request = run_instances();
    assert_eq!(client.dry_run(&request).await.ok(), Some(()));
    assert_eq!(emulator.request_count(), 1);
    // The caller's request is unchanged.
    assert_eq!(request.dry_run, None);
}

#[tokio::test]
async fn a_failing_dry_run_returns_the_services_error() {
    let emulator = emulator().await;
    let client = build(builder(&emulator));
    let err = match client.dry_run(&run_instances().amount(1001)).await {
        Err(e) => e,
        Ok(()) => panic!("an invalid Amount passed the dry run"),
    };
    assert_eq!(err.code(), Some("InvalidParameter"));
    assert!(!err.is_dry_run_success());
}

#[tokio::test]
async fn is_dry_run_success_answers_for_a_plain_call() {
    let emulator = emulator().await;
    let client = build(builder(&emulator));
    let err = match client.call(&run_instances().dry_run(true)).await {
        Err(e) => e,
        Ok(r) => panic!("a dry run decoded as {r:?}"),
    };
    assert!(err.is_dry_run_success(), "{err}");
    assert_eq!(err.http_status(), Some(400));
    // `DryRunOperation` is an answer, not a failure: never retried.
    assert!(!err.is_retryable());
    assert_eq!(err.attempts(), 1);
}

#[tokio::test]
async fn a_dry_run_is_retried_like_any_call() {
    let emulator = start(Emulator::builder().faults(|f| {
        f.throttle_next(2, Duration::from_millis(1));
    }))
    .await;
    let client = build(retrying_builder(&emulator));
    assert_eq!(client.dry_run(&run_instances()).await.ok(), Some(()));
    // Two throttled attempts, then the dry run's answer, which is not retried.
    assert_eq!(emulator.request_count(), 3);
    // Without retries, the throttling comes back as it is.
    let emulator = start(Emulator::builder().faults(|f| {
        f.throttle_next(1, Duration::from_millis(1));
    }))
    .await;
    let client = build(builder(&emulator));
    let err = client.dry_run(&run_instances()).await.err();
    assert_eq!(err.as_ref().and_then(|e| e.code()), Some("Throttling.User"));
}

#[tokio::test]
async fn a_service_that_ignores_dry_run_and_runs_the_request_is_an_error() {
    let seen = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&seen);
    let emulator = start(Emulator::builder().built_in_schema(false).handler(
        "2014-05-26",
        "RunInstances",
        move |req| {
            assert_eq!(req.param("DryRun"), Some("true"));
            count.fetch_add(1, Ordering::SeqCst);
            Ok(json!({ "InstanceIdSets": { "InstanceIdSet": ["i-1"] } }))
        },
    ))
    .await;
    let client = build(builder(&emulator));
    let err = client.dry_run(&run_instances()).await.err();
    assert!(
        matches!(
            err,
            Some(Error::DryRunIgnored {
                action: "RunInstances",
                ..
            })
        ),
        "{err:?}"
    );
    let err = err.map(|e| e.to_string()).unwrap_or_default();
    assert_eq!(
        err,
        "the dry run of RunInstances was answered with success, not DryRunOperation: the \
         service ignored DryRun and the request ran"
    );
    assert_eq!(seen.load(Ordering::SeqCst), 1);
}

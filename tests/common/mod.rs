//! Helpers shared by the end-to-end tests: the seed types, start an emulator, point a client
//! at it, a scripted action, run an official SDK's script. Each test file uses some of them.
#![allow(dead_code)]

use std::process::Command;
use std::time::Duration;

use aliyun_rpc::{ApiError, Client, ClientBuilder, Error, Request, RetryPolicy};
use aliyun_rpc_emulator::{Emulator, EmulatorBuilder};

/// The seed API, ECS `DescribeImageSupportInstanceTypes`, as the main example defines it:
/// the one home of the seed types for the tests.
#[path = "../../examples/common/ecs.rs"]
pub mod ecs;
pub mod logs;
pub mod official_sdk;
pub mod scripted;
pub mod wiretap;

use ecs::{DescribeImageSupportInstanceTypes, InstanceType};

/// A current-thread Tokio runtime with I/O and time, for tests that drive async code from a
/// plain `#[test]` or a thread of their own.
pub fn current_thread_runtime() -> tokio::runtime::Runtime {
    match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => panic!("{e}"),
    }
}

/// The seed request: region `cn-hangzhou`, image `m-imageid1`.
pub fn seed_request() -> DescribeImageSupportInstanceTypes {
    DescribeImageSupportInstanceTypes::new("cn-hangzhou").image_id("m-imageid1")
}

/// The seed page's example answer.
pub fn seed_instance_types() -> Vec<InstanceType> {
    let t = |id: &str, memory: f64| InstanceType {
        instance_type_id: id.into(),
        cpu_core_count: 1,
        memory_size: memory,
        instance_type_family: "ecs.t1".into(),
    };
    vec![t("ecs.t1.xsmall", 0.5), t("ecs.t1.small", 1.0)]
}

/// The API error `request` fails with, or fails the test.
pub async fn api_error<R: Request>(client: &Client, request: &R) -> ApiError {
    match client.call(request).await {
        Ok(_) => panic!("{} succeeded", R::ACTION),
        Err(Error::Api(api)) => *api,
        Err(other) => panic!("expected an API error, got {other}"),
    }
}

/// Retries with waits of a few milliseconds.
pub fn fast_retry() -> RetryPolicy {
    RetryPolicy::default()
        .base_delay(Duration::from_millis(1))
        .max_delay(Duration::from_millis(10))
}

/// [`builder`] with [`fast_retry`]: a client that retries as in production, quickly.
pub fn retrying_builder(emulator: &Emulator) -> ClientBuilder {
    builder(emulator).retry(fast_retry())
}

/// ECS `CreateSecurityGroup`, which the emulator serves idempotently by `ClientToken`.
#[derive(Debug, Clone, Request)]
#[rpc(product = "Ecs", version = "2014-05-26", action = "CreateSecurityGroup", response = CreateSecurityGroupResponse)]
pub struct CreateSecurityGroup {
    pub region_id: String,
    pub security_group_name: Option<String>,
    #[rpc(client_token)]
    pub client_token: Option<String>,
}

/// The answer to [`CreateSecurityGroup`].
#[derive(Debug, serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateSecurityGroupResponse {
    pub security_group_id: String,
}

/// Starts `builder`'s emulator, or fails the test.
pub async fn start(builder: EmulatorBuilder) -> Emulator {
    match builder.start().await {
        Ok(e) => e,
        Err(e) => panic!("emulator: {e}"),
    }
}

/// An emulator with the defaults (`testid` / `testsecret`).
pub async fn emulator() -> Emulator {
    start(Emulator::builder()).await
}

/// A client builder for `emulator` (its endpoint and key, region `cn-hangzhou`, no proxy:
/// `Emulator::client_builder`), without retries.
pub fn builder(emulator: &Emulator) -> ClientBuilder {
    emulator.client_builder().retry(RetryPolicy::none())
}

/// Builds the client, or fails the test.
pub fn build(builder: ClientBuilder) -> Client {
    match builder.build() {
        Ok(c) => c,
        Err(e) => panic!("client: {e}"),
    }
}

/// Whether an official SDK is installed; without it a test says so and passes, unless
/// `require_var=1` (as in CI), where a missing SDK fails it.
pub fn sdk_available(found: bool, require_var: &str, install_hint: &str) -> bool {
    if !found {
        assert!(
            std::env::var(require_var).as_deref() != Ok("1"),
            "{require_var}=1 but the SDK is missing: {install_hint}"
        );
        eprintln!("skipped: the official SDK is not installed ({install_hint})");
    }
    found
}

/// Runs `command`; its exit code and its stdout followed by its stderr.
pub fn run(mut command: Command) -> (i32, String) {
    match command.output() {
        Ok(o) => (
            o.status.code().unwrap_or(-1),
            format!(
                "{}{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            ),
        ),
        Err(e) => panic!("{command:?}: {e}"),
    }
}

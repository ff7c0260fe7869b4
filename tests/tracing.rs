//! Everything logged at TRACE level through a full call, retries and credential refreshes,
//! signed v1 and V3, by our crates and by reqwest / hyper underneath, is free of secrets.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use aliyun_rpc::client::SignatureVersion;
use aliyun_rpc::credentials::{BoxFuture, CachedProvider, ProvideCredentials};
use aliyun_rpc::{Client, Credentials, Error, Format, Method, RetryPolicy};
use aliyun_rpc_emulator::{ApiError, Emulator};
use common::ecs::DescribeImageSupportInstanceTypes;
use serde_json::json;

mod common;

use common::logs::CapturedLogs;

const KEY_ID: &str = "STS.TracingKey";
const SECRET: &str = "tracing-secret-Zq81x";
const TOKEN: &str = "CAIS+tracing/token=Yw2";

/// Temporary credentials that always look about to expire, so every call refreshes them.
#[derive(Debug, Default)]
struct ShortLived {
    refreshes: AtomicUsize,
}

impl ProvideCredentials for ShortLived {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, Error>> {
        self.refreshes.fetch_add(1, Ordering::SeqCst);
        Box::pin(async {
            Ok(Credentials::new(KEY_ID, SECRET)
                .with_security_token(TOKEN)
                .with_expiration(time::OffsetDateTime::now_utc() + Duration::from_secs(60)))
        })
    }
}

#[test]
fn no_secret_reaches_any_log_line() {
    let captured = CapturedLogs::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(captured.clone())
        .with_ansi(false)
        .finish();
    // reqwest and hyper log through `log`: route those records into the same subscriber.
    let _ = tracing_log::LogTracer::init();
    let runtime = common::current_thread_runtime();
    let refreshes = tracing::subscriber::with_default(subscriber, || runtime.block_on(scenario()));
    assert!(
        refreshes >= 8,
        "every call refreshed its credentials ({refreshes})"
    );

    let text = captured.text();
    // The capture saw the whole story…
    for expected in [
        "aliyun_rpc.call",
        "DescribeImageSupportInstanceTypes",
        "retrying",
        "refreshed credentials",
        "attempts=2",
        "status=200",
        "request_id=",
        "latency_ms=",
        "host=\"127.0.0.1:",
    ] {
        assert!(
            text.contains(expected),
            "no `{expected}` in the log:\n{text}"
        );
    }
    // …and none of the secrets, in any encoding the wire uses.
    let once = aliyun_rpc::signing::percent_encode(TOKEN);
    let twice = aliyun_rpc::signing::percent_encode(&once);
    for secret in [
        SECRET,
        TOKEN,
        once.as_str(),
        twice.as_str(),
        "Signature=",
        "SecurityToken=",
        "ACS3-HMAC-SHA256 Credential",
        "x-acs-security-token:",
    ] {
        assert!(
            !text.contains(secret),
            "`{secret}` leaked into the log:\n{text}"
        );
    }
}

async fn scenario() -> usize {
    let failures = Arc::new(AtomicUsize::new(0));
    let seen = failures.clone();
    let emulator = Emulator::builder()
        .sts_token(KEY_ID, SECRET, TOKEN)
        .handler("2014-05-26", "Flaky", move |_req| {
            // Every other call is throttled, so each call through the client retries once.
            if seen.fetch_add(1, Ordering::SeqCst).is_multiple_of(2) {
                Err(ApiError::new(
                    400,
                    "Throttling.User",
                    "Request was denied due to user flow control.",
                ))
            } else {
                Ok(json!({ "Ok": true }))
            }
        });
    let emulator = common::start(emulator).await;
    let provider = Arc::new(ShortLived::default());
    for (format, method, signature) in [
        (Format::Json, Method::Post, SignatureVersion::V1),
        (Format::Xml, Method::Get, SignatureVersion::V1),
        (Format::Json, Method::Post, SignatureVersion::V3),
        (Format::Xml, Method::Get, SignatureVersion::V3),
    ] {
        let client = common::build(
            Client::builder()
                .signature_version(signature)
                .credentials_provider(CachedProvider::new(provider.clone()))
                .region("cn-hangzhou")
                .endpoint(emulator.endpoint())
                .format(format)
                .method(method)
                .retry(RetryPolicy::default().base_delay(Duration::from_millis(1))),
        );
        let seed = DescribeImageSupportInstanceTypes::new("cn-hangzhou").image_id("m-imageid1");
        if let Err(e) = client.call(&seed).await {
            panic!("seed call: {e}");
        }
        if let Err(e) = client.call(&Flaky {}).await {
            panic!("flaky call: {e}");
        }
        // A failing call logs its error too.
        let _ = client
            .call(&DescribeImageSupportInstanceTypes::new("cn-hangzhou").image_id("m-nope"))
            .await;
    }
    drop(emulator);
    provider.refreshes.load(Ordering::SeqCst)
}

#[derive(Debug, aliyun_rpc::Request)]
#[rpc(product = "Ecs", version = "2014-05-26", action = "Flaky", response = serde_json::Value)]
struct Flaky {}

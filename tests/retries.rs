//! Retry rules end to end against the emulator: what is retried, how often, with a fresh
//! nonce each time, and what the final error says.

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use aliyun_rpc::{Client, Credentials, Error, Request, RetryPolicy};
use aliyun_rpc_emulator::{ApiError, Emulator, EmulatorRequest};
use serde_json::json;

mod common;

#[derive(Debug, Request)]
#[rpc(product = "Ecs", version = "2014-05-26", action = "Scripted", response = serde_json::Value)]
struct Scripted {
    #[rpc(client_token)]
    client_token: Option<String>,
}

/// What the scripted action saw: one entry per call that reached it.
#[derive(Clone, Default)]
struct Seen {
    nonces: Arc<Mutex<Vec<String>>>,
    tokens: Arc<Mutex<Vec<String>>>,
}

/// Starts an emulator whose `Scripted` action fails `failures` times with `(code, status)`,
/// then succeeds.
async fn scripted(failures: usize, code: &'static str, status: u16) -> (Emulator, Seen) {
    let seen = Seen::default();
    let calls = Arc::new(AtomicUsize::new(0));
    let record = seen.clone();
    let handler = move |req: &EmulatorRequest| {
        if let Ok(mut n) = record.nonces.lock() {
            n.push(req.param("SignatureNonce").unwrap_or_default().to_owned());
        }
        if let Ok(mut t) = record.tokens.lock() {
            t.push(req.param("ClientToken").unwrap_or_default().to_owned());
        }
        if calls.fetch_add(1, Ordering::SeqCst) < failures {
            Err(ApiError::new(status, code, "scripted failure"))
        } else {
            Ok(json!({ "Done": true }))
        }
    };
    let emulator =
        common::start(Emulator::builder().handler("2014-05-26", "Scripted", handler)).await;
    (emulator, seen)
}

fn client(emulator: &Emulator, policy: RetryPolicy) -> Client {
    common::build(common::builder(emulator).retry(policy))
}

fn fast() -> RetryPolicy {
    RetryPolicy::default()
        .base_delay(Duration::from_millis(1))
        .max_delay(Duration::from_millis(5))
}

fn lock<T: Clone>(m: &Mutex<T>) -> T {
    m.lock()
        .map(|g| g.clone())
        .unwrap_or_else(|e| e.into_inner().clone())
}

#[tokio::test]
async fn transient_codes_and_5xx_are_retried_until_success() -> Result<(), Error> {
    let retried = [
        ("Throttling", 400),
        ("Throttling.User", 400),
        ("Throttling.Api", 400),
        ("ServiceUnavailable", 503),
        ("InternalError", 500),
        ("UnknownError", 404),
        ("SignatureNonceUsed", 400),
        ("SomethingNew", 502),
    ];
    for (code, status) in retried {
        let (emulator, seen) = scripted(2, code, status).await;
        let response = client(&emulator, fast()).call(&Scripted::new()).await?;
        assert_eq!(response["Done"], true, "{code}");
        let nonces = lock(&seen.nonces);
        assert_eq!(nonces.len(), 3, "{code}: two failures, then success");
        assert_eq!(
            nonces.iter().collect::<HashSet<_>>().len(),
            3,
            "{code}: a fresh nonce per attempt"
        );
    }
    Ok(())
}

#[tokio::test]
async fn other_4xx_are_never_retried() {
    for (code, status) in [
        ("InvalidParameter", 400),
        ("Forbidden.RAM", 403),
        ("InvalidInstanceId.NotFound", 404),
    ] {
        let (emulator, seen) = scripted(5, code, status).await;
        match client(&emulator, fast()).call(&Scripted::new()).await {
            Err(e) => {
                assert_eq!(e.code(), Some(code));
                assert_eq!(e.attempts(), 1, "{code}");
                assert!(!e.to_string().contains("attempts"), "{e}");
            }
            Ok(v) => panic!("{code}: {v}"),
        }
        assert_eq!(lock(&seen.nonces).len(), 1, "{code}");
    }
}

#[tokio::test]
async fn the_final_error_counts_the_attempts() {
    let (emulator, seen) = scripted(100, "Throttling.User", 400).await;
    match client(&emulator, fast().max_attempts(4))
        .call(&Scripted::new())
        .await
    {
        Err(e) => {
            assert_eq!(e.code(), Some("Throttling.User"));
            assert_eq!(e.attempts(), 4);
            assert!(e.to_string().ends_with(" (after 4 attempts)"), "{e}");
        }
        Ok(v) => panic!("{v}"),
    }
    assert_eq!(lock(&seen.nonces).len(), 4);
}

#[tokio::test]
async fn retries_can_be_turned_off() {
    let (emulator, seen) = scripted(1, "ServiceUnavailable", 503).await;
    let result = client(&emulator, RetryPolicy::none())
        .call(&Scripted::new())
        .await;
    assert_eq!(
        result
            .err()
            .and_then(|e| e.code().map(str::to_owned))
            .as_deref(),
        Some("ServiceUnavailable")
    );
    assert_eq!(lock(&seen.nonces).len(), 1);
}

#[tokio::test]
async fn the_client_token_is_the_same_for_every_retry() -> Result<(), Error> {
    let (emulator, seen) = scripted(2, "ServiceUnavailable", 503).await;
    let client = client(&emulator, fast());
    client.call(&Scripted::new()).await?;
    client.call(&Scripted::new()).await?;
    let tokens = lock(&seen.tokens);
    assert_eq!(tokens.len(), 4);
    assert_eq!(tokens[0].len(), 36, "{tokens:?}");
    assert!(
        tokens[0] == tokens[1] && tokens[1] == tokens[2],
        "one call, one token: {tokens:?}"
    );
    assert_ne!(tokens[2], tokens[3], "a new call, a new token");
    Ok(())
}

#[tokio::test]
async fn connect_errors_are_retried_and_counted() {
    let port = match std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()) {
        Ok(addr) => addr.port(),
        Err(e) => panic!("{e}"),
    };
    let client = common::build(
        Client::builder()
            .credentials(Credentials::new("testid", "testsecret"))
            .endpoint(format!("http://127.0.0.1:{port}"))
            .retry(fast().max_attempts(3)),
    );
    match client.call(&Scripted::new()).await {
        Err(Error::Transport { kind, attempts, .. }) => {
            assert_eq!(kind, aliyun_rpc::error::TransportKind::Connect);
            assert_eq!(attempts, 3);
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn the_total_deadline_stops_retrying() {
    let (emulator, seen) = scripted(100, "Throttling", 400).await;
    let policy = RetryPolicy::default()
        .max_attempts(100)
        .base_delay(Duration::from_millis(40))
        .max_delay(Duration::from_millis(40))
        .total_timeout(Duration::from_millis(300));
    let started = Instant::now();
    let result = client(&emulator, policy).call(&Scripted::new()).await;
    let elapsed = started.elapsed();
    assert!(result.is_err());
    assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
    let calls = lock(&seen.nonces).len();
    assert!(
        (2..100).contains(&calls),
        "stopped by the deadline after {calls} attempts"
    );
}

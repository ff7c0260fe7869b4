//! Calls that must not run twice (issue 10 item 10), against a tiny server on 127.0.0.1 that
//! counts the requests it reads and then fails: a failure after which the request may have
//! run (a 5xx, a connection closed after the request, a timeout) is retried only for a
//! request that is safe to repeat — idempotent, or with a client token — while failures
//! where the request surely did not run (throttling, a refused connection) are retried for
//! every request.

mod common;

use std::time::Duration;

use aliyun_rpc::error::{NotRetried, TransportKind};
use aliyun_rpc::{Client, Credentials, Error, Request, RetryPolicy};
use common::hostile::{body_of, json, serve, serve_with, Hostile, Reply};

/// A create without a client token: not safe to repeat.
#[derive(Debug, Request)]
#[rpc(product = "Ecs", version = "2014-05-26", action = "CreateThing", response = serde_json::Value)]
struct CreateThing {
    name: Option<String>,
}

/// A create whose `ClientToken` (by its wire name) makes it safe to repeat.
#[derive(Debug, Request)]
#[rpc(product = "Ecs", version = "2014-05-26", action = "CreateThing", response = serde_json::Value)]
struct CreateThingWithToken {
    client_token: Option<String>,
}

/// A write its definition declares idempotent.
#[derive(Debug, Request)]
#[rpc(product = "Ecs", version = "2014-05-26", action = "ModifyThing", response = serde_json::Value, idempotent)]
struct ModifyThing {}

/// A read: idempotent by its name.
#[derive(Debug, Request)]
#[rpc(product = "Ecs", version = "2014-05-26", action = "DescribeThings", response = serde_json::Value)]
struct DescribeThings {}

fn client(url: &str) -> Client {
    let policy = RetryPolicy::default()
        .max_attempts(3)
        .base_delay(Duration::from_millis(1))
        .max_delay(Duration::from_millis(5));
    Client::builder()
        .credentials(Credentials::new("testid", "testsecret"))
        .endpoint(url)
        .retry(policy)
        .attempt_timeout(Duration::from_millis(300))
        .build()
        .unwrap()
}

const INTERNAL: &str = r#"{"Code":"InternalError","Message":"The request processing has failed due to some unknown error."}"#;
const UNAVAILABLE: &str = r#"{"Code":"ServiceUnavailable","Message":"The request has failed due to a temporary failure of the server."}"#;
const THROTTLED: &str =
    r#"{"Code":"Throttling.User","Message":"Request was denied due to user flow control."}"#;

/// How the server answers request `n`.
type Answer = fn(usize) -> Reply;

/// Each way of failing after the request was read: what the client sees may have run.
fn ambiguous_failures() -> Vec<(&'static str, Answer)> {
    vec![
        ("500 InternalError", |_| json(500, INTERNAL)),
        ("503 ServiceUnavailable", |_| json(503, UNAVAILABLE)),
        ("502 without a code", |_| {
            json(502, "<html>bad gateway</html>")
        }),
        ("connection closed after the request", |_| Reply::Close),
        ("no answer before the attempt timeout", |_| Reply::Silent),
    ]
}

fn expect_once(server: &Hostile, result: Result<serde_json::Value, Error>, what: &str) {
    let err = result.err().unwrap_or_else(|| panic!("{what}: succeeded"));
    assert_eq!(server.requests(), 1, "{what}: sent once");
    assert!(err.is_retryable() && err.may_have_run(), "{what}: {err:?}");
    assert_eq!(err.not_retried(), Some(NotRetried::MayHaveRun), "{what}");
    assert_eq!(err.attempts(), 1, "{what}");
    let shown = err.to_string();
    assert!(
        shown.contains("not retried: the request may have run"),
        "{what}: {shown}"
    );
    assert!(
        shown.contains("check whether it took effect"),
        "{what}: {shown}"
    );
}

/// A create without a client token is sent once, whatever the ambiguous failure. (Before, it
/// was sent three times: on a real service, three `RunInstances`.)
#[tokio::test]
async fn a_create_without_a_client_token_is_sent_once() {
    for (what, fail) in ambiguous_failures() {
        let server = serve(fail).await;
        let result = client(&server.url())
            .call(&CreateThing { name: None })
            .await;
        expect_once(&server, result, what);
    }
}

/// With a client token (the caller's, or one the client fills in, the same for every
/// attempt), declared idempotent, or a read: safe to repeat, so retried.
#[tokio::test]
async fn requests_safe_to_repeat_are_retried() {
    for (what, fail) in ambiguous_failures() {
        // Fails twice, then answers; records each request's `ClientToken`.
        let tokens = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let seen = tokens.clone();
        let server = serve_with(move |n, request| {
            let token = body_of(request)
                .split('&')
                .find_map(|p| p.strip_prefix("ClientToken="))
                .map(str::to_owned);
            seen.lock().unwrap().push(token);
            if n % 3 == 0 {
                json(200, r#"{"RequestId":"R-ok"}"#)
            } else {
                fail(n)
            }
        })
        .await;
        let client = client(&server.url());

        let mine = CreateThingWithToken {
            client_token: Some("deploy-42".to_owned()),
        };
        assert!(
            client.call(&mine).await.is_ok(),
            "{what}: the caller's token"
        );
        let filled = CreateThingWithToken { client_token: None };
        assert!(
            client.call(&filled).await.is_ok(),
            "{what}: a filled-in token"
        );
        assert!(
            client.call(&ModifyThing {}).await.is_ok(),
            "{what}: idempotent"
        );
        assert!(
            client.call(&DescribeThings {}).await.is_ok(),
            "{what}: a read"
        );
        assert_eq!(
            server.requests(),
            12,
            "{what}: two failures and a success each"
        );

        let tokens = tokens.lock().unwrap().clone();
        assert!(
            tokens[..3]
                .iter()
                .all(|t| t.as_deref() == Some("deploy-42")),
            "{tokens:?}"
        );
        let filled = tokens[3].clone().unwrap_or_default();
        assert_eq!(filled.len(), 36, "{tokens:?}");
        assert!(
            tokens[3..6]
                .iter()
                .all(|t| t.as_deref() == Some(filled.as_str())),
            "{tokens:?}"
        );
    }
}

/// Throttling refuses a request before it runs: retried for a create too.
#[tokio::test]
async fn throttling_is_retried_for_a_create() {
    let server = serve(|n| match n {
        1 | 2 => json(400, THROTTLED),
        _ => json(200, r#"{"RequestId":"R-ok"}"#),
    })
    .await;
    let answer = client(&server.url())
        .call(&CreateThing { name: None })
        .await;
    assert!(answer.is_ok(), "{answer:?}");
    assert_eq!(server.requests(), 3);
}

/// A refused connection sent nothing: retried for a create too, every attempt counted.
#[tokio::test]
async fn a_refused_connection_is_retried_for_a_create() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .unwrap()
        .port();
    let err = client(&format!("http://127.0.0.1:{port}"))
        .call(&CreateThing { name: None })
        .await
        .err()
        .unwrap();
    assert_eq!(err.transport_kind(), Some(TransportKind::Connect));
    assert!(!err.may_have_run());
    assert_eq!((err.attempts(), err.not_retried()), (3, None));
}

/// The classification, error by error.
#[test]
fn what_may_have_run() {
    use aliyun_rpc::ApiError;
    let api = |status: u16, code: &str| Error::from(ApiError::new(status, code, "m"));
    for (err, retryable, may_have_run) in [
        (api(400, "Throttling"), true, false),
        (api(400, "Throttling.User"), true, false),
        (api(503, "Throttling.Api"), true, false),
        (api(400, "SignatureNonceUsed"), true, false),
        (api(400, "InvalidParameter"), false, false),
        (api(403, "Forbidden.RAM"), false, false),
        (api(503, "ServiceUnavailable"), true, true),
        (api(500, "InternalError"), true, true),
        (api(404, "UnknownError"), true, true),
        (api(502, "Http502"), true, true),
        (Error::invalid_param("RegionId", "missing"), false, false),
        (Error::config("no region"), false, false),
        (Error::credentials("none"), false, false),
    ] {
        assert_eq!(
            (err.is_retryable(), err.may_have_run()),
            (retryable, may_have_run),
            "{err}"
        );
    }
}

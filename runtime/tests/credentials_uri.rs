//! `CredentialsUriProvider` against a loopback server that answers what each test sets: the
//! document with and without `Code`, another `Code`, error statuses, a redirect, a body over
//! the limit, missing fields; caching through `CachedProvider`. No error shows the secret.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use aliyun_rpc_runtime::credentials::{CredentialsUriProvider, ProvideCredentials};
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

const SECRET: &str = "uri-secret-Vb71";

#[derive(Default)]
struct Agent {
    answer: Mutex<(u16, String)>,
    location: Mutex<Option<String>>,
    served: AtomicUsize,
}

async fn credentials(State(agent): State<Arc<Agent>>) -> Response {
    agent.served.fetch_add(1, Ordering::SeqCst);
    let (status, body) = agent.answer.lock().unwrap().clone();
    let mut response = (StatusCode::from_u16(status).unwrap(), body).into_response();
    if let Some(location) = agent.location.lock().unwrap().clone() {
        response
            .headers_mut()
            .insert(header::LOCATION, location.parse().unwrap());
    }
    response
}

async fn start() -> (Arc<Agent>, String) {
    let agent = Arc::new(Agent::default());
    let app = Router::new()
        .route("/credentials", get(credentials))
        .with_state(agent.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (agent, format!("http://{addr}/credentials?role=app"))
}

fn document(code: Option<&str>, expires_in: i64) -> String {
    let expiration = (time::OffsetDateTime::now_utc() + time::Duration::seconds(expires_in))
        .replace_nanosecond(0)
        .unwrap()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let mut doc = serde_json::json!({
        "AccessKeyId": "STS.uri", "AccessKeySecret": SECRET,
        "SecurityToken": "uri-token", "Expiration": expiration,
    });
    if let Some(code) = code {
        doc["Code"] = code.into();
    }
    doc.to_string()
}

#[tokio::test]
async fn the_document_with_or_without_code_cached_until_near_expiry() {
    let (agent, uri) = start().await;
    *agent.answer.lock().unwrap() = (200, document(Some("Success"), 3600));
    let p = CredentialsUriProvider::new(&uri).unwrap().cached();
    let a = p.provide_credentials().await.unwrap();
    assert_eq!(a.access_key_id(), "STS.uri");
    assert_eq!(a.access_key_secret(), SECRET);
    assert_eq!(a.security_token(), Some("uri-token"));
    assert_eq!(p.provide_credentials().await.unwrap(), a);
    assert_eq!(agent.served.load(Ordering::SeqCst), 1, "cached");

    // Without `Code` (as credentials-go reads it), and inside the refresh margin.
    *agent.answer.lock().unwrap() = (200, document(None, 100));
    let p = CredentialsUriProvider::new(&uri).unwrap().cached();
    p.provide_credentials().await.unwrap();
    p.provide_credentials().await.unwrap();
    assert_eq!(
        agent.served.load(Ordering::SeqCst),
        3,
        "refreshed: 100 s < 180 s"
    );
}

#[tokio::test]
async fn every_bad_answer_is_a_clear_error_without_the_secret() {
    let (agent, uri) = start().await;
    let shown = uri.replace("?role=app", "?…");
    let p = CredentialsUriProvider::new(&uri).unwrap();
    let long = "x".repeat(70_000);
    let cases: Vec<((u16, String), String)> = vec![
        (
            (200, document(Some("Failed"), 3600)),
            format!("GET {shown}: the answer's `Code` is `Failed`, not `Success`"),
        ),
        (
            (503, r#"{"Code":"ServiceUnavailable","Message":"later"}"#.to_owned()),
            format!("GET {shown} answered http 503: `ServiceUnavailable`"),
        ),
        (
            (404, "not here".to_owned()),
            format!("GET {shown} answered http 404"),
        ),
        (
            (200, format!(r#"{{"AccessKeyId": "STS.uri", "AccessKeySecret": "{SECRET}"}}"#)),
            format!("GET {shown}: the answer's `SecurityToken` is missing or empty"),
        ),
        (
            (200, format!("AccessKeySecret={SECRET}")),
            format!("GET {shown}: the answer is not JSON (at line 1, column 1)"),
        ),
        (
            (200, format!(r#"{{"AccessKeySecret": "{SECRET}", "pad": "{long}"}}"#)),
            format!(
                "GET {shown}: the answer exceeds the limit of 65536 bytes for a credentials document"
            ),
        ),
    ];
    for (answer, expected) in cases {
        *agent.answer.lock().unwrap() = answer;
        let err = p.fetch().await.unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("credentials: credentials URI: {expected}")
        );
        assert!(!format!("{err:?}").contains(SECRET));
    }

    *agent.answer.lock().unwrap() = (302, String::new());
    *agent.location.lock().unwrap() = Some("https://elsewhere.example/steal".to_owned());
    assert_eq!(
        p.fetch().await.unwrap_err().to_string(),
        format!(
            "credentials: credentials URI: GET {shown} answered http 302, a redirect, which is not followed"
        )
    );
}

#[tokio::test]
async fn nothing_listening_is_a_connect_error_in_bounded_time() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let p = CredentialsUriProvider::new(format!("http://{addr}/c")).unwrap();
    let err = p.fetch().await.unwrap_err().to_string();
    assert_eq!(
        err,
        format!("credentials: credentials URI: GET http://{addr}/c failed (cannot connect)")
    );
}

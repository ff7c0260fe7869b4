//! `EcsRamRoleProvider` against a minimal instance metadata service on 127.0.0.1 that counts
//! its requests: IMDSv2 token use, parsing, caching, refresh 180 s before expiry, one shared
//! refresh for concurrent callers, and the IMDSv1 fallback.

use std::sync::atomic::{AtomicBool, AtomicI64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aliyun_rpc_runtime::credentials::{CachedProvider, EcsRamRoleProvider, ProvideCredentials};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, put};
use axum::Router;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

const TOKEN: &str = "imds-token-1";

#[derive(Default)]
struct Imds {
    token_puts: AtomicUsize,
    listings: AtomicUsize,
    credential_gets: AtomicUsize,
    /// Seconds from now until the credentials served expire.
    expires_in: AtomicI64,
    /// Answer the token PUT with 403, as an IMDSv1-only service would.
    refuse_tokens: AtomicBool,
    /// The token header of every GET, in order.
    seen_tokens: Mutex<Vec<Option<String>>>,
}

fn token_of(headers: &HeaderMap) -> Option<String> {
    headers
        .get("x-aliyun-ecs-metadata-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

async fn token(State(s): State<Arc<Imds>>, headers: HeaderMap) -> (StatusCode, String) {
    s.token_puts.fetch_add(1, Ordering::SeqCst);
    if s.refuse_tokens.load(Ordering::SeqCst) {
        return (StatusCode::FORBIDDEN, String::new());
    }
    let ttl = headers
        .get("x-aliyun-ecs-metadata-token-ttl-seconds")
        .and_then(|v| v.to_str().ok());
    if ttl != Some("21600") {
        return (StatusCode::BAD_REQUEST, "missing ttl".into());
    }
    (StatusCode::OK, TOKEN.into())
}

async fn listing(State(s): State<Arc<Imds>>, headers: HeaderMap) -> String {
    s.listings.fetch_add(1, Ordering::SeqCst);
    s.seen_tokens.lock().unwrap().push(token_of(&headers));
    "EcsRole\n".into()
}

async fn role(
    State(s): State<Arc<Imds>>,
    Path(role): Path<String>,
    headers: HeaderMap,
) -> (StatusCode, String) {
    let n = s.credential_gets.fetch_add(1, Ordering::SeqCst) + 1;
    s.seen_tokens.lock().unwrap().push(token_of(&headers));
    if role != "EcsRole" {
        return (StatusCode::NOT_FOUND, String::new());
    }
    // Slow enough that concurrent callers pile up behind one refresh.
    tokio::time::sleep(Duration::from_millis(50)).await;
    let expiration = (OffsetDateTime::now_utc()
        + time::Duration::seconds(s.expires_in.load(Ordering::SeqCst)))
    .replace_nanosecond(0)
    .unwrap()
    .format(&Rfc3339)
    .unwrap();
    let body = serde_json::json!({
        "AccessKeyId": format!("STS.imds{n}"),
        "AccessKeySecret": "imds-secret",
        "SecurityToken": "imds-token",
        "Expiration": expiration,
        "LastUpdated": "2026-11-27T00:00:00Z",
        "Code": "Success",
    });
    (StatusCode::OK, body.to_string())
}

/// Starts the service; returns its state and base URL.
async fn start(expires_in: i64) -> (Arc<Imds>, String) {
    let state = Arc::new(Imds::default());
    state.expires_in.store(expires_in, Ordering::SeqCst);
    let app = Router::new()
        .route("/latest/api/token", put(token))
        .route("/latest/meta-data/ram/security-credentials/", get(listing))
        .route(
            "/latest/meta-data/ram/security-credentials/{role}",
            get(role),
        )
        .with_state(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (state, format!("http://{addr}"))
}

#[tokio::test]
async fn imds_v2_token_role_discovery_and_parsing() {
    let (imds, url) = start(3600).await;
    let creds = EcsRamRoleProvider::new()
        .endpoint(&url)
        .fetch()
        .await
        .unwrap();
    assert_eq!(creds.access_key_id(), "STS.imds1");
    assert_eq!(creds.access_key_secret(), "imds-secret");
    assert_eq!(creds.security_token(), Some("imds-token"));
    let left = creds.expiration().unwrap() - OffsetDateTime::now_utc();
    assert!(left > time::Duration::seconds(3590) && left <= time::Duration::seconds(3600));
    assert_eq!(imds.token_puts.load(Ordering::SeqCst), 1);
    assert_eq!(imds.listings.load(Ordering::SeqCst), 1);
    assert_eq!(
        *imds.seen_tokens.lock().unwrap(),
        [Some(TOKEN.to_owned()), Some(TOKEN.to_owned())],
        "both GETs carry the IMDSv2 token"
    );
}

#[tokio::test]
async fn cached_until_180_seconds_before_expiry() {
    let (imds, url) = start(3600).await;
    let p = EcsRamRoleProvider::new()
        .endpoint(&url)
        .role_name("EcsRole")
        .cached();
    let a = p.provide_credentials().await.unwrap();
    let b = p.provide_credentials().await.unwrap();
    assert_eq!(a, b);
    assert_eq!(imds.credential_gets.load(Ordering::SeqCst), 1);
    assert_eq!(imds.listings.load(Ordering::SeqCst), 0, "role name given");
}

#[tokio::test]
async fn refreshed_within_180_seconds_of_expiry() {
    let (imds, url) = start(170).await;
    let p = EcsRamRoleProvider::new()
        .endpoint(&url)
        .role_name("EcsRole")
        .cached();
    let a = p.provide_credentials().await.unwrap();
    let b = p.provide_credentials().await.unwrap();
    assert_eq!(a.access_key_id(), "STS.imds1");
    assert_eq!(b.access_key_id(), "STS.imds2");
    assert_eq!(imds.credential_gets.load(Ordering::SeqCst), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 8)]
async fn fifty_concurrent_callers_share_one_refresh() {
    let (imds, url) = start(60).await;
    let p = Arc::new(CachedProvider::new(
        EcsRamRoleProvider::new()
            .endpoint(&url)
            .role_name("EcsRole"),
    ));
    // The first credentials are already within the margin: the next call must refresh.
    p.provide_credentials().await.unwrap();
    imds.expires_in.store(3600, Ordering::SeqCst);
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let p = p.clone();
            tokio::spawn(async move { p.provide_credentials().await.unwrap() })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap().access_key_id(), "STS.imds2");
    }
    assert_eq!(imds.credential_gets.load(Ordering::SeqCst), 2);
    assert_eq!(imds.token_puts.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn falls_back_to_imds_v1_unless_v2_is_required() {
    let (imds, url) = start(3600).await;
    imds.refuse_tokens.store(true, Ordering::SeqCst);
    let creds = EcsRamRoleProvider::new()
        .endpoint(&url)
        .role_name("EcsRole")
        .fetch()
        .await
        .unwrap();
    assert_eq!(creds.access_key_id(), "STS.imds1");
    assert_eq!(*imds.seen_tokens.lock().unwrap(), [None]);

    let err = EcsRamRoleProvider::new()
        .endpoint(&url)
        .role_name("EcsRole")
        .require_imds_v2(true)
        .fetch()
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("credentials: ECS RAM role from the metadata service: PUT {url}/latest/api/token answered http 403")
    );
    assert_eq!(imds.credential_gets.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn unknown_role_is_an_error_naming_the_url() {
    let (_imds, url) = start(3600).await;
    let err = EcsRamRoleProvider::new()
        .endpoint(&url)
        .role_name("Nope")
        .fetch()
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("credentials: ECS RAM role from the metadata service: GET {url}/latest/meta-data/ram/security-credentials/Nope answered http 404")
    );
}

#[test]
fn debug_of_the_cached_provider_hides_nothing_secret() {
    let p = EcsRamRoleProvider::new().role_name("EcsRole").cached();
    assert_eq!(
        format!("{p:?}"),
        r#"CachedProvider { inner: EcsRamRoleProvider { endpoint: "http://100.100.100.200", role_name: Some("EcsRole"), require_imds_v2: false }, .. }"#
    );
}

//! `OidcRoleArnProvider` against a loopback stand-in for STS that records what it gets: the
//! anonymous request's shape (no key, no signature), the token read at each call, an error
//! answer that echoes the token (scrubbed), and the variables that configure it. The
//! emulator-backed tests (credentials that work, one refresh for 50 callers, the chain) are
//! the workspace's `tests/credentials_sources.rs`.

mod common;

use std::sync::{Arc, Mutex};

use aliyun_rpc_runtime::credentials::{AssumeRoleWithOidc, OidcRoleArnProvider};
use aliyun_rpc_runtime::Request;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::routing::post;
use axum::Router;
use common::TempDir;

const ROLE: &str = "acs:ram::1234567890123456:role/rrsa";
const PROVIDER: &str = "acs:ram::1234567890123456:oidc-provider/ack-rrsa";
const TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwb2QifQ.c2lnbmF0dXJlLXNlY3JldA";

#[derive(Default)]
struct Sts {
    /// `(query, body)` of every request.
    seen: Mutex<Vec<(String, String)>>,
    /// Answer with this status and body instead of credentials.
    refuse: Mutex<Option<(u16, String)>>,
}

async fn answer(
    State(sts): State<Arc<Sts>>,
    RawQuery(query): RawQuery,
    body: String,
) -> (StatusCode, String) {
    sts.seen
        .lock()
        .unwrap()
        .push((query.unwrap_or_default(), body));
    if let Some((status, body)) = sts.refuse.lock().unwrap().clone() {
        return (StatusCode::from_u16(status).unwrap(), body);
    }
    let expiration = (time::OffsetDateTime::now_utc() + time::Duration::hours(1))
        .replace_nanosecond(0)
        .unwrap()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let body = serde_json::json!({
        "RequestId": "R-1",
        "AssumedRoleUser": {"Arn": format!("{ROLE}/pod"), "AssumedRoleId": "3:pod"},
        "Credentials": {"AccessKeyId": "STS.oidc", "AccessKeySecret": "oidc-secret",
                        "SecurityToken": "oidc-sts-token", "Expiration": expiration},
        "OIDCTokenInfo": {"Subject": "system:serviceaccount:ns:sa", "Issuer": "https://oidc"}
    });
    (StatusCode::OK, body.to_string())
}

async fn start() -> (Arc<Sts>, String) {
    let sts = Arc::new(Sts::default());
    let app = Router::new()
        .route("/", post(answer))
        .with_state(sts.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (sts, format!("http://{addr}"))
}

fn pairs(text: &str) -> Vec<(String, String)> {
    text.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            let decode = |s: &str| String::from_utf8(percent_decode(s.as_bytes())).unwrap();
            (decode(k), decode(v))
        })
        .collect()
}

fn percent_decode(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

#[tokio::test]
async fn an_anonymous_post_with_the_token_read_at_each_call() {
    let (sts, endpoint) = start().await;
    let dir = TempDir::new("oidc-shape");
    let token_file = dir.write("token", &format!("{TOKEN}\n"));
    let p = OidcRoleArnProvider::builder(ROLE, PROVIDER, &token_file)
        .role_session_name("pod")
        .duration_seconds(900)
        .policy(r#"{"Version":"1","Statement":[]}"#)
        .sts_endpoint(&endpoint)
        .build()
        .unwrap();
    let creds = p.fetch().await.unwrap();
    assert_eq!(creds.access_key_id(), "STS.oidc");
    assert_eq!(creds.security_token(), Some("oidc-sts-token"));
    assert!(creds.expiration().is_some());

    let (query, body) = sts.seen.lock().unwrap()[0].clone();
    let query = pairs(&query);
    let names: Vec<&str> = query.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(names, ["Action", "Version", "Format", "Timestamp"]);
    assert_eq!(query[0].1, "AssumeRoleWithOIDC");
    assert_eq!(query[1].1, "2015-04-01");
    assert_eq!(query[2].1, "JSON");
    assert_eq!(
        pairs(&body),
        [
            ("RoleArn", ROLE),
            ("OIDCProviderArn", PROVIDER),
            ("OIDCToken", TOKEN),
            ("RoleSessionName", "pod"),
            ("DurationSeconds", "900"),
            ("Policy", r#"{"Version":"1","Statement":[]}"#),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
    );
    for unsigned in [
        "AccessKeyId",
        "Signature",
        "SignatureNonce",
        "SecurityToken",
    ] {
        assert!(
            !query.iter().any(|(k, _)| k == unsigned),
            "{unsigned} in the query"
        );
    }

    // Kubernetes rotated the token: the next call reads the new one.
    std::fs::write(&token_file, "rotated.oidc.token").unwrap();
    p.fetch().await.unwrap();
    let (_, body) = sts.seen.lock().unwrap()[1].clone();
    assert!(
        pairs(&body).contains(&("OIDCToken".to_owned(), "rotated.oidc.token".to_owned())),
        "{body}"
    );
}

#[tokio::test]
async fn an_error_answer_that_echoes_the_token_shows_a_marker() {
    let (sts, endpoint) = start().await;
    let dir = TempDir::new("oidc-echo");
    let token_file = dir.write("token", TOKEN);
    *sts.refuse.lock().unwrap() = Some((
        401,
        serde_json::json!({
            "RequestId": "R-2",
            "Code": "AuthenticationFail.OIDCToken.Expired",
            "Message": format!("This JsonWebToken is expired: {TOKEN}"),
        })
        .to_string(),
    ));
    let p = OidcRoleArnProvider::builder(ROLE, PROVIDER, &token_file)
        .role_session_name("pod")
        .sts_endpoint(&endpoint)
        .build()
        .unwrap();
    let err = p.fetch().await.unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "credentials: STS AssumeRoleWithOIDC for `{ROLE}` at {endpoint} failed: \
             AuthenticationFail.OIDCToken.Expired (http 401): This JsonWebToken is expired: \
             ** redacted **; request id R-2"
        )
    );
    let debug = format!("{err:?}");
    assert!(!debug.contains(TOKEN), "{debug}");

    // A body that is not Aliyun's: its start, scrubbed of the token field.
    *sts.refuse.lock().unwrap() = Some((
        200,
        format!(r#"{{"OIDCToken": "{TOKEN}", "unexpected": true}}"#),
    ));
    let err = p.fetch().await.unwrap_err().to_string();
    assert_eq!(
        err,
        format!(
            "credentials: STS AssumeRoleWithOIDC for `{ROLE}` at {endpoint} failed: \
             POST {endpoint}/ answered http 200 with missing field `Credentials` \
             (at line 1, column {}), not the expected answer",
            TOKEN.len() + 37
        )
    );
}

#[tokio::test]
async fn token_file_problems_name_the_file_never_the_token() {
    let dir = TempDir::new("oidc-file");
    let missing = dir.path().join("missing");
    let p = OidcRoleArnProvider::builder(ROLE, PROVIDER, &missing)
        .sts_endpoint("http://127.0.0.1:9")
        .build()
        .unwrap();
    assert_eq!(
        p.fetch().await.unwrap_err().to_string(),
        format!("credentials: {}: does not exist", missing.display())
    );
    let empty = dir.write("empty", "  \n");
    let p = OidcRoleArnProvider::builder(ROLE, PROVIDER, &empty)
        .sts_endpoint("http://127.0.0.1:9")
        .build()
        .unwrap();
    assert_eq!(
        p.fetch().await.unwrap_err().to_string(),
        format!(
            "credentials: {}: the OIDC token file is empty",
            empty.display()
        )
    );
    let long = dir.write("long", &"t".repeat(20_001));
    let p = OidcRoleArnProvider::builder(ROLE, PROVIDER, &long)
        .sts_endpoint("http://127.0.0.1:9")
        .build()
        .unwrap();
    assert_eq!(
        p.fetch().await.unwrap_err().to_string(),
        format!(
            "credentials: {}: the OIDC token file holds a token longer than 20000 characters, the most STS takes",
            long.display()
        )
    );
}

#[test]
fn build_checks_what_it_can() {
    let bad = |b: aliyun_rpc_runtime::credentials::OidcRoleArnProviderBuilder| {
        b.build().unwrap_err().to_string()
    };
    let b = || OidcRoleArnProvider::builder(ROLE, PROVIDER, "/token");
    assert!(bad(b().duration_seconds(899)).contains("DurationSeconds"));
    assert!(bad(b().sts_endpoint("https://sts.aliyuncs.com/x")).contains("has a path"));
    assert!(bad(b().sts_region("cn/evil")).contains("cn/evil"));
    assert_eq!(
        bad(OidcRoleArnProvider::builder("", PROVIDER, "/token")),
        "credentials: STS AssumeRoleWithOIDC: the role ARN is empty"
    );
}

#[test]
fn the_request_hides_its_token() {
    let req = AssumeRoleWithOidc::new(ROLE, PROVIDER, TOKEN, "pod").duration_seconds(3600u32);
    assert_eq!(
        format!("{req:?}"),
        format!(
            r#"AssumeRoleWithOidc {{ role_arn: "{ROLE}", oidc_provider_arn: "{PROVIDER}", oidc_token: Secret("** redacted **"), role_session_name: "pod", duration_seconds: Some(3600), policy: None }}"#
        )
    );
    assert_eq!(
        (AssumeRoleWithOidc::VERSION, AssumeRoleWithOidc::ACTION),
        ("2015-04-01", "AssumeRoleWithOIDC")
    );
}

#[test]
fn debug_of_the_builder_and_the_answer_hides_nothing_secret() {
    let b = OidcRoleArnProvider::builder(ROLE, PROVIDER, "/var/run/token")
        .role_session_name("pod")
        .sts_endpoint("http://127.0.0.1:9");
    assert_eq!(
        format!("{b:?}"),
        format!(
            r#"OidcRoleArnProviderBuilder {{ role_arn: "{ROLE}", oidc_provider_arn: "{PROVIDER}", token_file: "/var/run/token", role_session_name: Some("pod"), duration_seconds: 3600, policy: None, sts: StsLocation {{ endpoint: Some(Ok("http://127.0.0.1:9")), region: None, vpc: false }} }}"#
        )
    );
    let answer: aliyun_rpc_runtime::credentials::AssumeRoleWithOidcResponse = serde_json::from_str(
        r#"{"RequestId": "R-1", "Credentials": {"AccessKeyId": "STS.x",
                "AccessKeySecret": "answer-secret", "SecurityToken": "answer-token",
                "Expiration": "2031-01-01T00:00:00Z"}}"#,
    )
    .unwrap();
    assert_eq!(
        format!("{answer:?}"),
        r#"AssumeRoleWithOidcResponse { request_id: "R-1", assumed_role_user: None, credentials: StsCredentials { access_key_id: "STS.x", access_key_secret: "** redacted **", security_token: "** redacted **", expiration: "2031-01-01T00:00:00Z" } }"#
    );
}

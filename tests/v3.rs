//! Our client signing V3 (`ACS3-HMAC-SHA256`) against the emulator, over loopback: JSON and
//! XML, GET and POST, params in the query and in the form body, STS credentials, retries,
//! client tokens, clock skew, `prepare`, and the diagnosis of a wrong secret and of requests
//! changed after signing. A wiretap between the two records what went over the wire.

mod common;

use std::sync::{Arc, Mutex};

use aliyun_rpc::client::{PreparedRequest, SignatureVersion};
use aliyun_rpc::error::SignatureMismatch;
use aliyun_rpc::params::Secret;
use aliyun_rpc::signing::v3::{hashed_payload, EMPTY_PAYLOAD_HASH};
use aliyun_rpc::{ApiError, Client, ClientBuilder, Credentials, Error, Format, Method, Request};
use aliyun_rpc_emulator::{Emulator, EmulatorRequest};
use common::wiretap::{self, Raw, Wiretap};
use common::{api_error, build, fast_retry, seed_instance_types, seed_request, start};
use serde_json::json;

/// A V3 client for `endpoint`, signing with `credentials`, region `cn-hangzhou`, no retries.
fn v3(endpoint: &str, credentials: Credentials) -> ClientBuilder {
    Client::builder()
        .credentials(credentials)
        .region("cn-hangzhou")
        .endpoint(endpoint)
        .retry(aliyun_rpc::RetryPolicy::none())
        .signature_version(SignatureVersion::V3)
}

fn keys(emulator: &Emulator) -> Credentials {
    Credentials::new(emulator.access_key_id(), emulator.access_key_secret())
}

/// The one request the wiretap saw, or fails the test.
fn only(tap: &Wiretap) -> Raw {
    let seen = tap.seen();
    assert_eq!(seen.len(), 1, "{seen:#?}");
    seen.into_iter().next().unwrap_or_else(|| unreachable!())
}

/// `x-acs-date` of `raw`, checked to be a V3 date within a minute of `now` (± `offset`).
fn date_near_now(raw: &Raw, offset_secs: i64) -> time::OffsetDateTime {
    let text = raw.header("x-acs-date").unwrap_or_default();
    let Some(date) = aliyun_rpc::wire::parse_timestamp(text) else {
        panic!("x-acs-date `{text}`");
    };
    assert_eq!(text.len(), "2026-11-30T10:00:00Z".len(), "{text}");
    let drift = (date - time::OffsetDateTime::now_utc()).whole_seconds() - offset_secs;
    assert!(drift.abs() < 60, "x-acs-date {text} is {drift} s off");
    date
}

/// The seed call in every format and method: the seed page's instance types, and on the
/// wire no v1 common param, the V3 headers, `Accept` by the format.
#[tokio::test]
async fn the_seed_call_in_json_and_xml_over_get_and_post() -> Result<(), Error> {
    let emulator = start(Emulator::builder()).await;
    let v1_params = aliyun_rpc::wire::COMMON_PARAMS;
    for format in [Format::Json, Format::Xml] {
        for method in [Method::Get, Method::Post] {
            let tap = wiretap::start(emulator.endpoint(), None).await;
            let client = build(
                v3(&tap.endpoint, keys(&emulator))
                    .format(format)
                    .method(method),
            );
            let answer = client.call(&seed_request()).await?;
            assert_eq!(
                answer.instance_types,
                seed_instance_types(),
                "{format} {method:?}"
            );

            let raw = only(&tap);
            assert_eq!(raw.method(), method.as_str());
            assert_eq!(raw.query(), "ImageId=m-imageid1&RegionId=cn-hangzhou");
            assert!(raw.body.is_empty(), "{raw:?}");
            for name in raw.query_names() {
                assert!(!v1_params.contains(&name.as_str()), "{name} sent");
            }
            assert_eq!(raw.header("accept"), Some(format.media_type()));
            assert_eq!(raw.header("content-type"), None);
            assert_eq!(raw.header("x-acs-content-sha256"), Some(EMPTY_PAYLOAD_HASH));
            assert_eq!(
                raw.header("x-acs-action"),
                Some("DescribeImageSupportInstanceTypes")
            );
            assert_eq!(raw.header("x-acs-version"), Some("2014-05-26"));
            assert_eq!(raw.header("x-acs-signature-nonce").map(str::len), Some(36));
            assert_eq!(
                raw.header("host"),
                Some(tap.endpoint.trim_start_matches("http://"))
            );
            assert_eq!(raw.header("x-acs-security-token"), None);
            let authorization = raw.header("authorization").unwrap_or_default();
            assert!(
                authorization.starts_with(
                    "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=host;x-acs-action;\
                     x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,\
                     Signature="
                ),
                "{authorization}"
            );
            date_near_now(&raw, 0);
        }
    }
    Ok(())
}

/// NLB `CreateListener`: `RegionId` and `DryRun` in the query; the description, the secret
/// password, the tags and the client token (filled in by the client) in the form body.
#[derive(Debug, Clone, Request)]
#[rpc(product = "Nlb", version = "2022-04-30", action = "CreateListener", response = Created)]
struct CreateListener {
    region_id: String,
    #[rpc(body)]
    listener_description: Option<String>,
    #[rpc(body, secret)]
    password: Option<Secret<String>>,
    #[rpc(body)]
    tag: Vec<Tag>,
    #[rpc(body, client_token)]
    client_token: Option<String>,
    dry_run: Option<bool>,
}

#[derive(Debug, Clone, aliyun_rpc::Params)]
struct Tag {
    key: String,
    value: String,
}

#[derive(Debug, serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Created {
    listener_id: String,
}

fn listener() -> CreateListener {
    CreateListener::new("cn-hangzhou")
        .listener_description("web tier *~ 杭州 🚀")
        .password("p w&=")
        .tag([Tag {
            key: "env".into(),
            value: "prod".into(),
        }])
        .dry_run(false)
}

/// What a handler saw of each call that reached it.
#[derive(Clone, Default)]
struct Seen(Arc<Mutex<Vec<EmulatorRequest>>>);

impl Seen {
    fn all(&self) -> Vec<EmulatorRequest> {
        self.0.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

/// An emulator serving `CreateListener` (recording every call), with `builder`'s keys.
async fn listener_emulator(
    builder: aliyun_rpc_emulator::EmulatorBuilder,
    failures: usize,
) -> (Emulator, Seen) {
    let seen = Seen::default();
    let record = seen.clone();
    let builder = builder.handler("2022-04-30", "CreateListener", move |req| {
        let calls = match record.0.lock() {
            Ok(mut s) => {
                s.push(req.clone());
                s.len()
            }
            Err(_) => 0,
        };
        if calls <= failures {
            return Err(ApiError::new(503, "ServiceUnavailable", "scripted failure"));
        }
        Ok(json!({ "ListenerId": "lsn-1" }))
    });
    (start(builder).await, seen)
}

/// `#[rpc(body)]` params travel in the form body of a `POST`, hashed into
/// `x-acs-content-sha256`; the others in the query; the emulator reads them all, the
/// client-filled token among the body's.
#[tokio::test]
async fn body_params_travel_in_the_body_and_the_others_in_the_query() -> Result<(), Error> {
    let (emulator, seen) = listener_emulator(Emulator::builder(), 0).await;
    let tap = wiretap::start(emulator.endpoint(), None).await;
    let client = build(v3(&tap.endpoint, keys(&emulator)));
    assert_eq!(client.call(&listener()).await?.listener_id, "lsn-1");

    let raw = only(&tap);
    assert_eq!(raw.method(), "POST");
    assert_eq!(raw.query(), "DryRun=false&RegionId=cn-hangzhou");
    assert_eq!(
        raw.body_names(),
        [
            "ClientToken",
            "ListenerDescription",
            "Password",
            "Tag.1.Key",
            "Tag.1.Value"
        ]
    );
    assert_eq!(
        raw.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        raw.header("x-acs-content-sha256"),
        Some(hashed_payload(&raw.body).as_str())
    );
    assert!(raw
        .header("authorization")
        .unwrap_or_default()
        .contains("SignedHeaders=content-type;host;"));

    let calls = seen.all();
    let [call] = calls.as_slice() else {
        panic!("{} calls", calls.len());
    };
    assert_eq!(call.param("Password"), Some("p w&="));
    assert_eq!(
        call.param("ListenerDescription"),
        Some("web tier *~ 杭州 🚀")
    );
    assert_eq!(call.param("Tag.1.Value"), Some("prod"));
    assert_eq!(call.param("DryRun"), Some("false"));
    let token = call.param("ClientToken").unwrap_or_default();
    assert_eq!(token.len(), 36, "a UUID: {token}");
    let body = String::from_utf8_lossy(&raw.body);
    assert!(body.starts_with(&format!("ClientToken={token}&")), "{body}");
    Ok(())
}

/// A `GET` has no body: every param goes in the query, with no `content-type`.
#[tokio::test]
async fn get_sends_body_params_in_the_query() -> Result<(), Error> {
    let (emulator, seen) = listener_emulator(Emulator::builder(), 0).await;
    let tap = wiretap::start(emulator.endpoint(), None).await;
    let client = build(v3(&tap.endpoint, keys(&emulator)).method(Method::Get));
    client.call(&listener()).await?;

    let raw = only(&tap);
    assert_eq!(raw.method(), "GET");
    assert!(raw.body.is_empty());
    assert_eq!(
        raw.query_names(),
        [
            "ClientToken",
            "DryRun",
            "ListenerDescription",
            "Password",
            "RegionId",
            "Tag.1.Key",
            "Tag.1.Value"
        ]
    );
    assert_eq!(raw.header("content-type"), None);
    assert_eq!(raw.header("x-acs-content-sha256"), Some(EMPTY_PAYLOAD_HASH));
    assert_eq!(
        seen.all().first().and_then(|c| c.param("Password")),
        Some("p w&=")
    );
    Ok(())
}

/// STS credentials: `x-acs-security-token` and `x-acs-accesskey-id` sent and signed; a
/// token that is not the key's is refused.
#[tokio::test]
async fn sts_credentials() -> Result<(), Error> {
    const TOKEN: &str = "CAIS+v3/token=Zq";
    let emulator = start(Emulator::builder().sts_token("STS.V3Key", "sts-secret", TOKEN)).await;
    let tap = wiretap::start(emulator.endpoint(), None).await;
    let sts = Credentials::new("STS.V3Key", "sts-secret").with_security_token(TOKEN);
    let client = build(v3(&tap.endpoint, sts));
    assert_eq!(client.call(&seed_request()).await?.instance_types.len(), 2);
    let raw = only(&tap);
    assert_eq!(raw.header("x-acs-security-token"), Some(TOKEN));
    assert_eq!(raw.header("x-acs-accesskey-id"), Some("STS.V3Key"));
    assert!(raw.header("authorization").unwrap_or_default().contains(
        "SignedHeaders=host;x-acs-accesskey-id;x-acs-action;x-acs-content-sha256;x-acs-date;\
         x-acs-security-token;x-acs-signature-nonce;x-acs-version,"
    ));

    let wrong = Credentials::new("STS.V3Key", "sts-secret").with_security_token("CAIS-other");
    let e = api_error(&build(v3(emulator.endpoint(), wrong)), &seed_request()).await;
    assert_eq!(e.code(), "InvalidSecurityToken.MismatchWithAccessKey");
    assert!(!format!("{e} {e:?}").contains("CAIS-other"));
    Ok(())
}

/// Retries sign every attempt afresh (nonce, date) and keep the call's one client token,
/// in the body where its field is.
#[tokio::test]
async fn retries_sign_each_attempt_afresh_with_one_client_token() -> Result<(), Error> {
    let (emulator, seen) = listener_emulator(Emulator::builder(), 2).await;
    let tap = wiretap::start(emulator.endpoint(), None).await;
    let client = build(v3(&tap.endpoint, keys(&emulator)).retry(fast_retry()));
    client.call(&listener()).await?;

    let raws = tap.seen();
    assert_eq!(raws.len(), 3, "two failures, then the answer");
    let nonces: Vec<&str> = raws
        .iter()
        .map(|r| r.header("x-acs-signature-nonce").unwrap_or_default())
        .collect();
    let mut distinct = nonces.clone();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(distinct.len(), 3, "a fresh nonce per attempt: {nonces:?}");
    for raw in &raws {
        date_near_now(raw, 0);
        assert_eq!(
            raw.body_names().first().map(String::as_str),
            Some("ClientToken")
        );
    }
    let tokens: Vec<String> = seen
        .all()
        .iter()
        .map(|c| c.param("ClientToken").unwrap_or_default().to_owned())
        .collect();
    assert_eq!(tokens.len(), 3);
    assert!(
        tokens.iter().all(|t| t == &tokens[0] && t.len() == 36),
        "{tokens:?}"
    );
    Ok(())
}

/// A skewed clock: the V3 `x-acs-date` is refused as expired, the client learns the
/// server's time and signs the retry with a date an hour later, and a new nonce.
#[tokio::test]
async fn clock_skew_is_corrected_for_v3() -> Result<(), Error> {
    let emulator = start(Emulator::builder()).await;
    emulator.faults().clock_skew_secs(3600);
    let tap = wiretap::start(emulator.endpoint(), None).await;
    let client = build(v3(&tap.endpoint, keys(&emulator)));
    assert_eq!(client.call(&seed_request()).await?.instance_types.len(), 2);
    let offset = client.clock_offset().whole_seconds();
    assert!((3598..=3602).contains(&offset), "learnt offset {offset}");

    let raws = tap.seen();
    assert_eq!(raws.len(), 2, "one refused, one corrected");
    let (first, second) = (date_near_now(&raws[0], 0), date_near_now(&raws[1], 3600));
    let moved = (second - first).whole_seconds();
    assert!(
        (3595..=3605).contains(&moved),
        "the date moved by {moved} s"
    );
    assert_ne!(
        raws[0].header("x-acs-signature-nonce"),
        raws[1].header("x-acs-signature-nonce")
    );
    client.call(&seed_request()).await?;
    assert_eq!(
        tap.seen().len(),
        3,
        "later calls use the offset straight away"
    );
    Ok(())
}

/// A wrong secret: both sides signed the same string, so the error says the secret is
/// wrong, and never shows it.
#[tokio::test]
async fn a_wrong_secret_is_diagnosed_as_such() {
    let emulator = start(Emulator::builder()).await;
    let wrong = Credentials::new(emulator.access_key_id(), "not-the-secret");
    let e = api_error(&build(v3(emulator.endpoint(), wrong)), &seed_request()).await;
    assert_eq!((e.http_status(), e.code()), (400, "SignatureDoesNotMatch"));
    assert!(
        e.message()
            .contains("server canonical request is:POST\n/\n"),
        "{}",
        e.message()
    );
    assert_eq!(
        e.signature_mismatch(),
        Some(&SignatureMismatch::SameStringToSign)
    );
    let shown = Error::from(e).to_string();
    assert!(shown.contains("the access key secret is wrong"), "{shown}");
    assert!(!shown.contains("not-the-secret"));
}

/// `RegionId` changed in the query after signing.
fn tamper_query(raw: &mut Raw) {
    raw.request_line = raw.request_line.replace("cn-hangzhou", "cn-beijing");
}

/// `x-acs-signature-nonce` changed after signing.
fn tamper_nonce(raw: &mut Raw) {
    for (name, value) in &mut raw.headers {
        if name == "x-acs-signature-nonce" {
            value.replace_range(..1, if value.starts_with('0') { "1" } else { "0" });
        }
    }
}

/// The body changed after signing.
fn tamper_body(raw: &mut Raw) {
    raw.body = String::from_utf8_lossy(&raw.body)
        .replace("env", "dev")
        .into_bytes();
}

/// Requests changed on the way: the client's diagnosis points at the line of the canonical
/// request that differs (the query, a signed header); a changed body fails its hash.
#[tokio::test]
async fn tampered_requests_are_diagnosed_where_they_differ() {
    let (emulator, _) = listener_emulator(Emulator::builder(), 0).await;
    for (tamper, line, ours, server) in [
        (
            tamper_query as wiretap::Tamper,
            3,
            "cn-hangzhou",
            "cn-beijing",
        ),
        // POST /, the query, content-type, host, x-acs-action, x-acs-content-sha256,
        // x-acs-date, then the nonce.
        (
            tamper_nonce,
            9,
            "x-acs-signature-nonce:",
            "x-acs-signature-nonce:",
        ),
    ] {
        let tap = wiretap::start(emulator.endpoint(), Some(tamper)).await;
        let client = build(v3(&tap.endpoint, keys(&emulator)));
        let e = api_error(&client, &listener()).await;
        assert_eq!(e.code(), "SignatureDoesNotMatch", "{e}");
        match e.signature_mismatch() {
            Some(SignatureMismatch::CanonicalRequestDiffers {
                line: at,
                ours: o,
                server: s,
                ..
            }) => {
                assert_eq!(*at, line, "{e}");
                assert!(o.contains(ours) && s.contains(server), "{o} / {s}");
                assert_ne!(o, s);
            }
            other => panic!("{other:?}: {e}"),
        }
        let shown = Error::from(e).to_string();
        assert!(
            shown.contains("our canonical request differs from the server's at byte"),
            "{shown}"
        );
        assert!(
            !shown.contains("p w&=") && !shown.contains("p%20w"),
            "{shown}"
        );
    }

    let tap = wiretap::start(emulator.endpoint(), Some(tamper_body)).await;
    let client = build(v3(&tap.endpoint, keys(&emulator)));
    let e = api_error(&client, &listener()).await;
    assert_eq!(e.code(), "XAcsContentSHA256Mismatch", "{e}");
}

/// The secret password in the query of a `GET` is echoed in the server's canonical
/// request: the diagnosis compares the two, and shows neither value.
#[tokio::test]
async fn a_diagnosis_never_shows_secret_params() {
    let (emulator, _) = listener_emulator(Emulator::builder(), 0).await;
    let tap = wiretap::start(emulator.endpoint(), Some(tamper_query)).await;
    let client = build(v3(&tap.endpoint, keys(&emulator)).method(Method::Get));
    let request = listener().password("hunter2-Zx");
    let e = api_error(&client, &request).await;
    assert!(matches!(
        e.signature_mismatch(),
        Some(SignatureMismatch::CanonicalRequestDiffers { line: 3, .. })
    ));
    let shown = format!("{} {e:?}", Error::from(e.clone()));
    assert!(!shown.contains("hunter2"), "{shown}");
}

/// `prepare` signs V3 with a fresh nonce every time; what it shows is what the client sends:
/// sent by hand with its headers, the emulator accepts it once (then it is a replay).
#[tokio::test]
async fn prepared_requests_are_what_the_client_sends() -> Result<(), Error> {
    let (emulator, _) = listener_emulator(Emulator::builder(), 0).await;
    let client = build(v3(emulator.endpoint(), keys(&emulator)));
    let request = listener().client_token("tok-1");
    let (a, b) = (
        client.prepare(&request).await?,
        client.prepare(&request).await?,
    );
    assert_eq!(a.signature_version(), SignatureVersion::V3);
    let nonce = |p: &PreparedRequest| {
        p.headers()
            .into_iter()
            .find(|(n, _)| *n == "x-acs-signature-nonce")
            .map(|(_, v)| v.to_owned())
    };
    assert_ne!(nonce(&a), nonce(&b));
    let shown = a.to_string();
    assert!(shown.starts_with(&format!(
        "curl -X POST '{}/?DryRun=false&RegionId=cn-hangzhou' -H 'accept: application/json' \
         -H 'authorization: ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=",
        emulator.endpoint()
    )));
    assert!(shown.contains(",Signature=** redacted **' -H 'content-type: "));
    assert!(shown.ends_with(
        "--data 'ClientToken=tok-1&ListenerDescription=web%20tier%20%2A~%20%E6%9D%AD%E5%B7%9E%20%F0%9F%9A%80&\
         Password=** redacted **&Tag.1.Key=env&Tag.1.Value=prod'"
    ), "{shown}");

    let http = reqwest::Client::new();
    for expected in [200, 400] {
        let mut send = http
            .post(a.url())
            .body(a.body().unwrap_or_default().to_owned());
        for (name, value) in a.headers() {
            send = send.header(name, value);
        }
        let status = match send.send().await {
            Ok(r) => r.status().as_u16(),
            Err(e) => panic!("send: {e}"),
        };
        assert_eq!(status, expected, "the second is a replay");
    }
    Ok(())
}

/// The default is v1, and a V3 client can sit beside a v1 one on the same emulator.
#[tokio::test]
async fn v1_and_v3_clients_side_by_side() -> Result<(), Error> {
    let emulator = start(Emulator::builder()).await;
    let tap = wiretap::start(emulator.endpoint(), None).await;
    let v1 = build(v3(&tap.endpoint, keys(&emulator)).signature_version(SignatureVersion::V1));
    let default = build(
        Client::builder()
            .credentials(keys(&emulator))
            .region("cn-hangzhou")
            .endpoint(&tap.endpoint),
    );
    v1.call(&seed_request()).await?;
    default.call(&seed_request()).await?;
    for raw in tap.seen() {
        assert_eq!(raw.header("authorization"), None);
        assert!(raw.body_names().contains(&"Signature".to_owned()));
    }
    Ok(())
}

//! STS `AssumeRole`, defined with our own derive: its params, its signed request, decoding a
//! realistic answer, and `RamRoleArnProvider` over a loopback stand-in for STS (the signature
//! itself is checked by the emulator's tests).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use aliyun_rpc_runtime::credentials::ProvideCredentials;
use aliyun_rpc_runtime::credentials::{AssumeRole, AssumeRoleResponse, RamRoleArnProvider};
use aliyun_rpc_runtime::{response, Client, Credentials, Format, Request};
use axum::extract::State;
use axum::routing::post;
use axum::Router;
use time::macros::datetime;

const ROLE: &str = "acs:ram::123456789012****:role/adminrole";

/// The documented example answer (secrets shortened).
const ANSWER: &str = r#"{
  "RequestId": "6894B13B-6D71-4EF5-88FA-F32781734A7F",
  "AssumedRoleUser": {
    "AssumedRoleId": "34458433936495****:alice",
    "Arn": "acs:ram::123456789012****:role/adminrole/alice"
  },
  "Credentials": {
    "SecurityToken": "********",
    "AccessKeyId": "STS.NUgYrLnoC37mZZCNnAbez****",
    "AccessKeySecret": "CVwjCkNzTMupZ8NbTCxCBRq3K16jtcWFTJAyBEv2****",
    "Expiration": "2015-04-09T11:52:19Z"
  }
}"#;

#[test]
fn params_are_exactly_the_business_params() {
    let req = AssumeRole::new(ROLE, "alice").duration_seconds(3600u32);
    assert_eq!(
        req.to_params(),
        [
            ("RoleArn".to_owned(), ROLE.to_owned()),
            ("RoleSessionName".to_owned(), "alice".to_owned()),
            ("DurationSeconds".to_owned(), "3600".to_owned()),
        ]
    );
    assert_eq!(
        (AssumeRole::PRODUCT, AssumeRole::VERSION, AssumeRole::ACTION),
        ("Sts", "2015-04-01", "AssumeRole")
    );
    assert!(req.clone().duration_seconds(899u32).validate().is_err());
}

#[test]
fn prepared_request_carries_the_params_and_the_common_ones() {
    let client = Client::builder()
        .credentials(Credentials::new("testid", "testsecret"))
        .endpoint("https://sts.aliyuncs.com")
        .build()
        .unwrap();
    let req = AssumeRole::new(ROLE, "alice").duration_seconds(3600u32);
    let prepared = client
        .prepare_with(
            &req,
            &Credentials::new("testid", "testsecret"),
            datetime!(2026-01-02 03:04:05 UTC),
            "nonce-1",
        )
        .unwrap();
    assert_eq!(prepared.url(), "https://sts.aliyuncs.com/");
    let body = prepared.body().unwrap();
    let mut pairs: Vec<&str> = body.split('&').collect();
    pairs.retain(|p| !p.starts_with("Signature="));
    assert_eq!(
        pairs,
        [
            "AccessKeyId=testid",
            "Action=AssumeRole",
            "DurationSeconds=3600",
            "Format=JSON",
            "RoleArn=acs%3Aram%3A%3A123456789012%2A%2A%2A%2A%3Arole%2Fadminrole",
            "RoleSessionName=alice",
            "SignatureMethod=HMAC-SHA1",
            "SignatureNonce=nonce-1",
            "SignatureVersion=1.0",
            "Timestamp=2026-01-02T03%3A04%3A05Z",
            "Version=2015-04-01",
        ]
    );
}

#[test]
fn answer_decodes_into_credentials_with_expiry() {
    let answer: AssumeRoleResponse =
        response::decode(Format::Json, 200, ANSWER.as_bytes()).unwrap();
    assert_eq!(answer.request_id, "6894B13B-6D71-4EF5-88FA-F32781734A7F");
    assert_eq!(
        answer.assumed_role_user.as_ref().unwrap().arn,
        "acs:ram::123456789012****:role/adminrole/alice"
    );
    let creds = answer.credentials.to_credentials().unwrap();
    assert_eq!(
        creds,
        Credentials::new(
            "STS.NUgYrLnoC37mZZCNnAbez****",
            "CVwjCkNzTMupZ8NbTCxCBRq3K16jtcWFTJAyBEv2****"
        )
        .with_security_token("********")
        .with_expiration(datetime!(2015-04-09 11:52:19 UTC))
    );
    assert_eq!(
        format!("{answer:?}"),
        r#"AssumeRoleResponse { request_id: "6894B13B-6D71-4EF5-88FA-F32781734A7F", assumed_role_user: Some(AssumedRoleUser { arn: "acs:ram::123456789012****:role/adminrole/alice", assumed_role_id: "34458433936495****:alice" }), credentials: StsCredentials { access_key_id: "STS.NUgYrLnoC37mZZCNnAbez****", access_key_secret: "** redacted **", security_token: "** redacted **", expiration: "2015-04-09T11:52:19Z" } }"#
    );
}

#[test]
fn answer_decodes_from_xml_too() {
    let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<AssumeRoleResponse>
  <RequestId>6894B13B</RequestId>
  <AssumedRoleUser><Arn>acs:ram::1:role/r/s</Arn><AssumedRoleId>1:s</AssumedRoleId></AssumedRoleUser>
  <Credentials>
    <AccessKeyId>STS.x</AccessKeyId><AccessKeySecret>y</AccessKeySecret>
    <SecurityToken>z</SecurityToken><Expiration>2015-04-09T11:52:19Z</Expiration>
  </Credentials>
</AssumeRoleResponse>"#;
    let answer: AssumeRoleResponse = response::decode(Format::Xml, 200, xml.as_bytes()).unwrap();
    let creds = answer.credentials.to_credentials().unwrap();
    assert_eq!(creds.expiration(), Some(datetime!(2015-04-09 11:52:19 UTC)));
}

#[derive(Default)]
struct Sts {
    calls: AtomicUsize,
    bodies: Mutex<Vec<String>>,
}

async fn assume_role(State(s): State<Arc<Sts>>, body: String) -> String {
    s.calls.fetch_add(1, Ordering::SeqCst);
    s.bodies.lock().unwrap().push(body);
    let expiration = (time::OffsetDateTime::now_utc() + time::Duration::hours(1))
        .replace_nanosecond(0)
        .unwrap()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    ANSWER.replace("2015-04-09T11:52:19Z", &expiration)
}

#[tokio::test]
async fn ram_role_arn_provider_over_loopback_is_cached() {
    let sts = Arc::new(Sts::default());
    let app = Router::new()
        .route("/", post(assume_role))
        .with_state(sts.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let p = RamRoleArnProvider::builder(Credentials::new("LTAI5tBase", "base-secret"), ROLE)
        .role_session_name("alice")
        .sts_endpoint(format!("http://{addr}"))
        .build()
        .unwrap()
        .cached();
    let a = p.provide_credentials().await.unwrap();
    let b = p.provide_credentials().await.unwrap();
    assert_eq!(a, b);
    assert_eq!(a.access_key_id(), "STS.NUgYrLnoC37mZZCNnAbez****");
    assert!(a.expiration().is_some());
    assert_eq!(sts.calls.load(Ordering::SeqCst), 1);
    let body = sts.bodies.lock().unwrap()[0].clone();
    for pair in [
        "Action=AssumeRole",
        "Version=2015-04-01",
        "AccessKeyId=LTAI5tBase",
        "RoleSessionName=alice",
        "DurationSeconds=3600",
    ] {
        assert!(body.split('&').any(|p| p == pair), "{pair} in {body}");
    }
    assert!(!body.contains("base-secret"));
}

/// `sts_region` picks STS's regional host (the endpoint table sends STS calls to the
/// central one otherwise); an explicit endpoint still wins, and a bad region is refused.
#[test]
fn sts_region_selects_the_regional_endpoint() {
    let base = || Credentials::new("LTAI5tExample", "s3cr3t");
    let endpoint_of =
        |b: aliyun_rpc_runtime::credentials::RamRoleArnProviderBuilder| match b.build() {
            Ok(p) => format!("{p:?}"),
            Err(e) => format!("error: {e}"),
        };
    let role = "acs:ram::1234:role/admin";
    let regional = endpoint_of(RamRoleArnProvider::builder(base(), role).sts_region("cn-shanghai"));
    assert!(
        regional.contains(r#"sts_endpoint: "https://sts.cn-shanghai.aliyuncs.com""#),
        "{regional}"
    );
    let central = endpoint_of(RamRoleArnProvider::builder(base(), role));
    assert!(
        central.contains(r#"sts_endpoint: "https://sts.aliyuncs.com""#),
        "{central}"
    );
    let explicit = endpoint_of(
        RamRoleArnProvider::builder(base(), role)
            .sts_region("cn-shanghai")
            .sts_endpoint("http://127.0.0.1:9"),
    );
    assert!(
        explicit.contains(r#"sts_endpoint: "http://127.0.0.1:9""#),
        "{explicit}"
    );
    let bad = endpoint_of(RamRoleArnProvider::builder(base(), role).sts_region("cn/evil"));
    assert!(
        bad.starts_with("error: ") && bad.contains("cn/evil"),
        "{bad}"
    );
}

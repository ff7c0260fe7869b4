//! Requests the gateway refuses, sent raw from a prepared request: changed after signing,
//! replayed, expired, or missing and malforming a common param.

mod common;

use aliyun_rpc::error::SignatureMismatch;
use aliyun_rpc::{Credentials, Error, Format, Method};
use common::{build, builder, emulator, seed_request};

/// Sends a prepared request as it is, or with its body changed, with a plain HTTP client.
async fn send_raw(
    prepared: &aliyun_rpc::client::PreparedRequest,
    body: Option<String>,
) -> (u16, Vec<u8>) {
    let http = reqwest::Client::new();
    let request = match prepared.method() {
        Method::Get => http.get(prepared.url()),
        Method::Post => http
            .post(prepared.url())
            .header("content-type", "application/x-www-form-urlencoded")
            .body(
                body.or_else(|| prepared.body().map(str::to_owned))
                    .unwrap_or_default(),
            ),
    };
    match request.send().await {
        Ok(r) => {
            let status = r.status().as_u16();
            (
                status,
                r.bytes().await.map(|b| b.to_vec()).unwrap_or_default(),
            )
        }
        Err(e) => panic!("send: {e}"),
    }
}

#[tokio::test]
async fn tampered_replayed_and_expired_requests_are_rejected() -> Result<(), Error> {
    let emulator = emulator().await;
    let client = build(builder(&emulator));
    let creds = Credentials::new(emulator.access_key_id(), emulator.access_key_secret());
    let decode =
        |status: u16, body: &[u8]| aliyun_rpc::response::decode_error(Format::Json, status, body);

    // Tampered: RegionId changed after signing.
    let prepared = client.prepare(&seed_request()).await?;
    let tampered = prepared
        .body()
        .unwrap_or_default()
        .replace("RegionId=cn-hangzhou", "RegionId=cn-beijing");
    let (status, body) = send_raw(&prepared, Some(tampered)).await;
    let e = decode(status, &body);
    assert_eq!((e.http_status(), e.code()), (400, "SignatureDoesNotMatch"));
    let server = e
        .message()
        .split_once("server string to sign is:")
        .map(|(_, s)| s.to_owned())
        .unwrap_or_default();
    match SignatureMismatch::diagnose(prepared.string_to_sign(), &server) {
        SignatureMismatch::Differs { ours, server, .. } => {
            assert!(
                ours.contains("cn-hangzhou") && server.contains("cn-beijing"),
                "{ours} / {server}"
            );
        }
        other => panic!("{other:?}"),
    }

    // Replayed: the same signed request twice.
    let prepared = client.prepare(&seed_request()).await?;
    assert_eq!(send_raw(&prepared, None).await.0, 200);
    let (status, body) = send_raw(&prepared, None).await;
    let e = decode(status, &body);
    assert_eq!((e.http_status(), e.code()), (400, "SignatureNonceUsed"));

    // Expired: signed 20 minutes ago, outside the ±15 min window.
    let old = time::OffsetDateTime::now_utc() - time::Duration::minutes(20);
    let prepared = client.prepare_with(&seed_request(), &creds, old, "3ee8c1b8-old")?;
    let (status, body) = send_raw(&prepared, None).await;
    let e = decode(status, &body);
    assert_eq!(
        (e.http_status(), e.code()),
        (400, "InvalidTimeStamp.Expired")
    );
    Ok(())
}

/// Replaces the value of `key` in a form body (or drops the pair when `value` is `None`).
fn edit_param(body: &str, key: &str, value: Option<&str>) -> String {
    body.split('&')
        .filter_map(|pair| match pair.split_once('=') {
            Some((k, _)) if k == key => value.map(|v| format!("{k}={v}")),
            _ => Some(pair.to_owned()),
        })
        .collect::<Vec<_>>()
        .join("&")
}

#[tokio::test]
async fn gateway_checks_on_malformed_requests() -> Result<(), Error> {
    let emulator = emulator().await;
    let client = build(builder(&emulator));
    let cases: [(&str, Option<&str>, u16, &str); 6] = [
        ("Timestamp", None, 400, "MissingTimestamp"),
        ("SignatureNonce", None, 400, "MissingSignatureNonce"),
        ("Signature", None, 400, "MissingSignature"),
        (
            "SignatureMethod",
            Some("HMAC-SHA256"),
            400,
            "InvalidSignatureMethod",
        ),
        (
            "SignatureVersion",
            Some("2.0"),
            400,
            "InvalidSignatureVersion",
        ),
        (
            "Timestamp",
            Some("2016-02-23%2012%3A46%3A24"),
            400,
            "InvalidTimeStamp.Format",
        ),
    ];
    for (key, value, status, code) in cases {
        let prepared = client.prepare(&seed_request()).await?;
        let body = edit_param(prepared.body().unwrap_or_default(), key, value);
        let (got_status, answer) = send_raw(&prepared, Some(body)).await;
        let e = aliyun_rpc::response::decode_error(Format::Json, got_status, &answer);
        assert_eq!(
            (e.http_status(), e.code()),
            (status, code),
            "{key}={value:?}"
        );
        assert!(!e.message().is_empty() && e.request_id().is_some(), "{e:?}");
    }
    Ok(())
}
